# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import calendar
import datetime as dt
import hashlib
import json
import logging
from collections import defaultdict
from decimal import Decimal

from dateutil.easter import easter
from sql import Literal, Union
from sql.aggregate import Max, Sum
from sql.conditionals import Case
from sql.functions import CurrentTimestamp

from trytond import backend
from trytond.exceptions import UserError, UserWarning
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.company.model import (
    CompanyMultiValueMixin, CompanyValueMixin)
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, If
from trytond.report import Report
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from .access import RecordAccessMixin
from .document import DocumentMixin
from .ir import company_cron
from .server_fields import ServerFieldsMixin

logger = logging.getLogger(__name__)

HANDGELD_RULES = [
    ('topup', "Top-up"),
    ('fixed', "Fixed"),
    ]
DEFAULT_CAP = Decimal('250.00')
# The most a cap may be: handgeld is petty cash
MAX_CAP = Decimal('1000.00')


def first_day(date):
    return date.replace(day=1)


def last_day(date):
    return date.replace(day=calendar.monthrange(date.year, date.month)[1])


def next_month(date):
    return last_day(date) + dt.timedelta(days=1)


def bank_holidays(year):
    "Return the days of the year on which the SEPA payment system is closed"
    easter_sunday = easter(year)
    return {
        dt.date(year, 1, 1),
        easter_sunday - dt.timedelta(days=2),
        easter_sunday + dt.timedelta(days=1),
        dt.date(year, 5, 1),
        dt.date(year, 12, 25),
        dt.date(year, 12, 26),
        }


def next_business_day(date):
    "Return date if the banks execute transfers on it, else the next such day"
    while date.weekday() >= 5 or date in bank_holidays(date.year):
        date += dt.timedelta(days=1)
    return date


def iban_number(bank_account):
    "Return the IBAN number of the bank account"
    for number in bank_account.numbers:
        if number.type == 'iban':
            return number


class Configuration(metaclass=PoolMeta):
    __name__ = 'buurtwerkkamer.configuration'

    handgeld_cap = fields.MultiValue(fields.Numeric(
            "Handgeld Cap", digits=(16, 2),
            domain=[
                If(Bool(Eval('handgeld_cap')),
                    ('handgeld_cap', '>', 0), ()),
                ],
            help="The most handgeld a room may receive and spend in a month."))
    handgeld_journal = fields.MultiValue(fields.Many2One(
            'account.journal', "Handgeld Journal",
            domain=[
                ('type', '=', 'general'),
                ],
            help="The journal of the handgeld transfers and expenses."))
    handgeld_account = fields.MultiValue(fields.Many2One(
            'account.account', "Handgeld at Team Leaders",
            domain=[
                ('closed', '!=', True),
                ('type', '!=', None),
                ('type.statement', '=', 'balance'),
                ('party_required', '=', True),
                ('company', '=', Eval('context', {}).get('company', -1)),
                ],
            help="The asset account of the cash held by the team leaders, "
            "per team leader as party."))
    handgeld_payable_account = fields.MultiValue(fields.Many2One(
            'account.account', "Handgeld Payable",
            domain=[
                ('closed', '!=', True),
                ('type.payable', '=', True),
                ('party_required', '=', True),
                ('company', '=', Eval('context', {}).get('company', -1)),
                ],
            help="The account of the handgeld the treasurer still has to "
            "transfer to the team leaders."))
    handgeld_payment_journal = fields.MultiValue(fields.Many2One(
            'account.payment.journal', "Handgeld Payment Journal",
            domain=[
                ('company', '=', Eval('context', {}).get('company', -1)),
                ],
            help="The payment journal of the transfers to the business "
            "accounts of the team leaders."))
    handgeld_return_account = fields.MultiValue(fields.Many2One(
            'account.account', "Handgeld Return Account",
            domain=[
                ('closed', '!=', True),
                ('type', '!=', None),
                ('company', '=', Eval('context', {}).get('company', -1)),
                ],
            help="The account debited when a team leader returns the "
            "handgeld to the cooperative's bank account."))
    handgeld_difference_account = fields.MultiValue(fields.Many2One(
            'account.account', "Handgeld Cash Differences",
            domain=[
                ('closed', '!=', True),
                ('type', '!=', None),
                ('company', '=', Eval('context', {}).get('company', -1)),
                ],
            help="The account of the shortages and surpluses that the "
            "kascommissie finds at a count of the handgeld."))

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field in {
                'handgeld_cap', 'handgeld_journal', 'handgeld_account',
                'handgeld_payable_account', 'handgeld_payment_journal',
                'handgeld_return_account', 'handgeld_difference_account'}:
            return pool.get('buurtwerkkamer.configuration.handgeld')
        return super().multivalue_model(field)

    @classmethod
    def default_handgeld_cap(cls, **pattern):
        return cls.multivalue_model(
            'handgeld_cap').default_handgeld_cap()

    def get_handgeld_cap(self, company):
        "Return the monthly cap of the company"
        cap = self.get_multivalue('handgeld_cap', company=company.id)
        return cap if cap is not None else DEFAULT_CAP


