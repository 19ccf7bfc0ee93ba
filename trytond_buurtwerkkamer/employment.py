# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import calendar
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sql.aggregate import Max

from trytond import backend
from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.company.model import CompanyValueMixin
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .access import RecordAccessMixin
from .ir import company_cron
from .server_fields import ServerFieldsMixin


class Configuration(metaclass=PoolMeta):
    __name__ = 'buurtwerkkamer.configuration'

    staff_cost_journal = fields.MultiValue(fields.Many2One(
            'account.journal', "Staff Cost Journal",
            domain=[
                ('type', '=', 'general'),
                ],
            help="The journal of the monthly staff cost accruals."))
    staff_cost_account = fields.MultiValue(fields.Many2One(
            'account.account', "Staff Cost Account",
            domain=[
                ('type.expense', '=', True),
                ('closed', '!=', True),
                ('company', '=', Eval('context', {}).get('company', -1)),
                ],
            help="The expense account debited with the staff cost "
            "of every room."))
    staff_cost_payable_account = fields.MultiValue(fields.Many2One(
            'account.account', "Staff Cost Payable Account",
            domain=[
                ('closed', '!=', True),
                ('type.statement', '=', 'balance'),
                ('company', '=', Eval('context', {}).get('company', -1)),
                ],
            help="The accrued liability or payable account credited with "
            "the staff cost until the salary or the invoice is paid."))
    staff_fee_account = fields.MultiValue(fields.Many2One(
            'account.account', "Freelance Fee Account",
            domain=[
                ('type.expense', '=', True),
                ('closed', '!=', True),
                ('company', '=', Eval('context', {}).get('company', -1)),
                ],
            help="The expense account debited with the fees of the "
            "freelancers (ZZP) of every room, VAT included; "
            "salaries stay on the staff cost account."))
    staff_fee_payable_account = fields.MultiValue(fields.Many2One(
            'account.account', "Freelance Fee Payable Account",
            domain=[
                ('closed', '!=', True),
                ('type.statement', '=', 'balance'),
                ('company', '=', Eval('context', {}).get('company', -1)),
                ],
            help="The liability credited with the fees of the freelancers "
            "until their invoices are paid.\n"
            "Leave empty to use the staff cost payable account."))

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field in {'staff_cost_journal', 'staff_cost_account',
                'staff_cost_payable_account', 'staff_fee_account',
                'staff_fee_payable_account'}:
            return pool.get('buurtwerkkamer.configuration.employment')
        return super().multivalue_model(field)

    @classmethod
    def default_staff_cost_journal(cls, **pattern):
        return cls.multivalue_model(
            'staff_cost_journal').default_staff_cost_journal()


