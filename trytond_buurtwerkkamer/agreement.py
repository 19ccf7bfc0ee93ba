# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal

from sql import Literal, Null
from sql.aggregate import Sum
from sql.conditionals import Coalesce

from trytond import backend
from trytond.exceptions import UserError, UserWarning
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Workflow, fields,
    sequence_ordered)
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.company import CompanyReport
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, If
from trytond.tools import grouped_slice, sqlite_apply_types
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateAction, StateView, Wizard

from .access import RecordAccessMixin
from .document import DocumentMixin
from .ir import company_cron
from .server_fields import ServerFieldsMixin

# Up to four lists of values are sent per query
_IN_SIZE = backend.MAX_QUERY_PARAMS // 4

STATES = [
    ('draft', "Draft"),
    ('signed', "Signed"),
    ('evaluated', "Evaluated"),
    ('cancelled', "Cancelled"),
    ]


def _shift_year(date, years=1):
    "Return date moved by years, 29 February becoming 28 February"
    try:
        return date.replace(year=date.year + years)
    except ValueError:
        return date.replace(year=date.year + years, day=28)


class Service(RecordAccessMixin,
        DeactivableMixin, sequence_ordered(), ModelSQL, ModelView):
    "The services the cooperative delivers to a room"
    __name__ = 'buurtwerkkamer.service'

    code = fields.Char("Code", required=True, strip=True, size=20)
    name = fields.Char("Name", required=True, translate=True, size=100)
    description = fields.Text("Description", translate=True)

    @classmethod
    def __setup__(cls):
        cls.code.search_unaccented = False
        super().__setup__()
        cls._order.insert(1, ('code', 'ASC'))

    def get_rec_name(self, name):
        return '%s %s' % (self.code, self.name)

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


