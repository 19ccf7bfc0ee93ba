# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .access import RecordAccessMixin


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
        cls.method.selection.append(
            ('buurtwerkkamer.handgeld.period|create_periods',
                "Create Handgeld Months"))


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