class ConfigurationHandgeld(RecordAccessMixin, ModelSQL, CompanyValueMixin):
    __name__ = 'buurtwerkkamer.configuration.handgeld'

    handgeld_cap = fields.Numeric("Handgeld Cap", digits=(16, 2))
    handgeld_journal = fields.Many2One(
        'account.journal', "Handgeld Journal",
        domain=[
            ('type', '=', 'general'),
            ])
    handgeld_account = fields.Many2One(
        'account.account', "Handgeld at Team Leaders",
        domain=[
            ('closed', '!=', True),
            ('party_required', '=', True),
            ('company', '=', Eval('company', -1)),
            ])
    handgeld_payable_account = fields.Many2One(
        'account.account', "Handgeld Payable",
        domain=[
            ('closed', '!=', True),
            ('type.payable', '=', True),
            ('party_required', '=', True),
            ('company', '=', Eval('company', -1)),
            ])
    handgeld_payment_journal = fields.Many2One(
        'account.payment.journal', "Handgeld Payment Journal",
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    handgeld_return_account = fields.Many2One(
        'account.account', "Handgeld Return Account",
        domain=[
            ('closed', '!=', True),
            ('type', '!=', None),
            ('company', '=', Eval('company', -1)),
            ])
    handgeld_difference_account = fields.Many2One(
        'account.account', "Handgeld Cash Differences",
        domain=[
            ('closed', '!=', True),
            ('type', '!=', None),
            ('company', '=', Eval('company', -1)),
            ])

    @classmethod
    def default_handgeld_cap(cls):
        return DEFAULT_CAP

    @classmethod
    def validate_fields(cls, values, field_names):
        super().validate_fields(values, field_names)
        cls.check_handgeld_cap(values, field_names)

    @classmethod
    def check_handgeld_cap(cls, values, field_names=None):
        pool = Pool()
        Lang = pool.get('ir.lang')
        if field_names and 'handgeld_cap' not in field_names:
            return
        lang = Lang.get()
        for value in values:
            cap = value.handgeld_cap
            if cap is not None and not (0 <= cap <= MAX_CAP):
                company = value.company
                raise ValidationError(gettext(
                        'buurtwerkkamer.msg_handgeld_cap_range',
                        company=company.rec_name if company else '',
                        cap=lang.format_number(cap, digits=2),
                        maximum=lang.format_number(MAX_CAP, digits=2)))


class Room(metaclass=PoolMeta):
    __name__ = 'buurtwerkkamer.room'

    handgeld_amount = Monetary(
        "Monthly Handgeld", currency='currency', digits='currency',
        required=True,
        states={
            'readonly': Eval('state') == 'closed',
            },
        help="The handgeld the room receives each month, "
        "at most the cap of the cooperative.")
    handgeld_rule = fields.Selection(
        HANDGELD_RULES, "Handgeld Rule", required=True,
        states={
            'readonly': Eval('state') == 'closed',
            },
        help="Top-up: each month the team leader receives what brings the "
        "cash on hand back to the monthly amount.\n"
        "Fixed: each month the team leader receives the monthly amount, "
        "as far as the cash on hand stays within the cap.")
    handgeld_periods = fields.One2Many(
        'buurtwerkkamer.handgeld.period', 'room', "Handgeld Months",
        readonly=True)
    handgeld_on_hand = fields.Function(Monetary(
            "Handgeld on Hand", currency='currency', digits='currency',
            help="The handgeld the team leader holds for the room: the "
            "posted entries of the handgeld account minus the expenses not "
            "yet posted."),
        'get_handgeld_floats')
    handgeld_to_settle = fields.Function(Monetary(
            "Handgeld to Settle", currency='currency', digits='currency',
            help="The handgeld that former team leaders still hold for the "
            "room, to settle with \"Settle Handgeld\"."),
        'get_handgeld_floats')

    @classmethod
    def default_handgeld_amount(cls):
        pool = Pool()
        Configuration = pool.get('buurtwerkkamer.configuration')
        Company = pool.get('company.company')
        company = cls.default_company()
        if company is not None and company >= 0:
            return Configuration(1).get_handgeld_cap(Company(company))
        return DEFAULT_CAP

    @classmethod
    def default_handgeld_rule(cls):
        return 'topup'

    @classmethod
    def handgeld_floats(cls, rooms):
        """Return the ledger balance and the expenses not posted of the
        holders of the rooms: {room id: {party id: (ledger, unposted)}}"""
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        movements = Period.float_movements(rooms)
        floats = defaultdict(dict)
        for (room_id, party_id), entries in movements.items():
            ledger, unposted = Period.float_at(entries)
            if ledger or unposted:
                floats[room_id][party_id] = (ledger, unposted)
        return floats

    @classmethod
    def get_handgeld_floats(cls, rooms, names):
        floats = cls.handgeld_floats(rooms)
        result = {n: {} for n in names}
        for room in rooms:
            holder = room.team_leader.party.id if room.team_leader else None
            on_hand = to_settle = Decimal(0)
            for party_id, (ledger, unposted) in floats[room.id].items():
                if party_id == holder:
                    on_hand += ledger - unposted
                else:
                    to_settle += ledger - unposted
            currency = room.company.currency
            if 'handgeld_on_hand' in result:
                result['handgeld_on_hand'][room.id] = currency.round(on_hand)
            if 'handgeld_to_settle' in result:
                result['handgeld_to_settle'][room.id] = currency.round(
                    to_settle)
        return result

    @classmethod
    def close(cls, rooms):
        cls.check_handgeld_settled(rooms)
        super().close(rooms)

    @classmethod
    def check_handgeld_settled(cls, rooms):
        "Refuse to close a room while a holder still holds its handgeld"
        pool = Pool()
        Lang = pool.get('ir.lang')
        Party = pool.get('party.party')
        floats = cls.handgeld_floats(rooms)
        lang = Lang.get()
        for room in rooms:
            for party_id, (ledger, unposted) in sorted(
                    floats[room.id].items()):
                if ledger or unposted:
                    raise UserError(gettext(
                            'buurtwerkkamer.msg_handgeld_room_close_float',
                            room=room.rec_name,
                            holder=Party(party_id).rec_name,
                            amount=lang.currency(
                                ledger - unposted, room.company.currency)))

    @classmethod
    def copy(cls, rooms, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('handgeld_periods', None)
        return super().copy(rooms, default=default)

    @classmethod
    def validate_fields(cls, rooms, field_names):
        super().validate_fields(rooms, field_names)
        cls.check_handgeld_amount(rooms, field_names)

    @classmethod
    def check_handgeld_amount(cls, rooms, field_names=None):
        pool = Pool()
        Configuration = pool.get('buurtwerkkamer.configuration')
        Lang = pool.get('ir.lang')
        if field_names and 'handgeld_amount' not in field_names:
            return
        config = Configuration(1)
        lang = Lang.get()
        for room in rooms:
            cap = config.get_handgeld_cap(room.company)
            if room.handgeld_amount < 0 or room.handgeld_amount > cap:
                raise ValidationError(gettext(
                        'buurtwerkkamer.msg_handgeld_room_amount_cap',
                        room=room.rec_name,
                        amount=lang.currency(
                            room.handgeld_amount, room.company.currency),
                        cap=lang.currency(cap, room.company.currency)))


class Category(RecordAccessMixin,
        DeactivableMixin, ModelSQL, ModelView, CompanyMultiValueMixin):
    __name__ = 'buurtwerkkamer.handgeld.category'

    code = fields.Char("Code", required=True, strip=True, size=20)
    name = fields.Char("Name", required=True, translate=True, size=100)
    description = fields.Text(
        "Description", translate=True,
        help="What the category pays for.")
    account = fields.MultiValue(fields.Many2One(
            'account.account', "Expense Account",
            domain=[
                ('closed', '!=', True),
                ('type.expense', '=', True),
                ('company', '=', Eval('context', {}).get('company', -1)),
                ],
            help="The account charged with the expenses of the category."))
    accounts = fields.One2Many(
        'buurtwerkkamer.handgeld.category.account', 'category',
        "Accounts")

    @classmethod
    def __setup__(cls):
        cls.code.search_unaccented = False
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(t, t.code),
                'buurtwerkkamer.msg_handgeld_category_code_unique'),
            ]
        cls._order = [
            ('code', 'ASC'),
            ('id', 'ASC'),
            ]

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field == 'account':
            return pool.get('buurtwerkkamer.handgeld.category.account')
        return super().multivalue_model(field)

    def get_rec_name(self, name):
        return '%s - %s' % (self.code, self.name)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('code', operator, operand, *extra),
            ('name', operator, operand, *extra),
            ]

    def get_account(self, company):
        "Return the expense account of the category for the company"
        return self.get_multivalue('account', company=int(company))

    @classmethod
    def check_modification(cls, mode, categories, values=None, external=False):
        pool = Pool()
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        super().check_modification(
            mode, categories, values=values, external=external)
        if mode == 'delete' or (mode == 'write' and 'code' in values):
            for sub_categories in grouped_slice(
                    categories, backend.MAX_QUERY_PARAMS):
                with without_check_access():
                    expenses = Expense.search([
                            ('category', 'in', [c.id for c in sub_categories]),
                            ], limit=1)
                if expenses:
                    expense, = expenses
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_handgeld_category_used',
                            category=expense.category.rec_name))