class Agreement(
        ServerFieldsMixin, RecordAccessMixin, Workflow, ModelSQL, ModelView):
    "Yearly agreement of a covenant between a partner and a room"
    __name__ = 'buurtwerkkamer.agreement'

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={
            'readonly': _states['readonly'] | Bool(Eval('covenant')),
            })
    covenant = fields.Many2One(
        'buurtwerkkamer.covenant', "Covenant", required=True,
        ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('state') == 'draft',
                ('state', 'in', ['draft', 'signed', 'active']),
                ()),
            ],
        states=_states)
    room = fields.Many2One(
        'buurtwerkkamer.room', "Room", required=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states=_states,
        help="One of the rooms of the covenant.")
    year = fields.Integer(
        "Year", required=True, states=_states,
        domain=[
            ('year', '>=', 1900),
            ])
    partner = fields.Many2One(
        'party.party', "Partner", required=True, ondelete='RESTRICT',
        states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The funder or partner who makes this agreement.")
    contribution = Monetary(
        "Contribution", currency='currency', digits='currency',
        required=True, states=_states,
        domain=[
            ('contribution', '>=', 0),
            ],
        help="What the partner contributes to the room in this year.")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    services = fields.Many2Many(
        'buurtwerkkamer.agreement-buurtwerkkamer.service',
        'agreement', 'service', "Services", states=_states,
        help="The services of the cooperative this agreement covers.")
    deadline = fields.Date(
        "Signing Deadline", required=True, states=_states,
        help="The agreement must be signed by this date, "
        "before the year starts.")
    signed_date = fields.Date(
        "Signing Date",
        states={
            'readonly': Eval('state') != 'draft',
            'required': Eval('state').in_(['signed', 'evaluated']),
            })
    signatory = fields.Char(
        "Signatory", states=_states,
        help="Who signed on behalf of the partner.")
    signatory_function = fields.Char(
        "Signatory Function", states=_states,
        help="The function of who signed on behalf of the partner.")
    document = fields.Binary(
        "Signed Document", filename='document_name', file_id='document_id',
        states={
            'readonly': Eval('state').in_(['evaluated', 'cancelled']),
            })
    document_name = fields.Char(
        "Document Name",
        states={
            'readonly': Eval('state').in_(['evaluated', 'cancelled']),
            })
    document_id = fields.Char("Document ID", readonly=True)
    obligations = fields.One2Many(
        'buurtwerkkamer.agreement.obligation', 'agreement',
        "Result Obligations",
        states={
            'readonly': Eval('state').in_(['evaluated', 'cancelled']),
            })
    instalments = fields.One2Many(
        'buurtwerkkamer.agreement.instalment', 'agreement', "Instalments",
        states=_states,
        help="When the contribution is invoiced to the partner.\n"
        "Leave empty to invoice the whole contribution "
        "on the first day of the year.")
    invoices = fields.Function(fields.Many2Many(
            'account.invoice', None, None, "Invoices"), 'get_invoices')
    funding_application = fields.Many2One(
        'buurtwerkkamer.funding.application', "Funding Application",
        readonly=True, ondelete='RESTRICT',
        help="The granted funding application this agreement comes from.")
    evaluation = fields.Text(
        "Evaluation",
        states={
            'readonly': Eval('state') != 'signed',
            })
    unspent_amount = Monetary(
        "Unspent Subsidy", currency='currency', digits='currency',
        readonly=True,
        help="What was left of the invoiced contribution at the end of "
        "the year after the room's costs, as settled by the treasurer.")
    unspent_treatment = fields.Selection([
            (None, ''),
            ('defer', "Deferred to the Next Year"),
            ('repay', "To Be Repaid"),
            ], "Unspent Subsidy Treatment", readonly=True)
    unspent_move = fields.Many2One(
        'account.move', "Unspent Subsidy Entry", readonly=True,
        ondelete='SET NULL',
        help="The entry that moves the unspent subsidy from the income "
        "of the year to the deferred subsidies or to repay.")
    notes = fields.Text("Notes")
    deadline_near = fields.Function(
        fields.Boolean(
            "Deadline Near",
            help="The agreement is not signed and its signing deadline "
            "is near or past."),
        'get_deadline_near', searcher='search_deadline_near')
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)

    del _states

    # The fields that can still change once the agreement is signed
    _modifiable_fields = {
        'signed': {
            'document', 'document_name', 'document_id', 'obligations',
            'evaluation', 'notes', 'state', 'unspent_amount',
            'unspent_treatment', 'unspent_move'},
        'evaluated': {
            'notes', 'state', 'unspent_amount', 'unspent_treatment',
            'unspent_move'},
        }

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(
                    t,
                    (t.covenant, Index.Range()),
                    (t.year, Index.Range())),
                Index(
                    t, (t.state, Index.Equality(cardinality='low')),
                    where=t.state == 'draft'),
                })
        cls._order = [
            ('year', 'DESC'),
            ('room', 'ASC'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'signed'),
            ('signed', 'evaluated'),
            ('evaluated', 'signed'),
            ('draft', 'cancelled'),
            ('signed', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'sign': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'evaluate': {
                    'invisible': Eval('state') != 'signed',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': Eval('state') != 'evaluated',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'signed']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'cancelled',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                'invoice': {
                    'invisible': Eval('state') != 'signed',
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

    @classmethod
    def default_year(cls):
        return Pool().get('ir.date').today().year + 1

    @classmethod
    def default_deadline(cls):
        return cls._default_deadline(cls.default_year())

    @classmethod
    def _default_deadline(cls, year):
        """Return the default signing deadline for the year: the first of
        December before it; when that has passed but the year has not
        started, a fortnight from today, still before the year starts"""
        today = Pool().get('ir.date').today()
        deadline = dt.date(year - 1, 12, 1)
        last_day = dt.date(year - 1, 12, 31)
        if deadline < today <= last_day:
            deadline = min(today + dt.timedelta(days=14), last_day)
        return deadline

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('covenant', '_parent_covenant.company')
    def on_change_covenant(self):
        if self.covenant:
            self.company = self.covenant.company

    @fields.depends('year')
    def on_change_year(self):
        if self.year and self.year >= 1900:
            self.deadline = self._default_deadline(self.year)

    @fields.depends(
        'covenant', 'partner', 'contribution',
        '_parent_covenant.partners')
    def on_change_partner(self):
        if self.covenant and self.partner and not self.contribution:
            self.contribution = sum(
                (p.yearly_commitment or 0 for p in self.covenant.partners
                    if p.party == self.partner), Decimal(0))

    def get_rec_name(self, name):
        return '%s %s - %s' % (
            self.year, self.room.rec_name, self.partner.rec_name)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('room.rec_name', operator, operand, *extra),
            ('partner.rec_name', operator, operand, *extra),
            ('covenant.rec_name', operator, operand, *extra),
            ]

    def get_invoices(self, name):
        return [i.invoice.id for i in self.instalments if i.invoice]

    @classmethod
    def _deadline_limit(cls):
        "Return the last deadline that counts as near"
        pool = Pool()
        Date = pool.get('ir.date')
        Configuration = pool.get('buurtwerkkamer.configuration')
        days = Configuration(1).agreement_deadline_notice or 0
        return Date.today() + dt.timedelta(days=days)

    def get_deadline_near(self, name):
        return (self.state == 'draft'
            and self.deadline <= self._deadline_limit())

    @classmethod
    def search_deadline_near(cls, name, clause):
        _, operator, value = clause
        limit = cls._deadline_limit()
        if (operator == '=') == bool(value):
            return [
                ('state', '=', 'draft'),
                ('deadline', '<=', limit),
                ]
        else:
            return ['OR',
                ('state', '!=', 'draft'),
                ('deadline', '>', limit),
                ]

    @classmethod
    def copy(cls, agreements, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('signed_date', None)
        default.setdefault('signatory', None)
        default.setdefault('signatory_function', None)
        default.setdefault('document', None)
        default.setdefault('document_name', None)
        default.setdefault('evaluation', None)
        default.setdefault('funding_application', None)
        default.setdefault('unspent_amount', None)
        default.setdefault('unspent_treatment', None)
        default.setdefault('unspent_move', None)
        return super().copy(agreements, default=default)

    @classmethod
    def check_modification(
            cls, mode, agreements, values=None, external=False):
        super().check_modification(
            mode, agreements, values=values, external=external)
        if mode == 'delete':
            for agreement in agreements:
                if agreement.state not in {'draft', 'cancelled'}:
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_agreement_delete_draft',
                            agreement=agreement.rec_name))
        elif mode == 'write':
            for agreement in agreements:
                modifiable = cls._modifiable_fields.get(agreement.state)
                if modifiable is not None and values.keys() - modifiable:
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_agreement_modify_signed',
                            agreement=agreement.rec_name))

    @classmethod
    def validate_fields(cls, agreements, field_names):
        super().validate_fields(agreements, field_names)
        cls.check_covenant(agreements, field_names)
        cls.check_commitment(agreements, field_names)

    @classmethod
    def check_covenant(cls, agreements, field_names=None):
        "Check the year, room and partner belong to the covenant"
        if field_names and not (field_names & {
                    'covenant', 'year', 'room', 'partner'}):
            return
        for agreement in agreements:
            covenant = agreement.covenant
            if not (covenant.start_date.year
                    <= agreement.year
                    <= covenant.end_date.year):
                raise ValidationError(gettext(
                        'buurtwerkkamer.msg_agreement_year_outside_covenant',
                        agreement=agreement.rec_name,
                        year=agreement.year,
                        covenant=covenant.rec_name,
                        start=covenant.start_date.year,
                        end=covenant.end_date.year))
            if agreement.room not in covenant.rooms:
                raise ValidationError(gettext(
                        'buurtwerkkamer.msg_agreement_room_not_in_covenant',
                        agreement=agreement.rec_name,
                        room=agreement.room.rec_name,
                        covenant=covenant.rec_name))
            if agreement.partner not in {p.party for p in covenant.partners}:
                raise ValidationError(gettext(
                        'buurtwerkkamer.msg_agreement_partner_not_in_covenant',
                        agreement=agreement.rec_name,
                        partner=agreement.partner.rec_name,
                        covenant=covenant.rec_name))

    @classmethod
    def check_commitment(cls, agreements, field_names=None):
        """Check the agreements of a partner in a year stay within
        the yearly commitment of the partner in the covenant"""
        if field_names and not (field_names & {
                    'covenant', 'year', 'partner', 'contribution', 'state'}):
            return
        keys = {(a.covenant.id, a.partner.id, a.year) for a in agreements}
        if not keys:
            return
        contributions = defaultdict(Decimal)
        for sub_keys in grouped_slice(list(keys), _IN_SIZE):
            sub_keys = list(sub_keys)
            others = cls.search([
                    ('covenant', 'in', list({k[0] for k in sub_keys})),
                    ('partner', 'in', list({k[1] for k in sub_keys})),
                    ('year', 'in', list({k[2] for k in sub_keys})),
                    ('state', '!=', 'cancelled'),
                    ])
            for other in others:
                key = (other.covenant.id, other.partner.id, other.year)
                if key in keys:
                    contributions[key] += other.contribution
        checked = set()
        for agreement in agreements:
            key = (agreement.covenant.id, agreement.partner.id, agreement.year)
            if key in checked:
                continue
            checked.add(key)
            commitment = sum(
                (p.yearly_commitment or 0
                    for p in agreement.covenant.partners
                    if p.party == agreement.partner), Decimal(0))
            if contributions[key] > commitment:
                lang = Pool().get('ir.lang').get()
                raise ValidationError(gettext(
                        'buurtwerkkamer.msg_agreement_contribution_exceeds',
                        partner=agreement.partner.rec_name,
                        year=agreement.year,
                        covenant=agreement.covenant.rec_name,
                        amount=lang.currency(
                            contributions[key], agreement.currency,
                            grouping=True),
                        commitment=lang.currency(
                            commitment, agreement.currency, grouping=True)))

    @classmethod
    def check_unique_signed(cls, agreements):
        "Check there is only one signed agreement per partner, room and year"
        keys = defaultdict(list)
        for agreement in agreements:
            keys[(agreement.covenant.id, agreement.room.id,
                    agreement.partner.id, agreement.year)].append(agreement)
        for sub_keys in grouped_slice(list(keys), _IN_SIZE):
            sub_keys = list(sub_keys)
            others = cls.search([
                    ('covenant', 'in', list({k[0] for k in sub_keys})),
                    ('room', 'in', list({k[1] for k in sub_keys})),
                    ('partner', 'in', list({k[2] for k in sub_keys})),
                    ('year', 'in', list({k[3] for k in sub_keys})),
                    ('state', 'in', ['signed', 'evaluated']),
                    ])
            for other in others:
                key = (other.covenant.id, other.room.id, other.partner.id,
                    other.year)
                if key in keys and other not in keys[key]:
                    keys[key].append(other)
        for key, same in keys.items():
            if len(same) > 1:
                agreement = same[0]
                raise ValidationError(gettext(
                        'buurtwerkkamer.msg_agreement_signed_twice',
                        partner=agreement.partner.rec_name,
                        room=agreement.room.rec_name,
                        year=agreement.year,
                        covenant=agreement.covenant.rec_name))

    @classmethod
    def check_instalments(cls, agreements):
        "Check the instalments add up to the contribution"
        pool = Pool()
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        for agreement in agreements:
            if not agreement.instalments:
                continue
            total = sum(i.amount for i in agreement.instalments)
            if total != agreement.contribution:
                raise ValidationError(gettext(
                        'buurtwerkkamer.msg_agreement_instalments_total',
                        agreement=agreement.rec_name,
                        total=lang.currency(
                            total, agreement.currency, grouping=True),
                        contribution=lang.currency(
                            agreement.contribution, agreement.currency,
                            grouping=True)))

    @classmethod
    @ModelView.button
    @Workflow.transition('signed')
    def sign(cls, agreements):
        pool = Pool()
        Date = pool.get('ir.date')
        Instalment = pool.get('buurtwerkkamer.agreement.instalment')
        for agreement in agreements:
            if agreement.covenant.state not in {'signed', 'active'}:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_agreement_covenant_not_signed',
                        agreement=agreement.rec_name,
                        covenant=agreement.covenant.rec_name))
        cls.check_covenant(agreements)
        cls.check_unique_signed(agreements)
        cls.check_instalments(agreements)
        Instalment.save([
                Instalment(
                    agreement=a, date=dt.date(a.year, 1, 1),
                    amount=a.contribution)
                for a in agreements
                if not a.instalments and a.contribution])
        cls.write([a for a in agreements if not a.signed_date], {
                'signed_date': Date.today(),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('evaluated')
    def evaluate(cls, agreements):
        for agreement in agreements:
            for obligation in agreement.obligations:
                if obligation.realised is None:
                    raise UserError(gettext(
                            'buurtwerkkamer.msg_agreement_obligation_'
                            'not_realised',
                            agreement=agreement.rec_name,
                            obligation=obligation.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('signed')
    def reopen(cls, agreements):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, agreements):
        for agreement in agreements:
            if any(i.invoice and i.invoice.state != 'cancelled'
                    for i in agreement.instalments):
                raise UserError(gettext(
                        'buurtwerkkamer.msg_agreement_cancel_invoiced',
                        agreement=agreement.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, agreements):
        cls.write(list(agreements), {'signed_date': None})

    @classmethod
    @ModelView.button
    def invoice(cls, agreements):
        """Invoice and post the instalments that are due.
        An instalment due in a closed period or year, or in a year whose
        annual report is final, is booked today in the open year when the
        user accepts the warning, otherwise nothing is invoiced."""
        pool = Pool()
        Date = pool.get('ir.date')
        Instalment = pool.get('buurtwerkkamer.agreement.instalment')
        Warning = pool.get('res.user.warning')
        today = Date.today()
        instalments = [
            i for a in agreements if a.state == 'signed'
            for i in a.instalments if not i.invoice and i.date <= today]
        late = Instalment.get_late(instalments)
        if late:
            instalment, reason = next(iter(late.items()))
            key = Warning.format('instalment_late', list(late))
            if Warning.check(key):
                raise UserWarning(key, gettext(
                        'buurtwerkkamer.msg_instalment_late',
                        instalment=instalment.rec_name,
                        reason=reason,
                        count=len(late)))
        # The button is restricted to the groups allowed to invoice
        with without_check_access():
            Instalment.create_invoices(instalments, late=bool(late))

    @classmethod
    @company_cron
    def invoice_due_instalments(cls, date=None):
        "Invoice the due instalments of all signed agreements"
        pool = Pool()
        Date = pool.get('ir.date')
        Instalment = pool.get('buurtwerkkamer.agreement.instalment')
        if date is None:
            date = Date.today()
        instalments = Instalment.search([
                ('agreement.company', '=', Transaction().context['company']),
                ('agreement.state', '=', 'signed'),
                ('invoice', '=', None),
                ('date', '<=', date),
                ])
        # An instalment due in a closed or reported year waits for the
        # user to book it in the open year with the invoice button
        late = Instalment.get_late(instalments)
        instalments = [i for i in instalments if i not in late]
        return Instalment.create_invoices(instalments)

    @classmethod
    def renew(cls, agreements):
        """Create the agreements of the next year from the agreements
        and return them.
        An agreement that already exists for the next year is skipped."""
        pool = Pool()
        Obligation = pool.get('buurtwerkkamer.agreement.obligation')
        Instalment = pool.get('buurtwerkkamer.agreement.instalment')

        agreements = [a for a in agreements if a.state != 'cancelled']
        existing = set()
        for sub_agreements in grouped_slice(agreements, _IN_SIZE):
            sub_agreements = list(sub_agreements)
            for other in cls.search([
                        ('covenant', 'in',
                            list({a.covenant.id for a in sub_agreements})),
                        ('year', 'in',
                            list({a.year + 1 for a in sub_agreements})),
                        ('state', '!=', 'cancelled'),
                        ]):
                existing.add((other.covenant.id, other.room.id,
                        other.partner.id, other.year))
        new_agreements = []
        for agreement in agreements:
            year = agreement.year + 1
            key = (agreement.covenant.id, agreement.room.id,
                agreement.partner.id, year)
            if key in existing:
                continue
            existing.add(key)
            new_agreements.append(cls(
                    company=agreement.company,
                    covenant=agreement.covenant,
                    room=agreement.room,
                    year=year,
                    partner=agreement.partner,
                    contribution=agreement.contribution,
                    services=agreement.services,
                    deadline=_shift_year(agreement.deadline),
                    obligations=[Obligation(
                            description=o.description,
                            indicator=o.indicator,
                            target=o.target,
                            ) for o in agreement.obligations],
                    instalments=[Instalment(
                            date=_shift_year(i.date),
                            amount=i.amount,
                            ) for i in agreement.instalments],
                    notes=agreement.notes,
                    ))
        cls.save(new_agreements)
        return new_agreements

    @classmethod
    def get_unspent_amounts(cls, company, fiscalyear):
        """Return the unspent subsidy of the agreements of the fiscal year
        that are not settled, as a dictionary agreement: amount.

        The contribution invoiced in the fiscal year of the agreements of a
        room is spent first on the room's costs of the year (the posted
        expense lines with its analytic account); what is left is shared
        over the room's agreements in proportion to what they invoiced."""
        pool = Pool()
        AnalyticLine = pool.get('analytic_account.line')
        MoveLine = pool.get('account.move.line')
        Move = pool.get('account.move')
        Account = pool.get('account.account')
        AccountType = pool.get('account.account.type')
        cursor = Transaction().connection.cursor()

        agreements = cls.search([
                ('company', '=', company.id),
                ('year', '=', fiscalyear.start_date.year),
                ('state', 'in', ['signed', 'evaluated']),
                ('unspent_move', '=', None),
                ('contribution', '>', 0),
                ])
        invoiced = defaultdict(Decimal)
        for agreement in agreements:
            for instalment in agreement.instalments:
                invoice = instalment.invoice
                if (invoice and invoice.state in {'posted', 'paid'}
                        and invoice.move
                        and fiscalyear.start_date <= invoice.move.date
                        <= fiscalyear.end_date):
                    invoiced[agreement] += invoice.untaxed_amount
        rooms = {a.room for a in agreements if invoiced[a]}
        accounts = {
            r.analytic_account.id: r for r in rooms if r.analytic_account}
        costs = defaultdict(Decimal)
        if accounts:
            analytic_line = AnalyticLine.__table__()
            line = MoveLine.__table__()
            move = Move.__table__()
            account = Account.__table__()
            type_ = AccountType.__table__()
            for sub_ids in grouped_slice(list(accounts), _IN_SIZE):
                query = (analytic_line
                    .join(line, condition=analytic_line.move_line == line.id)
                    .join(move, condition=line.move == move.id)
                    .join(account, condition=line.account == account.id)
                    .join(type_, condition=account.type == type_.id)
                    .select(
                        analytic_line.account.as_('account'),
                        Sum(Coalesce(analytic_line.debit, 0)
                            - Coalesce(analytic_line.credit, 0)
                            ).as_('amount'),
                        where=(analytic_line.account.in_(list(sub_ids))
                            & (move.company == company.id)
                            & (move.state == 'posted')
                            & (move.date >= fiscalyear.start_date)
                            & (move.date <= fiscalyear.end_date)
                            & (type_.expense == Literal(True))),
                        group_by=[analytic_line.account]))
                if backend.name == 'sqlite':
                    sqlite_apply_types(query, [None, 'NUMERIC'])
                cursor.execute(*query)
                for account_id, amount in cursor:
                    costs[accounts[account_id]] += Decimal(amount or 0)
        currency = company.currency
        amounts = {}
        for room in rooms:
            room_agreements = sorted(
                (a for a in agreements if a.room == room and invoiced[a]),
                key=lambda a: (-invoiced[a], a.id))
            total = sum(invoiced[a] for a in room_agreements)
            unspent = currency.round(max(total - costs[room], Decimal(0)))
            if not unspent:
                continue
            shares = [currency.round(unspent * invoiced[a] / total)
                for a in room_agreements]
            # The rounding difference goes to the largest
            shares[0] += unspent - sum(shares)
            for agreement, share in zip(room_agreements, shares):
                if share:
                    amounts[agreement] = share
        return amounts

    @classmethod
    def settle_unspent(
            cls, company, fiscalyear, treatment, account, journal, date):
        """Post an entry per agreement of the fiscal year that moves its
        unspent subsidy from the income to account, and return them"""
        pool = Pool()
        Configuration = pool.get('buurtwerkkamer.configuration')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        AnalyticLine = pool.get('analytic_account.line')
        Period = pool.get('account.period')
        Lang = pool.get('ir.lang')
        amounts = cls.get_unspent_amounts(company, fiscalyear)
        if not amounts:
            raise UserError(gettext(
                    'buurtwerkkamer.msg_agreement_nothing_unspent',
                    fiscalyear=fiscalyear.rec_name))
        revenue = Configuration(1).get_multivalue(
            'agreement_account', company=company.id)
        period = Period.find(company, date=date)
        lang = Lang.get()
        moves = []
        for agreement, amount in sorted(
                amounts.items(), key=lambda i: i[0].id):
            description = gettext(
                'buurtwerkkamer.msg_agreement_unspent_description_'
                + treatment,
                agreement=agreement.rec_name,
                amount=lang.currency(amount, company.currency))
            income = Line(
                account=revenue, debit=amount, credit=0,
                description=description,
                analytic_lines=[AnalyticLine(
                        account=agreement.room.analytic_account,
                        debit=amount, credit=0, date=date)])
            if revenue.party_required:
                income.party = agreement.partner
            liability = Line(
                account=account, debit=0, credit=amount,
                description=description)
            if account.party_required:
                liability.party = agreement.partner
            moves.append(Move(
                    company=company, journal=journal, period=period,
                    date=date, origin=agreement, description=description,
                    lines=[income, liability]))
        Move.save(moves)
        Move.post(moves)
        for (agreement, amount), move in zip(
                sorted(amounts.items(), key=lambda i: i[0].id), moves):
            agreement.unspent_amount = amount
            agreement.unspent_treatment = treatment
            agreement.unspent_move = move
        cls.save(list(amounts))
        return moves

    @classmethod
    @company_cron
    def notify_deadlines(cls):
        "Notify the administration of the deadlines of the agreements"
        pool = Pool()
        Covenant = pool.get('buurtwerkkamer.covenant')
        ModelData = pool.get('ir.model.data')
        Notification = pool.get('res.notification')
        User = pool.get('res.user')

        company_id = Transaction().context['company']
        agreements = cls.search([
                ('company', '=', company_id),
                ('deadline_near', '=', True),
                ])
        covenants = Covenant.search([
                ('company', '=', company_id),
                ('ending_soon', '=', True),
                ])
        group_id = ModelData.get_id('buurtwerkkamer', 'group_administration')
        users = User.search([
                ('groups', '=', group_id),
                ('companies', '=', company_id),
                ])
        notifications = []
        for user in users:
            if agreements:
                notifications.append(Notification(
                        user=user,
                        label=gettext(
                            'buurtwerkkamer.msg_agreement_deadline_label',
                            count=len(agreements)),
                        description=', '.join(
                            a.rec_name for a in agreements[:5]),
                        icon='tryton-warning',
                        model=cls.__name__,
                        records=json.dumps([a.id for a in agreements])))
            if covenants:
                notifications.append(Notification(
                        user=user,
                        label=gettext(
                            'buurtwerkkamer.msg_covenant_ending_label',
                            count=len(covenants)),
                        description=', '.join(
                            c.rec_name for c in covenants[:5]),
                        icon='tryton-warning',
                        model=Covenant.__name__,
                        records=json.dumps([c.id for c in covenants])))
        Notification.save(notifications)
        return notifications


class AgreementService(RecordAccessMixin, ModelSQL):
    __name__ = 'buurtwerkkamer.agreement-buurtwerkkamer.service'
    agreement = fields.Many2One(
        'buurtwerkkamer.agreement', "Agreement", required=True,
        ondelete='CASCADE')
    service = fields.Many2One(
        'buurtwerkkamer.service', "Service", required=True,
        ondelete='RESTRICT')


class Obligation(RecordAccessMixin, sequence_ordered(), ModelSQL, ModelView):
    "Result obligation of a yearly agreement"
    __name__ = 'buurtwerkkamer.agreement.obligation'

    _states = {
        'readonly': Eval('agreement_state') != 'draft',
        }
    _result_states = {
        'readonly': Eval('agreement_state') != 'signed',
        }

    agreement = fields.Many2One(
        'buurtwerkkamer.agreement', "Agreement", required=True,
        ondelete='CASCADE', states=_states)
    description = fields.Char(
        "Description", required=True, states=_states,
        help="The result the cooperative commits to.")
    indicator = fields.Char(
        "Indicator", states=_states,
        help="How the result is measured, e.g. \"visitors per week\".")
    target = fields.Numeric(
        "Target", digits=(16, 2), states=_states)
    realised = fields.Numeric(
        "Realised", digits=(16, 2), states=_result_states)
    evaluation = fields.Text("Evaluation", states=_result_states)
    achieved = fields.Boolean("Achieved", states=_result_states)
    agreement_state = fields.Function(
        fields.Selection(STATES, "Agreement State"),
        'on_change_with_agreement_state')

    del _states, _result_states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('agreement')

    @staticmethod
    def default_achieved():
        return False

    @fields.depends('agreement', '_parent_agreement.state')
    def on_change_with_agreement_state(self, name=None):
        if self.agreement:
            return self.agreement.state

    @fields.depends('target', 'realised')
    def on_change_realised(self):
        if self.target is not None and self.realised is not None:
            self.achieved = self.realised >= self.target

    def get_rec_name(self, name):
        return self.description

    @classmethod
    def check_modification(
            cls, mode, obligations, values=None, external=False):
        super().check_modification(
            mode, obligations, values=values, external=external)
        if mode in {'create', 'delete'}:
            for obligation in obligations:
                if obligation.agreement.state != 'draft':
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_obligation_modify_draft',
                            agreement=obligation.agreement.rec_name))
        elif mode == 'write':
            for obligation in obligations:
                state = obligation.agreement.state
                modifiable = {'sequence'}
                if state == 'signed':
                    modifiable |= {'realised', 'evaluation', 'achieved'}
                if (state in {'signed', 'evaluated'}
                        and values.keys() - modifiable):
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_obligation_modify_signed',
                            obligation=obligation.rec_name,
                            agreement=obligation.agreement.rec_name))


