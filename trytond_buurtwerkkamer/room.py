# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from sql.conditionals import Coalesce

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction, without_check_access

from .access import RecordAccessMixin
from .server_fields import ServerFieldsMixin

ROOM_STATES = [
    ('initiative', "Initiative"),
    ('exploring', "Exploring"),
    ('intent', "Intent"),
    ('location', "Location Search"),
    ('funding', "Funding"),
    ('agreements', "Agreements"),
    ('starting', "Starting"),
    ('operational', "Operational"),
    ('closed', "Closed"),
    ]

ROOM_START_UP_BEFORE_FUNDING = {
    'initiative', 'exploring', 'intent', 'location'}

MEMBER_ROLES = [
    ('resident', "Resident"),
    ('volunteer', "Volunteer"),
    ('team_leader', "Team Leader"),
    ('participant', "Participant"),
    ]


class Room(
        ServerFieldsMixin, RecordAccessMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.room'
    _office_fields = (
        'name', 'code', 'company', 'start_date', 'end_date', 'team_leader',
        'team_coordinator', 'project_coach', 'business_account',
        'handgeld_rule', 'handgeld_amount')
    _create_fields = ('party', 'analytic_account')

    _states = {
        'readonly': Eval('state') == 'closed',
        }

    name = fields.Char("Name", required=True, size=100, states=_states)
    code = fields.Char(
        "Code", required=True, strip=True, size=20, states=_states,
        help="A short code that identifies the room.")
    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={
            'readonly': (
                (Eval('state') != 'initiative') | (Eval('id', -1) > 0)),
            })
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    party = fields.Many2One(
        'party.party', "Party", readonly=True, ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The room's own party, created with the room.")
    address = fields.Many2One(
        'party.address', "Address", ondelete='RESTRICT',
        domain=[
            ('party', '=', Eval('party', -1)),
            ],
        states=_states,
        help="Set when a location is chosen.")
    neighbourhood = fields.Char("Neighbourhood", states=_states)
    description = fields.Text("Description", states=_states)
    team_leader = fields.Many2One(
        'company.employee', "Team Leader", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states={
            'readonly': _states['readonly'],
            'required': Eval('state') == 'operational',
            },
        help="The resident who leads the room and receives its handgeld.")
    team_leader_party = fields.Function(
        fields.Many2One(
            'party.party', "Team Leader Party",
            context={
                'company': Eval('company', -1),
                },
            depends={'company'}),
        'on_change_with_team_leader_party')
    team_coordinator = fields.Many2One(
        'company.employee', "Team Coordinator", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states=_states)
    project_coach = fields.Many2One(
        'company.employee', "Project Coach", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states=_states)
    staff = fields.Function(
        fields.Many2Many(
            'company.employee', None, None, "Staff",
            help="The team leader, team coordinator and project coach "
            "of the room: the employees whose room this is."),
        'get_staff', searcher='search_staff')
    business_account = fields.Many2One(
        'bank.account', "Business Account", ondelete='RESTRICT',
        domain=['OR',
            # A new account gets its owner when the room is saved.
            ('owners', '=', None),
            If(Bool(Eval('team_leader_party')),
                ('owners', 'in',
                    [Eval('team_leader_party', -1), Eval('party', -1)]),
                ('owners', '=', Eval('party', -1))),
            ],
        states={
            'readonly': _states['readonly'],
            'required': Eval('state') == 'operational',
            },
        help="The team leader's business bank account "
        "to which the treasurer transfers the handgeld.")
    analytic_account = fields.Many2One(
        'analytic_account.account', "Analytic Account", readonly=True,
        ondelete='RESTRICT',
        help="Every cost and income of the room carries this account.")
    start_date = fields.Date(
        "Opening Date", states=_states,
        help="The day the room opened its doors.")
    end_date = fields.Date(
        "Closing Date",
        domain=[
            If(Bool(Eval('start_date')) & Bool(Eval('end_date')),
                ('end_date', '>=', Eval('start_date')),
                ()),
            ],
        states=_states)
    members = fields.One2Many(
        'buurtwerkkamer.room.member', 'room', "Members", states=_states)
    intents = fields.One2Many(
        'buurtwerkkamer.intent', 'room', "Letters of Intent",
        states=_states)
    location_options = fields.One2Many(
        'buurtwerkkamer.location.option', 'room', "Location Options",
        states=_states)
    funding_applications = fields.One2Many(
        'buurtwerkkamer.funding.application', 'room', "Funding Applications",
        states=_states)
    state = fields.Selection(
        ROOM_STATES, "State", readonly=True, required=True, sort=False)
    start_up_progress = fields.Function(
        fields.Char(
            "Start-up Path",
            help="The steps from initiative to operational room: "
            "done steps are ticked, the arrow marks the current step."),
        'on_change_with_start_up_progress')

    del _states

    @classmethod
    def __setup__(cls):
        cls.code.search_unaccented = False
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(t, t.company, t.code),
                'buurtwerkkamer.msg_room_code_unique'),
            ]
        cls._sql_indexes.add(
            Index(t, (t.state, Index.Equality(cardinality='low'))))
        cls._order = [
            ('code', 'ASC'),
            ('id', 'ASC'),
            ]
        cls._transitions |= {
            ('initiative', 'exploring'),
            ('exploring', 'intent'),
            ('intent', 'location'),
            ('location', 'funding'),
            ('funding', 'agreements'),
            ('agreements', 'starting'),
            ('starting', 'operational'),
            ('initiative', 'closed'),
            ('exploring', 'closed'),
            ('intent', 'closed'),
            ('location', 'closed'),
            ('funding', 'closed'),
            ('agreements', 'closed'),
            ('starting', 'closed'),
            ('operational', 'closed'),
            }
        cls._buttons.update({
                'explore': {
                    'invisible': Eval('state') != 'initiative',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'collect_intents': {
                    'invisible': Eval('state') != 'exploring',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'search_location': {
                    'invisible': Eval('state') != 'intent',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'apply_funding': {
                    'invisible': Eval('state') != 'location',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'make_agreements': {
                    'invisible': Eval('state') != 'funding',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'start_up': {
                    'invisible': Eval('state') != 'agreements',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'open': {
                    'invisible': Eval('state') != 'starting',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') == 'closed',
                    'icon': 'tryton-close',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'initiative'

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('team_leader')
    def on_change_with_team_leader_party(self, name=None):
        return self.team_leader.party if self.team_leader else None

    def get_staff(self, name):
        return [e.id for e in filter(None, [
                    self.team_leader, self.team_coordinator,
                    self.project_coach])]

    @classmethod
    def search_staff(cls, name, clause):
        "A record of a room is one whose room has the employee as staff"
        _, operator, operand, *extra = clause
        nested = clause[0][len(name):]
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op] + [
            (fname + nested, operator, operand, *extra)
            for fname in ['team_leader', 'team_coordinator', 'project_coach']]

    @fields.depends('state')
    def on_change_with_start_up_progress(self, name=None):
        states = dict(self.fields_get(['state'])['state']['selection'])
        steps = [s for s, _ in ROOM_STATES if s != 'closed']
        if self.state == 'closed':
            return states['closed']
        current = steps.index(self.state) if self.state in steps else 0
        marks = []
        for index, step in enumerate(steps):
            if index < current or self.state == 'operational':
                mark = '\u2713'
            elif index == current:
                mark = '\u2192'
            else:
                mark = '\u00b7'
            marks.append('%s %s' % (mark, states[step]))
        return '   '.join(marks)

    def get_rec_name(self, name):
        return '[%s] %s' % (self.code, self.name)

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

    @classmethod
    def create(cls, vlist):
        pool = Pool()
        Party = pool.get('party.party')
        Account = pool.get('analytic_account.account')
        Company = pool.get('company.company')
        Configuration = pool.get('buurtwerkkamer.configuration')

        vlist = [v.copy() for v in vlist]
        config = Configuration(1)
        default_company = cls.default_company()
        # Without a name the room's own validation refuses the record.
        to_party = [v for v in vlist if not v.get('party') and v.get('name')]
        with without_check_access():
            parties = Party.create([{
                        'name': v['name'],
                        } for v in to_party])
            for values, party in zip(to_party, parties):
                values['party'] = party.id

            to_account = [v for v in vlist
                if not v.get('analytic_account') and v.get('name')]
            accounts = []
            for values in to_account:
                company = Company(values.get('company', default_company))
                root = config.get_analytic_root(company)
                accounts.append({
                        'name': values['name'],
                        'code': values.get('code'),
                        'type': 'normal',
                        'company': company.id,
                        'root': root.id,
                        'parent': root.id,
                        'state': 'opened',
                        })
            accounts = Account.create(accounts)
            for values, account in zip(to_account, accounts):
                values['analytic_account'] = account.id
        return super().create(vlist)

    @classmethod
    def set_business_account_owner(cls, rooms):
        "Make the team leader, or else the room, owner of an ownerless account"
        pool = Pool()
        BankAccount = pool.get('bank.account')
        to_write = []
        for room in rooms:
            account = room.business_account
            if account and not account.owners:
                owner = room.team_leader_party or room.party
                if owner:
                    to_write.extend(([account], {
                                'owners': [('add', [owner.id])],
                                }))
        if to_write:
            with without_check_access():
                BankAccount.write(*to_write)

    @classmethod
    def on_modification(cls, mode, rooms, field_names=None):
        "Keep the party and the analytic account named as the room"
        pool = Pool()
        Party = pool.get('party.party')
        Account = pool.get('analytic_account.account')
        super().on_modification(mode, rooms, field_names=field_names)
        if mode == 'delete':
            return
        if mode == 'create' or field_names & {
                'business_account', 'team_leader'}:
            cls.set_business_account_owner(rooms)
        if mode == 'write' and field_names & {'name', 'code'}:
            to_party, to_account = [], []
            for room in rooms:
                if room.party and room.party.name != room.name:
                    to_party.extend(([room.party], {'name': room.name}))
                account = room.analytic_account
                if account and (account.name, account.code) != (
                        room.name, room.code):
                    to_account.extend(([account], {
                                'name': room.name,
                                'code': room.code,
                                }))
            with without_check_access():
                if to_party:
                    Party.write(*to_party)
                if to_account:
                    Account.write(*to_account)

    @classmethod
    def copy(cls, rooms, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('party', None)
        default.setdefault('address', None)
        default.setdefault('analytic_account', None)
        default.setdefault('business_account', None)
        default.setdefault('state', 'initiative')
        default.setdefault('start_date', None)
        default.setdefault('end_date', None)
        default.setdefault('intents', None)
        default.setdefault('location_options', None)
        default.setdefault('funding_applications', None)
        default.setdefault('code', lambda data: data['code'] + ' (2)')
        return super().copy(rooms, default=default)

    @classmethod
    def check_modification(cls, mode, rooms, values=None, external=False):
        super().check_modification(
            mode, rooms, values=values, external=external)
        if mode == 'delete':
            for room in rooms:
                if room.state != 'initiative':
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_room_delete_initiative',
                            room=room.rec_name))

    # Start-up path: every step checks what the previous phase must have
    # produced before the room may move on.

    def check_initiators(self):
        if not any(m.role in {'resident', 'volunteer', 'team_leader'}
                for m in self.members):
            raise UserError(gettext(
                    'buurtwerkkamer.msg_room_no_initiators',
                    room=self.rec_name))

    def check_prospective_partners(self):
        if not self.intents:
            raise UserError(gettext(
                    'buurtwerkkamer.msg_room_no_partner_talks',
                    room=self.rec_name))

    def check_signed_intent(self):
        if not any(i.state == 'signed' for i in self.intents):
            raise UserError(gettext(
                    'buurtwerkkamer.msg_room_no_signed_intent',
                    room=self.rec_name))

    def check_chosen_location(self):
        if not any(o.state == 'chosen' for o in self.location_options):
            raise UserError(gettext(
                    'buurtwerkkamer.msg_room_no_chosen_location',
                    room=self.rec_name))

    def check_granted_funding(self):
        if not any(a.state == 'granted' for a in self.funding_applications):
            raise UserError(gettext(
                    'buurtwerkkamer.msg_room_no_granted_funding',
                    room=self.rec_name))

    def check_signed_agreements(self):
        pool = Pool()
        Covenant = pool.get('buurtwerkkamer.covenant')
        covenants = Covenant.search([
                ('rooms', '=', self.id),
                ('state', 'in', ['signed', 'active']),
                ], limit=1)
        if not covenants:
            raise UserError(gettext(
                    'buurtwerkkamer.msg_room_no_signed_agreement',
                    room=self.rec_name))

    def check_ready_to_open(self):
        if not self.team_leader:
            raise UserError(gettext(
                    'buurtwerkkamer.msg_room_no_team_leader',
                    room=self.rec_name))
        if not self.business_account:
            raise UserError(gettext(
                    'buurtwerkkamer.msg_room_no_business_account',
                    room=self.rec_name))
        if not self.address:
            raise UserError(gettext(
                    'buurtwerkkamer.msg_room_no_address',
                    room=self.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('exploring')
    def explore(cls, rooms):
        for room in rooms:
            room.check_initiators()

    @classmethod
    @ModelView.button
    @Workflow.transition('intent')
    def collect_intents(cls, rooms):
        for room in rooms:
            room.check_prospective_partners()

    @classmethod
    @ModelView.button
    @Workflow.transition('location')
    def search_location(cls, rooms):
        for room in rooms:
            room.check_signed_intent()

    @classmethod
    @ModelView.button
    @Workflow.transition('funding')
    def apply_funding(cls, rooms):
        for room in rooms:
            room.check_chosen_location()
        cls.set_chosen_address(rooms)

    @classmethod
    def set_chosen_address(cls, rooms):
        "Set the address of the chosen location option on the rooms"
        to_write = []
        for room in rooms:
            for option in room.location_options:
                if (option.state == 'chosen' and option.address
                        and room.address != option.address):
                    to_write.extend(([room], {'address': option.address.id}))
                    break
        if to_write:
            cls.write(*to_write)

    @classmethod
    @ModelView.button
    @Workflow.transition('agreements')
    def make_agreements(cls, rooms):
        for room in rooms:
            room.check_granted_funding()

    @classmethod
    @ModelView.button
    @Workflow.transition('starting')
    def start_up(cls, rooms):
        for room in rooms:
            room.check_signed_agreements()

    @classmethod
    @ModelView.button
    @Workflow.transition('operational')
    def open(cls, rooms):
        pool = Pool()
        Date = pool.get('ir.date')
        cls.set_chosen_address(rooms)
        for room in rooms:
            room.check_ready_to_open()
        cls.write([r for r in rooms if not r.start_date], {
                'start_date': Date.today(),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, rooms):
        pool = Pool()
        Date = pool.get('ir.date')
        cls.write([r for r in rooms if not r.end_date], {
                'end_date': Date.today(),
                })


class RoomMember(RecordAccessMixin, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.room.member'
    room = fields.Many2One(
        'buurtwerkkamer.room', "Room", required=True, ondelete='CASCADE')
    party = fields.Many2One(
        'party.party', "Person", required=True, ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    company = fields.Function(
        fields.Many2One('company.company', "Company"),
        'on_change_with_company')
    role = fields.Selection(MEMBER_ROLES, "Role", required=True)
    start_date = fields.Date("Start Date")
    end_date = fields.Date(
        "End Date",
        domain=[
            If(Bool(Eval('start_date')) & Bool(Eval('end_date')),
                ('end_date', '>=', Eval('start_date')),
                ()),
            ])
    active = fields.Function(
        fields.Boolean("Active"), 'get_active', searcher='search_active')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('room')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.party, Index.Range())))
        cls._order = [
            ('room', 'ASC'),
            ('start_date', 'DESC NULLS FIRST'),
            ('id', 'ASC'),
            ]

    @staticmethod
    def default_role():
        return 'volunteer'

    @staticmethod
    def default_start_date():
        return Pool().get('ir.date').today()

    @fields.depends('room', '_parent_room.company')
    def on_change_with_company(self, name=None):
        return self.room.company if self.room else None

    def get_rec_name(self, name):
        return self.party.rec_name

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('party.rec_name', *clause[1:])]

    def get_active(self, name):
        today = Pool().get('ir.date').today()
        return ((not self.start_date or self.start_date <= today)
            and (not self.end_date or self.end_date >= today))

    @classmethod
    def search_active(cls, name, clause):
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        table = cls.__table__()
        _, operator, value = clause
        active = (
            (Coalesce(table.start_date, today) <= today)
            & (Coalesce(table.end_date, today) >= today))
        if (operator == '=') != bool(value):
            active = ~active
        return [('id', 'in', table.select(table.id, where=active))]


class StartUpMixin:
    __slots__ = ()

    room = fields.Many2One(
        'buurtwerkkamer.room', "Room", required=True, ondelete='CASCADE',
        states={
            'readonly': Eval('state') != 'draft',
            })
    company = fields.Function(
        fields.Many2One('company.company', "Company"),
        'on_change_with_company')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('room')

    @fields.depends('room', '_parent_room.company')
    def on_change_with_company(self, name=None):
        return self.room.company if self.room else None

    @fields.depends('room', '_parent_room.company')
    def on_change_with_currency(self, name=None):
        return self.room.company.currency if self.room else None

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'delete':
            for record in records:
                if record.state != 'draft':
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_start_up_delete_draft',
                            record=record.rec_name))


class Intent(
        ServerFieldsMixin, StartUpMixin, RecordAccessMixin, Workflow,
        ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.intent'
    _states = {
        'readonly': Eval('state') != 'draft',
        }

    partner = fields.Many2One(
        'party.party', "Partner", required=True, ondelete='RESTRICT',
        states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The municipality, housing corporation, benefits agency "
        "or fund that declares its intent to cooperate.")
    date = fields.Date(
        "Signing Date", states={
            'readonly': _states['readonly'],
            'required': Eval('state') == 'signed',
            })
    signatory = fields.Char(
        "Signatory", states=_states,
        help="Who signed on behalf of the partner.")
    signatory_function = fields.Char(
        "Signatory Function", states=_states,
        help="The function of who signed on behalf of the partner.")
    document = fields.Binary(
        "Document", filename='document_name', states=_states)
    document_name = fields.Char("Document Name", states=_states)
    notes = fields.Text("Notes")
    state = fields.Selection([
            ('draft', "Draft"),
            ('signed', "Signed"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('date', 'DESC NULLS FIRST'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'signed'),
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
                'cancel': {
                    'invisible': Eval('state') == 'cancelled',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'cancelled',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'draft'

    def get_rec_name(self, name):
        return '%s - %s' % (self.room.rec_name, self.partner.rec_name)

    @classmethod
    def check_modification(cls, mode, intents, values=None, external=False):
        super().check_modification(
            mode, intents, values=values, external=external)
        if mode == 'write' and values.keys() - {'notes', 'state'}:
            for intent in intents:
                if intent.state != 'draft':
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_intent_modify_draft',
                            intent=intent.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('signed')
    def sign(cls, intents):
        pool = Pool()
        Date = pool.get('ir.date')
        cls.write([i for i in intents if not i.date], {
                'date': Date.today(),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, intents):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, intents):
        pass


class LocationOption(
        ServerFieldsMixin, StartUpMixin, RecordAccessMixin, Workflow,
        ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.location.option'
    _states = {
        'readonly': ~Eval('state').in_(['draft', 'visited']),
        }

    name = fields.Char(
        "Description", required=True, size=100, states=_states)
    street = fields.Text("Street", states=_states)
    postal_code = fields.Char("Postal Code", states=_states)
    city = fields.Char("City", states=_states)
    landlord = fields.Many2One(
        'party.party', "Landlord", ondelete='RESTRICT', states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    rent = Monetary(
        "Monthly Rent", currency='currency', digits='currency',
        domain=[
            If(Bool(Eval('rent')), ('rent', '>=', 0), ()),
            ],
        states=_states)
    area = fields.Numeric(
        "Area", digits=(16, 1),
        domain=[
            If(Eval('area', None) != None,  # noqa: E711
                ('area', '>', 0),
                ()),
            ],
        states=_states, help="In square metres.")
    address = fields.Many2One(
        'party.address', "Address", readonly=True, ondelete='RESTRICT',
        help="The address of the room's party, created when the option "
        "is chosen.")
    notes = fields.Text("Notes")
    state = fields.Selection([
            ('draft', "Proposed"),
            ('visited', "Visited"),
            ('chosen', "Chosen"),
            ('rejected', "Rejected"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('room', 'ASC'),
            ('id', 'ASC'),
            ]
        cls._transitions |= {
            ('draft', 'visited'),
            ('draft', 'chosen'),
            ('visited', 'chosen'),
            ('draft', 'rejected'),
            ('visited', 'rejected'),
            ('rejected', 'draft'),
            }
        cls._buttons.update({
                'visit': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'choose': {
                    'invisible': ~Eval('state').in_(['draft', 'visited']),
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reject': {
                    'invisible': ~Eval('state').in_(['draft', 'visited']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'rejected',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'draft'

    @classmethod
    @ModelView.button
    @Workflow.transition('visited')
    def visit(cls, options):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('chosen')
    def choose(cls, options):
        pool = Pool()
        Address = pool.get('party.address')
        Country = pool.get('country.country')
        Room = pool.get('buurtwerkkamer.room')
        rooms = set()
        for option in options:
            if option.room in rooms or any(
                    o.state == 'chosen' and o != option
                    for o in option.room.location_options):
                raise ValidationError(gettext(
                        'buurtwerkkamer.msg_location_already_chosen',
                        room=option.room.rec_name))
            rooms.add(option.room)
        countries = Country.search([('code', '=', 'NL')], limit=1)
        country = countries[0].id if countries else None
        with without_check_access():
            addresses = Address.create([{
                        'party': o.room.party.id,
                        'street': o.street,
                        'postal_code': o.postal_code,
                        'city': o.city,
                        'country': country,
                        } for o in options])
            to_write = []
            for option, address in zip(options, addresses):
                to_write.extend(([option], {'address': address.id}))
            if to_write:
                cls.write(*to_write)
            # The room takes the address with its own step to funding, so
            # that choosing from the room's form does not change the room
            # under the client; a room past that step moves at once.
            Room.set_chosen_address(
                [o.room for o in options
                    if o.room.state not in ROOM_START_UP_BEFORE_FUNDING])

    @classmethod
    @ModelView.button
    @Workflow.transition('rejected')
    def reject(cls, options):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, options):
        pass


class FundingApplication(
        ServerFieldsMixin, StartUpMixin, RecordAccessMixin, Workflow,
        ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.funding.application'
    _states = {
        'readonly': Eval('state') != 'draft',
        }

    funder = fields.Many2One(
        'party.party', "Funder", required=True, ondelete='RESTRICT',
        states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The municipality, benefits agency, housing corporation "
        "or fund that is asked for money.")
    reference = fields.Char("Reference", states=_states)
    purpose = fields.Text("Purpose", states=_states)
    amount_requested = Monetary(
        "Amount Requested", currency='currency', digits='currency',
        required=True, states=_states,
        domain=[('amount_requested', '>', 0)])
    period_start = fields.Date("Period Start", required=True, states=_states)
    period_end = fields.Date(
        "Period End", required=True, states=_states,
        domain=[
            If(Bool(Eval('period_start')) & Bool(Eval('period_end')),
                ('period_end', '>=', Eval('period_start')),
                ()),
            ])
    submitted_date = fields.Date(
        "Submitted On", readonly=True)
    decision_date = fields.Date(
        "Decided On",
        states={
            'readonly': Eval('state') != 'submitted',
            })
    amount_granted = Monetary(
        "Amount Granted", currency='currency', digits='currency',
        domain=[
            If(Eval('state') == 'granted',
                ('amount_granted', '>', 0),
                ()),
            ],
        states={
            'readonly': Eval('state') != 'submitted',
            'required': Eval('state') == 'granted',
            })
    notes = fields.Text("Notes")
    state = fields.Selection([
            ('draft', "Draft"),
            ('submitted', "Submitted"),
            ('granted', "Granted"),
            ('rejected', "Rejected"),
            ('withdrawn', "Withdrawn"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('period_start', 'DESC'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'submitted'),
            ('submitted', 'granted'),
            ('submitted', 'rejected'),
            ('draft', 'withdrawn'),
            ('submitted', 'withdrawn'),
            ('withdrawn', 'draft'),
            }
        cls._buttons.update({
                'submit': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'grant': {
                    'invisible': Eval('state') != 'submitted',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reject': {
                    'invisible': Eval('state') != 'submitted',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'withdraw': {
                    'invisible': ~Eval('state').in_(['draft', 'submitted']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'withdrawn',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'draft'

    def get_rec_name(self, name):
        return '%s - %s' % (self.room.rec_name, self.funder.rec_name)

    @classmethod
    @ModelView.button
    @Workflow.transition('submitted')
    def submit(cls, applications):
        pool = Pool()
        Date = pool.get('ir.date')
        cls.write(list(applications), {
                'submitted_date': Date.today(),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('granted')
    def grant(cls, applications):
        pool = Pool()
        Date = pool.get('ir.date')
        for application in applications:
            if not application.amount_granted:
                raise ValidationError(gettext(
                        'buurtwerkkamer.msg_funding_no_amount_granted',
                        application=application.rec_name))
        cls.write([a for a in applications if not a.decision_date], {
                'decision_date': Date.today(),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('rejected')
    def reject(cls, applications):
        pool = Pool()
        Date = pool.get('ir.date')
        cls.write([a for a in applications if not a.decision_date], {
                'decision_date': Date.today(),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('withdrawn')
    def withdraw(cls, applications):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, applications):
        cls.write(list(applications), {
                'submitted_date': None,
                'decision_date': None,
                })