class CategoryAccount(RecordAccessMixin, ModelSQL, CompanyValueMixin):
    __name__ = 'buurtwerkkamer.handgeld.category.account'

    category = fields.Many2One(
        'buurtwerkkamer.handgeld.category', "Category", ondelete='CASCADE',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    account = fields.Many2One(
        'account.account', "Expense Account",
        domain=[
            ('closed', '!=', True),
            ('type.expense', '=', True),
            ('company', '=', Eval('company', -1)),
            ])


class Period(
        ServerFieldsMixin, RecordAccessMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.handgeld.period'

    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    room = fields.Many2One(
        'buurtwerkkamer.room', "Room", required=True, readonly=True,
        ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    date = fields.Date(
        "Month", required=True, readonly=True,
        help="The first day of the month.")
    month = fields.Function(fields.Char("Month"), 'get_month')
    team_leader = fields.Many2One(
        'company.employee', "Team Leader", readonly=True,
        ondelete='RESTRICT',
        help="The team leader who receives and accounts for the handgeld.")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    allowance = Monetary(
        "Allowance", currency='currency', digits='currency',
        required=True, readonly=True,
        help="The most that may be spent in the month.")
    opening_balance = fields.Function(Monetary(
            "Opening Balance", currency='currency', digits='currency',
            help="The cash on hand at the start of the month, before the "
            "transfer: the posted entries of the handgeld account of the "
            "room and team leader minus the expenses not yet posted."),
        'get_balances')
    transfer_amount = Monetary(
        "Transfer", currency='currency', digits='currency',
        required=True, readonly=True,
        help="The amount transferred to the team leader for the month.")
    spent = Monetary(
        "Spent", currency='currency', digits='currency',
        required=True, readonly=True)
    remaining = fields.Function(Monetary(
            "Left to Spend", currency='currency', digits='currency',
            help="What may still be spent this month."),
        'get_remaining')
    other_entries = fields.Function(Monetary(
            "Other Entries", currency='currency', digits='currency',
            help="The entries of the month on the handgeld account of the "
            "room and team leader besides the transfer and the expenses: "
            "shortages, surpluses and settlements."),
        'get_balances')
    balance = fields.Function(Monetary(
            "Balance on Hand", currency='currency', digits='currency',
            help="The cash on hand after the expenses of the month: the "
            "posted entries of the handgeld account of the room and team "
            "leader minus the expenses not yet posted."),
        'get_balances')
    expenses = fields.One2Many(
        'buurtwerkkamer.handgeld.expense', 'period', "Expenses",
        states={
            'readonly': Eval('state') != 'open',
            })
    transfer_move = fields.Many2One(
        'account.move', "Transfer Move", readonly=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    payment = fields.Many2One(
        'account.payment', "Payment", readonly=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        help="The transfer of the month to the team leader's business "
        "account.")
    payment_state = fields.Function(fields.Selection(
            'get_payment_states', "Transfer State",
            help="Where the transfer of the month stands."),
        'get_payment_state', searcher='search_payment_state')
    expense_move = fields.Many2One(
        'account.move', "Expense Move", readonly=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    moves = fields.One2Many(
        'account.move', 'origin', "Moves", readonly=True,
        help="The entries of the month: the transfer, the expenses and "
        "their corrections.")
    state = fields.Selection([
            ('open', "Open"),
            ('submitted', "Submitted"),
            ('approved', "Approved"),
            ('posted', "Posted"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('room_date_unique', Unique(t, t.room, t.date),
                'buurtwerkkamer.msg_handgeld_period_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.date, Index.Range(order='DESC'))),
                Index(
                    t, (t.state, Index.Equality(cardinality='low')),
                    where=t.state.in_(['open', 'submitted', 'approved'])),
                })
        cls._order = [
            ('date', 'DESC'),
            ('room', 'ASC'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('open', 'submitted'),
            ('submitted', 'open'),
            ('submitted', 'approved'),
            ('approved', 'open'),
            ('approved', 'posted'),
            ('posted', 'open'),
            }
        cls._buttons.update({
                'submit': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': ~Eval('state').in_(['submitted', 'approved']),
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'submitted',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'post': {
                    'invisible': Eval('state') != 'approved',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'correct': {
                    'invisible': Eval('state') != 'posted',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def default_transfer_amount(cls):
        return Decimal(0)

    @classmethod
    def default_spent(cls):
        return Decimal(0)

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    def get_month(self, name):
        return self.date.strftime('%Y-%m') if self.date else None

    @property
    def end_date(self):
        return last_day(self.date)

    def get_rec_name(self, name):
        return '%s %s' % (self.room.rec_name, self.date.strftime('%Y-%m'))

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('room.rec_name', *clause[1:])]

    def get_remaining(self, name):
        return self.allowance - self.spent

    @fields.depends('expenses', 'spent')
    def _pending_spent(self):
        "Return the sum of the expenses as shown, saved or not"
        if self.expenses is None:
            return self.spent
        return sum(
            (e.amount or Decimal(0) for e in self.expenses), Decimal(0))

    @fields.depends(methods=['_pending_spent'])
    def on_change_with_spent(self, name=None):
        return self._pending_spent()

    @fields.depends('allowance', methods=['_pending_spent'])
    def on_change_with_remaining(self, name=None):
        if self.allowance is None:
            return
        spent = self._pending_spent()
        if spent is None:
            return
        return self.allowance - spent

    @classmethod
    def get_payment_states(cls):
        pool = Pool()
        Payment = pool.get('account.payment')
        return [(None, "")] + Payment.fields_get(
            ['state'])['state']['selection']

    @classmethod
    def get_payment_state(cls, periods, name):
        pool = Pool()
        Payment = pool.get('account.payment')
        payment_ids = [p.payment.id for p in periods if p.payment]
        # Team leaders may follow the transfer without reading payments
        with without_check_access():
            states = {p.id: p.state for p in Payment.browse(payment_ids)}
        return {p.id: states.get(p.payment.id) if p.payment else None
            for p in periods}

    @classmethod
    def search_payment_state(cls, name, clause):
        return [('payment.state', *clause[1:])]

    @property
    def transfer_date(self):
        "The requested execution date of the month's transfer"
        pool = Pool()
        Date = pool.get('ir.date')
        with Transaction().set_context(company=self.company.id):
            today = Date.today()
        return next_business_day(max(self.date, today))

    @classmethod
    def float_movements(cls, rooms):
        """Return the movements of the handgeld floats of the rooms by room
        and holder: {(room id, party id): [(date, kind, amount)]}

        kind 'posted' is the balance of the posted lines of the handgeld
        account of the date; kind 'unposted' the expenses of a month whose
        expense entry is not posted, at the first day of the month.
        One query for all the rooms (per slice of the database's limit)."""
        pool = Pool()
        Configuration = pool.get('buurtwerkkamer.configuration')
        Line = pool.get('account.move.line')
        Move = pool.get('account.move')
        Employee = pool.get('company.employee')
        line = Line.__table__()
        move = Move.__table__()
        period = cls.__table__()
        employee = Employee.__table__()
        cursor = Transaction().connection.cursor()

        config = Configuration(1)
        accounts = set()
        for company in {r.company for r in rooms}:
            account = config.get_multivalue(
                'handgeld_account', company=company.id)
            if account:
                accounts.add(account.id)
        in_ = fields.SQL_OPERATORS['in']
        movements = defaultdict(list)
        room_ids = sorted({r.id for r in rooms})
        in_max = backend.MAX_QUERY_PARAMS - len(accounts) - 2
        for sub_rooms in grouped_slice(room_ids, max(in_max // 2, 1)):
            sub_rooms = list(sub_rooms)
            query = period.join(employee,
                condition=period.team_leader == employee.id
                ).select(
                    period.room, employee.party, period.date,
                    Literal(0).as_('kind'), Sum(period.spent).as_('amount'),
                    where=in_(period.room, sub_rooms)
                    & (period.state != 'posted')
                    & (period.spent != 0),
                    group_by=[period.room, employee.party, period.date])
            if accounts:
                query = Union(line.join(move,
                        condition=line.move == move.id
                        ).select(
                            line.room, line.party, move.date,
                            Literal(1).as_('kind'),
                            Sum(line.debit - line.credit).as_('amount'),
                            where=in_(line.room, sub_rooms)
                            & in_(line.account, list(accounts))
                            & (move.state == 'posted'),
                            group_by=[line.room, line.party, move.date]),
                    query, all_=True)
            cursor.execute(*query)
            for room_id, party_id, date, kind, amount in cursor:
                if isinstance(date, str):
                    date = dt.date.fromisoformat(date)
                movements[room_id, party_id].append((
                        date, 'posted' if kind else 'unposted',
                        Decimal(str(amount or 0))))
        return movements

    @staticmethod
    def float_at(movements, date=None, before=False):
        """Return the ledger balance and the expenses not posted of the
        movements up to date (included unless before)"""
        ledger = unposted = Decimal(0)
        for mdate, kind, amount in movements:
            if date is not None and (
                    mdate >= date if before else mdate > date):
                continue
            if kind == 'posted':
                ledger += amount
            else:
                unposted += amount
        return ledger, unposted

    @classmethod
    def get_balances(cls, periods, names):
        """Compute the cash on hand of the months from the posted lines of
        the handgeld account of the room and team leader and the expenses
        not yet posted"""
        movements = cls.float_movements({p.room for p in periods})
        result = {n: {} for n in names}
        for period in periods:
            currency = period.currency
            party = period.team_leader.party.id if period.team_leader else None
            entries = movements.get((period.room.id, party), [])
            ledger, unposted = cls.float_at(entries, period.date, before=True)
            opening = currency.round(ledger - unposted)
            ledger, unposted = cls.float_at(entries, period.end_date)
            closing = currency.round(ledger - unposted)
            values = {
                'opening_balance': opening,
                'balance': closing,
                'other_entries': currency.round(
                    closing - opening - period.transfer_amount
                    + period.spent),
                }
            for name in names:
                result[name][period.id] = values[name]
        return result

    @classmethod
    def copy(cls, periods, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('expenses', None)
        default.setdefault('transfer_amount', Decimal(0))
        default.setdefault('spent', Decimal(0))
        default.setdefault('transfer_move', None)
        default.setdefault('payment', None)
        default.setdefault('expense_move', None)
        default.setdefault('moves', None)
        return super().copy(periods, default=default)

    @classmethod
    def check_modification(cls, mode, periods, values=None, external=False):
        super().check_modification(
            mode, periods, values=values, external=external)
        if mode == 'delete':
            for period in periods:
                if period.transfer_move or period.state != 'open':
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_handgeld_period_delete',
                            period=period.rec_name))
        elif mode == 'write' and external:
            if values.keys() & {
                    'company', 'room', 'date', 'team_leader', 'allowance',
                    'transfer_amount', 'spent', 'transfer_move', 'payment'}:
                raise AccessError(gettext(
                        'buurtwerkkamer.msg_handgeld_period_write',
                        period=periods[0].rec_name if periods else ''))
        if mode == 'create':
            for period in periods:
                if period.room.state != 'operational':
                    raise AccessError(gettext(
                            'buurtwerkkamer'
                            '.msg_handgeld_period_not_operational',
                            period=period.rec_name,
                            room=period.room.rec_name))
        elif mode == 'write' and values.get('transfer_amount'):
            for period in periods:
                if not all(values.get(n, getattr(period, n))
                        for n in ['transfer_move', 'payment']):
                    raise AccessError(gettext(
                            'buurtwerkkamer'
                            '.msg_handgeld_period_transfer_unlinked',
                            period=period.rec_name))

    @classmethod
    def validate_fields(cls, periods, field_names):
        super().validate_fields(periods, field_names)
        cls.check_allowance_cap(periods, field_names)

    @classmethod
    def check_allowance_cap(cls, periods, field_names=None):
        "Refuse an allowance that is negative or above the cap"
        pool = Pool()
        Configuration = pool.get('buurtwerkkamer.configuration')
        Lang = pool.get('ir.lang')
        if field_names and 'allowance' not in field_names:
            return
        config = Configuration(1)
        lang = Lang.get()
        for period in periods:
            cap = config.get_handgeld_cap(period.company)
            if not (0 <= period.allowance <= cap):
                raise ValidationError(gettext(
                        'buurtwerkkamer.msg_handgeld_period_allowance_cap',
                        period=period.rec_name,
                        allowance=lang.currency(
                            period.allowance, period.currency),
                        cap=lang.currency(cap, period.currency)))

    @classmethod
    def check_receipts(cls, periods):
        "Refuse the months with expenses without receipt nor declaration"
        pool = Pool()
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        for period in periods:
            missing = [e for e in period.expenses if not e.has_receipt]
            if missing:
                raise ValidationError(gettext(
                        'buurtwerkkamer.msg_handgeld_period_receipts_missing',
                        period=period.rec_name,
                        expenses=', '.join(
                            '%s (%s, %s)' % (
                                e.get_rec_name('rec_name'),
                                lang.strftime(e.date),
                                lang.currency(e.amount, period.currency))
                            for e in missing)))

    @classmethod
    @ModelView.button
    @Workflow.transition('submitted')
    def submit(cls, periods):
        cls.check_receipts(periods)

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def reopen(cls, periods):
        pool = Pool()
        Move = pool.get('account.move')
        moves = [p.expense_move for p in periods
            if p.expense_move and p.expense_move.state == 'draft']
        cls.write(periods, {'expense_move': None})
        Move.delete(moves)

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, periods):
        pool = Pool()
        Move = pool.get('account.move')
        moves = []
        to_link = []
        for period in periods:
            move = period.get_expense_move()
            if move:
                moves.append(move)
                to_link.append(period)
        Move.save(moves)
        for period, move in zip(to_link, moves):
            period.expense_move = move
        cls.save(to_link)

    @classmethod
    @ModelView.button
    @Workflow.transition('posted')
    def post(cls, periods):
        pool = Pool()
        Move = pool.get('account.move')
        Move.post([p.expense_move for p in periods
                if p.expense_move and p.expense_move.state == 'draft'])

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def correct(cls, periods):
        "Reverse the posted expense entries and reopen the months"
        pool = Pool()
        Move = pool.get('account.move')
        reversals = []
        for period in periods:
            if period.expense_move:
                reversal = period.expense_move.cancel(reversal=True)
                reversal.origin = period
                reversals.append(reversal)
        Move.save(reversals)
        Move.post(reversals)
        cls.write(periods, {'expense_move': None})

    def _check_handgeld_configuration(self, config, *names):
        for name in names:
            if not config.get_multivalue(name, company=self.company.id):
                raise UserError(gettext(
                        'buurtwerkkamer.msg_handgeld_no_configuration',
                        company=self.company.rec_name,
                        field=getattr(type(config), name).string))

    def get_expense_move(self):
        "Return the move that charges the expenses to the categories"
        pool = Pool()
        Configuration = pool.get('buurtwerkkamer.configuration')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        AnalyticLine = pool.get('analytic_account.line')
        AccountPeriod = pool.get('account.period')

        if not self.spent:
            return
        config = Configuration(1)
        self._check_handgeld_configuration(
            config, 'handgeld_journal', 'handgeld_account')
        amounts = defaultdict(Decimal)
        for expense in self.expenses:
            amounts[expense.category] += expense.amount
        date = self.end_date
        move = Move(
            company=self.company,
            journal=config.get_multivalue(
                'handgeld_journal', company=self.company.id),
            period=AccountPeriod.find(self.company, date=date),
            date=date,
            origin=self,
            description=gettext(
                'buurtwerkkamer.msg_handgeld_expense_move_description',
                period=self.rec_name))
        lines = []
        for category in sorted(amounts, key=lambda c: c.code):
            account = category.get_account(self.company)
            if not account:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_handgeld_category_no_account',
                        category=category.rec_name,
                        company=self.company.rec_name))
            amount = amounts[category]
            line = Line(
                account=account,
                debit=amount, credit=Decimal(0),
                description=category.name)
            if account.party_required:
                line.party = self.team_leader.party
            line.analytic_lines = [AnalyticLine(
                    account=self.room.analytic_account,
                    debit=amount, credit=Decimal(0),
                    date=date)]
            lines.append(line)
        lines.append(Line(
                account=config.get_multivalue(
                    'handgeld_account', company=self.company.id),
                party=self.team_leader.party,
                room=self.room,
                debit=Decimal(0), credit=sum(amounts.values())))
        move.lines = lines
        return move

    # Monthly creation by the cron

    @classmethod
    def room_problems(cls, room, config):
        "Return the messages why the handgeld of the room cannot be sent"
        problems = []
        if not room.team_leader:
            problems.append(gettext(
                    'buurtwerkkamer.msg_handgeld_room_no_team_leader',
                    room=room.rec_name))
        if not room.business_account:
            problems.append(gettext(
                    'buurtwerkkamer.msg_handgeld_room_no_business_account',
                    room=room.rec_name))
        elif room.team_leader:
            if room.team_leader.party not in room.business_account.owners:
                problems.append(gettext(
                        'buurtwerkkamer.msg_handgeld_room_account_owner',
                        room=room.rec_name,
                        account=room.business_account.rec_name,
                        team_leader=room.team_leader.rec_name))
            if not iban_number(room.business_account):
                problems.append(gettext(
                        'buurtwerkkamer.msg_handgeld_room_no_iban',
                        room=room.rec_name,
                        account=room.business_account.rec_name))
        for name in ['handgeld_journal', 'handgeld_account',
                'handgeld_payable_account', 'handgeld_payment_journal']:
            if not config.get_multivalue(name, company=room.company.id):
                problems.append(gettext(
                        'buurtwerkkamer.msg_handgeld_no_configuration',
                        company=room.company.rec_name,
                        field=getattr(type(config), name).string))
        return problems

    @classmethod
    @company_cron
    def create_periods(cls, date=None):
        """Create the handgeld month of every operational room up to the
        month of date (today by default), catching up missed months, and
        send the transfers.
        Return the rooms that could not receive their handgeld."""
        pool = Pool()
        Room = pool.get('buurtwerkkamer.room')
        Configuration = pool.get('buurtwerkkamer.configuration')
        Date = pool.get('ir.date')
        table = cls.__table__()
        cursor = Transaction().connection.cursor()

        if date is None:
            date = Date.today()
        month = first_day(date)
        config = Configuration(1)
        rooms = Room.search([
                ('company', '=', Transaction().context['company']),
                ('state', '=', 'operational'),
                ('start_date', '<=', last_day(date)),
                ])
        last_dates = {}
        in_max = backend.MAX_QUERY_PARAMS
        for sub_rooms in grouped_slice(rooms, in_max):
            cursor.execute(*table.select(
                    table.room, Max(table.date),
                    where=fields.SQL_OPERATORS['in'](
                        table.room, [r.id for r in sub_rooms]),
                    group_by=[table.room]))
            for room_id, last_date in cursor:
                if isinstance(last_date, str):
                    last_date = dt.date.fromisoformat(last_date)
                last_dates[room_id] = last_date

        to_send, problems = [], {}
        for room in rooms:
            last_date = last_dates.get(room.id)
            if last_date is not None:
                start = next_month(last_date)
            else:
                start = month
            if start > month:
                continue
            room_problems = cls.room_problems(room, config)
            if room_problems:
                problems[room] = room_problems
                continue
            to_send.append((room, start))
        # The floats of all the rooms at once, from the ledger
        movements = cls.float_movements([r for r, _ in to_send])

        periods = []
        caps = {}
        for room, start in to_send:
            if room.company not in caps:
                caps[room.company] = config.get_handgeld_cap(room.company)
            cap = caps[room.company]
            allowance = min(room.handgeld_amount, cap)
            ledger, unposted = cls.float_at(
                movements.get((room.id, room.team_leader.party.id), []))
            on_hand = room.company.currency.round(ledger - unposted)
            while start <= month:
                transfer = cls.compute_transfer(
                    room.handgeld_rule, allowance, cap, on_hand)
                on_hand += transfer
                periods.append(cls(
                        company=room.company,
                        room=room,
                        date=start,
                        team_leader=room.team_leader,
                        allowance=allowance,
                        transfer_amount=transfer,
                        spent=Decimal(0)))
                start = next_month(start)
        cls.save(periods)
        cls.send_transfers(periods)
        if problems:
            cls.report_problems(problems)
        return list(problems)

    @classmethod
    def compute_transfer(cls, rule, allowance, cap, on_hand):
        """Return the transfer of a month for the handgeld on hand

        Top-up brings the cash on hand back to the allowance; fixed sends the
        allowance.  Whatever the rule, the cash on hand after the transfer
        never exceeds the cap and the transfer is never negative."""
        if rule == 'topup':
            transfer = allowance - on_hand
        else:
            transfer = allowance
        return max(min(transfer, cap - on_hand), Decimal(0))

    @classmethod
    def send_transfers(cls, periods):
        "Post the transfer moves and create the payments of the periods"
        pool = Pool()
        Configuration = pool.get('buurtwerkkamer.configuration')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Payment = pool.get('account.payment')
        AccountPeriod = pool.get('account.period')

        config = Configuration(1)
        periods = [p for p in periods if p.transfer_amount]
        moves = []
        for period in periods:
            company = period.company
            payable = config.get_multivalue(
                'handgeld_payable_account', company=company.id)
            party = period.team_leader.party
            moves.append(Move(
                    company=company,
                    journal=config.get_multivalue(
                        'handgeld_journal', company=company.id),
                    period=AccountPeriod.find(company, date=period.date),
                    date=period.date,
                    origin=period,
                    description=gettext(
                        'buurtwerkkamer'
                        '.msg_handgeld_transfer_move_description',
                        period=period.rec_name),
                    lines=[
                        Line(
                            account=config.get_multivalue(
                                'handgeld_account', company=company.id),
                            party=party,
                            room=period.room,
                            debit=period.transfer_amount,
                            credit=Decimal(0)),
                        Line(
                            account=payable,
                            party=party,
                            debit=Decimal(0),
                            credit=period.transfer_amount,
                            maturity_date=period.date),
                        ]))
        Move.save(moves)
        Move.post(moves)

        payments = []
        for period, move in zip(periods, moves):
            company = period.company
            line, = [l for l in move.lines if l.credit]
            journal = config.get_multivalue(
                'handgeld_payment_journal', company=company.id)
            payment = Payment(
                company=company,
                journal=journal,
                kind='payable',
                party=line.party,
                date=period.transfer_date,
                amount=period.transfer_amount,
                line=line,
                origin=period,
                reference=gettext(
                    'buurtwerkkamer.msg_handgeld_payment_description',
                    period=period.rec_name))
            if journal.process_method == 'sepa':
                payment.sepa_payable_bank_account_number = (
                    iban_number(period.room.business_account))
            payments.append(payment)
        cls._number_payments(payments)
        # Batches keep the domain checks of the payments within the limits
        # of the database (SQLite refuses 1000 different domains at once)
        for sub_payments in grouped_slice(payments, 100):
            Payment.save(list(sub_payments))
        cls._link_transfers(periods, moves, payments)

    @classmethod
    def _number_payments(cls, payments):
        """Number the payments with one call to the sequence per company
        instead of one per payment"""
        pool = Pool()
        AccountConfiguration = pool.get('account.configuration')
        config = AccountConfiguration(1)
        by_company = defaultdict(list)
        for payment in payments:
            by_company[payment.company].append(payment)
        for company, c_payments in by_company.items():
            sequence = config.get_multivalue(
                'payment_sequence', company=company.id)
            if sequence:
                numbers = sequence.get_many(n=len(c_payments))
                for payment, number in zip(c_payments, numbers):
                    payment.number = number

    @classmethod
    def _link_transfers(cls, periods, moves, payments):
        """Store the transfer move and payment of the periods

        The server made them for the periods of the same company, so one
        update per slice replaces a write and its domain checks per period."""
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        table = cls.__table__()
        links = {p.id: (m.id, pa.id)
            for p, m, pa in zip(periods, moves, payments)}
        if not links:
            return
        transaction.counter += 1
        for cache in transaction.cache.values():
            if cls.__name__ in cache:
                cache_cls = cache[cls.__name__]
                for period_id in links:
                    cache_cls.pop(period_id, None)
        for sub_ids in grouped_slice(
                sorted(links), backend.MAX_QUERY_PARAMS // 6):
            sub_ids = list(sub_ids)
            cursor.execute(*table.update(
                    [table.transfer_move, table.payment,
                        table.write_uid, table.write_date],
                    [Case(*((table.id == i, links[i][0]) for i in sub_ids)),
                        Case(*((table.id == i, links[i][1])
                                for i in sub_ids)),
                        transaction.user, CurrentTimestamp()],
                    where=fields.SQL_OPERATORS['in'](table.id, sub_ids)))

    @classmethod
    def report_problems(cls, problems):
        "Notify the treasurers of the rooms that received no handgeld"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        Notification = pool.get('res.notification')
        # A missing setting of the company is the same problem for every room
        messages = list(dict.fromkeys(m for room_problems in problems.values()
                for m in room_problems))
        for message in messages:
            logger.warning(message)
        group_id = ModelData.get_id('buurtwerkkamer', 'group_treasurer')
        with without_check_access():
            users = User.search([
                    ('groups', '=', group_id),
                    ('companies', 'in',
                        list({r.company.id for r in problems})),
                    ])
            Notification.save([Notification(
                        user=user,
                        label=gettext(
                            'buurtwerkkamer.msg_handgeld_not_sent_label'),
                        # A notification's description is a single line
                        description=' '.join(messages),
                        model='buurtwerkkamer.room',
                        records=json.dumps([r.id for r in problems]),
                        ) for user in users])

    def check_allowance(self, amount):
        "Refuse when amount spent exceeds the allowance of the month"
        pool = Pool()
        Lang = pool.get('ir.lang')
        if amount > self.allowance:
            lang = Lang.get()
            raise ValidationError(gettext(
                    'buurtwerkkamer.msg_handgeld_allowance_exceeded',
                    period=self.rec_name,
                    allowance=lang.currency(self.allowance, self.currency),
                    amount=lang.currency(amount, self.currency),
                    excess=lang.currency(
                        amount - self.allowance, self.currency)))

    @classmethod
    def update_spent(cls, periods):
        "Store the sum of the expenses and check it against the allowance"
        pool = Pool()
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        expense = Expense.__table__()
        cursor = Transaction().connection.cursor()
        periods = cls.browse(periods)
        spent = defaultdict(Decimal)
        in_max = backend.MAX_QUERY_PARAMS
        for sub_periods in grouped_slice(periods, in_max):
            cursor.execute(*expense.select(
                    expense.period, Sum(expense.amount),
                    where=fields.SQL_OPERATORS['in'](
                        expense.period, [p.id for p in sub_periods]),
                    group_by=[expense.period]))
            for period_id, amount in cursor:
                spent[period_id] = Decimal(str(amount or 0))
        to_write = []
        for period in periods:
            amount = period.currency.round(spent[period.id])
            period.check_allowance(amount)
            if amount != period.spent:
                to_write.extend(([period], {'spent': amount}))
        if to_write:
            with without_check_access():
                cls.write(*to_write)


class Expense(ServerFieldsMixin, RecordAccessMixin, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.handgeld.expense'

    _states = {
        'readonly': Eval('period_state') != 'open',
        }

    period = fields.Many2One(
        'buurtwerkkamer.handgeld.period', "Month", required=True,
        ondelete='CASCADE',
        domain=[
            If(Eval('id', -1) < 0, ('state', '=', 'open'), ()),
            ],
        states=_states)
    period_state = fields.Function(
        fields.Selection('get_period_states', "Month State"),
        'on_change_with_period_state')
    room = fields.Function(
        fields.Many2One('buurtwerkkamer.room', "Room"),
        'on_change_with_room', searcher='search_room')
    company = fields.Function(
        fields.Many2One('company.company', "Company"),
        'on_change_with_company')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    date = fields.Date("Date", required=True, states=_states)
    category = fields.Many2One(
        'buurtwerkkamer.handgeld.category', "Category", required=True,
        ondelete='RESTRICT', states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    description = fields.Char(
        "Description", required=True, states=_states)
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        states=_states)
    receipt = fields.Binary(
        "Receipt", filename='receipt_name', file_id='receipt_id',
        states=_states, help="A photo or scan of the receipt.")
    receipt_name = fields.Char(
        "Receipt Name", states=_states,
        help="The name of the file of the receipt.")
    receipt_id = fields.Char("Receipt ID", readonly=True)
    receipt_digest = fields.Char(
        "Receipt Digest", readonly=True, strip=False,
        help="The SHA-256 digest of the receipt file.")
    receipt_lost = fields.Boolean(
        "Receipt Lost", states=_states,
        help="Declare that the receipt is lost; the reason is shown to the "
        "treasurer.")
    receipt_lost_reason = fields.Text(
        "Reason Receipt Lost",
        states={
            'readonly': _states['readonly'],
            'invisible': ~Eval('receipt_lost'),
            'required': Bool(Eval('receipt_lost')),
            },
        help="Why there is no receipt of the expense.")

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('period')
        cls._order = [
            ('date', 'ASC'),
            ('id', 'ASC'),
            ]

    @classmethod
    def get_period_states(cls):
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        return Period.fields_get(['state'])['state']['selection']

    @classmethod
    def default_period_state(cls):
        # A new expense is editable until its month is known: the server
        # refuses it in a month that is not open
        return 'open'

    @fields.depends('period', '_parent_period.state')
    def on_change_with_period_state(self, name=None):
        return self.period.state if self.period else 'open'

    @classmethod
    def default_period(cls):
        "Return the open month of today of the only room of the user"
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        Date = pool.get('ir.date')
        company = Transaction().context.get('company')
        if company is None or company < 0:
            return
        periods = Period.search([
                ('company', '=', company),
                ('date', '=', first_day(Date.today())),
                ('state', '=', 'open'),
                ], limit=2)
        if len(periods) == 1:
            period, = periods
            return period.id

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_currency(cls):
        pool = Pool()
        Company = pool.get('company.company')
        company = cls.default_company()
        if company is not None and company >= 0:
            return Company(company).currency.id

    @fields.depends('period', '_parent_period.room')
    def on_change_with_room(self, name=None):
        return self.period.room if self.period else None

    @classmethod
    def search_room(cls, name, clause):
        return [('period.' + clause[0], *clause[1:])]

    @fields.depends('period', '_parent_period.company')
    def on_change_with_company(self, name=None):
        if self.period:
            return self.period.company
        return self.default_company()

    @fields.depends('period', '_parent_period.company')
    def on_change_with_currency(self, name=None):
        if self.period:
            return self.period.company.currency
        return self.default_currency()

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @fields.depends('receipt', 'receipt_lost')
    def on_change_receipt(self):
        if self.receipt:
            self.receipt_lost = False

    @property
    def has_receipt(self):
        "Whether the expense has a receipt or a declaration of its loss"
        if self.receipt_id or self.receipt:
            return True
        return bool(
            self.receipt_lost and (self.receipt_lost_reason or '').strip())

    @fields.depends('period', 'date', '_parent_period.date')
    def on_change_period(self):
        if self.period and self.period.date and (
                not self.date
                or first_day(self.date) != self.period.date):
            self.date = min(
                max(self.date or self.period.date, self.period.date),
                last_day(self.period.date))

    def get_rec_name(self, name):
        return '%s - %s' % (self.category.code, self.description)

    @classmethod
    def validate_fields(cls, expenses, field_names):
        super().validate_fields(expenses, field_names)
        cls.check_amount(expenses, field_names)
        cls.check_date(expenses, field_names)

    @classmethod
    def check_amount(cls, expenses, field_names=None):
        if field_names and 'amount' not in field_names:
            return
        for expense in expenses:
            if expense.amount <= 0:
                raise ValidationError(gettext(
                        'buurtwerkkamer.msg_handgeld_expense_amount_positive',
                        expense=expense.get_rec_name('rec_name')))

    @classmethod
    def check_date(cls, expenses, field_names=None):
        pool = Pool()
        Lang = pool.get('ir.lang')
        if field_names and not (field_names & {'date', 'period'}):
            return
        lang = Lang.get()
        for expense in expenses:
            period = expense.period
            if not (period.date <= expense.date <= period.end_date):
                raise ValidationError(gettext(
                        'buurtwerkkamer.msg_handgeld_expense_date',
                        expense=expense.get_rec_name('rec_name'),
                        date=lang.strftime(expense.date),
                        period=period.rec_name,
                        start=lang.strftime(period.date),
                        end=lang.strftime(period.end_date)))

    @classmethod
    def check_modification(cls, mode, expenses, values=None, external=False):
        super().check_modification(
            mode, expenses, values=values, external=external)
        if mode in {'write', 'delete'}:
            for expense in expenses:
                if expense.period.state != 'open':
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_handgeld_expense_modify',
                            expense=expense.get_rec_name('rec_name'),
                            period=expense.period.rec_name))

    @classmethod
    def _lock_periods(cls, period_ids, check_open=True):
        """Lock the open periods so that concurrent expenses are checked in
        turn.  Without check_open, periods that are no longer open are
        not locked: their expenses are refused by check_modification.
        The states are checked before the lock so that a month being closed
        is refused at once; Tryton takes the lock at the start of a new
        transaction, in which the states are read again."""
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        period_ids = sorted(set(period_ids))
        if Transaction().check_access:
            # Refuse a month of a room the user may not see
            Period.read(period_ids, ['state'])
        periods = Period.browse(period_ids)
        for period in periods:
            if check_open and period.state != 'open':
                raise AccessError(gettext(
                        'buurtwerkkamer.msg_handgeld_expense_period_closed',
                        period=period.rec_name))
        periods = [p for p in periods if p.state == 'open']
        Period.lock(periods)
        return periods

    @classmethod
    def _check_new(cls, vlist, periods):
        "Check the new expenses before anything is written"
        periods = {p.id: p for p in periods}
        pending = defaultdict(Decimal)
        for values in vlist:
            if not values.get('period') or values.get('amount') is None:
                continue
            period = periods[values['period']]
            expense = cls(
                period=period, amount=values['amount'],
                date=values.get('date') or cls.default_date(),
                category=values.get('category'),
                description=values.get('description'))
            cls.check_amount([expense])
            cls.check_date([expense])
            # Warn before anything is written, the receipt files after
            cls.check_duplicates([expense], receipts=False)
            pending[period] += expense.amount
        for period, amount in pending.items():
            period.check_allowance(period.spent + amount)

    @classmethod
    def check_duplicates(cls, expenses, receipts=True):
        """Warn of an expense of the same room, date and amount or with the
        same receipt file as another expense"""
        pool = Pool()
        Warning = pool.get('res.user.warning')
        Lang = pool.get('ir.lang')
        lang = None
        for expense in expenses:
            domain = [
                ('period.room', '=', expense.period.room.id),
                ('date', '=', expense.date),
                ('amount', '=', expense.amount),
                ]
            if expense.id is not None:
                domain.append(('id', '!=', expense.id))
            others = cls.search(domain, order=[('id', 'ASC')])
            if others:
                key = Warning.format('handgeld_expense_duplicate', others)
                if Warning.check(key):
                    lang = lang or Lang.get()
                    raise UserWarning(key, gettext(
                            'buurtwerkkamer.msg_handgeld_expense_duplicate',
                            expense=expense.get_rec_name('rec_name'),
                            room=expense.period.room.rec_name,
                            date=lang.strftime(expense.date),
                            amount=lang.currency(
                                expense.amount, expense.period.currency),
                            others=', '.join(
                                o.get_rec_name('rec_name') for o in others)))
        if receipts:
            cls.check_duplicate_receipts(expenses)

    @classmethod
    def check_duplicate_receipts(cls, expenses):
        "Warn of an expense with the same receipt file as another expense"
        pool = Pool()
        Warning = pool.get('res.user.warning')
        for expense in expenses:
            if expense.receipt_digest:
                others = cls.search([
                        ('id', '!=', expense.id),
                        ('receipt_digest', '=', expense.receipt_digest),
                        ('period.company', '=', expense.period.company.id),
                        ], order=[('id', 'ASC')])
                if others:
                    key = Warning.format(
                        'handgeld_expense_duplicate_receipt', others)
                    if Warning.check(key):
                        raise UserWarning(key, gettext(
                                'buurtwerkkamer'
                                '.msg_handgeld_expense_duplicate_receipt',
                                expense=expense.get_rec_name('rec_name'),
                                others=', '.join(
                                    '%s (%s)' % (
                                        o.get_rec_name('rec_name'),
                                        o.period.rec_name)
                                    for o in others)))

    @classmethod
    def create(cls, vlist):
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        periods = cls._lock_periods(
            [v['period'] for v in vlist if v.get('period')])
        cls._check_new(vlist, periods)
        expenses = super().create(vlist)
        Period.update_spent(periods)
        cls._store_receipt_digests(
            [(e, v['receipt']) for e, v in zip(expenses, vlist)
                if 'receipt' in v])
        cls.check_duplicate_receipts(cls.browse([e.id for e in expenses]))
        return expenses

    @classmethod
    def _store_receipt_digests(cls, receipts):
        "Store the digest of the new receipt files of the expenses"
        transaction = Transaction()
        table = cls.__table__()
        cursor = transaction.connection.cursor()
        if not receipts:
            return
        # The column is written directly as the server computes it
        transaction.counter += 1
        for cache in transaction.cache.values():
            if cls.__name__ in cache:
                cache_cls = cache[cls.__name__]
                for expense, _ in receipts:
                    cache_cls.pop(expense.id, None)
        for expense, data in receipts:
            digest = hashlib.sha256(data).hexdigest() if data else None
            cursor.execute(*table.update(
                    [table.receipt_digest], [digest],
                    where=table.id == expense.id))

    @classmethod
    def write(cls, *args):
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        period_ids, new_period_ids = set(), set()
        actions = iter(args)
        for expenses, values in zip(actions, actions):
            period_ids.update(e.period.id for e in expenses)
            if values.get('period'):
                new_period_ids.add(values['period'])
        periods = cls._lock_periods(period_ids, check_open=False)
        periods += cls._lock_periods(new_period_ids - period_ids)
        super().write(*args)
        Period.update_spent(periods)
        to_check, receipts = [], []
        actions = iter(args)
        for expenses, values in zip(actions, actions):
            if 'receipt' in values:
                receipts.extend((e, values['receipt']) for e in expenses)
            if values.keys() & {'period', 'date', 'amount', 'receipt'}:
                to_check.extend(expenses)
        cls._store_receipt_digests(receipts)
        cls.check_duplicates(cls.browse([e.id for e in to_check]))

    @classmethod
    def delete(cls, expenses):
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        periods = cls._lock_periods(
            [e.period.id for e in expenses], check_open=False)
        super().delete(expenses)
        Period.update_spent(periods)

    @classmethod
    def copy(cls, expenses, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('receipt', None)
        default.setdefault('receipt_id', None)
        default.setdefault('receipt_name', None)
        default.setdefault('receipt_digest', None)
        return super().copy(expenses, default=default)


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['buurtwerkkamer.handgeld.period']


class Payment(metaclass=PoolMeta):
    __name__ = 'account.payment'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['buurtwerkkamer.handgeld.period']

    @property
    def handgeld_period(self):
        "The handgeld month of which the payment is the transfer"
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        if isinstance(self.origin, Period):
            return self.origin

    @classmethod
    def check_modification(cls, mode, payments, values=None, external=False):
        super().check_modification(
            mode, payments, values=values, external=external)
        if mode == 'write' and external and values.keys() & {
                'origin', 'submitted_by', 'approved_by', 'succeeded_by',
                'failed_by'}:
            for payment in payments:
                if payment.handgeld_period:
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_handgeld_payment_write',
                            payment=payment.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, payments):
        cls.check_dual_control(payments)
        super().approve(payments)

    @classmethod
    def check_dual_control(cls, payments):
        "Refuse that whoever submitted a handgeld transfer approves it"
        pool = Pool()
        User = pool.get('res.user')
        user = User(Transaction().user)
        for payment in payments:
            if not payment.handgeld_period:
                continue
            if not payment.submitted_by:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_handgeld_payment_no_submitter',
                        payment=payment.rec_name))
            if not user.employee:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_handgeld_payment_no_employee',
                        payment=payment.rec_name,
                        user=user.rec_name))
            if user.employee == payment.submitted_by:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_handgeld_payment_same_approver',
                        payment=payment.rec_name,
                        employee=user.employee.rec_name))

    @classmethod
    @Workflow.transition('processing')
    def process(cls, payments, group=None):
        "Request no execution date in the past for the handgeld transfers"
        to_write = []
        for payment in payments:
            period = payment.handgeld_period
            if period and payment.date < period.transfer_date:
                to_write.extend(([payment], {'date': period.transfer_date}))
        if to_write:
            cls.write(*to_write)
        return super().process(payments, group=group)


class Statement(DocumentMixin, Report):
    "Monthly handgeld statement of a room"
    __name__ = 'buurtwerkkamer.handgeld.statement'
    _draft_states = {'open', 'submitted'}

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Category = pool.get('buurtwerkkamer.handgeld.category')
        context = super().get_context(records, header, data)
        with Transaction().set_context(active_test=False):
            categories = Category.search([])
        context['categories'] = categories

        def category_totals(period):
            totals = []
            for category in categories:
                expenses = [
                    e for e in period.expenses if e.category == category]
                if expenses or category.active:
                    totals.append((
                            category, expenses,
                            sum((e.amount for e in expenses), Decimal(0))))
            return totals
        context['category_totals'] = category_totals
        context['receipt_count'] = cls.receipt_count
        context['lost_receipt_count'] = cls.lost_receipt_count
        return context

    @classmethod
    def get_signatories(cls, period):
        """Return the blocks to sign on of the team leader who accounts for
        the month, the treasurer who approves it and the kascommissie that
        checks it"""
        team_leader = period.team_leader
        return [
            cls.signatory(
                None,
                name=team_leader.rec_name if team_leader else None,
                role=gettext('buurtwerkkamer.msg_signatory_team_leader')),
            cls.company_signatory(
                period.company,
                function=gettext('buurtwerkkamer.msg_signatory_treasurer')),
            cls.signatory(
                None,
                role=gettext('buurtwerkkamer.msg_signatory_kascommissie')),
            ]

    @staticmethod
    def receipt_count(period):
        "Return the number of receipts of the month's expenses"
        return len([e for e in period.expenses
                if e.receipt_id and not e.receipt_lost])

    @staticmethod
    def lost_receipt_count(period):
        "Return the number of expenses whose receipt is declared lost"
        return len([e for e in period.expenses if e.receipt_lost])