class Instalment(ServerFieldsMixin, RecordAccessMixin, ModelSQL, ModelView):
    "Instalment of the contribution of a yearly agreement"
    __name__ = 'buurtwerkkamer.agreement.instalment'

    agreement = fields.Many2One(
        'buurtwerkkamer.agreement', "Agreement", required=True,
        ondelete='CASCADE',
        states={
            'readonly': Bool(Eval('invoice')),
            })
    date = fields.Date(
        "Date", required=True,
        states={
            'readonly': Bool(Eval('invoice')),
            },
        help="The day the instalment is invoiced to the partner.")
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        domain=[
            ('amount', '>', 0),
            ],
        states={
            'readonly': Bool(Eval('invoice')),
            })
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    invoice = fields.Many2One(
        'account.invoice', "Invoice", readonly=True, ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('agreement')
        cls._order = [
            ('agreement', 'ASC'),
            ('date', 'ASC'),
            ('id', 'ASC'),
            ]

    @fields.depends('agreement', '_parent_agreement.company')
    def on_change_with_currency(self, name=None):
        if self.agreement and self.agreement.company:
            return self.agreement.company.currency

    def get_rec_name(self, name):
        return '%s %s' % (self.agreement.rec_name, self.date)

    @classmethod
    def copy(cls, instalments, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('invoice', None)
        return super().copy(instalments, default=default)

    @classmethod
    def check_modification(
            cls, mode, instalments, values=None, external=False):
        super().check_modification(
            mode, instalments, values=values, external=external)
        if mode in {'write', 'delete'}:
            for instalment in instalments:
                if instalment.invoice and (mode == 'delete'
                        or set(values) - {'invoice'}):
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_instalment_invoiced',
                            instalment=instalment.rec_name))
        for instalment in instalments:
            if (instalment.agreement.state in {'signed', 'evaluated'}
                    and (mode != 'write' or set(values) - {'invoice'})):
                raise AccessError(gettext(
                        'buurtwerkkamer.msg_instalment_modify_signed',
                        agreement=instalment.agreement.rec_name))

    def get_invoice(self, account, date=None):
        """Return the customer invoice of the instalment

        The invoice is dated on the day it is booked, so that it is numbered
        by the invoice sequence of the fiscal year of that day (see
        get_booking_dates)."""
        pool = Pool()
        Configuration = pool.get('buurtwerkkamer.configuration')
        Invoice = pool.get('account.invoice')
        InvoiceLine = pool.get('account.invoice.line')
        AnalyticEntry = pool.get('analytic.account.entry')
        agreement = self.agreement
        invoice = Invoice(
            company=agreement.company,
            type='out',
            party=agreement.partner,
            currency=agreement.company.currency,
            invoice_date=date or self.date,
            accounting_date=None,
            comment=Configuration(1).get_vat_notice(agreement.company),
            description=gettext(
                'buurtwerkkamer.msg_agreement_invoice_description',
                year=agreement.year,
                room=agreement.room.rec_name),
            reference=agreement.covenant.number,
            )
        invoice.on_change_type()
        room_account = agreement.room.analytic_account
        line = InvoiceLine(
            invoice=invoice,
            company=agreement.company,
            currency=invoice.currency,
            type='line',
            account=account,
            description=gettext(
                'buurtwerkkamer.msg_agreement_invoice_line',
                year=agreement.year,
                room=agreement.room.rec_name,
                covenant=agreement.covenant.rec_name),
            quantity=1,
            unit_price=self.amount,
            origin=self,
            taxes=[],
            analytic_accounts=[AnalyticEntry(
                    root=room_account.root,
                    account=room_account)] if room_account else [],
            )
        invoice.lines = [line]
        return invoice

    @classmethod
    def get_late(cls, instalments):
        """Return the instalments that cannot be booked on their date, with
        the reason: their period or fiscal year is closed, or the annual
        report of the whole cooperative for their year is final"""
        pool = Pool()
        Period = pool.get('account.period')
        AnnualReport = pool.get('buurtwerkkamer.annual_report')
        periods = {}
        for instalment in instalments:
            if instalment.invoice:
                continue
            company = instalment.agreement.company
            key = (company.id, instalment.date)
            if key not in periods:
                periods[key] = Period.find(
                    company, date=instalment.date, test_state=False)
        reports = AnnualReport.get_final(
            {p.fiscalyear for p in periods.values()})
        late = {}
        for instalment in instalments:
            if instalment.invoice:
                continue
            period = periods[
                (instalment.agreement.company.id, instalment.date)]
            fiscalyear = period.fiscalyear
            if fiscalyear.state != 'open':
                reason = gettext(
                    'buurtwerkkamer.msg_instalment_late_fiscalyear',
                    fiscalyear=fiscalyear.rec_name)
            elif fiscalyear.id in reports:
                reason = gettext(
                    'buurtwerkkamer.msg_instalment_late_report',
                    fiscalyear=fiscalyear.rec_name,
                    report=reports[fiscalyear.id].rec_name)
            elif period.state != 'open':
                reason = gettext(
                    'buurtwerkkamer.msg_instalment_late_period',
                    period=period.rec_name)
            else:
                continue
            late[instalment] = reason
        return late

    @classmethod
    def get_booking_dates(cls, instalments, late=False):
        """Return the day on which each instalment is invoiced and booked

        It is the date of the instalment, so that the income falls in its
        period; but not before the last customer invoice numbered in that
        fiscal year, because the numbers of an invoice sequence follow the
        invoice dates.
        An instalment that cannot be booked in its year (see get_late) is
        refused, or booked today when late is set."""
        pool = Pool()
        Date = pool.get('ir.date')
        Invoice = pool.get('account.invoice')
        Period = pool.get('account.period')
        late_instalments = cls.get_late(instalments)
        if late_instalments and not late:
            instalment, reason = next(iter(late_instalments.items()))
            raise UserError(gettext(
                    'buurtwerkkamer.msg_instalment_late_refused',
                    instalment=instalment.rec_name,
                    reason=reason))
        dates, last_dates, todays = {}, {}, {}
        for instalment in instalments:
            company = instalment.agreement.company
            if instalment in late_instalments:
                if company.id not in todays:
                    with Transaction().set_context(company=company.id):
                        todays[company.id] = Date.today()
                dates[instalment] = todays[company.id]
                continue
            fiscalyear = Period.find(
                company, date=instalment.date).fiscalyear
            if fiscalyear.id not in last_dates:
                last = Invoice.search([
                        ('company', '=', company.id),
                        ('type', '=', 'out'),
                        ('number', '!=', None),
                        ('invoice_date', '>=', fiscalyear.start_date),
                        ('invoice_date', '<=', fiscalyear.end_date),
                        ], order=[('invoice_date', 'DESC')], limit=1)
                last_dates[fiscalyear.id] = (
                    last[0].invoice_date if last else None)
            last_date = last_dates[fiscalyear.id]
            dates[instalment] = max(
                instalment.date, last_date or instalment.date)
        return dates

    @classmethod
    def create_invoices(cls, instalments, late=False):
        """Create and post the customer invoices of the instalments.
        With late, the instalments that cannot be booked in their own year
        are booked today in the open year instead of being refused."""
        pool = Pool()
        Configuration = pool.get('buurtwerkkamer.configuration')
        Invoice = pool.get('account.invoice')
        configuration = Configuration(1)
        instalments = [i for i in instalments if not i.invoice]
        if not instalments:
            return []
        dates = cls.get_booking_dates(instalments, late=late)
        instalments.sort(key=lambda i: (dates[i], i.id))
        invoices = []
        for instalment in instalments:
            agreement = instalment.agreement
            account = configuration.get_multivalue(
                'agreement_account', company=agreement.company.id)
            if not account:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_agreement_no_account',
                        company=agreement.company.rec_name))
            invoice = instalment.get_invoice(
                account, date=dates[instalment])
            if not invoice.invoice_address:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_agreement_partner_no_address',
                        partner=agreement.partner.rec_name))
            if not invoice.account:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_agreement_partner_no_receivable',
                        partner=agreement.partner.rec_name))
            invoices.append(invoice)
        Invoice.save(invoices)
        for instalment, invoice in zip(instalments, invoices):
            instalment.invoice = invoice
        cls.save(instalments)
        Invoice.post(invoices)
        return invoices


