# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from trytond import backend
from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import (
    Check, Index, ModelSQL, ModelView, Unique, fields)
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.company.model import (
    CompanyMultiValueMixin, CompanyValueMixin)
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .access import RecordAccessMixin
from .ir import company_cron
from .server_fields import ServerFieldsMixin

FIXED_COST_KINDS = [
    ('staff', "Salaries and Fees"),
    ('rent', "Rent"),
    ('gwe', "Gas, Water and Electricity"),
    ('insurance', "Insurance"),
    ('telephone', "Telephone"),
    ('internet', "Internet"),
    ('other', "Other"),
    ]

INTERVALS = {
    'monthly': 1,
    'quarterly': 3,
    'yearly': 12,
    }


class Configuration(CompanyMultiValueMixin, metaclass=PoolMeta):
    __name__ = 'buurtwerkkamer.configuration'

    fixed_cost_journal = fields.MultiValue(fields.Many2One(
            'account.journal', "Fixed Cost Journal",
            domain=[
                ('type', '=', 'general'),
                ],
            help="The journal of the accrual entries of fixed costs "
            "without a supplier invoice."))
    fixed_cost_accrual_account = fields.MultiValue(fields.Many2One(
            'account.account', "Fixed Cost Accrual Account",
            domain=[
                ('closed', '!=', True),
                ('type.statement', '=', 'balance'),
                ('company', '=', Eval('context', {}).get('company', -1)),
                ],
            help="The liability credited by the accrual entries "
            "of fixed costs, such as salaries payable."))

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field in {'fixed_cost_journal', 'fixed_cost_accrual_account'}:
            return pool.get('buurtwerkkamer.configuration.fixed_cost')
        return super().multivalue_model(field)


class ConfigurationFixedCost(RecordAccessMixin, ModelSQL, CompanyValueMixin):
    __name__ = 'buurtwerkkamer.configuration.fixed_cost'

    fixed_cost_journal = fields.Many2One(
        'account.journal', "Fixed Cost Journal",
        domain=[
            ('type', '=', 'general'),
            ])
    fixed_cost_accrual_account = fields.Many2One(
        'account.account', "Fixed Cost Accrual Account",
        domain=[
            ('closed', '!=', True),
            ('type.statement', '=', 'balance'),
            ('company', '=', Eval('company', -1)),
            ])


