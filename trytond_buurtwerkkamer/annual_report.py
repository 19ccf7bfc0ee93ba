# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
from collections import defaultdict
from functools import partial
from decimal import Decimal

from sql import Literal
from sql.aggregate import Min, Sum
from sql.conditionals import Case, Coalesce

from trytond import backend
from trytond.exceptions import UserError, UserWarning
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, dualmethod, fields
from trytond.model.exceptions import AccessError
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.report import Report
from trytond.tools import grouped_slice, sqlite_apply_types
from trytond.transaction import (
    Transaction, check_access, without_check_access)
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .access import RecordAccessMixin
from .document import DocumentMixin
from .server_fields import ServerFieldsMixin

COST_KINDS = [
    ('staff', "Staff"),
    ('rent', "Rent"),
    ('gwe', "Gas, Water and Electricity"),
    ('insurance', "Insurance"),
    ('telecom', "Telephone and Internet"),
    ('handgeld', "Handgeld"),
    ('other', "Other"),
    ]

INCOME_ORIGINS = [
    (None, ''),
    ('agreement', "Agreement"),
    ('other', "Other Income"),
    ]

SECTIONS = [
    ('content', "Content"),
    ('income', "Income"),
    ('cost', "Costs"),
    ('budget', "Budget"),
    ]

INDICATORS = [
    (None, ''),
    ('room', "Room"),
    ('member', "Members"),
    ('volunteer', "Volunteers"),
    ('meeting', "Meetings Held"),
    ('placement', "Placements"),
    ('obligation', "Result Obligations"),
    ('training', "Trainings"),
    ('evaluation', "Evaluations"),
    ]


class AccountTemplate(metaclass=PoolMeta):
    __name__ = 'account.account.template'

    room_cost_kind = fields.Selection(
        [(None, '')] + COST_KINDS, "Room Cost Kind",
        help="Under which kind of cost the bookings on the accounts made "
        "from this template appear in the annual reports of the rooms.")
    rgs_code = fields.Char(
        "RGS Code",
        help="The code of the Dutch Reference Classification System of "
        "Financial Information (Referentie GrootboekSchema) at account "
        "level.")

    def _get_account_value(self, account=None):
        values = super()._get_account_value(account=account)
        for name in ['room_cost_kind', 'rgs_code']:
            if not account or getattr(account, name) != getattr(self, name):
                values[name] = getattr(self, name)
        return values


class Account(metaclass=PoolMeta):
    __name__ = 'account.account'

    room_cost_kind = fields.Selection(
        [(None, '')] + COST_KINDS, "Room Cost Kind",
        states={
            'invisible': ~Eval('type_expense'),
            },
        help="Under which kind of cost the bookings on this account "
        "appear in the annual reports of the rooms.")
    rgs_code = fields.Char(
        "RGS Code",
        help="The code of the Dutch Reference Classification System of "
        "Financial Information (Referentie GrootboekSchema).")
    type_expense = fields.Function(
        fields.Boolean("Expense Type"), 'on_change_with_type_expense')

    @fields.depends('type')
    def on_change_with_type_expense(self, name=None):
        return bool(self.type and self.type.expense)