class RenewAgreementsStart(ModelView):
    "Renew Agreements"
    __name__ = 'buurtwerkkamer.agreement.renew.start'

    covenant = fields.Many2One(
        'buurtwerkkamer.covenant', "Covenant", required=True,
        domain=[
            ('state', 'in', ['signed', 'active']),
            ])
    year = fields.Integer(
        "Year", required=True,
        help="The year whose agreements are renewed for the next year.")
    next_year = fields.Function(
        fields.Integer("Next Year"), 'on_change_with_next_year')

    @fields.depends('year')
    def on_change_with_next_year(self, name=None):
        if self.year:
            return self.year + 1


class RenewAgreements(Wizard):
    "Renew Agreements"
    __name__ = 'buurtwerkkamer.agreement.renew'
    start = StateView(
        'buurtwerkkamer.agreement.renew.start',
        'buurtwerkkamer.agreement_renew_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Renew", 'renew', 'tryton-ok', default=True),
            ])
    renew = StateAction('buurtwerkkamer.act_agreement_form')

    def default_start(self, fields):
        pool = Pool()
        Agreement = pool.get('buurtwerkkamer.agreement')
        Date = pool.get('ir.date')
        values = {}
        covenant = None
        if self.model and self.model.__name__ == 'buurtwerkkamer.covenant':
            covenant = self.record
        elif self.model and self.model.__name__ == Agreement.__name__:
            covenant = self.record.covenant if self.record else None
        if covenant:
            values['covenant'] = covenant.id
            agreements = Agreement.search([
                    ('covenant', '=', covenant.id),
                    ('state', '!=', 'cancelled'),
                    ], order=[('year', 'DESC')], limit=1)
            if agreements:
                values['year'] = agreements[0].year
        values.setdefault('year', Date.today().year)
        return values

    def do_renew(self, action):
        pool = Pool()
        Agreement = pool.get('buurtwerkkamer.agreement')
        covenant = self.start.covenant
        if self.start.year + 1 > covenant.end_date.year:
            raise UserError(gettext(
                    'buurtwerkkamer.msg_agreement_renew_covenant_ended',
                    covenant=covenant.rec_name,
                    year=self.start.year + 1))
        agreements = Agreement.search([
                ('covenant', '=', covenant.id),
                ('year', '=', self.start.year),
                ('state', '!=', 'cancelled'),
                ])
        if not agreements:
            raise UserError(gettext(
                    'buurtwerkkamer.msg_agreement_renew_nothing',
                    covenant=covenant.rec_name,
                    year=self.start.year))
        new_agreements = Agreement.renew(agreements)
        action['name'] += ' (%s)' % (self.start.year + 1)
        return action, {'res_id': [a.id for a in new_agreements]}


