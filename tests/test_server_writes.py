# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The server decides: no client skips a workflow, forges a check or sets a
derived amount.

On the demo cooperative, every role writes and creates, through the client's
calls (proteus, with access check), every field of every model of the module
that its form shows read-only on its own or that the buttons and the server
set, and every state of every workflow; it also copies a record with such a
value.  Each call is refused with a Dutch message and the tables are
unchanged.
"""
import datetime as dt
import os
import re
import sys
import unittest
from decimal import Decimal

import polib

import trytond
from proteus import Model
from proteus import config as pconfig
from trytond.exceptions import UserError
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.tests.tools import activate_modules, set_user
from trytond.transaction import Transaction

from test_access_matrix import ROLES, create_users
from test_bad_input import dutch_messages, snapshot

HERE = os.path.dirname(os.path.abspath(__file__))
DEMO = os.path.join(os.path.dirname(HERE), 'demo')
IR_PO = os.path.join(
    os.path.dirname(trytond.__file__), 'ir', 'locale', 'nl.po')
# The room whose team leader the role 'leader' is
LEADER_ROOM = 'ZUI'
MAGIC = {'id', 'create_uid', 'create_date', 'write_uid', 'write_date',
    'rec_name'}
# The fields that only the office and the treasurer write
OFFICE_FIELDS = {
    'buurtwerkkamer.room': [
        'name', 'code', 'company', 'start_date', 'end_date', 'team_leader',
        'team_coordinator', 'project_coach', 'business_account',
        'handgeld_rule', 'handgeld_amount'],
    }


def ir_dutch_messages():
    "The Dutch texts of Tryton's own access messages"
    messages = []
    for entry in polib.pofile(IR_PO):
        if (entry.msgctxt
                and entry.msgctxt.startswith('model:ir.message,text:msg_')
                and entry.msgstr and entry.msgstr != entry.msgid):
            pattern = re.escape(entry.msgstr.replace('%%', '%'))
            pattern = re.sub(r'%\\\(\w+\\\)s', '.*', pattern)
            messages.append(re.compile(pattern, re.S))
    return messages


def server_fields(Model_, office):
    """Return the fields a client may not change, found from the model:
    the read-only ones, the declared ones and, for the roles outside the
    office, the office's fields"""
    from trytond.model import fields
    names = set(getattr(Model_, '_server_fields', ()))
    if not office:
        names |= set(getattr(Model_, '_office_fields', ()))
        names |= set(OFFICE_FIELDS.get(Model_.__name__, ()))
    for name, field in Model_._fields.items():
        if name in MAGIC:
            continue
        if isinstance(field, fields.Function) and not field.setter:
            continue
        if field.readonly is True:
            names.add(name)
    return sorted(n for n in names if n in Model_._fields)


def selection_values(Model_, name):
    field = Model_._fields[name]
    selection = field.selection
    if isinstance(selection, str):
        selection = getattr(Model_, selection)()
    return [v for v, _ in selection if v is not None]


def other_values(Model_, name, current):
    """Return values of the field that differ from the current one (or the
    default): every value of a selection, one value otherwise"""
    field = Model_._fields[name]
    type_ = field._type
    if type_ in {'selection', 'multiselection'}:
        values = selection_values(Model_, name)
        if type_ == 'multiselection':
            return [[v] for v in values if [v] != list(current or [])]
        return [v for v in values if v != current]
    elif type_ in {'many2one', 'one2many', 'many2many'}:
        Target = field.get_target()
        current_id = getattr(current, 'id', current)
        if type_ != 'many2one':
            current_id = None
        targets = Target.search(
            [('id', '!=', current_id)] if current_id else [],
            order=[('id', 'ASC')], limit=1)
        if not targets:
            return []
        if type_ == 'many2one':
            return [targets[0].id]
        return [[('add', [targets[0].id])]]
    elif type_ == 'reference':
        return []
    elif type_ in {'numeric', 'integer', 'float'}:
        base = current if current is not None else 0
        if type_ == 'numeric':
            return [Decimal(base) + Decimal('1000'), Decimal('-5')]
        return [base + 1000]
    elif type_ == 'date':
        return [(current or dt.date.today()) + dt.timedelta(days=1)]
    elif type_ in {'datetime', 'timestamp'}:
        return [(current or dt.datetime.now()) + dt.timedelta(days=1)]
    elif type_ == 'boolean':
        return [not current]
    elif type_ in {'char', 'text'}:
        return [(current or '') + 'x']
    elif type_ == 'binary':
        return [b'forged']
    elif type_ == 'dict':
        return [{'forged': 1}]
    return []