class ConfigurationEmployment(RecordAccessMixin, ModelSQL, CompanyValueMixin):
    __name__ = 'buurtwerkkamer.configuration.employment'

    staff_cost_journal = fields.Many2One(
        'account.journal', "Staff Cost Journal",
        domain=[
            ('type', '=', 'general'),
            ])
    staff_cost_account = fields.Many2One(
        'account.account', "Staff Cost Account",
        domain=[
            ('type.expense', '=', True),
            ('company', '=', Eval('company', -1)),
            ])
    staff_cost_payable_account = fields.Many2One(
        'account.account', "Staff Cost Payable Account",
        domain=[
            ('type.statement', '=', 'balance'),
            ('company', '=', Eval('company', -1)),
            ])
    staff_fee_account = fields.Many2One(
        'account.account', "Freelance Fee Account",
        domain=[
            ('type.expense', '=', True),
            ('company', '=', Eval('company', -1)),
            ])
    staff_fee_payable_account = fields.Many2One(
        'account.account', "Freelance Fee Payable Account",
        domain=[
            ('type.statement', '=', 'balance'),
            ('company', '=', Eval('company', -1)),
            ])

    @classmethod
    def default_staff_cost_journal(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('account', 'journal_miscellaneous')
        except KeyError:
            return None


class Employment(
        ServerFieldsMixin, RecordAccessMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.employment'

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={
            'readonly': _states['readonly'] | Eval('employee'),
            })
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states=_states)
    role = fields.Selection([
            ('team_coordinator', "Team Coordinator"),
            ('project_coach', "Project Coach"),
            ('other', "Other"),
            ], "Role", required=True, states=_states)
    role_string = role.translated('role')
    kind = fields.Selection([
            ('employment', "Employment Contract"),
            ('zzp', "Freelance (ZZP)"),
            ], "Kind", required=True, states=_states)
    hours = fields.Numeric(
        "Hours per Week", digits=(4, 2), required=True,
        domain=[
            ('hours', '>', 0),
            ('hours', '<=', 60),
            ],
        states=_states)
    monthly_cost = Monetary(
        "Monthly Cost", currency='currency', digits='currency',
        domain=[
            If(Bool(Eval('monthly_cost')), ('monthly_cost', '>', 0), ()),
            ],
        states={
            'readonly': _states['readonly'],
            'required': Eval('kind') == 'employment',
            'invisible': Eval('kind') != 'employment',
            },
        help="The total cost for the cooperative per month: "
        "gross salary, holiday allowance and employer's charges.")
    hourly_rate = Monetary(
        "Hourly Rate", currency='currency', digits='currency',
        domain=[
            If(Bool(Eval('hourly_rate')), ('hourly_rate', '>', 0), ()),
            ],
        states={
            'readonly': _states['readonly'],
            'required': Eval('kind') == 'zzp',
            'invisible': Eval('kind') != 'zzp',
            },
        help="The rate per hour invoiced by the freelancer, "
        "without VAT.")
    vat_rate = fields.Numeric(
        "VAT Rate", digits=(3, 4),
        domain=[
            If(Eval('kind') == 'zzp',
                [('vat_rate', '>=', 0), ('vat_rate', '<=', 1)],
                []),
            ],
        states={
            'readonly': Eval('state') == 'ended',
            'required': Eval('kind') == 'zzp',
            'invisible': Eval('kind') != 'zzp',
            },
        help="The VAT the freelancer charges on the fee.\n"
        "The cooperative is exempt from VAT and cannot reclaim it, "
        "so it is part of the cost. "
        "Zero for a freelancer who charges no VAT.")
    monthly_amount = fields.Function(Monetary(
            "Monthly Amount", currency='currency', digits='currency',
            help="What a full month costs: the monthly cost, or the hourly "
            "rate times the hours per week times 52 weeks divided by "
            "12 months, plus the VAT of the freelancer."),
        'on_change_with_monthly_amount')
    start_date = fields.Date(
        "Start Date", required=True, states=_states)
    end_date = fields.Date(
        "End Date",
        domain=[
            If(Bool(Eval('start_date')) & Bool(Eval('end_date')),
                ('end_date', '>=', Eval('start_date')),
                ()),
            ],
        states={
            'readonly': Eval('state') == 'ended',
            'required': Eval('state') == 'ended',
            })
    allocations = fields.One2Many(
        'buurtwerkkamer.employment.allocation', 'employment', "Allocations",
        states=_states,
        help="How the cost is spread over the rooms, in percentages "
        "that sum to 100.")
    costs = fields.One2Many(
        'buurtwerkkamer.employment.cost', 'employment', "Monthly Costs",
        readonly=True)
    notes = fields.Text("Notes")
    state = fields.Selection([
            ('draft', "Draft"),
            ('running', "Running"),
            ('ended', "Ended"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __register__(cls, module_name):
        table_h = cls.__table_handler__(module_name)
        vat_rate_exists = table_h.column_exist('vat_rate')

        super().__register__(module_name)

        # Migration from 8.0.0: the fee of a freelancer includes the VAT
        # that the exempt cooperative cannot reclaim
        if not vat_rate_exists:
            table = cls.__table__()
            cursor = Transaction().connection.cursor()
            cursor.execute(*table.update(
                    [table.vat_rate], [cls.default_vat_rate()],
                    where=table.kind == 'zzp'))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.state, Index.Equality(cardinality='low'))))
        cls._order = [
            ('start_date', 'DESC'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'running'),
            ('running', 'ended'),
            }
        cls._buttons.update({
                'run': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'end': {
                    'invisible': Eval('state') != 'running',
                    'icon': 'tryton-close',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_kind(cls):
        return 'employment'

    @classmethod
    def default_vat_rate(cls):
        return Decimal('0.21')

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends(
        'kind', 'monthly_cost', 'hourly_rate', 'hours', 'vat_rate',
        'currency')
    def on_change_with_monthly_amount(self, name=None):
        if self.kind == 'employment':
            amount = self.monthly_cost
        elif self.kind == 'zzp' and self.hourly_rate and self.hours:
            amount = (self.hourly_rate * self.hours * 52 / 12
                * (1 + (self.vat_rate or 0)))
        else:
            amount = None
        if amount is not None and self.currency:
            amount = self.currency.round(amount)
        return amount

    def get_rec_name(self, name):
        return '%s (%s)' % (self.employee.rec_name, self.role_string)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('employee.rec_name', *clause[1:])]

    @classmethod
    def check_modification(
            cls, mode, employments, values=None, external=False):
        super().check_modification(
            mode, employments, values=values, external=external)
        if mode == 'delete':
            for employment in employments:
                if employment.state != 'draft':
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_employment_delete',
                            employment=employment.rec_name))
        elif mode == 'write':
            for employment in employments:
                if employment.state == 'draft':
                    continue
                modifiable = {'notes', 'state'}
                if employment.state == 'running':
                    # A freelancer may start or stop charging VAT
                    modifiable |= {'end_date', 'vat_rate'}
                if values.keys() - modifiable:
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_employment_modify',
                            employment=employment.rec_name))

    @classmethod
    def validate_fields(cls, employments, field_names):
        super().validate_fields(employments, field_names)
        cls.check_staff_fixed_cost(employments, field_names)

    @classmethod
    def check_staff_fixed_cost(cls, employments, field_names=None):
        """Refuse an employment for a person and period that a fixed cost
        of salaries and fees covers: its cost would be booked twice"""
        pool = Pool()
        FixedCost = pool.get('buurtwerkkamer.fixed_cost')
        Lang = pool.get('ir.lang')
        if field_names and not (field_names & {
                    'employee', 'start_date', 'end_date'}):
            return
        costs = defaultdict(list)
        for sub_employments in grouped_slice(
                employments, backend.MAX_QUERY_PARAMS):
            for cost in FixedCost.search([
                        ('kind', '=', 'staff'),
                        ('employee', 'in',
                            list({e.employee.id for e in sub_employments})),
                        ], order=[]):
                costs[cost.employee].append(cost)
        lang = Lang.get()
        for employment in employments:
            end = employment.end_date or dt.date.max
            for cost in costs[employment.employee]:
                if (cost.start_date <= end
                        and employment.start_date <= (
                            cost.coverage_end() or dt.date.max)):
                    raise ValidationError(gettext(
                            'buurtwerkkamer.msg_employment_staff_fixed_cost',
                            employment=employment.rec_name,
                            cost=cost.rec_name,
                            start=lang.strftime(cost.start_date)))

    def check_allocations(self):
        total = sum(a.percentage or 0 for a in self.allocations)
        if total != 100:
            raise ValidationError(gettext(
                    'buurtwerkkamer.msg_employment_allocation_total',
                    employment=self.rec_name,
                    total=total))

    @classmethod
    @ModelView.button
    @Workflow.transition('running')
    def run(cls, employments):
        for employment in employments:
            employment.check_allocations()

    @classmethod
    @ModelView.button
    @Workflow.transition('ended')
    def end(cls, employments):
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        cls.write([e for e in employments if not e.end_date], {
                'end_date': today,
                })

    def get_month_amount(self, date):
        "Return the cost of the month of date, pro rata the days employed"
        first = date.replace(day=1)
        last = first + relativedelta(day=31)
        start = max(first, self.start_date)
        end = min(last, self.end_date or last)
        if start > end or not self.monthly_amount:
            return Decimal(0)
        days = (end - start).days + 1
        month_days = calendar.monthrange(first.year, first.month)[1]
        amount = self.monthly_amount
        if days != month_days:
            amount = amount * days / month_days
        return self.currency.round(amount)

    def get_room_amounts(self, amount):
        """Return the list of (room, amount) of the allocations.
        The amounts sum exactly to amount: the rounding difference goes to
        the largest share."""
        shares = []
        for allocation in self.allocations:
            shares.append([
                    allocation.room,
                    self.currency.round(
                        amount * allocation.percentage / 100),
                    allocation.percentage])
        if shares:
            difference = amount - sum(s[1] for s in shares)
            if difference:
                largest = max(
                    range(len(shares)), key=lambda i: (shares[i][2], -i))
                shares[largest][1] += difference
        return [(room, amount) for room, amount, _ in shares]

    @classmethod
    def accrue(cls, date, employments=None):
        """Accrue the staff cost of the month of date for the employments.
        An employment is accrued at most once per month: running it again
        changes nothing.
        Return the created costs."""
        pool = Pool()
        Cost = pool.get('buurtwerkkamer.employment.cost')
        Move = pool.get('account.move')
        first = date.replace(day=1)
        last = first + relativedelta(day=31)
        if employments is None:
            domain = [
                ('state', 'in', ['running', 'ended']),
                ('start_date', '<=', last),
                ['OR',
                    ('end_date', '=', None),
                    ('end_date', '>=', first),
                    ],
                ]
            if company_id := Transaction().context.get('company'):
                domain.append(('company', '=', company_id))
            employments = cls.search(domain)
        else:
            employments = [
                e for e in employments if e.state in {'running', 'ended'}]
        if not employments:
            return []
        cls.lock(employments)
        accrued = {c.employment for c in Cost.search([
                    ('employment', 'in', [e.id for e in employments]),
                    ('date', '=', first),
                    ])}
        costs = []
        for employment in employments:
            if employment in accrued:
                continue
            amount = employment.get_month_amount(first)
            if not amount:
                continue
            costs.append(Cost(
                    employment=employment, date=first, amount=amount))
        if not costs:
            return []
        accounts = {}
        for cost in costs:
            key = (cost.employment.company, cost.employment.kind)
            if key not in accounts:
                accounts[key] = Cost.get_accounts(*key)
        Cost.save(costs)
        moves = []
        for cost in costs:
            key = (cost.employment.company, cost.employment.kind)
            moves.append(cost.get_move(*accounts[key]))
        Move.save(moves)
        for cost, move in zip(costs, moves):
            cost.move = move
        Cost.save(costs)
        Move.post(moves)
        return costs

    @classmethod
    @company_cron
    def accrue_previous_month(cls):
        """Accrue the staff cost of the previous month and of the months the
        scheduler missed since the last accrued month (for the cron)"""
        pool = Pool()
        Date = pool.get('ir.date')
        Cost = pool.get('buurtwerkkamer.employment.cost')
        cost = Cost.__table__()
        employment = cls.__table__()
        cursor = Transaction().connection.cursor()

        previous = (Date.today() - relativedelta(months=1)).replace(day=1)
        cursor.execute(*cost.join(
                employment, condition=cost.employment == employment.id
                ).select(Max(cost.date),
                where=employment.company == Transaction().context['company']))
        last, = cursor.fetchone()
        if isinstance(last, str):
            last = dt.date.fromisoformat(last)
        month = min(last + relativedelta(months=1), previous) if last else (
            previous)
        costs = []
        while month <= previous:
            costs.extend(cls.accrue(month))
            month += relativedelta(months=1)
        return costs