class FundingApplication(metaclass=PoolMeta):
    __name__ = 'buurtwerkkamer.funding.application'

    agreements = fields.One2Many(
        'buurtwerkkamer.agreement', 'funding_application', "Agreements",
        readonly=True)
    agreement_missing = fields.Function(fields.Boolean(
            "Granted without Agreement",
            help="The application is granted but has no yearly agreement "
            "that is not cancelled: make them before the year ends."),
        'get_agreement_missing', searcher='search_agreement_missing')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'create_agreements': {
                    'invisible': ~Eval('agreement_missing', False),
                    'icon': 'tryton-forward',
                    'depends': ['agreement_missing'],
                    },
                })

    def get_agreement_missing(self, name):
        return self.state == 'granted' and not any(
            a.state != 'cancelled' for a in self.agreements)

    @classmethod
    def search_agreement_missing(cls, name, clause):
        pool = Pool()
        Agreement = pool.get('buurtwerkkamer.agreement')
        agreement = Agreement.__table__()
        _, operator, value = clause
        # Not "not where": the agreements without application would make
        # the NOT IN of SQL empty
        with_agreement = agreement.select(
            agreement.funding_application,
            where=(agreement.funding_application != Null)
            & (agreement.state != 'cancelled'))
        if (operator == '=') == bool(value):
            return [
                ('state', '=', 'granted'),
                ('id', 'not in', with_agreement),
                ]
        else:
            return ['OR',
                ('state', '!=', 'granted'),
                ('id', 'in', with_agreement),
                ]

    @classmethod
    @ModelView.button
    def create_agreements(cls, applications):
        """Turn granted applications into draft yearly agreements,
        one per year of the funded period"""
        pool = Pool()
        Agreement = pool.get('buurtwerkkamer.agreement')
        Covenant = pool.get('buurtwerkkamer.covenant')
        agreements = []
        for application in applications:
            if application.state != 'granted':
                continue
            if not application.agreement_missing:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_funding_agreements_exist',
                        application=application.rec_name))
            covenants = Covenant.search([
                    ('rooms', '=', application.room.id),
                    ('partners.party', '=', application.funder.id),
                    ('state', 'in', ['draft', 'signed', 'active']),
                    ('start_date', '<=', application.period_end),
                    ('end_date', '>=', application.period_start),
                    ], order=[('start_date', 'DESC')], limit=1)
            if not covenants:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_funding_no_covenant',
                        application=application.rec_name,
                        funder=application.funder.rec_name))
            covenant, = covenants
            years = [
                y for y in range(
                    application.period_start.year,
                    application.period_end.year + 1)
                if covenant.start_date.year <= y <= covenant.end_date.year]
            currency = application.room.company.currency
            share = currency.round(application.amount_granted / len(years))
            for i, year in enumerate(years):
                if i == len(years) - 1:
                    contribution = (
                        application.amount_granted - share * (len(years) - 1))
                else:
                    contribution = share
                agreements.append(Agreement(
                        company=application.room.company,
                        covenant=covenant,
                        room=application.room,
                        year=year,
                        partner=application.funder,
                        contribution=contribution,
                        deadline=Agreement._default_deadline(year),
                        funding_application=application,
                        notes=application.purpose,
                        ))
        Agreement.save(agreements)
        return agreements


