# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond import backend
from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError, ValidationError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import without_check_access

from .access import RecordAccessMixin
from .meeting import RoomMixin
from .server_fields import ServerFieldsMixin


class Conflict(
        ServerFieldsMixin, RoomMixin, RecordAccessMixin, Workflow, ModelSQL,
        ModelView):
    __name__ = 'buurtwerkkamer.conflict'

    _states = {
        'readonly': Eval('state') == 'closed',
        }

    date = fields.Date("Date", required=True, states=_states)
    parties = fields.Many2Many(
        'buurtwerkkamer.conflict-party.party', 'conflict', 'party',
        "People Involved", states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    description = fields.Text(
        "Description", required=True, states=_states,
        help="What happened, as the people involved tell it.")
    mediator = fields.Many2One(
        'company.employee', "Mediator", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states={
            'readonly': _states['readonly'],
            'required': Eval('state').in_(['mediation', 'resolved']),
            })
    outcome = fields.Text(
        "Outcome",
        states={
            'readonly': _states['readonly'],
            'required': Eval('state').in_(['resolved', 'closed']),
            },
        help="What was agreed. The first aim is always to keep "
        "everybody together.")
    everybody_stays = fields.Boolean(
        "Everybody Stays", states=_states,
        help="Check when everybody involved could stay in the room.")
    suspensions = fields.One2Many(
        'buurtwerkkamer.suspension', 'conflict', "Suspensions",
        domain=[
            ('room', '=', Eval('room', -1)),
            ],
        states=_states,
        help="When somebody has to step back from the room for a while.")
    state = fields.Selection([
            ('open', "Open"),
            ('mediation', "In Mediation"),
            ('resolved', "Resolved"),
            ('closed', "Closed"),
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
            ('open', 'mediation'),
            ('mediation', 'resolved'),
            ('resolved', 'mediation'),
            ('resolved', 'closed'),
            }
        cls._buttons.update({
                'mediate': {
                    'invisible': ~Eval('state').in_(['open', 'resolved']),
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'resolve': {
                    'invisible': Eval('state') != 'mediation',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'resolved',
                    'icon': 'tryton-close',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_date():
        return Pool().get('ir.date').today()

    @staticmethod
    def default_state():
        return 'open'

    @staticmethod
    def default_everybody_stays():
        return True

    def get_rec_name(self, name):
        pool = Pool()
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        return '%s %s' % (self.room.code, lang.strftime(self.date))

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('room.rec_name', *clause[1:])]

    @classmethod
    def check_modification(cls, mode, conflicts, values=None, external=False):
        super().check_modification(
            mode, conflicts, values=values, external=external)
        if mode == 'delete':
            for conflict in conflicts:
                if conflict.state != 'open':
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_conflict_delete_open',
                            conflict=conflict.rec_name))
        elif mode == 'write':
            for conflict in conflicts:
                if conflict.state == 'closed':
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_conflict_closed',
                            conflict=conflict.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('mediation')
    def mediate(cls, conflicts):
        for conflict in conflicts:
            if not conflict.mediator:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_conflict_no_mediator',
                        conflict=conflict.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('resolved')
    def resolve(cls, conflicts):
        for conflict in conflicts:
            if not conflict.outcome:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_conflict_no_outcome',
                        conflict=conflict.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, conflicts):
        pass


class ConflictParty(RecordAccessMixin, ModelSQL):
    __name__ = 'buurtwerkkamer.conflict-party.party'
    conflict = fields.Many2One(
        'buurtwerkkamer.conflict', "Conflict", required=True,
        ondelete='CASCADE')
    party = fields.Many2One(
        'party.party', "Party", required=True, ondelete='CASCADE')


class Suspension(RecordAccessMixin, RoomMixin, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.suspension'

    party = fields.Many2One(
        'party.party', "Person", required=True, ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    from_date = fields.Date(
        "From Date", required=True,
        help="The first day the person cannot use the room.")
    to_date = fields.Date(
        "To Date", required=True,
        help="The last day the person cannot use the room.")
    reason = fields.Text("Reason", required=True)
    conflict = fields.Many2One(
        'buurtwerkkamer.conflict', "Conflict", ondelete='RESTRICT',
        domain=[
            ('room', '=', Eval('room', -1)),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t,
                (t.party, Index.Range()),
                (t.from_date, Index.Range()),
                (t.to_date, Index.Range())))
        cls._order = [
            ('from_date', 'DESC'),
            ('id', 'DESC'),
            ]

    def get_rec_name(self, name):
        pool = Pool()
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        return '%s (%s - %s)' % (
            self.party.rec_name,
            lang.strftime(self.from_date), lang.strftime(self.to_date))

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('party.rec_name', *clause[1:])]

    @classmethod
    def find_on(cls, keys):
        """Return a dictionary that maps the (party, room, date) keys
        to the suspension that covers them"""
        keys = [k for k in keys if all(k)]
        if not keys:
            return {}
        result = {}
        by_party_room = {}
        for party, room, date in keys:
            by_party_room.setdefault((party.id, room.id), []).append(
                (party, room, date))
        dates = [d for _, _, d in keys]
        parties = {p.id for p, _, _ in keys}
        with without_check_access():
            for sub_parties in grouped_slice(
                    parties, backend.MAX_QUERY_PARAMS // 2):
                suspensions = cls.search([
                        ('party', 'in', list(sub_parties)),
                        ('room', 'in', list({r.id for _, r, _ in keys})),
                        ('from_date', '<=', max(dates)),
                        ('to_date', '>=', min(dates)),
                        ])
                for suspension in suspensions:
                    for key in by_party_room.get(
                            (suspension.party.id, suspension.room.id), []):
                        date = key[2]
                        if suspension.from_date <= date <= suspension.to_date:
                            result[key] = suspension
        return result

    @classmethod
    def check_modification(
            cls, mode, suspensions, values=None, external=False):
        pool = Pool()
        Conflict = pool.get('buurtwerkkamer.conflict')
        super().check_modification(
            mode, suspensions, values=values, external=external)
        conflicts = {s.conflict for s in suspensions if s.conflict}
        if mode == 'write' and values.get('conflict'):
            conflicts.add(Conflict(values['conflict']))
        cls.check_conflicts_open(conflicts)

    @classmethod
    def check_conflicts_open(cls, conflicts):
        "The suspensions of a closed conflict are part of its record"
        for conflict in conflicts:
            if conflict.state == 'closed':
                raise AccessError(gettext(
                        'buurtwerkkamer.msg_suspension_conflict_closed',
                        conflict=conflict.rec_name))

    @classmethod
    def validate_fields(cls, suspensions, field_names):
        super().validate_fields(suspensions, field_names)
        cls.check_dates(suspensions, field_names)

    @classmethod
    def check_dates(cls, suspensions, field_names=None):
        if field_names and not (field_names & {
                    'party', 'room', 'from_date', 'to_date'}):
            return
        pool = Pool()
        Attendee = pool.get('buurtwerkkamer.meeting.attendee')
        for suspension in suspensions:
            if suspension.to_date < suspension.from_date:
                raise ValidationError(gettext(
                        'buurtwerkkamer.msg_suspension_inverted',
                        suspension=suspension.rec_name))
        with without_check_access():
            for sub in grouped_slice(
                    suspensions, backend.MAX_QUERY_PARAMS // 2):
                sub = list(sub)
                others = cls.search([
                        ('party', 'in', [s.party.id for s in sub]),
                        ('room', 'in', list({s.room.id for s in sub})),
                        ('from_date', '<=', max(s.to_date for s in sub)),
                        ('to_date', '>=', min(s.from_date for s in sub)),
                        ])
                for suspension in sub:
                    for other in others:
                        if (other != suspension
                                and other.party == suspension.party
                                and other.room == suspension.room
                                and other.from_date <= suspension.to_date
                                and other.to_date >= suspension.from_date):
                            raise ValidationError(gettext(
                                    'buurtwerkkamer.msg_suspension_overlap',
                                    suspension=suspension.rec_name,
                                    other=other.rec_name))
                attendees = Attendee.search([
                        ('party', 'in', [s.party.id for s in sub]),
                        ('meeting.room', 'in', list({s.room.id for s in sub})),
                        ('meeting.date', '<=', max(s.to_date for s in sub)),
                        ('meeting.date', '>=', min(s.from_date for s in sub)),
                        ('attendance', '=', 'present'),
                        ])
                for suspension in sub:
                    for attendee in attendees:
                        meeting = attendee.meeting
                        if (attendee.party == suspension.party
                                and meeting.room == suspension.room
                                and (suspension.from_date <= meeting.date
                                    <= suspension.to_date)):
                            raise ValidationError(gettext(
                                    'buurtwerkkamer'
                                    '.msg_suspension_attended_meeting',
                                    suspension=suspension.rec_name,
                                    meeting=meeting.rec_name))


class RoomMember(metaclass=PoolMeta):
    __name__ = 'buurtwerkkamer.room.member'

    suspended = fields.Function(
        fields.Boolean(
            "Suspended",
            help="The person has stepped back from the room for a while "
            "after a conflict."),
        'get_suspended')

    @classmethod
    def get_suspended(cls, members, name):
        pool = Pool()
        Date = pool.get('ir.date')
        Suspension = pool.get('buurtwerkkamer.suspension')
        today = Date.today()
        suspended = Suspension.find_on(
            {(m.party, m.room, today) for m in members})
        return {
            m.id: (m.party, m.room, today) in suspended for m in members}

    @classmethod
    def validate_fields(cls, members, field_names):
        super().validate_fields(members, field_names)
        cls.check_suspension(members, field_names)

    @classmethod
    def check_suspension(cls, members, field_names=None):
        "Refuse to make somebody an active member during a suspension"
        pool = Pool()
        Date = pool.get('ir.date')
        Lang = pool.get('ir.lang')
        Suspension = pool.get('buurtwerkkamer.suspension')
        if field_names and not (field_names & {
                    'party', 'room', 'start_date'}):
            return
        today = Date.today()
        keys = {
            (m.party, m.room, m.start_date or today): m for m in members}
        suspensions = Suspension.find_on(keys)
        for key, suspension in suspensions.items():
            member = keys[key]
            raise ValidationError(gettext(
                    'buurtwerkkamer.msg_member_suspended',
                    party=member.party.rec_name,
                    room=member.room.rec_name,
                    to_date=Lang.get().strftime(suspension.to_date)))
