# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import functools

from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .access import RecordAccessMixin


def company_cron(func):
    """Decorate a scheduled class method to work on the records of the
    company in the context only, which is how the scheduler runs it for
    each of its companies.
    Without a company in the context, it runs once per company and returns
    the concatenation of the results."""
    @functools.wraps(func)
    def wrapper(cls, *args, **kwargs):
        if Transaction().context.get('company') is not None:
            return func(cls, *args, **kwargs)
        Company = Pool().get('company.company')
        result = []
        for company in Company.search([], order=[('id', 'ASC')]):
            with Transaction().set_context(company=company.id):
                result.extend(func(cls, *args, **kwargs) or [])
        return result
    return wrapper


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def _get_cache_key(cls, model_names):
        pool = Pool()
        User = pool.get('res.user')
        key = super()._get_cache_key(model_names)
        return (*key, User.get_employees(), Transaction().user)

    @classmethod
    def _get_context(cls, model_name):
        pool = Pool()
        User = pool.get('res.user')
        context = super()._get_context(model_name)
        context['employees'] = User.get_employees()
        context['user_id'] = Transaction().user
        return context


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('buurtwerkkamer.handgeld.period|create_periods',
                    "Create Handgeld Months"),
                ('buurtwerkkamer.agreement|notify_deadlines',
                    "Notify Deadlines of Agreements and Covenants"),
                ('buurtwerkkamer.agreement|invoice_due_instalments',
                    "Invoice Due Instalments of Agreements"),
                ('buurtwerkkamer.employment|accrue_previous_month',
                    "Accrue Staff Cost"),
                ('buurtwerkkamer.fixed_cost|generate_bookings',
                    "Create Fixed Cost Bookings"),
                ])


class ModelFieldAccess(metaclass=PoolMeta):
    __name__ = 'ir.model.field.access'

    @classmethod
    def check(cls, model_name, fields, mode='read', raise_exception=True):
        # A dotted name ('candidate.rec_name') or a suffixed one
        # ('state:string') reads through its base field: it needs the access
        # to that field.
        fields = list(dict.fromkeys(
                f.split('.', 1)[0].split(':', 1)[0] for f in fields))
        return super().check(
            model_name, fields, mode=mode, raise_exception=raise_exception)


class Attachment(RecordAccessMixin, metaclass=PoolMeta):
    __name__ = 'ir.attachment'

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        cls.check_access([r.id for r in records], mode='read')
        return super().export_data(records, fields_names, header=header)


class Note(RecordAccessMixin, metaclass=PoolMeta):
    __name__ = 'ir.note'

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        cls.check_access([r.id for r in records], mode='read')
        return super().export_data(records, fields_names, header=header)