class SettleUnspentStart(ModelView):
    "Settle Unspent Subsidy"
    __name__ = 'buurtwerkkamer.agreement.settle_unspent.start'

    company = fields.Many2One('company.company', "Company", required=True)
    fiscalyear = fields.Many2One(
        'account.fiscalyear', "Fiscal Year", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        help="The agreements of the year of this fiscal year are settled.")
    treatment = fields.Selection([
            ('defer', "Defer to the Next Year"),
            ('repay', "Repay to the Partner"),
            ], "Treatment", required=True, sort=False)
    account = fields.Many2One(
        'account.account', "Account", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('closed', '!=', True),
            ('type.statement', '=', 'balance'),
            ],
        help="The deferred subsidies (vooruitontvangen subsidies) or the "
        "subsidies to repay.")
    journal = fields.Many2One(
        'account.journal', "Journal", required=True,
        domain=[
            ('type', '=', 'general'),
            ])
    date = fields.Date(
        "Date", required=True,
        help="The date of the entries, usually the last day of the year.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_treatment(cls):
        return 'defer'

    @classmethod
    def default_journal(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('account', 'journal_miscellaneous')
        except KeyError:
            return None

    @fields.depends('fiscalyear')
    def on_change_fiscalyear(self):
        if self.fiscalyear:
            self.date = self.fiscalyear.end_date


class SettleUnspent(Wizard):
    """Settle Unspent Subsidy

    At the end of the year the part of the contributions of the agreements
    that the room did not spend is taken out of the income of the year:
    deferred to the next year or booked as a debt to repay."""
    __name__ = 'buurtwerkkamer.agreement.settle_unspent'
    start = StateView(
        'buurtwerkkamer.agreement.settle_unspent.start',
        'buurtwerkkamer.agreement_settle_unspent_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Settle", 'settle', 'tryton-ok', default=True),
            ])
    settle = StateAction('account.act_move_form')

    def do_settle(self, action):
        pool = Pool()
        Agreement = pool.get('buurtwerkkamer.agreement')
        start = self.start
        with without_check_access():
            moves = Agreement.settle_unspent(
                start.company, start.fiscalyear, start.treatment,
                start.account, start.journal, start.date)
        return action, {
            'res_id': [m.id for m in moves],
            }


OTHER_INCOME = [
    (None, ''),
    ('subsidy', "Subsidy Decision"),
    ('fund', "Fund Contribution"),
    ('donation', "Donation"),
    ('sponsoring', "Sponsoring"),
    ('other', "Other Income"),
    ]


class Invoice(metaclass=PoolMeta):
    __name__ = 'account.invoice'

    other_income = fields.Selection(
        OTHER_INCOME, "Other Income", sort=False,
        states={
            'invisible': Eval('type') != 'out',
            'readonly': Eval('state') != 'draft',
            },
        help="What the income is when the customer invoice does not come "
        "from an instalment of a yearly agreement.\n"
        "The annual report of a partner shows it apart from the income "
        "of the partner's agreements.")
    other_income_string = other_income.translated('other_income')

    @classmethod
    def _post(cls, invoices):
        cls.check_income_origin(invoices)
        super()._post(invoices)

    @classmethod
    def check_income_origin(cls, invoices):
        """Check that the income of every customer invoice comes from an
        agreement instalment or has its other origin stated"""
        pool = Pool()
        Instalment = pool.get('buurtwerkkamer.agreement.instalment')
        InvoiceLine = pool.get('account.invoice.line')
        for invoice in invoices:
            if invoice.type != 'out' or invoice.other_income:
                continue
            for line in invoice.lines:
                if line.type != 'line':
                    continue
                # A credit note credits the lines of the invoice
                if not isinstance(line.origin, (Instalment, InvoiceLine)):
                    raise UserError(gettext(
                            'buurtwerkkamer.msg_invoice_income_origin',
                            invoice=invoice.rec_name,
                            party=invoice.party.rec_name,
                            line=line.description or line.account.rec_name))

    def _credit(self, **values):
        credit = super()._credit(**values)
        credit.other_income = self.other_income
        return credit


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['buurtwerkkamer.agreement']


class InvoiceLine(metaclass=PoolMeta):
    __name__ = 'account.invoice.line'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + [
            'buurtwerkkamer.agreement.instalment']


class AgreementReport(DocumentMixin, CompanyReport):
    __name__ = 'buurtwerkkamer.agreement'

    @classmethod
    def get_signatories(cls, agreement):
        signed = (agreement.state in {'signed', 'evaluated'}
            and agreement.signed_date)
        return [
            cls.signatory(
                agreement.partner, name=agreement.signatory,
                function=agreement.signatory_function,
                date=agreement.signed_date, signed=signed),
            cls.company_signatory(agreement.company),
            ]

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Configuration = pool.get('buurtwerkkamer.configuration')
        context = super().get_context(records, header, data)
        configuration = Configuration(1)

        def vat_notice(agreement):
            "The text about VAT under the contribution"
            if agreement.contribution:
                return configuration.get_vat_notice(agreement.company)
        context['vat_notice'] = vat_notice
        return context