class AnnualReport(
        ServerFieldsMixin, RecordAccessMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.annual_report'

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    room = fields.Many2One(
        'buurtwerkkamer.room', "Room", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states=_states,
        help="Leave empty for the report of the whole cooperative.")
    fiscalyear = fields.Many2One(
        'account.fiscalyear', "Fiscal Year", required=True,
        ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states=_states)
    year = fields.Function(
        fields.Integer("Year"), 'on_change_with_year')
    partner = fields.Many2One(
        'party.party', "Partner", ondelete='RESTRICT', states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The funder or partner for whom the report is made.\n"
        "Its own income and result obligations are shown apart.")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    state = fields.Selection([
            ('draft', "Draft"),
            ('computed', "Computed"),
            ('checked', "Checked"),
            ('approved', "Approved"),
            ('sent', "Sent"),
            ], "State", readonly=True, required=True, sort=False)
    computed_date = fields.DateTime("Computed At", readonly=True)

    lines = fields.One2Many(
        'buurtwerkkamer.annual_report.line', 'report', "Lines",
        readonly=True)
    content_lines = fields.One2Many(
        'buurtwerkkamer.annual_report.line', 'report', "Content",
        readonly=True, filter=[('section', '=', 'content')])
    income_lines = fields.One2Many(
        'buurtwerkkamer.annual_report.line', 'report', "Income",
        readonly=True, filter=[('section', '=', 'income')])
    cost_lines = fields.One2Many(
        'buurtwerkkamer.annual_report.line', 'report', "Costs",
        readonly=True, filter=[('section', '=', 'cost')])
    budget_lines = fields.One2Many(
        'buurtwerkkamer.annual_report.line', 'report', "Budget",
        readonly=True, filter=[('section', '=', 'budget')])

    total_income = fields.Function(Monetary(
            "Total Income", currency='currency', digits='currency'),
        'get_totals')
    partner_income = fields.Function(Monetary(
            "Partner Income", currency='currency', digits='currency',
            help="The income from the partner's yearly agreements."),
        'get_totals')
    partner_other_income = fields.Function(Monetary(
            "Other Partner Income", currency='currency', digits='currency',
            help="The income from the partner that does not come from "
            "its yearly agreements, such as a subsidy decision or "
            "a donation."),
        'get_totals')
    total_cost = fields.Function(Monetary(
            "Total Costs", currency='currency', digits='currency'),
        'get_totals')
    result = fields.Function(Monetary(
            "Result", currency='currency', digits='currency',
            help="Income minus costs as frozen when computed."),
        'get_totals')
    budget_income = fields.Function(Monetary(
            "Budgeted Income", currency='currency', digits='currency'),
        'get_totals')
    budget_cost = fields.Function(Monetary(
            "Budgeted Costs", currency='currency', digits='currency'),
        'get_totals')
    budget_result = fields.Function(Monetary(
            "Budgeted Result", currency='currency', digits='currency'),
        'get_totals')
    ledger_result = fields.Function(Monetary(
            "Result in the Ledger", currency='currency', digits='currency',
            help="Income minus costs as the ledger shows them now."),
        'get_ledger_totals')
    difference = fields.Function(Monetary(
            "Difference", currency='currency', digits='currency',
            help="What was posted or cancelled after the figures were "
            "frozen; it is not applied to the report."),
        'get_ledger_totals')

    check_members = fields.Text(
        "Kascommissie Members", readonly=True)
    check_date = fields.Date("Checked On", readonly=True)
    check_samples = fields.Many2Many(
        'buurtwerkkamer.annual_report-account.move.line', 'report',
        'line', "Sampled Entries", readonly=True)
    check_findings = fields.Text("Findings", readonly=True)
    check_advice = fields.Text(
        "Advice to the General Meeting", readonly=True)

    accountant = fields.Many2One(
        'party.party', "Accountant", readonly=True, ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    approval_date = fields.Date("Approved On", readonly=True)
    approval_statement = fields.Text("Statement", readonly=True)

    sent_date = fields.Date("Sent On", readonly=True)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('fiscalyear', 'DESC'),
            ('room', 'ASC NULLS FIRST'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'computed'),
            ('computed', 'draft'),
            ('computed', 'checked'),
            ('checked', 'approved'),
            ('approved', 'sent'),
            }
        cls._buttons.update({
                'compute': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-launch',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'computed',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                'check': {
                    'invisible': Eval('state') != 'computed',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'checked',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'send': {
                    'invisible': Eval('state') != 'approved',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('fiscalyear')
    def on_change_with_year(self, name=None):
        if self.fiscalyear:
            return self.fiscalyear.end_date.year

    def get_rec_name(self, name):
        if self.room:
            name = self.room.rec_name
        else:
            name = self.company.rec_name
        name = '%s %s' % (name, self.fiscalyear.rec_name)
        if self.partner:
            name += ' - %s' % self.partner.rec_name
        return name

    @classmethod
    def get_totals(cls, reports, names):
        pool = Pool()
        Line = pool.get('buurtwerkkamer.annual_report.line')
        totals = {n: {r.id: Decimal(0) for r in reports} for n in [
                'total_income', 'partner_income', 'partner_other_income',
                'total_cost', 'budget_income', 'budget_cost']}
        partners = {r.id: r.partner for r in reports}
        for sub_reports in grouped_slice(
                reports, backend.MAX_QUERY_PARAMS):
            lines = Line.search([
                    ('report', 'in', [r.id for r in sub_reports]),
                    ('section', 'in', ['income', 'cost', 'budget']),
                    ], order=[])
            for line in lines:
                report_id = line.report.id
                amount = line.amount or Decimal(0)
                if line.section == 'income':
                    totals['total_income'][report_id] += amount
                    if (partners[report_id]
                            and line.party == partners[report_id]):
                        if line.income_origin == 'agreement':
                            totals['partner_income'][report_id] += amount
                        else:
                            totals['partner_other_income'][report_id] += (
                                amount)
                elif line.section == 'cost':
                    totals['total_cost'][report_id] += amount
                elif line.cost_kind:
                    totals['budget_cost'][report_id] += (
                        line.budget or Decimal(0))
                else:
                    totals['budget_income'][report_id] += (
                        line.budget or Decimal(0))
        totals['result'] = {r.id: (
                totals['total_income'][r.id] - totals['total_cost'][r.id])
            for r in reports}
        totals['budget_result'] = {r.id: (
                totals['budget_income'][r.id] - totals['budget_cost'][r.id])
            for r in reports}
        values = {n: {} for n in names}
        for name in names:
            for report in reports:
                values[name][report.id] = report.currency.round(
                    totals[name][report.id])
        return values

    @classmethod
    def get_ledger_totals(cls, reports, names):
        values = {n: {} for n in names}
        totals = cls.get_totals(reports, ['result'])['result']
        for report in reports:
            if report.state == 'draft':
                for name in names:
                    values[name][report.id] = None
                continue
            income, cost = Decimal(0), Decimal(0)
            for key, amount in report.get_ledger_amounts().items():
                if key[0] == 'income':
                    income += amount
                elif key[0] == 'cost':
                    cost += amount
            ledger = report.currency.round(income - cost)
            if 'ledger_result' in values:
                values['ledger_result'][report.id] = ledger
            if 'difference' in values:
                values['difference'][report.id] = ledger - totals[report.id]
        return values

    def get_analytic_accounts_query(self):
        "Return the query of the analytic accounts of the report's rooms"
        pool = Pool()
        Room = pool.get('buurtwerkkamer.room')
        room = Room.__table__()
        where = room.company == self.company.id
        if self.room:
            where &= room.id == self.room.id
        return room.select(room.analytic_account, where=where)

    def get_ledger_balances(self):
        """Return the posted balance (credit - debit) of the year by account,
        party and whether it comes from an agreement instalment, counting
        only what carries the rooms' analytic accounts.
        One query, whatever the number of lines."""
        pool = Pool()
        AnalyticLine = pool.get('analytic_account.line')
        MoveLine = pool.get('account.move.line')
        Move = pool.get('account.move')
        InvoiceLine = pool.get('account.invoice.line')
        cursor = Transaction().connection.cursor()

        analytic_line = AnalyticLine.__table__()
        line = MoveLine.__table__()
        party_line = MoveLine.__table__()
        move = Move.__table__()
        invoice_line = InvoiceLine.__table__()
        # The revenue line of an invoice has the invoice line as origin,
        # whose origin is the instalment of the agreement.
        instalment_lines = invoice_line.select(
            invoice_line.id,
            where=invoice_line.origin.like(
                'buurtwerkkamer.agreement.instalment,%'))
        # The unspent subsidy of an agreement settled at the end of the year
        # comes from the agreement.
        from_agreement = Case(
            (line.origin.like('account.invoice.line,%')
                & MoveLine.origin.sql_id(line.origin, MoveLine).in_(
                    instalment_lines), Literal(1)),
            (move.origin.like('buurtwerkkamer.agreement,%'), Literal(1)),
            else_=Literal(0))
        fiscalyear = self.fiscalyear
        # Revenue and expense lines rarely carry a party: take the party of
        # the entry (the receivable or payable line of the invoice).
        party = Coalesce(line.party, party_line.select(
                Min(party_line.party),
                where=party_line.move == line.move))
        amounts = (analytic_line
            .join(line, condition=analytic_line.move_line == line.id)
            .join(move, condition=line.move == move.id)
            .select(
                line.account.as_('account'),
                party.as_('party'),
                from_agreement.as_('agreement'),
                (Coalesce(analytic_line.credit, 0)
                    - Coalesce(analytic_line.debit, 0)).as_('balance'),
                where=(
                    analytic_line.account.in_(
                        self.get_analytic_accounts_query())
                    & (move.company == self.company.id)
                    & (move.state == 'posted')
                    & (move.date >= fiscalyear.start_date)
                    & (move.date <= fiscalyear.end_date))))
        query = amounts.select(
            amounts.account, amounts.party, amounts.agreement,
            Sum(amounts.balance).as_('balance'),
            group_by=[amounts.account, amounts.party, amounts.agreement])
        if backend.name == 'sqlite':
            sqlite_apply_types(query, [None, None, None, 'NUMERIC'])
        cursor.execute(*query)
        currency = self.company.currency
        return [(a, p, bool(g), currency.round(b)) for a, p, g, b in cursor]

    def get_ledger_amounts(self):
        """Return the amounts of the ledger keyed like the report lines:
        ('income', party, origin, account), ('cost', kind, account) and
        ('budget', account)"""
        pool = Pool()
        Account = pool.get('account.account')
        balances = self.get_ledger_balances()
        accounts = {a.id: a for a in Account.browse(
                list({a for a, _, _, _ in balances}))}
        handgeld_accounts = self.get_handgeld_accounts()
        amounts = defaultdict(Decimal)
        for account_id, party_id, agreement, balance in balances:
            account = accounts[account_id]
            if account.type.revenue:
                origin = 'agreement' if agreement else 'other'
                amounts[('income', party_id, origin, account_id)] += balance
                amounts[('budget', account_id)] += balance
            elif account.type.expense:
                kind = account.room_cost_kind or 'other'
                if account_id in handgeld_accounts:
                    kind = 'handgeld'
                amounts[('cost', kind, account_id)] -= balance
                amounts[('budget', account_id)] -= balance
        return amounts

    def get_handgeld_accounts(self):
        "Return the ids of the expense accounts of the handgeld categories"
        pool = Pool()
        Category = pool.get('buurtwerkkamer.handgeld.category')
        with Transaction().set_context(active_test=False):
            categories = Category.search([])
        accounts = (c.get_account(self.company) for c in categories)
        return {a.id for a in accounts if a}

    def get_budget_amounts(self):
        """Return the budgeted amount by account of the rooms' budgets of
        the fiscal year, costs as positive amounts"""
        pool = Pool()
        BudgetLine = pool.get('account.budget.line')
        domain = [
            ('budget.fiscalyear', '=', self.fiscalyear.id),
            ('budget.company', '=', self.company.id),
            ('account', '!=', None),
            ]
        if self.room:
            domain.append(('budget.room', '=', self.room.id))
        else:
            domain.append(('budget.room', '!=', None))
        amounts = defaultdict(Decimal)
        for line in BudgetLine.search(domain, order=[]):
            amount = line.amount or Decimal(0)
            if line.account.type.expense:
                # Tryton budgets count costs as negative amounts
                amount = -amount
            amounts[line.account.id] += amount
        return amounts

    def get_content_lines(self):
        "Return the values of the content lines drawn from the records"
        pool = Pool()
        Room = pool.get('buurtwerkkamer.room')
        Member = pool.get('buurtwerkkamer.room.member')
        fiscalyear = self.fiscalyear
        start, end = fiscalyear.start_date, fiscalyear.end_date
        rooms = [self.room] if self.room else Room.search([
                ('company', '=', self.company.id),
                ])
        lines = []
        states = dict(Room.fields_get(['state'])['state']['selection'])
        by_state = defaultdict(int)
        for room in rooms:
            by_state[room.state] += 1
        for state, count in by_state.items():
            lines.append({
                    'indicator': 'room',
                    'description': states.get(state, state),
                    'quantity': Decimal(count),
                    })
        with Transaction().set_context(active_test=False):
            members = Member.search([
                    ('room', 'in', [r.id for r in rooms]),
                    ['OR',
                        ('start_date', '=', None),
                        ('start_date', '<=', end),
                        ],
                    ['OR',
                        ('end_date', '=', None),
                        ('end_date', '>=', start),
                        ],
                    ], order=[])
        roles = defaultdict(set)
        for member in members:
            indicator = 'volunteer' if member.role == 'volunteer' else 'member'
            roles[indicator].add(member.party.id)
        for indicator in ['member', 'volunteer']:
            lines.append({
                    'indicator': indicator,
                    'quantity': Decimal(len(roles[indicator])),
                    })
        lines.extend(self.get_room_life_lines(rooms))
        lines.extend(self.get_placement_lines(rooms))
        lines.extend(self.get_obligation_lines(rooms))
        return lines

    def get_placement_lines(self, rooms):
        "Return the placements of the year counted by kind and outcome"
        pool = Pool()
        Placement = pool.get('buurtwerkkamer.placement')
        start, end = self.fiscalyear.start_date, self.fiscalyear.end_date
        placements = Placement.search([
                ('room', 'in', [r.id for r in rooms]),
                ['OR',
                    [
                        ('start_date', '<=', end),
                        ['OR',
                            ('end_date', '=', None),
                            ('end_date', '>=', start),
                            ],
                        ],
                    [
                        ('start_date', '=', None),
                        ('create_date', '>=',
                            dt.datetime.combine(start, dt.time())),
                        ('create_date', '<',
                            dt.datetime.combine(
                                end + dt.timedelta(days=1), dt.time())),
                        ],
                    ],
                ], order=[])
        selections = Placement.fields_get(['kind', 'state'])
        kinds = dict(selections['kind']['selection'])
        states = dict(selections['state']['selection'])
        counts = defaultdict(int)
        for placement in placements:
            counts[(self._line_room(placement.room),
                    placement.kind, placement.state)] += 1
        lines = []
        for room in self._line_rooms(rooms):
            for kind in kinds:
                for state in states:
                    if counts.get((room, kind, state)):
                        lines.append({
                                'indicator': 'placement',
                                'description': self._room_description(
                                    room, '%s - %s' % (
                                        kinds[kind], states[state])),
                                'quantity': Decimal(
                                    counts[(room, kind, state)]),
                                })
        return lines

    def _line_room(self, room):
        "The room a content line names: none on the report of a room"
        return None if self.room else room

    def _line_rooms(self, rooms):
        "The rooms of the content lines, in order"
        if self.room:
            return [None]
        return sorted(rooms, key=lambda r: (r.name, r.id))

    @staticmethod
    def _room_description(room, description):
        "Name the room in the description of a line of the company's report"
        if room:
            return '%s - %s' % (room.name, description)
        return description

    def get_obligation_lines(self, rooms):
        "Return the result obligations of the year: target and realised"
        pool = Pool()
        Obligation = pool.get('buurtwerkkamer.agreement.obligation')
        domain = [
            ('agreement.room', 'in', [r.id for r in rooms]),
            ('agreement.year', '=', self.year),
            ('agreement.state', 'in', ['signed', 'evaluated']),
            ]
        if self.partner:
            domain.append(('agreement.partner', '=', self.partner.id))
        lines = []
        for obligation in Obligation.search(
                domain, order=[('agreement', 'ASC'), ('id', 'ASC')]):
            description = obligation.description
            if obligation.indicator:
                description = '%s (%s)' % (description, obligation.indicator)
            description = self._room_description(
                self._line_room(obligation.agreement.room), description)
            lines.append({
                    'indicator': 'obligation',
                    'description': description,
                    'target': obligation.target,
                    'quantity': obligation.realised,
                    })
        return lines

    def get_room_life_lines(self, rooms):
        "Return the content lines of the meetings, trainings and evaluations"
        pool = Pool()
        Meeting = pool.get('buurtwerkkamer.meeting')
        Training = pool.get('buurtwerkkamer.training')
        Evaluation = pool.get('buurtwerkkamer.evaluation')
        start, end = self.fiscalyear.start_date, self.fiscalyear.end_date
        room_ids = [r.id for r in rooms]
        lines = []
        kinds = dict(Meeting.fields_get(['kind'])['kind']['selection'])
        held = defaultdict(int)
        for meeting in Meeting.search([
                    ('room', 'in', room_ids),
                    ('state', '=', 'held'),
                    ('date', '>=', start),
                    ('date', '<=', end),
                    ], order=[]):
            held[(self._line_room(meeting.room), meeting.kind)] += 1
        for room in self._line_rooms(rooms):
            for kind in kinds:
                if held.get((room, kind)):
                    lines.append({
                            'indicator': 'meeting',
                            'description': self._room_description(
                                room, kinds[kind]),
                            'quantity': Decimal(held[(room, kind)]),
                            })
        trainings = Training.search([
                ('plan.room', 'in', room_ids),
                ('plan.year', '=', self.year),
                ], order=[('date', 'ASC NULLS LAST'), ('id', 'ASC')])
        if not self.room:
            # The company's report lists them room by room
            trainings = sorted(trainings, key=lambda t: t.plan.room.name)
        for training in trainings:
            lines.append({
                    'indicator': 'training',
                    'description': self._room_description(
                        self._line_room(training.plan.room), training.name),
                    'target': Decimal(1),
                    'quantity': Decimal(1 if training.done else 0),
                    })
        evaluations = Evaluation.search([
                ('room', 'in', room_ids),
                ('date', '>=', start),
                ('date', '<=', end),
                ], order=[('date', 'ASC'), ('id', 'ASC')])
        if not self.room:
            evaluations = sorted(evaluations, key=lambda e: e.room.name)
        for evaluation in evaluations:
            lines.append({
                    'indicator': 'evaluation',
                    'description': self._room_description(
                        self._line_room(evaluation.room), evaluation.theme),
                    'quantity': Decimal(1),
                    })
        return lines

    def get_lines(self):
        "Return the unsaved lines of the report, figures frozen now"
        pool = Pool()
        Line = pool.get('buurtwerkkamer.annual_report.line')
        Account = pool.get('account.account')
        Party = pool.get('party.party')
        lines = []
        sequence = 0

        def add(**values):
            nonlocal sequence
            sequence += 10
            lines.append(Line(report=self, sequence=sequence, **values))

        for values in self.get_content_lines():
            add(section='content', **values)

        ledger = self.get_ledger_amounts()
        budget = self.get_budget_amounts()
        account_ids = {k[-1] for k in ledger} | set(budget)
        accounts = {a.id: a for a in Account.browse(list(account_ids))}
        parties = {p.id: p for p in Party.browse(
                list({k[1] for k in ledger if k[0] == 'income' and k[1]}))}
        handgeld_accounts = self.get_handgeld_accounts()

        def account_key(account_id):
            account = accounts[account_id]
            return (account.code or '', account.name, account.id)

        income = sorted(
            (k for k in ledger if k[0] == 'income'),
            key=lambda k: (
                k[1] is None,
                parties[k[1]].rec_name if k[1] else '',
                k[2] != 'agreement',
                account_key(k[3])))
        for key in income:
            add(section='income', party=key[1], income_origin=key[2],
                account=key[3], amount=ledger[key])

        kinds = [k for k, _ in COST_KINDS]
        costs = sorted(
            (k for k in ledger if k[0] == 'cost'),
            key=lambda k: (kinds.index(k[1]), account_key(k[2])))
        for key in costs:
            add(section='cost', cost_kind=key[1], account=key[2],
                amount=ledger[key])

        budget_accounts = sorted(
            {k[1] for k in ledger if k[0] == 'budget'} | set(budget),
            key=lambda a: (
                bool(accounts[a].type.expense), account_key(a)))
        for account_id in budget_accounts:
            account = accounts[account_id]
            cost_kind = None
            if account.type.expense:
                cost_kind = account.room_cost_kind or 'other'
                if account_id in handgeld_accounts:
                    cost_kind = 'handgeld'
            add(section='budget', account=account_id, cost_kind=cost_kind,
                amount=ledger.get(('budget', account_id), Decimal(0)),
                budget=budget.get(account_id, Decimal(0)))
        return lines

    @classmethod
    def check_modification(cls, mode, reports, values=None, external=False):
        super().check_modification(
            mode, reports, values=values, external=external)
        if mode == 'delete':
            for report in reports:
                if report.state not in {'draft', 'computed'}:
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_annual_report_delete',
                            report=report.rec_name))
        elif mode == 'write' and values.keys() - cls._frozen_writable():
            for report in reports:
                if report.state != 'draft':
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_annual_report_frozen',
                            report=report.rec_name))

    @classmethod
    def _frozen_writable(cls):
        "The fields that the workflow writes once the figures are frozen"
        return {
            'state', 'computed_date', 'check_members', 'check_date',
            'check_samples', 'check_findings', 'check_advice',
            'accountant', 'approval_date', 'approval_statement', 'sent_date',
            }

    @classmethod
    def copy(cls, reports, default=None):
        default = default.copy() if default is not None else {}
        for name in [
                'lines', 'computed_date', 'check_members', 'check_date',
                'check_samples', 'check_findings', 'check_advice',
                'accountant', 'approval_date', 'approval_statement',
                'sent_date']:
            default.setdefault(name, None)
        return super().copy(reports, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('computed')
    def compute(cls, reports):
        pool = Pool()
        Line = pool.get('buurtwerkkamer.annual_report.line')
        for report in reports:
            if report.room and not report.room.analytic_account:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_annual_report_no_analytic',
                        room=report.room.rec_name))
        Line.delete(Line.search([
                    ('report', 'in', [r.id for r in reports]),
                    ]))
        lines = []
        for report in reports:
            lines.extend(report.get_lines())
        Line.save(lines)
        cls.write(list(reports), {
                'computed_date': dt.datetime.now(
                    dt.timezone.utc).replace(tzinfo=None),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, reports):
        pool = Pool()
        Line = pool.get('buurtwerkkamer.annual_report.line')
        Line.delete(Line.search([
                    ('report', 'in', [r.id for r in reports]),
                    ]))
        cls.write(list(reports), {
                'computed_date': None,
                })

    @classmethod
    @ModelView.button_action('buurtwerkkamer.wizard_annual_report_check')
    def check(cls, reports):
        pass

    @classmethod
    @Workflow.transition('checked')
    def record_check(cls, reports, values):
        cls.write(list(reports), values)

    @classmethod
    @ModelView.button_action('buurtwerkkamer.wizard_annual_report_approve')
    def approve(cls, reports):
        pass

    @classmethod
    @Workflow.transition('approved')
    def record_approval(cls, reports, values):
        cls.write(list(reports), values)

    @classmethod
    @ModelView.button
    @Workflow.transition('sent')
    def send(cls, reports):
        pool = Pool()
        Date = pool.get('ir.date')
        cls.write(list(reports), {
                'sent_date': Date.today(),
                })


    @classmethod
    def get_final(cls, fiscalyears):
        """Return the reports of the whole cooperative that make the figures
        of the fiscal years final, by fiscal year id"""
        fiscalyear_ids = list({f.id for f in fiscalyears})
        reports = {}
        if not fiscalyear_ids:
            return reports
        with without_check_access():
            for sub_ids in grouped_slice(
                    fiscalyear_ids, backend.MAX_QUERY_PARAMS):
                for report in cls.search([
                            ('fiscalyear', 'in', list(sub_ids)),
                            ('room', '=', None),
                            ('state', 'in', cls._final_states()),
                            ], order=[('id', 'ASC')]):
                    reports.setdefault(report.fiscalyear.id, report)
        return reports

    @classmethod
    def _final_states(cls):
        "The states in which a report makes the figures of its year final"
        return ['checked', 'approved', 'sent']


class AnnualReportLine(
        ServerFieldsMixin, RecordAccessMixin, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.annual_report.line'
    # The compute button makes the lines from the ledger and the records
    _server_fields = (
        'report', 'sequence', 'section', 'indicator', 'cost_kind',
        'description', 'party', 'income_origin', 'account', 'quantity',
        'target', 'amount', 'budget')

    report = fields.Many2One(
        'buurtwerkkamer.annual_report', "Report", required=True,
        ondelete='CASCADE')
    sequence = fields.Integer("Sequence")
    section = fields.Selection(SECTIONS, "Section", required=True)
    indicator = fields.Selection(INDICATORS, "Indicator")
    indicator_string = indicator.translated('indicator')
    cost_kind = fields.Selection([(None, '')] + COST_KINDS, "Kind of Cost")
    cost_kind_string = cost_kind.translated('cost_kind')
    description = fields.Char("Description")
    party = fields.Many2One(
        'party.party', "Party", ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    income_origin = fields.Selection(
        INCOME_ORIGINS, "Origin of the Income",
        help="Agreement: invoiced from an instalment of a yearly "
        "agreement.\n"
        "Other income: any other income, such as a subsidy decision, "
        "a fund or a donation.")
    income_origin_string = income_origin.translated('income_origin')
    account = fields.Many2One(
        'account.account', "Account", ondelete='RESTRICT')
    company = fields.Function(
        fields.Many2One('company.company', "Company"),
        'on_change_with_company')
    name = fields.Function(fields.Char("Name"), 'get_name')
    # Counts are whole numbers, only result obligations may have decimals
    quantity = fields.Numeric("Quantity", digits=(
            16, If(Eval('indicator') == 'obligation', 2, 0)))
    target = fields.Numeric("Target", digits=(
            16, If(Eval('indicator') == 'obligation', 2, 0)))
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    amount = Monetary(
        "Amount", currency='currency', digits='currency',
        help="As frozen when the report was computed.")
    budget = Monetary("Budget", currency='currency', digits='currency')
    ledger_amount = fields.Function(Monetary(
            "Amount in the Ledger", currency='currency', digits='currency'),
        'get_ledger_amount')
    difference = fields.Function(Monetary(
            "Difference", currency='currency', digits='currency',
            help="Posted or cancelled after the report was computed."),
        'get_ledger_amount')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('report')
        cls._rec_name = 'description'
        cls._order = [
            ('report', 'ASC'),
            ('sequence', 'ASC'),
            ('id', 'ASC'),
            ]

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        for line in lines:
            if line.report.state not in {'draft', 'computed'}:
                raise AccessError(gettext(
                        'buurtwerkkamer.msg_annual_report_line_frozen',
                        report=line.report.rec_name))

    @fields.depends('report', '_parent_report.company')
    def on_change_with_company(self, name=None):
        return self.report.company if self.report else None

    @fields.depends('report', '_parent_report.company')
    def on_change_with_currency(self, name=None):
        if self.report and self.report.company:
            return self.report.company.currency

    def get_rec_name(self, name):
        return self.name

    def get_name(self, name):
        if self.section == 'income':
            if not self.party:
                return gettext(
                    'buurtwerkkamer.msg_annual_report_other_income')
            if self.income_origin == 'other':
                return gettext(
                    'buurtwerkkamer.msg_annual_report_party_other_income',
                    party=self.party.rec_name)
            return self.party.rec_name
        elif self.section in {'cost', 'budget'} and self.account:
            return self.account.rec_name
        elif self.section == 'content':
            indicator = self.indicator_string
            if self.description:
                return '%s: %s' % (indicator, self.description)
            return indicator
        return self.description

    def _ledger_key(self):
        if self.section == 'income':
            return ('income', self.party.id if self.party else None,
                self.income_origin or 'other', self.account.id)
        elif self.section == 'cost':
            return ('cost', self.cost_kind, self.account.id)
        elif self.section == 'budget':
            return ('budget', self.account.id)

    @classmethod
    def get_ledger_amount(cls, lines, names):
        values = {n: {l.id: None for l in lines} for n in names}
        by_report = defaultdict(list)
        for line in lines:
            if (line.section != 'content'
                    and line.report.state != 'draft'):
                by_report[line.report].append(line)
        for report, report_lines in by_report.items():
            amounts = report.get_ledger_amounts()
            for line in report_lines:
                amount = amounts.get(line._ledger_key(), Decimal(0))
                if 'ledger_amount' in values:
                    values['ledger_amount'][line.id] = amount
                if 'difference' in values:
                    values['difference'][line.id] = amount - (
                        line.amount or Decimal(0))
        return values


class AnnualReportSample(RecordAccessMixin, ModelSQL):
    __name__ = 'buurtwerkkamer.annual_report-account.move.line'

    report = fields.Many2One(
        'buurtwerkkamer.annual_report', "Report", required=True,
        ondelete='CASCADE')
    line = fields.Many2One(
        'account.move.line', "Move Line", required=True,
        ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('report')


class ReportButtonWizardMixin:
    """A wizard behind a button of the annual report: whoever may read the
    report may open it, only the groups of the button may finish it, and
    only from the state the button is for"""
    __slots__ = ()
    _button = None
    _from_state = None
    _state_message = None

    @classmethod
    def check_access(cls):
        pool = Pool()
        ModelAccess = pool.get('ir.model.access')
        transaction = Transaction()
        if transaction.user == 0:
            return
        with check_access():
            ModelAccess.check('buurtwerkkamer.annual_report', 'read')
            context = transaction.context
            if context.get('active_model') == 'buurtwerkkamer.annual_report':
                Report = pool.get('buurtwerkkamer.annual_report')
                ids = list(context.get('active_ids') or [])
                if context.get('active_id') is not None:
                    ids.append(context['active_id'])
                Report.read(list(set(ids)), ['id'])

    def check_button_access(self):
        pool = Pool()
        Button = pool.get('ir.model.button')
        User = pool.get('res.user')
        transaction = Transaction()
        if transaction.user == 0:
            return
        groups = set(User.get_groups())
        button_groups = Button.get_groups(
            'buurtwerkkamer.annual_report', self._button)
        if not groups & button_groups:
            raise AccessError(gettext(
                    'ir.msg_access_wizard_error', wizard=self.__name__))

    def check_record_state(self):
        "Refuse a report that left the state (the transition would skip it)"
        if self.record.state != self._from_state:
            raise UserError(gettext(
                    self._state_message, report=self.record.rec_name))


class CheckStart(ModelView):
    __name__ = 'buurtwerkkamer.annual_report.check.start'

    report = fields.Many2One(
        'buurtwerkkamer.annual_report', "Report", readonly=True)
    company = fields.Many2One('company.company', "Company", readonly=True)
    fiscalyear = fields.Many2One(
        'account.fiscalyear', "Fiscal Year", readonly=True)
    analytic_accounts = fields.Many2Many(
        'analytic_account.account', None, None, "Analytic Accounts",
        readonly=True,
        help="The analytic accounts of the rooms of the report.")
    members = fields.Text(
        "Members", required=True,
        help="The members of the kascommissie who did the check, "
        "one per line.")
    date = fields.Date("Date", required=True)
    samples = fields.Many2Many(
        'account.move.line', None, None, "Sampled Entries",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('move_state', '=', 'posted'),
            ('period.fiscalyear', '=', Eval('fiscalyear', -1)),
            ('analytic_lines.account', 'in', Eval('analytic_accounts', [])),
            ],
        help="The posted entries of the rooms in the year whose receipts "
        "were checked.")
    findings = fields.Text("Findings", required=True)
    advice = fields.Text(
        "Advice to the General Meeting", required=True,
        help="For example to discharge the board "
        "(decharge verlenen) for the financial policy of the year.")


class Check(ReportButtonWizardMixin, Wizard):
    __name__ = 'buurtwerkkamer.annual_report.check'
    _button = 'check'
    _from_state = 'computed'
    _state_message = 'buurtwerkkamer.msg_annual_report_check_state'

    start = StateView(
        'buurtwerkkamer.annual_report.check.start',
        'buurtwerkkamer.annual_report_check_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Record Check", 'check', 'tryton-ok', default=True),
            ])
    check = StateTransition()

    def default_start(self, field_names):
        pool = Pool()
        Date = pool.get('ir.date')
        return {
            'report': self.record.id,
            'company': self.record.company.id,
            'fiscalyear': self.record.fiscalyear.id,
            'analytic_accounts': [a.id for a in self.get_analytic_accounts()],
            'date': Date.today(),
            }

    def get_analytic_accounts(self):
        "Return the analytic accounts of the rooms of the report"
        pool = Pool()
        Room = pool.get('buurtwerkkamer.room')
        report = self.record
        if report.room:
            rooms = [report.room]
        else:
            rooms = Room.search([('company', '=', report.company.id)])
        return [r.analytic_account for r in rooms if r.analytic_account]

    def transition_check(self):
        self.check_button_access()
        self.check_record_state()
        self.check_samples()
        self.check_difference()
        values = {
            'check_members': self.start.members,
            'check_date': self.start.date,
            'check_findings': self.start.findings,
            'check_advice': self.start.advice,
            'check_samples': [('add', [s.id for s in self.start.samples])],
            }
        with without_check_access():
            self.model.record_check([self.record], values)
        return 'end'

    def check_samples(self):
        "Refuse a sample that is not a posted entry of the report's rooms"
        pool = Pool()
        MoveLine = pool.get('account.move.line')
        report = self.record
        samples = {s.id: s for s in self.start.samples}
        if not samples:
            return
        with check_access():
            found = {l.id for l in MoveLine.search([
                        ('id', 'in', list(samples)),
                        ('company', '=', report.company.id),
                        ('move_state', '=', 'posted'),
                        ('period.fiscalyear', '=', report.fiscalyear.id),
                        ('analytic_lines.account', 'in', [
                                a.id for a in self.get_analytic_accounts()]),
                        ], order=[])}
        for line_id, line in samples.items():
            if line_id not in found:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_annual_report_check_sample',
                        report=report.rec_name,
                        line='%s (%s)' % (
                            line.description_used or line.move.rec_name,
                            line.account.rec_name)))

    def check_difference(self):
        "Warn when the ledger changed since the figures were frozen"
        pool = Pool()
        Lang = pool.get('ir.lang')
        Warning = pool.get('res.user.warning')
        report = self.record
        difference = report.difference
        if difference:
            key = Warning.format('annual_report_check_difference', [report])
            if Warning.check(key):
                lang = Lang.get()
                raise UserWarning(key, gettext(
                        'buurtwerkkamer.msg_annual_report_check_difference',
                        report=report.rec_name,
                        difference=lang.currency(
                            abs(difference), report.currency,
                            grouping=True)))


