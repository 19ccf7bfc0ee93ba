# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
from collections import defaultdict

from sql import Null

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, Workflow, fields,
    sequence_ordered)
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.company import CompanyReport
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .access import RecordAccessMixin
from .document import DocumentMixin
from .server_fields import ServerFieldsMixin

MEETING_KINDS = [
    ('team', "Team Meeting"),
    ('coaching', "Coaching Talk"),
    ('progress', "Progress Meeting"),
    ('partner', "Yearly Partner Meeting"),
    ('evaluation', "Evaluation"),
    ]


class RoomMixin:
    "Record that belongs to one room of a company"
    __slots__ = ()

    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={
            'readonly': Eval('id', -1) >= 0,
            })
    room = fields.Many2One(
        'buurtwerkkamer.room', "Room", required=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.room, Index.Range())))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')


class Room(metaclass=PoolMeta):
    __name__ = 'buurtwerkkamer.room'

    meetings = fields.One2Many(
        'buurtwerkkamer.meeting', 'room', "Meetings", readonly=True)
    house_rules = fields.One2Many(
        'buurtwerkkamer.house_rule', 'room', "House Rules",
        states={
            'readonly': Eval('state') == 'closed',
            },
        help="The work and living agreements of the room that apply now.")
    coaching_goals = fields.One2Many(
        'buurtwerkkamer.coaching.goal', 'room', "Coaching Goals",
        readonly=True)

    @classmethod
    def copy(cls, rooms, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('meetings', None)
        default.setdefault('house_rules', None)
        default.setdefault('coaching_goals', None)
        return super().copy(rooms, default=default)


class Meeting(
        ServerFieldsMixin, RoomMixin, RecordAccessMixin, Workflow, ModelSQL,
        ModelView):
    __name__ = 'buurtwerkkamer.meeting'

    _states = {
        'readonly': Eval('state') != 'planned',
        }

    kind = fields.Selection(
        MEETING_KINDS, "Kind", required=True, sort=False, states=_states)
    kind_string = kind.translated('kind')
    date = fields.Date("Date", required=True, states=_states)
    chair = fields.Many2One(
        'party.party', "Chair", ondelete='RESTRICT',
        states={
            'readonly': Eval('state') == 'cancelled',
            },
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    attendees = fields.One2Many(
        'buurtwerkkamer.meeting.attendee', 'meeting', "Attendees",
        states={
            'readonly': Eval('state') == 'cancelled',
            })
    agenda = fields.Text("Agenda", states=_states)
    minutes = fields.Text(
        "Minutes",
        states={
            'readonly': Eval('state') != 'held',
            })
    decisions = fields.Text(
        "Decisions",
        states={
            'readonly': Eval('state') != 'held',
            })
    actions = fields.One2Many(
        'buurtwerkkamer.meeting.action', 'meeting', "Action Items",
        states={
            'readonly': Eval('state') == 'cancelled',
            })
    house_rules = fields.One2Many(
        'buurtwerkkamer.house_rule', 'meeting', "House Rules Agreed",
        domain=[
            ('room', '=', Eval('room', -1)),
            ],
        states={
            'readonly': Eval('state') != 'held',
            },
        filter=[
            ('active', 'in', [True, False]),
            ])
    coaching_goals = fields.Many2Many(
        'buurtwerkkamer.meeting-buurtwerkkamer.coaching.goal',
        'meeting', 'goal', "Coaching Goals Reviewed",
        domain=[
            ('room', '=', Eval('room', -1)),
            ],
        states={
            'invisible': Eval('kind') != 'coaching',
            'readonly': Eval('state') == 'cancelled',
            },
        help="The goals and quality agreements of the room "
        "that the project coach reviewed in this talk.")
    state = fields.Selection([
            ('planned', "Planned"),
            ('held', "Held"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.state, Index.Equality(cardinality='low'))))
        cls._order = [
            ('date', 'DESC'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('planned', 'held'),
            ('planned', 'cancelled'),
            ('held', 'planned'),
            ('cancelled', 'planned'),
            }
        cls._buttons.update({
                'invite': {
                    'invisible': Eval('state') != 'planned',
                    'icon': 'tryton-add',
                    'depends': ['state'],
                    },
                'hold': {
                    'invisible': Eval('state') != 'planned',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'planned',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'plan': {
                    'invisible': Eval('state') == 'planned',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_kind():
        return 'team'

    @staticmethod
    def default_date():
        return Pool().get('ir.date').today()

    @staticmethod
    def default_state():
        return 'planned'

    def get_rec_name(self, name):
        pool = Pool()
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        return '%s %s %s' % (
            self.kind_string, self.room.code, lang.strftime(self.date))

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('room.rec_name', *clause[1:])]

    @classmethod
    def check_modification(cls, mode, meetings, values=None, external=False):
        super().check_modification(
            mode, meetings, values=values, external=external)
        if mode == 'delete':
            for meeting in meetings:
                if meeting.state == 'held':
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_meeting_delete_held',
                            meeting=meeting.rec_name))
        elif mode == 'write':
            if values.keys() & {'company', 'room', 'kind', 'date', 'agenda'}:
                for meeting in meetings:
                    if meeting.state != 'planned':
                        raise AccessError(gettext(
                                'buurtwerkkamer.msg_meeting_modify_held',
                                meeting=meeting.rec_name))

    @classmethod
    def copy(cls, meetings, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('minutes', None)
        default.setdefault('decisions', None)
        default.setdefault('actions', None)
        default.setdefault('house_rules', None)
        default.setdefault('coaching_goals', None)
        return super().copy(meetings, default=default)

    def get_invitees(self):
        "Return the parties to invite to the meeting"
        pool = Pool()
        Member = pool.get('buurtwerkkamer.room.member')
        Covenant = pool.get('buurtwerkkamer.covenant')
        Suspension = pool.get('buurtwerkkamer.suspension')
        members = Member.search([
                ('room', '=', self.room.id),
                ('active', '=', True),
                ])
        suspended = Suspension.find_on(
            {(m.party, self.room, self.date) for m in members})
        parties = [m.party for m in members
            if (m.party, self.room, self.date) not in suspended]
        if self.kind == 'partner':
            covenants = Covenant.search([
                    ('rooms', '=', self.room.id),
                    ('state', 'in', ['signed', 'active']),
                    ('start_date', '<=', self.date),
                    ('end_date', '>=', self.date),
                    ])
            parties.extend(
                p.party for c in covenants for p in c.partners)
        return parties

    @classmethod
    @ModelView.button
    def invite(cls, meetings):
        """Invite the active members of the room, and the partners of its
        covenants to the yearly partner meeting"""
        pool = Pool()
        Attendee = pool.get('buurtwerkkamer.meeting.attendee')
        to_save = []
        for meeting in meetings:
            invited = {a.party for a in meeting.attendees}
            for party in meeting.get_invitees():
                if party not in invited:
                    invited.add(party)
                    to_save.append(Attendee(
                            meeting=meeting, party=party,
                            attendance='invited'))
        Attendee.save(to_save)

    @classmethod
    @ModelView.button
    @Workflow.transition('held')
    def hold(cls, meetings):
        pool = Pool()
        Attendee = pool.get('buurtwerkkamer.meeting.attendee')
        Date = pool.get('ir.date')
        today = Date.today()
        for meeting in meetings:
            if meeting.date > today:
                raise ValidationError(gettext(
                        'buurtwerkkamer.msg_meeting_hold_future',
                        meeting=meeting.rec_name))
        to_write = [a for m in meetings for a in m.attendees
            if a.attendance == 'invited']
        if to_write:
            # Who did not confirm is recorded as present by default
            Attendee.write(to_write, {'attendance': 'present'})

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, meetings):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('planned')
    def plan(cls, meetings):
        pass


class MeetingAttendee(RecordAccessMixin, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.meeting.attendee'

    meeting = fields.Many2One(
        'buurtwerkkamer.meeting', "Meeting", required=True,
        ondelete='CASCADE')
    party = fields.Many2One(
        'party.party', "Person", required=True, ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    company = fields.Function(
        fields.Many2One('company.company', "Company"),
        'on_change_with_company')
    attendance = fields.Selection([
            ('invited', "Invited"),
            ('present', "Present"),
            ('absent', "Absent"),
            ('excused', "Excused"),
            ], "Attendance", required=True, sort=False)
    note = fields.Char("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('meeting')
        t = cls.__table__()
        cls._sql_constraints = [
            ('meeting_party_unique', Unique(t, t.meeting, t.party),
                'buurtwerkkamer.msg_meeting_attendee_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.party, Index.Range())))
        cls._order = [
            ('meeting', 'ASC'),
            ('id', 'ASC'),
            ]

    @staticmethod
    def default_attendance():
        return 'present'

    @fields.depends('meeting', '_parent_meeting.company')
    def on_change_with_company(self, name=None):
        return self.meeting.company if self.meeting else None

    def get_rec_name(self, name):
        return self.party.rec_name

    @classmethod
    def validate(cls, attendees):
        super().validate(attendees)
        cls.check_suspension(attendees)

    @classmethod
    def check_suspension(cls, attendees):
        "Refuse suspended people as present at a meeting of their room"
        pool = Pool()
        Lang = pool.get('ir.lang')
        Suspension = pool.get('buurtwerkkamer.suspension')
        lang = Lang.get()
        present = [a for a in attendees if a.attendance == 'present']
        keys = {(a.party, a.meeting.room, a.meeting.date) for a in present}
        suspensions = Suspension.find_on(keys)
        for attendee in present:
            key = (attendee.party, attendee.meeting.room,
                attendee.meeting.date)
            suspension = suspensions.get(key)
            if suspension:
                raise ValidationError(gettext(
                        'buurtwerkkamer.msg_meeting_attendee_suspended',
                        party=attendee.party.rec_name,
                        meeting=attendee.meeting.rec_name,
                        from_date=lang.strftime(suspension.from_date),
                        to_date=lang.strftime(suspension.to_date)))


class MeetingAction(RecordAccessMixin, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.meeting.action'

    meeting = fields.Many2One(
        'buurtwerkkamer.meeting', "Meeting", required=True,
        ondelete='CASCADE')
    room = fields.Function(
        fields.Many2One('buurtwerkkamer.room', "Room"),
        'on_change_with_room', searcher='search_room')
    company = fields.Function(
        fields.Many2One('company.company', "Company"),
        'on_change_with_company')
    responsible = fields.Many2One(
        'party.party', "Responsible", required=True, ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="Who takes the action.")
    description = fields.Text("Description", required=True)
    due_date = fields.Date("Due Date", required=True)
    done = fields.Boolean("Done")
    done_date = fields.Date(
        "Done On",
        states={
            'invisible': ~Eval('done'),
            })
    overdue = fields.Function(
        fields.Boolean("Overdue"), 'get_overdue', searcher='search_overdue')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('meeting')
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t,
                (t.due_date, Index.Range()),
                where=t.done == Null))
        cls._order = [
            ('due_date', 'ASC'),
            ('id', 'ASC'),
            ]

    @staticmethod
    def default_done():
        return False

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree/field[@name="due_date"]', 'visual',
                If(Eval('overdue', False), 'danger', '')),
            ]

    @fields.depends('meeting', '_parent_meeting.room')
    def on_change_with_room(self, name=None):
        return self.meeting.room if self.meeting else None

    @classmethod
    def search_room(cls, name, clause):
        return [('meeting.' + clause[0], *clause[1:])]

    @fields.depends('meeting', '_parent_meeting.company')
    def on_change_with_company(self, name=None):
        return self.meeting.company if self.meeting else None

    @fields.depends('done', 'done_date')
    def on_change_done(self):
        if self.done and not self.done_date:
            self.done_date = Pool().get('ir.date').today()
        elif not self.done:
            self.done_date = None

    def get_rec_name(self, name):
        return '%s: %s' % (
            self.responsible.rec_name,
            (self.description or '').splitlines()[0]
            if self.description else '')

    def get_overdue(self, name):
        today = Pool().get('ir.date').today()
        return not self.done and self.due_date < today

    @classmethod
    def search_overdue(cls, name, clause):
        today = Pool().get('ir.date').today()
        _, operator, value = clause
        domain = [
            ('done', '=', False),
            ('due_date', '<', today),
            ]
        if (operator == '=') != bool(value):
            domain = ['OR',
                ('done', '=', True),
                ('due_date', '>=', today),
                ]
        return domain


class HouseRule(RecordAccessMixin,
        RoomMixin, DeactivableMixin, sequence_ordered(),
        ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.house_rule'

    name = fields.Char("Agreement", required=True)
    description = fields.Text("Description")
    agreed_date = fields.Date(
        "Agreed On", required=True,
        help="The day the room agreed on the rule.")
    meeting = fields.Many2One(
        'buurtwerkkamer.meeting', "Meeting", ondelete='RESTRICT',
        domain=[
            ('room', '=', Eval('room', -1)),
            ('state', '=', 'held'),
            ],
        help="The meeting that agreed the rule.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('room', 'ASC'),
            ('sequence', 'ASC NULLS LAST'),
            ('agreed_date', 'ASC'),
            ('id', 'ASC'),
            ]

    @staticmethod
    def default_agreed_date():
        return Pool().get('ir.date').today()

    @fields.depends('meeting', '_parent_meeting.date')
    def on_change_meeting(self):
        if self.meeting:
            self.agreed_date = self.meeting.date

    @classmethod
    def validate_fields(cls, rules, field_names):
        super().validate_fields(rules, field_names)
        cls.check_meeting_date(rules, field_names)

    @classmethod
    def check_meeting_date(cls, rules, field_names=None):
        if field_names and not (field_names & {'meeting', 'agreed_date'}):
            return
        for rule in rules:
            if rule.meeting and rule.agreed_date < rule.meeting.date:
                raise ValidationError(gettext(
                        'buurtwerkkamer.msg_house_rule_before_meeting',
                        rule=rule.rec_name,
                        meeting=rule.meeting.rec_name))


class CoachingGoal(
        ServerFieldsMixin, RoomMixin, RecordAccessMixin, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.coaching.goal'

    year = fields.Integer("Year", required=True)
    name = fields.Char("Goal", required=True)
    indicator = fields.Char(
        "Indicator",
        help="How the room and the project coach see that the goal "
        "is reached.")
    quality = fields.Text(
        "Quality Agreements",
        help="What the room agrees on to keep the quality of its work.")
    status = fields.Selection([
            ('planned', "Planned"),
            ('on_track', "On Track"),
            ('at_risk', "At Risk"),
            ('achieved', "Achieved"),
            ('dropped', "Dropped"),
            ], "Status", required=True, sort=False)
    review = fields.Text("Review", help="The coach's latest findings.")
    meetings = fields.Many2Many(
        'buurtwerkkamer.meeting-buurtwerkkamer.coaching.goal',
        'goal', 'meeting', "Reviewed In", readonly=True)
    last_review = fields.Function(
        fields.Date("Last Review"), 'get_last_review')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('year', 'DESC'),
            ('room', 'ASC'),
            ('id', 'ASC'),
            ]

    @staticmethod
    def default_year():
        return Pool().get('ir.date').today().year

    @staticmethod
    def default_status():
        return 'planned'

    @classmethod
    def get_last_review(cls, goals, name):
        pool = Pool()
        Relation = pool.get(
            'buurtwerkkamer.meeting-buurtwerkkamer.coaching.goal')
        Meeting = pool.get('buurtwerkkamer.meeting')
        relation = Relation.__table__()
        meeting = Meeting.__table__()
        cursor = Transaction().connection.cursor()
        result = dict.fromkeys(map(int, goals))
        for sub_ids in grouped_slice(
                list(result.keys()), backend.MAX_QUERY_PARAMS):
            cursor.execute(*relation.join(meeting,
                    condition=relation.meeting == meeting.id
                    ).select(relation.goal, meeting.date,
                    where=fields.SQL_OPERATORS['in'](
                        relation.goal, sub_ids)
                    & (meeting.state == 'held')))
            for goal_id, date in cursor:
                if isinstance(date, str):
                    date = dt.date.fromisoformat(date)
                if result[goal_id] is None or date > result[goal_id]:
                    result[goal_id] = date
        return result


class MeetingCoachingGoal(RecordAccessMixin, ModelSQL):
    __name__ = 'buurtwerkkamer.meeting-buurtwerkkamer.coaching.goal'
    meeting = fields.Many2One(
        'buurtwerkkamer.meeting', "Meeting", required=True,
        ondelete='CASCADE')
    goal = fields.Many2One(
        'buurtwerkkamer.coaching.goal', "Goal", required=True,
        ondelete='CASCADE')


class HouseRulesReport(DocumentMixin, CompanyReport):
    __name__ = 'buurtwerkkamer.room.house_rules'
    _draft_states = set()

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Date = pool.get('ir.date')
        HouseRule = pool.get('buurtwerkkamer.house_rule')
        context = super().get_context(records, header, data)
        rules = defaultdict(list)
        for sub_rooms in grouped_slice(records, backend.MAX_QUERY_PARAMS):
            for rule in HouseRule.search([
                        ('room', 'in', [r.id for r in sub_rooms]),
                        ]):
                rules[rule.room.id].append(rule)
        context['rules'] = lambda room: rules[room.id]
        context['today'] = Date.today()
        return context