class ServerWritesTestCase(unittest.TestCase):
    "A client sets no field that the buttons and the server set"

    @classmethod
    def setUpClass(cls):
        sys.path.insert(0, DEMO)
        cls.addClassCleanup(sys.path.remove, DEMO)
        import load_demo
        cls.config = activate_modules('buurtwerkkamer')
        Lang = Model.get('ir.lang')
        dutch, = Lang.find([('code', '=', 'nl')])
        Lang.click([dutch], 'load_translations')
        load_demo.main(DB_NAME, None, False, 'http://127.0.0.1:8000/')
        cls.config = pconfig.get_config()
        cls.users = cls.create_users()
        cls.messages = (
            list(dutch_messages().values()) + ir_dutch_messages())

    @classmethod
    def tearDownClass(cls):
        drop_db()

    @classmethod
    def create_users(cls):
        "The users of the roles of the access matrix, in Dutch"
        from trytond.pool import Pool
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Room = pool.get('buurtwerkkamer.room')
            User = pool.get('res.user')
            Lang = pool.get('ir.lang')
            room, = Room.search([('code', '=', LEADER_ROOM)])
            users = create_users(room.company, room.team_leader)
            dutch, = Lang.search([('code', '=', 'nl')])
            User.write(list(users.values()), {'language': dutch.id})
            transaction.commit()
            return {r: u.id for r, u in users.items()}

    def setUp(self):
        self.addCleanup(set_user, 1, self.config)

    def assertDutchRefusal(self, call, what):
        try:
            call()
        except UserError as exception:
            message = exception.message
            if not any(p.fullmatch(message) for p in self.messages):
                return '%s: not a Dutch message: %s' % (what, message)
        except Exception as exception:
            return '%s: crashed: %r' % (what, exception)
        else:
            return '%s: accepted' % what

    def cases(self, role):
        """Yield the model, record, field and values that the role must not
        send"""
        from trytond.pool import Pool
        from trytond.model import ModelStorage
        office = role in {'admin', 'treasurer'}
        with Transaction().start(DB_NAME, 0, readonly=True):
            pool = Pool()
            for name, Model_ in sorted(pool.iterobject()):
                if (not name.startswith('buurtwerkkamer.')
                        or not issubclass(Model_, ModelStorage)
                        or getattr(Model_, '_table', None) is None
                        or not hasattr(Model_, 'fields_view_get')
                        or name.endswith('.company')):
                    continue
                names = server_fields(Model_, office)
                if not names:
                    continue
                sample = self.sample(Model_)
                for record in sample:
                    for field in names:
                        current = getattr(record, field)
                        for value in other_values(Model_, field, current):
                            yield 'write', name, record.id, field, value
                for field in names:
                    default = Model_._defaults.get(field)
                    default = default() if default else None
                    for value in other_values(Model_, field, default):
                        yield 'create', name, None, field, value
                        if sample:
                            yield 'copy', name, sample[0].id, field, value

    def sample(self, Model_):
        """Return a record of each state of the model, those of the team
        leader's room first"""
        records = Model_.search([], order=[('id', 'ASC')])

        def of_leader(record):
            room = getattr(record, 'room', None)
            return getattr(room, 'code', None) != LEADER_ROOM
        records.sort(key=of_leader)
        if 'state' not in Model_._fields:
            return records[:2]
        by_state = {}
        for record in records:
            by_state.setdefault(record.state, record)
        return list(by_state.values())

    def test_sweep(self):
        "Every role is refused every server field and state, in Dutch"
        before = snapshot()
        failures, count = [], 0
        for role in ROLES:
            cases = list(self.cases(role))
            set_user(self.users[role], self.config)
            for mode, name, id_, field, value in cases:
                proxy = Model.get(name, config=self.config)._proxy
                context = self.config.context
                what = '%s %s %s %s.%s=%r' % (
                    role, mode, name, id_, field, value)
                if mode == 'write':
                    def call():
                        proxy.write([id_], {field: value}, context)
                elif mode == 'create':
                    def call():
                        proxy.create([{field: value}], context)
                else:
                    def call():
                        proxy.copy([id_], {field: value}, context)
                failure = self.assertDutchRefusal(call, what)
                count += 1
                if failure:
                    failures.append(failure)
        self.assertGreater(count, 1000)
        self.assertFalse(failures, msg='\n'.join(
                ['%s of %s calls:' % (len(failures), count)]
                + failures[:40]))
        self.assertEqual(snapshot(), before)

    def as_role(self, role):
        set_user(self.users[role], self.config)
        return self.config.context

    def test_leader_room(self):
        "A team leader opens his room and writes only its description"
        from test_bad_input import dutch_messages
        messages = dutch_messages()
        context = self.as_role('leader')
        Room = Model.get('buurtwerkkamer.room', config=self.config)
        room, = Room.find([('code', '=', LEADER_ROOM)])
        Room.fields_view_get(None, 'form', context)
        fields = Room._proxy.fields_get(['name', 'handgeld_amount'], context)
        self.assertTrue(fields['handgeld_amount']['readonly'])
        self.assertTrue(fields['name']['readonly'])
        Room.write([room.id], {'description': "Open op dinsdag"}, context)
        self.assertEqual(Room(room.id).description, "Open op dinsdag")
        for values in [
                {'handgeld_amount': Decimal('1.00')},
                {'handgeld_rule': 'fixed'},
                {'team_coordinator': None},
                {'start_date': dt.date(2000, 1, 1)},
                {'code': 'X'},
                ]:
            with self.subTest(values=values), \
                    self.assertRaises(UserError) as cm:
                Room.write([room.id], values, context)
            self.assertTrue(any(p.fullmatch(cm.exception.message)
                    for p in self.messages), msg=cm.exception.message)
        with self.assertRaises(UserError) as cm:
            Room.write([room.id], {'state': 'closed'}, context)
        self.assertRegex(
            cm.exception.message, messages['msg_server_field_write'])
        self.assertIn(room.rec_name, cm.exception.message)

    def test_handgeld_months(self):
        "Handgeld months only for operational rooms, within the cap"
        from trytond.pool import Pool
        from test_bad_input import dutch_messages
        messages = dutch_messages()
        context = self.as_role('treasurer')
        Period = Model.get('buurtwerkkamer.handgeld.period', config=self.config)
        Room = Model.get('buurtwerkkamer.room', config=self.config)
        room, = Room.find([('state', '=', 'funding')], limit=1)
        with self.assertRaises(UserError) as cm:
            Period._proxy.create([{
                        'room': room.id, 'company': room.company.id,
                        'date': dt.date(2030, 1, 1),
                        'allowance': Decimal('1000'),
                        'transfer_amount': Decimal('500'),
                        }], context)
        self.assertRegex(
            cm.exception.message, messages['msg_server_field_create'])
        with Transaction().start(DB_NAME, 0) as transaction, \
                transaction.set_context(language='nl'):
            pool = Pool()
            ServerPeriod = pool.get('buurtwerkkamer.handgeld.period')
            ServerRoom = pool.get('buurtwerkkamer.room')
            funding = ServerRoom(room.id)
            operational, = ServerRoom.search(
                [('code', '=', LEADER_ROOM)])
            values = {
                'company': funding.company.id,
                'team_leader': operational.team_leader.id,
                'allowance': Decimal('100'),
                }
            for month, room_, allowance, message in [
                    (1, funding, Decimal('100'),
                        'msg_handgeld_period_not_operational'),
                    (2, operational, Decimal('1000'),
                        'msg_handgeld_period_allowance_cap'),
                    (3, operational, Decimal('-1'),
                        'msg_handgeld_period_allowance_cap'),
                    ]:
                with self.subTest(room=room_.code, allowance=allowance), \
                        self.assertRaises(UserError) as cm:
                    ServerPeriod.create([dict(values, room=room_.id,
                                date=dt.date(2030, month, 1),
                                allowance=allowance)])
                self.assertRegex(cm.exception.message, messages[message])
            period, = ServerPeriod.search([
                    ('room', '=', operational.id)],
                order=[('date', 'DESC')], limit=1)
            with self.assertRaises(UserError) as cm:
                ServerPeriod.write([period], {
                        'transfer_amount': Decimal('500'),
                        'transfer_move': None,
                        })
            self.assertRegex(cm.exception.message,
                messages['msg_handgeld_period_transfer_unlinked'])
            transaction.rollback()

    def test_handgeld_cap(self):
        "The handgeld cap stays between 0 and 1000"
        from test_bad_input import dutch_messages
        messages = dutch_messages()
        context = self.as_role('admin')
        Configuration = Model.get(
            'buurtwerkkamer.configuration', config=self.config)
        for cap in [Decimal('-5'), Decimal('1000.01')]:
            with self.subTest(cap=cap), self.assertRaises(UserError) as cm:
                Configuration.write([1], {'handgeld_cap': cap}, context)
            self.assertRegex(
                cm.exception.message, messages['msg_handgeld_cap_range'])
        Configuration.write([1], {'handgeld_cap': Decimal('250')}, context)
        self.assertEqual(Configuration(1).handgeld_cap, Decimal('250'))

    def test_frozen_report_lines(self):
        "The lines of a checked annual report change no more"
        from trytond.pool import Pool
        from test_bad_input import dutch_messages
        messages = dutch_messages()
        with Transaction().start(DB_NAME, 0) as transaction, \
                transaction.set_context(language='nl'):
            pool = Pool()
            Report = pool.get('buurtwerkkamer.annual_report')
            Line = pool.get('buurtwerkkamer.annual_report.line')
            report, = Report.search(
                [('lines', '!=', None)], order=[('id', 'ASC')], limit=1)
            Report.write([report], {'state': 'checked'})
            for action in [
                    lambda: Line.write(
                        list(report.lines[:1]), {'amount': Decimal(1)}),
                    lambda: Line.delete(list(report.lines[:1])),
                    lambda: Line.create([{
                                'report': report.id, 'section': 'content',
                                'description': "Extra"}]),
                    ]:
                with self.assertRaises(UserError) as cm:
                    action()
                self.assertRegex(cm.exception.message,
                    messages['msg_annual_report_line_frozen'])
            transaction.rollback()