class FixedCost(ServerFieldsMixin, RecordAccessMixin, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.fixed_cost'

    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={
            'readonly': Bool(Eval('periods', [0])),
            })
    room = fields.Many2One(
        'buurtwerkkamer.room', "Room", required=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states={
            'readonly': Bool(Eval('periods', [0])),
            })
    kind = fields.Selection(
        FIXED_COST_KINDS, "Kind", required=True, sort=False,
        help="Salaries and fees name the person they are paid to; "
        "the staff cost of a person with an employment is accrued by "
        "the employment, not by a fixed cost.")
    employee = fields.Many2One(
        'company.employee', "Employee", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states={
            'required': Eval('kind') == 'staff',
            'invisible': Eval('kind') != 'staff',
            },
        help="The person to whom the salary or fee is paid.")
    description = fields.Char("Description", required=True)
    booking = fields.Selection([
            ('invoice', "Supplier Invoice"),
            ('accrual', "Accrual Entry"),
            ], "Booking", required=True, sort=False,
        help="Supplier invoice: a draft supplier invoice is created "
        "for each period.\n"
        "Accrual entry: a draft journal entry is created for what comes "
        "without a supplier invoice, such as salaries.")
    supplier = fields.Many2One(
        'party.party', "Supplier", ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        states={
            'required': Eval('booking') == 'invoice',
            },
        depends={'company'})
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        domain=[('amount', '>', 0)],
        help="The amount of one period, taxes included.")
    interval = fields.Selection([
            ('monthly', "Monthly"),
            ('quarterly', "Quarterly"),
            ('yearly', "Yearly"),
            ], "Interval", required=True, sort=False)
    start_date = fields.Date(
        "Start Date", required=True,
        help="The first day of the first period.")
    end_date = fields.Date(
        "End Date",
        domain=[
            If(Bool(Eval('end_date')),
                ('end_date', '>=', Eval('start_date')),
                ()),
            ],
        help="No period starts after this date.")
    account = fields.Many2One(
        'account.account', "Expense Account", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type.expense', '=', True),
            ('closed', '!=', True),
            ])
    periods = fields.One2Many(
        'buurtwerkkamer.fixed_cost.period', 'fixed_cost', "Periods",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('amount_positive', Check(t, t.amount > 0),
                'buurtwerkkamer.msg_fixed_cost_amount_positive'),
            ]
        cls._order = [
            ('room', 'ASC'),
            ('kind', 'ASC'),
            ('id', 'ASC'),
            ]
        cls._buttons.update({
                'generate': {
                    'icon': 'tryton-launch',
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_booking():
        return 'invoice'

    @staticmethod
    def default_interval():
        return 'monthly'

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('kind', 'booking', 'employee')
    def on_change_kind(self):
        if self.kind == 'staff':
            self.booking = 'accrual'
        else:
            self.employee = None

    def coverage_end(self):
        """Return the last day covered by the periods of the cost,
        or None when it has no end"""
        if not self.end_date:
            return None
        dates = list(self.period_dates(self.end_date))
        last = dates[-1] if dates else self.start_date
        return last + relativedelta(
            months=INTERVALS[self.interval], days=-1)

    @classmethod
    def validate_fields(cls, costs, field_names):
        super().validate_fields(costs, field_names)
        cls.check_staff_employment(costs, field_names)

    @classmethod
    def check_staff_employment(cls, costs, field_names=None):
        """Refuse a salary or fee for a person and period that an
        employment covers: its cost would be booked twice"""
        pool = Pool()
        Employment = pool.get('buurtwerkkamer.employment')
        Lang = pool.get('ir.lang')
        if field_names and not (field_names & {
                    'kind', 'employee', 'start_date', 'end_date',
                    'interval'}):
            return
        costs = [c for c in costs if c.kind == 'staff' and c.employee]
        if not costs:
            return
        employments = defaultdict(list)
        for sub_costs in grouped_slice(costs, backend.MAX_QUERY_PARAMS):
            for employment in Employment.search([
                        ('employee', 'in',
                            list({c.employee.id for c in sub_costs})),
                        ], order=[]):
                employments[employment.employee].append(employment)
        lang = Lang.get()
        for cost in costs:
            end = cost.coverage_end() or dt.date.max
            for employment in employments[cost.employee]:
                if (employment.start_date <= end
                        and cost.start_date <= (
                            employment.end_date or dt.date.max)):
                    raise ValidationError(gettext(
                            'buurtwerkkamer.msg_fixed_cost_staff_employment',
                            cost=cost.rec_name,
                            employee=cost.employee.rec_name,
                            employment=employment.rec_name,
                            start=lang.strftime(employment.start_date)))

    def get_rec_name(self, name):
        return '%s - %s' % (self.room.rec_name, self.description)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('description', operator, operand, *extra),
            ('room.rec_name', operator, operand, *extra),
            ]

    @classmethod
    def copy(cls, costs, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('periods', None)
        return super().copy(costs, default=default)

    def period_dates(self, date):
        "Yield the first day of every period that has started on date"
        step = relativedelta(months=INTERVALS[self.interval])
        end = min(date, self.end_date or dt.date.max)
        current, i = self.start_date, 0
        while current <= end:
            yield current
            i += 1
            current = self.start_date + step * i

    @classmethod
    @ModelView.button
    def generate(cls, costs):
        pool = Pool()
        Date = pool.get('ir.date')
        with Transaction().set_context(
                company=costs[0].company.id if costs else None):
            today = Date.today()
        cls.create_bookings(costs, today)

    @classmethod
    @company_cron
    def generate_bookings(cls, date=None):
        "Create the bookings of every fixed cost whose period has started"
        pool = Pool()
        Date = pool.get('ir.date')
        if date is None:
            date = Date.today()
        return cls.create_bookings(cls.search([
                    ('company', '=', Transaction().context['company']),
                    ('start_date', '<=', date),
                    ]), date)

    @classmethod
    def create_bookings(cls, costs, date):
        """Create the missing draft invoices and accrual entries of the costs
        for the periods that started on or before date, once per period"""
        pool = Pool()
        Period = pool.get('buurtwerkkamer.fixed_cost.period')
        Invoice = pool.get('account.invoice')
        Move = pool.get('account.move')

        if not costs:
            return []
        # Lock so that two runs at the same moment cannot both create the
        # same period; the unique constraint is the last safeguard.
        Period.lock()
        existing = defaultdict(set)
        for sub_costs in grouped_slice(
                costs, backend.MAX_QUERY_PARAMS):
            for period in Period.search([
                        ('fixed_cost', 'in', [c.id for c in sub_costs]),
                        ]):
                existing[period.fixed_cost.id].add(period.date)

        to_create = []
        for cost in costs:
            for period_date in cost.period_dates(date):
                if period_date not in existing[cost.id]:
                    to_create.append((cost, period_date))
                    existing[cost.id].add(period_date)
        if not to_create:
            return []
        cls._check_bookable(list(dict.fromkeys(c for c, _ in to_create)))

        invoices, moves, periods = [], [], []
        accounting_periods = {}
        for cost, period_date in to_create:
            period = Period(fixed_cost=cost, date=period_date)
            if cost.booking == 'invoice':
                period.invoice = cost._get_invoice(period_date)
                invoices.append(period.invoice)
            else:
                key = (cost.company, period_date)
                if key not in accounting_periods:
                    accounting_periods[key] = cls._find_period(
                        cost.company, period_date)
                period.move = cost._get_move(
                    period_date, accounting_periods[key])
                moves.append(period.move)
            periods.append(period)
        Invoice.save(invoices)
        Invoice.update_taxes(invoices)
        Move.save(moves)
        Period.save(periods)
        return periods

    @classmethod
    def _find_period(cls, company, date):
        pool = Pool()
        AccountPeriod = pool.get('account.period')
        return AccountPeriod.find(company, date=date)

    @classmethod
    def _check_bookable(cls, costs):
        pool = Pool()
        Configuration = pool.get('buurtwerkkamer.configuration')
        config = Configuration(1)
        for cost in costs:
            if not cost.room.analytic_account:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_fixed_cost_no_analytic_account',
                        room=cost.room.rec_name))
            if cost.booking == 'invoice':
                if not cost.supplier:
                    raise UserError(gettext(
                            'buurtwerkkamer.msg_fixed_cost_no_supplier',
                            cost=cost.rec_name))
                if not cost.supplier.address_get(type='invoice'):
                    raise UserError(gettext(
                            'buurtwerkkamer.msg_fixed_cost_no_address',
                            cost=cost.rec_name,
                            supplier=cost.supplier.rec_name))
                if not cost.supplier.account_payable_used:
                    raise UserError(gettext(
                            'buurtwerkkamer.msg_fixed_cost_no_payable',
                            cost=cost.rec_name,
                            supplier=cost.supplier.rec_name))
            else:
                company_id = cost.company.id
                if not config.get_multivalue(
                        'fixed_cost_journal', company=company_id):
                    raise UserError(gettext(
                            'buurtwerkkamer.msg_fixed_cost_no_journal',
                            cost=cost.rec_name))
                if not config.get_multivalue(
                        'fixed_cost_accrual_account', company=company_id):
                    raise UserError(gettext(
                            'buurtwerkkamer.'
                            'msg_fixed_cost_no_accrual_account',
                            cost=cost.rec_name))

    def _period_description(self, date):
        pool = Pool()
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        if self.interval == 'monthly':
            period = lang.strftime(date, '%B %Y')
        else:
            end = date + relativedelta(
                months=INTERVALS[self.interval], days=-1)
            period = '%s - %s' % (lang.strftime(date), lang.strftime(end))
        return '%s %s' % (self.description, period)

    def _get_analytic_entries(self):
        pool = Pool()
        Entry = pool.get('analytic.account.entry')
        account = self.room.analytic_account
        return [Entry(root=account.root, account=account)]

    def _get_invoice(self, date):
        pool = Pool()
        Invoice = pool.get('account.invoice')
        Line = pool.get('account.invoice.line')
        invoice = Invoice(
            type='in', company=self.company, party=self.supplier,
            invoice_date=date, currency=self.company.currency)
        invoice.on_change_type()
        invoice.on_change_party()
        invoice.description = self._period_description(date)
        line = Line(
            type='line', invoice=invoice, company=self.company,
            currency=self.company.currency, account=self.account,
            quantity=1, unit_price=self.amount,
            description=invoice.description,
            analytic_accounts=self._get_analytic_entries())
        line.on_change_account()
        line.unit_price = self.amount
        invoice.lines = [line]
        return invoice

    def _get_move(self, date, period):
        pool = Pool()
        Configuration = pool.get('buurtwerkkamer.configuration')
        Move = pool.get('account.move')
        MoveLine = pool.get('account.move.line')
        AnalyticLine = pool.get('analytic_account.line')
        config = Configuration(1)
        journal = config.get_multivalue(
            'fixed_cost_journal', company=self.company.id)
        accrual = config.get_multivalue(
            'fixed_cost_accrual_account', company=self.company.id)
        description = self._period_description(date)
        amount = self.amount
        expense = MoveLine(
            account=self.account, debit=amount, credit=0,
            description=description,
            analytic_lines=[AnalyticLine(
                    account=self.room.analytic_account,
                    debit=amount, credit=0, date=date)])
        if self.account.party_required:
            expense.party = self.supplier
        liability = MoveLine(
            account=accrual, debit=0, credit=amount,
            description=description)
        if accrual.party_required:
            liability.party = self.supplier
        return Move(
            company=self.company, journal=journal, period=period,
            date=date, origin=self, description=description,
            lines=[expense, liability])


class FixedCostPeriod(
        ServerFieldsMixin, RecordAccessMixin, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.fixed_cost.period'

    fixed_cost = fields.Many2One(
        'buurtwerkkamer.fixed_cost', "Fixed Cost", required=True,
        ondelete='RESTRICT')
    date = fields.Date(
        "Date", required=True,
        help="The first day of the period.")
    invoice = fields.Many2One(
        'account.invoice', "Invoice", readonly=True, ondelete='RESTRICT')
    move = fields.Many2One(
        'account.move', "Move", readonly=True, ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('fixed_cost')
        t = cls.__table__()
        cls._sql_constraints += [
            ('fixed_cost_date_unique', Unique(t, t.fixed_cost, t.date),
                'buurtwerkkamer.msg_fixed_cost_period_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.date, Index.Range())))
        cls._order = [
            ('date', 'DESC'),
            ('id', 'DESC'),
            ]

    def get_rec_name(self, name):
        return '%s %s' % (self.fixed_cost.rec_name, self.date)

    @classmethod
    def check_modification(cls, mode, periods, values=None, external=False):
        super().check_modification(
            mode, periods, values=values, external=external)
        if mode in {'write', 'delete'}:
            # A period removed or moved would be booked a second time
            for period in periods:
                if period.invoice or period.move:
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_fixed_cost_period_booked',
                            period=period.rec_name))


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['buurtwerkkamer.fixed_cost']