class ApproveStart(ModelView):
    __name__ = 'buurtwerkkamer.annual_report.approve.start'

    company = fields.Many2One('company.company', "Company", readonly=True)
    accountant = fields.Many2One(
        'party.party', "Accountant", required=True,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The accountancy firm that approves the report.")
    date = fields.Date("Date", required=True)
    statement = fields.Text(
        "Statement", required=True,
        help="The accountant's statement printed on the report.")


class Approve(ReportButtonWizardMixin, Wizard):
    __name__ = 'buurtwerkkamer.annual_report.approve'
    _button = 'approve'
    _from_state = 'checked'
    _state_message = 'buurtwerkkamer.msg_annual_report_approve_state'

    start = StateView(
        'buurtwerkkamer.annual_report.approve.start',
        'buurtwerkkamer.annual_report_approve_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Approve", 'approve', 'tryton-ok', default=True),
            ])
    approve = StateTransition()

    def default_start(self, field_names):
        pool = Pool()
        Date = pool.get('ir.date')
        return {
            'company': self.record.company.id,
            'date': Date.today(),
            }

    def transition_approve(self):
        self.check_button_access()
        self.check_record_state()
        values = {
            'accountant': self.start.accountant.id,
            'approval_date': self.start.date,
            'approval_statement': self.start.statement,
            }
        with without_check_access():
            self.model.record_approval([self.record], values)
        return 'end'