class EmploymentAllocation(RecordAccessMixin, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.employment.allocation'

    employment = fields.Many2One(
        'buurtwerkkamer.employment', "Employment", required=True,
        ondelete='CASCADE')
    company = fields.Function(
        fields.Many2One('company.company', "Company"),
        'on_change_with_company')
    room = fields.Many2One(
        'buurtwerkkamer.room', "Room", required=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    percentage = fields.Numeric(
        "Percentage", digits=(5, 2), required=True,
        domain=[
            ('percentage', '>', 0),
            ('percentage', '<=', 100),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('employment')
        t = cls.__table__()
        cls._sql_constraints = [
            ('employment_room_unique', Unique(t, t.employment, t.room),
                'buurtwerkkamer.msg_employment_allocation_room_unique'),
            ]
        cls._order = [
            ('employment', 'ASC'),
            ('percentage', 'DESC'),
            ('id', 'ASC'),
            ]

    @fields.depends('employment', '_parent_employment.company')
    def on_change_with_company(self, name=None):
        return self.employment.company if self.employment else None

    def get_rec_name(self, name):
        return '%s %s%%' % (self.room.rec_name, self.percentage)

    @classmethod
    def check_modification(
            cls, mode, allocations, values=None, external=False):
        super().check_modification(
            mode, allocations, values=values, external=external)
        for allocation in allocations:
            if allocation.employment.state != 'draft':
                raise AccessError(gettext(
                        'buurtwerkkamer.msg_employment_allocation_modify',
                        employment=allocation.employment.rec_name))


class EmploymentCost(
        ServerFieldsMixin, RecordAccessMixin, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.employment.cost'

    employment = fields.Many2One(
        'buurtwerkkamer.employment', "Employment", required=True,
        ondelete='RESTRICT', readonly=True)
    company = fields.Function(
        fields.Many2One('company.company', "Company"),
        'on_change_with_company')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    date = fields.Date(
        "Month", required=True, readonly=True,
        help="The first day of the month.")
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        readonly=True)
    move = fields.Many2One(
        'account.move', "Move", readonly=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('employment')
        t = cls.__table__()
        cls._sql_constraints = [
            ('employment_date_unique', Unique(t, t.employment, t.date),
                'buurtwerkkamer.msg_employment_cost_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.date, Index.Range())))
        cls._order = [
            ('date', 'DESC'),
            ('id', 'DESC'),
            ]

    @fields.depends('employment', '_parent_employment.company')
    def on_change_with_company(self, name=None):
        return self.employment.company if self.employment else None

    @fields.depends('employment', '_parent_employment.company')
    def on_change_with_currency(self, name=None):
        if self.employment and self.employment.company:
            return self.employment.company.currency

    def get_rec_name(self, name):
        return '%s %s' % (
            self.employment.rec_name, self.date.strftime('%Y-%m'))

    @classmethod
    def check_modification(cls, mode, costs, values=None, external=False):
        super().check_modification(
            mode, costs, values=values, external=external)
        if mode == 'delete':
            for cost in costs:
                if cost.move and cost.move.state == 'posted':
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_employment_cost_delete',
                            cost=cost.rec_name))

    @classmethod
    def get_accounts(cls, company, kind='employment'):
        """Return the journal, expense and payable account of the company
        for the kind of employment: the fees of freelancers are booked on
        their own account, apart from the salaries"""
        pool = Pool()
        Configuration = pool.get('buurtwerkkamer.configuration')
        config = Configuration(1)
        pattern = {'company': company.id}
        journal = config.get_multivalue('staff_cost_journal', **pattern)
        expense = config.get_multivalue('staff_cost_account', **pattern)
        payable = config.get_multivalue(
            'staff_cost_payable_account', **pattern)
        if not journal or not expense or not payable:
            raise UserError(gettext(
                    'buurtwerkkamer.msg_employment_no_configuration',
                    company=company.rec_name))
        if kind == 'zzp':
            expense = config.get_multivalue('staff_fee_account', **pattern)
            if not expense:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_employment_no_fee_account',
                        company=company.rec_name))
            payable = config.get_multivalue(
                'staff_fee_payable_account', **pattern) or payable
        return journal, expense, payable

    def get_move(self, journal, expense, payable):
        "Return the accrual move of the cost"
        pool = Pool()
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        AnalyticLine = pool.get('analytic_account.line')
        Period = pool.get('account.period')

        employment = self.employment
        company = employment.company
        date = self.date + relativedelta(day=31)
        description = gettext(
            'buurtwerkkamer.msg_employment_cost_description',
            employee=employment.employee.rec_name,
            month=self.date.strftime('%Y-%m'))

        lines = []
        for room, amount in employment.get_room_amounts(self.amount):
            if not room.analytic_account:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_employment_room_no_analytic',
                        room=room.rec_name))
            debit, credit = (amount, 0) if amount >= 0 else (0, -amount)
            lines.append(Line(
                    account=expense,
                    debit=debit,
                    credit=credit,
                    description=room.rec_name,
                    analytic_lines=[AnalyticLine(
                            account=room.analytic_account,
                            debit=debit,
                            credit=credit,
                            date=date)]))
        debit, credit = (
            (0, self.amount) if self.amount >= 0 else (-self.amount, 0))
        lines.append(Line(
                account=payable,
                debit=debit,
                credit=credit,
                party=(employment.employee.party
                    if payable.party_required else None)))
        return Move(
            company=company,
            journal=journal,
            period=Period.find(company, date=date),
            date=date,
            description=description,
            origin=self,
            lines=lines)


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['buurtwerkkamer.employment.cost']


class AccrueStaffCost(Wizard):
    __name__ = 'buurtwerkkamer.employment.accrue'
    start = StateView(
        'buurtwerkkamer.employment.accrue.start',
        'buurtwerkkamer.employment_accrue_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Accrue", 'accrue', 'tryton-ok', default=True),
            ])
    accrue = StateTransition()

    def transition_accrue(self):
        pool = Pool()
        Employment = pool.get('buurtwerkkamer.employment')
        with Transaction().set_context(company=self.start.company.id):
            Employment.accrue(self.start.month)
        return 'end'


class AccrueStaffCostStart(ModelView):
    __name__ = 'buurtwerkkamer.employment.accrue.start'

    company = fields.Many2One('company.company', "Company", required=True)
    month = fields.Date(
        "Month", required=True,
        help="Any day of the month whose staff cost is accrued.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_month(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        return (Date.today() - relativedelta(months=1)).replace(day=1)
