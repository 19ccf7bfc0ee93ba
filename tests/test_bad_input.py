# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Bad input across the module: each case is refused with a Dutch message and
leaves the database unchanged.

Every case runs as the client's calls do, each call in its own transaction
(proteus); the tables of the module are compared before and after.
"""
import datetime as dt
import hashlib
import os
import re
import unittest
from decimal import Decimal

import polib

from proteus import Model
from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import ValidationError
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.tests.tools import activate_modules, set_user
from trytond.transaction import Transaction

HERE = os.path.dirname(os.path.abspath(__file__))
PO = os.path.join(
    os.path.dirname(HERE), 'trytond_buurtwerkkamer', 'locale', 'nl.po')
TODAY = dt.date.today()


def dutch_messages():
    "The Dutch texts of the module's messages, as regular expressions"
    messages = {}
    for entry in polib.pofile(PO):
        if entry.msgctxt and entry.msgctxt.startswith('model:ir.message,'):
            fs_id = entry.msgctxt.split(':', 2)[2]
            pattern = re.escape(entry.msgstr)
            pattern = re.sub(r'%\\\(\w+\\\)s', '.*', pattern)
            messages[fs_id] = re.compile(pattern, re.S)
    return messages


def snapshot():
    "A digest of every row of the module's tables and of the ledger"
    from trytond.model import ModelSQL
    from trytond.pool import Pool
    digest = hashlib.sha256()
    with Transaction().start(DB_NAME, 0, readonly=True) as transaction:
        pool = Pool(DB_NAME)
        cursor = transaction.connection.cursor()
        for name, model in sorted(pool.iterobject()):
            if (not name.startswith('buurtwerkkamer.')
                    or not issubclass(model, ModelSQL)
                    or callable(model.table_query)):
                continue
            table = model.__table__()
            cursor.execute(*table.select(order_by=[table.id]))
            for row in cursor:
                digest.update(repr(row).encode())
        for name in ['account.move', 'account.move.line',
                'account.invoice', 'account.payment', 'party.address']:
            table = pool.get(name).__table__()
            cursor.execute(*table.select(order_by=[table.id]))
            for row in cursor:
                digest.update(repr(row).encode())
    return digest.hexdigest()


class BadInputTestCase(unittest.TestCase):
    "Bad input gets a clear Dutch message and changes nothing"

    @classmethod
    def setUpClass(cls):
        from trytond.modules.company.tests.tools import create_company
        cls.config = activate_modules('buurtwerkkamer', create_company)
        Lang = Model.get('ir.lang')
        User = Model.get('res.user')
        dutch, = Lang.find([('code', '=', 'nl')])
        Lang.click([dutch], 'load_translations')
        admin = User(cls.config.user)
        admin.language = dutch
        admin.save()
        set_user(admin)
        cls.messages = dutch_messages()
        cls.fixtures = cls.create_fixtures()

    @classmethod
    def tearDownClass(cls):
        drop_db()

    @classmethod
    def create_fixtures(cls):
        from trytond.modules.company.tests.tools import get_company
        Party = Model.get('party.party')
        Employee = Model.get('company.employee')
        Room = Model.get('buurtwerkkamer.room')
        Intent = Model.get('buurtwerkkamer.intent')
        Option = Model.get('buurtwerkkamer.location.option')
        Application = Model.get('buurtwerkkamer.funding.application')
        Covenant = Model.get('buurtwerkkamer.covenant')
        company = get_company()
        partner = Party(name="Gemeente")
        partner.save()
        leader = Employee(party=Party(name="Henk"), company=company)
        leader.party.save()
        leader.save()
        room = Room(name="Kamer", code="K1")
        room.save()
        operational = Room(name="Open kamer", code="K2")
        operational.save()
        intent = Intent(room=room, partner=partner)
        intent.save()
        intent.click('sign')
        chosen = Option(room=room, name="Gekozen")
        chosen.save()
        chosen.click('choose')
        other = Option(room=room, name="Andere")
        other.save()
        application = Application(room=room, funder=partner)
        application.amount_requested = Decimal('1000.00')
        application.period_start = TODAY
        application.period_end = TODAY
        application.save()
        application.click('submit')
        draft = Application(room=room, funder=partner)
        draft.amount_requested = Decimal('500.00')
        draft.period_start = TODAY
        draft.period_end = TODAY
        draft.save()
        covenant = Covenant(name="Convenant")
        covenant.start_date = TODAY
        covenant.end_date = TODAY + dt.timedelta(days=700)
        covenant.save()
        Room.write([operational.id], {'state': 'starting'}, {})
        return {
            'company': company, 'partner': partner, 'leader': leader,
            'room': room, 'operational': Room(operational.id),
            'intent': intent, 'chosen': chosen, 'other': other,
            'application': application, 'draft': draft,
            'covenant': covenant,
            }

    def assertRefused(self, action, message):
        "The action is refused with the Dutch text of message"
        before = snapshot()
        with self.assertRaises((UserError, UserWarning)) as context:
            action()
        text = context.exception.message
        if message.startswith('msg_'):
            pattern = self.messages[message]
            self.assertRegex(text, pattern)
        else:
            # A message of Tryton itself, translated by Tryton.
            self.assertIn(message, text)
        self.assertEqual(snapshot(), before, msg="the database changed")
        return text

    def cases(self):
        "(description, action, expected message)"
        f = self.fixtures
        Room = Model.get('buurtwerkkamer.room')
        Member = Model.get('buurtwerkkamer.room.member')
        Option = Model.get('buurtwerkkamer.location.option')
        Application = Model.get('buurtwerkkamer.funding.application')
        Covenant = Model.get('buurtwerkkamer.covenant')
        Partner = Model.get('buurtwerkkamer.covenant.partner')

        def new_application(**values):
            def action():
                application = Application(
                    room=f['room'], funder=f['partner'])
                application.amount_requested = Decimal('100.00')
                application.period_start = TODAY
                application.period_end = TODAY
                for name, value in values.items():
                    setattr(application, name, value)
                application.save()
            return action

        context = self.config.context

        def write(model, record, values):
            return lambda: Model.get(model).write(
                [record.id], values, context)

        return [
            ("room code used twice",
                lambda: Room(name="Dubbel", code="K1").save(),
                'msg_room_code_unique'),
            ("room closing date before its opening date",
                write('buurtwerkkamer.room', f['room'], {
                        'start_date': TODAY,
                        'end_date': TODAY - dt.timedelta(days=1)}),
                'Sluitingsdatum'),
            ("room without name",
                lambda: Room(code="LEEG").save(), 'Naam'),
            ("delete a room in start-up",
                lambda: Room.delete([f['operational']]),
                'msg_room_delete_initiative'),
            ("start talks without residents",
                lambda: Room.click([f['room']], 'explore'),
                'msg_room_no_initiators'),
            ("open a room without team leader",
                lambda: Room.click([f['operational']], 'open'),
                'msg_room_no_team_leader'),
            ("membership ending before it starts",
                lambda: Member(room=f['room'], party=f['partner'],
                    start_date=TODAY,
                    end_date=TODAY - dt.timedelta(days=1)).save(),
                'Einddatum'),
            ("funding application of zero euro",
                new_application(amount_requested=Decimal('0')),
                'Aangevraagd bedrag'),
            ("negative funding application",
                new_application(amount_requested=Decimal('-5.00')),
                'Aangevraagd bedrag'),
            ("funding period ending before it starts",
                new_application(period_end=TODAY - dt.timedelta(days=1)),
                'Einde periode'),
            ("grant funding without amount granted",
                lambda: Application.click([f['application']], 'grant'),
                'msg_funding_no_amount_granted'),
            ("grant funding with a negative amount",
                write('buurtwerkkamer.funding.application', f['application'],
                    {'amount_granted': Decimal('-1'), 'state': 'granted'}),
                'Toegekend bedrag'),
            ("a state that does not exist",
                write('buurtwerkkamer.funding.application', f['application'],
                    {'state': 'bogus'}),
                'Status'),
            ("sign a letter of intent twice (out of order)",
                lambda: Model.get('buurtwerkkamer.intent').click(
                    [f['intent']], 'sign'),
                'U kunt "sign" niet aanroepen'),
            ("grant a draft application (out of order)",
                lambda: Application.click([f['draft']], 'grant'),
                'U kunt "grant" niet aanroepen'),
            ("choose a second location",
                lambda: Option.click([f['other']], 'choose'),
                'msg_location_already_chosen'),
            ("location with negative rent",
                lambda: Option(room=f['room'], name="Te duur",
                    rent=Decimal('-10')).save(),
                'Huur per maand'),
            ("location of zero square metres",
                lambda: Option(room=f['room'], name="Te klein",
                    area=Decimal('0')).save(),
                'Oppervlakte'),
            ("delete a signed letter of intent",
                lambda: Model.get('buurtwerkkamer.intent').delete(
                    [f['intent']]),
                'msg_start_up_delete_draft'),
            ("covenant ending before it starts",
                lambda: Covenant(name="Omgekeerd", start_date=TODAY,
                    end_date=TODAY - dt.timedelta(days=1)).save(),
                'Einddatum'),
            ("sign a covenant without rooms or partners",
                lambda: Covenant.click([f['covenant']], 'sign'),
                'msg_covenant_sign_incomplete'),
            ("negative yearly commitment",
                lambda: Partner(covenant=f['covenant'], party=f['partner'],
                    yearly_commitment=Decimal('-100')).save(),
                'Jaarlijkse toezegging'),
            ]

    def test_bad_input(self):
        "Every bad input is refused in Dutch without a trace"
        cases = self.cases()
        self.assertGreaterEqual(len(cases), 20)
        for description, action, message in cases:
            with self.subTest(case=description):
                self.assertRefused(action, message)


del ValidationError