def members(report):
    "Return the names of the kascommissie members of report, one by one"
    names = report.check_members or ''
    if '\n' not in names.strip():
        # Written on one line, separated by commas
        names = names.replace(';', ',').replace(',', '\n')
    return [n.strip() for n in names.splitlines() if n.strip()]


class AnnualReportReport(DocumentMixin, Report):
    __name__ = 'buurtwerkkamer.annual_report'
    _draft_states = {'draft', 'computed'}

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Line = pool.get('buurtwerkkamer.annual_report.line')
        context = super().get_context(records, header, data)
        kinds = dict(Line.fields_get(['cost_kind'])['cost_kind']['selection'])
        context['cost_kinds'] = kinds
        context['cost_groups'] = cls.cost_groups
        context['budget_difference'] = cls.budget_difference
        context['members'] = members
        return context

    @staticmethod
    def budget_difference(line):
        """Return how much better than budgeted the line is: more income or
        less cost is positive"""
        difference = (line.amount or Decimal(0)) - (line.budget or Decimal(0))
        if line.cost_kind:
            difference = -difference
        return difference

    @staticmethod
    def cost_groups(report):
        "Return the cost lines grouped by kind with their subtotal"
        groups = []
        for line in report.cost_lines:
            if not groups or groups[-1][0] != line.cost_kind:
                groups.append((line.cost_kind, [], [Decimal(0)]))
            groups[-1][1].append(line)
            groups[-1][2][0] += line.amount or Decimal(0)
        return [(k, lines, total[0]) for k, lines, total in groups]


class WorkingPaper(DocumentMixin, Report):
    __name__ = 'buurtwerkkamer.annual_report.working_paper'
    _draft_states = {'draft', 'computed'}

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        context = super().get_context(records, header, data)
        # The attachments of every sampled entry at once
        resources = {str(r) for line in (
                l for record in records for l in record.check_samples)
            for r in cls._resources(line)}
        attachments = defaultdict(list)
        with without_check_access():
            for attachment in Attachment.search([
                        ('resource', 'in', sorted(resources)),
                        ]):
                attachments[str(attachment.resource)].append(attachment.name)
        context['receipts'] = partial(cls.receipts, attachments)
        context['sample_party'] = cls.sample_party
        context['sample_amount'] = cls.sample_amount
        context['members'] = members
        return context

    @staticmethod
    def _resources(line):
        "The entry and its origins, to which receipts are attached"
        return [line.move] + [o for o in [line.move.origin, line.origin]
            if o and o.id is not None and o.id >= 0]

    @classmethod
    def receipts(cls, attachments, line):
        """Return the documents behind the entry as a person names them: the
        invoice by its number and supplier, the files of the receipts"""
        move, *origins = cls._resources(line)
        documents = []
        for origin in origins:
            documents.extend(cls._origin_documents(origin, line))
        for resource in [move, *origins]:
            documents.extend(attachments[str(resource)])
        return ', '.join(dict.fromkeys(d for d in documents if d))

    @classmethod
    def _origin_documents(cls, origin, line):
        "Return the names of the documents of origin for the line"
        pool = Pool()
        Invoice = pool.get('account.invoice')
        InvoiceLine = pool.get('account.invoice.line')
        Period = pool.get('buurtwerkkamer.handgeld.period')
        if isinstance(origin, InvoiceLine):
            origin = origin.invoice
            if not origin:
                return []
        if isinstance(origin, Invoice):
            name = gettext('buurtwerkkamer.msg_working_paper_invoice',
                number=origin.number or '')
            details = [origin.party.rec_name if origin.party else '',
                origin.reference or origin.description or '']
            return [' - '.join(d for d in [name.strip(), *details] if d)]
        if isinstance(origin, Period):
            # The receipts of the month's expenses booked on the account
            return [e.receipt_name for e in origin.expenses
                if e.receipt_name and e.category.account == line.account]
        return [origin.rec_name]

    @staticmethod
    def sample_party(line):
        "Return the party of the entry: of the line or else of its entry"
        if line.party:
            return line.party.rec_name
        parties = [l.party.rec_name for l in line.move.lines if l.party]
        return ', '.join(dict.fromkeys(parties))

    @staticmethod
    def sample_amount(line):
        "Return the amount of the line, income and costs both positive"
        amount = (line.debit or 0) - (line.credit or 0)
        if line.account.type and line.account.type.revenue:
            amount = -amount
        return amount


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    @dualmethod
    @ModelView.button
    def post(cls, moves):
        cls.check_annual_report(moves)
        super().post(moves)

    @classmethod
    def check_annual_report(cls, moves):
        """Refuse to post into a fiscal year whose annual report of the
        whole cooperative has been checked or approved.
        The closing entry of the year that Tryton makes from the fiscal year
        is allowed: it does not change the figures of the report."""
        pool = Pool()
        AnnualReport = pool.get('buurtwerkkamer.annual_report')
        moves = [m for m in moves
            if m.state != 'posted' and not m._closes_fiscalyear()]
        reports = AnnualReport.get_final(
            {m.period.fiscalyear for m in moves})
        if not reports:
            return
        states = dict(AnnualReport.fields_get(['state'])['state']['selection'])
        for move in moves:
            report = reports.get(move.period.fiscalyear.id)
            if report:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_move_post_annual_report_final',
                        move=move.rec_name,
                        fiscalyear=move.period.fiscalyear.rec_name,
                        report=report.rec_name,
                        state=states.get(report.state, report.state)))

    def _closes_fiscalyear(self):
        "Whether the move is the closing entry of its fiscal year"
        pool = Pool()
        FiscalYear = pool.get('account.fiscalyear')
        return (isinstance(self.origin, FiscalYear)
            and self.origin == self.period.fiscalyear
            and self.period.type == 'adjustment'
            and self.journal.type == 'situation')
