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
from unittest.mock import patch

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
            pattern = re.escape(entry.msgstr.replace('%%', '%'))
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
        # The server's today stays the tests' today, even past midnight
        patcher = patch('trytond.ir.date.Date.today', return_value=TODAY)
        patcher.start()
        cls.addClassCleanup(patcher.stop)
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
        # A room in start-up without its records: set as the server does
        with Transaction().start(DB_NAME, 0) as transaction:
            from trytond.pool import Pool
            ServerRoom = Pool().get('buurtwerkkamer.room')
            ServerRoom.write(
                [ServerRoom(operational.id)], {'state': 'starting'})
            transaction.commit()
        fixtures = {
            'company': company, 'partner': partner, 'leader': leader,
            'room': room, 'operational': Room(operational.id),
            'intent': intent, 'chosen': chosen, 'other': other,
            'application': application, 'draft': draft,
            'covenant': covenant,
            }
        fixtures.update(cls.create_agreement_fixtures(fixtures))
        fixtures.update(cls.create_placement_fixtures(fixtures))
        fixtures.update(cls.create_employment_fixtures(fixtures))
        fixtures.update(cls.create_room_life_fixtures(fixtures))
        return fixtures

    @classmethod
    def create_agreement_fixtures(cls, f):
        "A signed covenant with a draft, a signed and an evaluated agreement"
        Covenant = Model.get('buurtwerkkamer.covenant')
        Agreement = Model.get('buurtwerkkamer.agreement')
        Party = Model.get('party.party')
        year = TODAY.year
        stranger = Party(name="Buitenstaander")
        stranger.save()
        covenants = []
        for name in ["Getekend convenant", "Concept convenant"]:
            covenant = Covenant(name=name)
            covenant.start_date = dt.date(year, 1, 1)
            covenant.end_date = dt.date(year + 2, 12, 31)
            covenant.rooms.append(Model.get('buurtwerkkamer.room')(
                    f['room'].id))
            line = covenant.partners.new()
            line.party = f['partner']
            line.yearly_commitment = Decimal('1000.00')
            covenants.append(covenant)
        Covenant.save(covenants)
        signed_covenant, draft_covenant = covenants
        signed_covenant.click('sign')

        def agreement(covenant, year, contribution, instalments=()):
            agreement = Agreement(
                covenant=covenant, room=f['room'], year=year)
            agreement.partner = f['partner']
            agreement.contribution = Decimal(contribution)
            for amount in instalments:
                agreement.instalments.new(
                    date=dt.date(year, 1, 1), amount=Decimal(amount))
            return agreement
        signed = agreement(signed_covenant, year, '500.00')
        obligation = signed.obligations.new()
        obligation.description = "Open inloop"
        obligation.target = Decimal('40')
        draft = agreement(signed_covenant, year, '400.00')
        evaluated = agreement(signed_covenant, year + 1, '300.00')
        unbalanced = agreement(
            signed_covenant, year + 2, '300.00', instalments=['100.00'])
        unsigned_covenant = agreement(draft_covenant, year, '100.00')
        agreements = [signed, draft, evaluated, unbalanced, unsigned_covenant]
        Agreement.save(agreements)
        Agreement.click([signed, evaluated], 'sign')
        Agreement.click([evaluated], 'evaluate')
        return {
            'stranger': stranger,
            'signed_covenant': signed_covenant,
            'agreement_signed': Agreement(signed.id),
            'agreement_draft': Agreement(draft.id),
            'agreement_evaluated': Agreement(evaluated.id),
            'agreement_unbalanced': Agreement(unbalanced.id),
            'agreement_unsigned_covenant': Agreement(unsigned_covenant.id),
            }

    @classmethod
    def create_placement_fixtures(cls, f):
        "Placements in each step of recruitment, with signals"
        Party = Model.get('party.party')
        Placement = Model.get('buurtwerkkamer.placement')
        Signal = Model.get('buurtwerkkamer.placement.signal')
        candidates = [Party(name="Kandidaat %s" % i) for i in range(6)]
        agency = Party(name="Werk en Inkomen")
        Party.save(candidates + [agency])
        placements = []
        for candidate in candidates:
            placement = Placement(kind='participatieplaats')
            placement.candidate = candidate
            placement.room = f['room']
            placements.append(placement)
        Placement.save(placements)
        placements, rejected = placements[:5], placements[5]
        candidate, interview, selected, contracted, active = placements
        Placement.click(placements[1:] + [rejected], 'invite')
        rejected.reload()
        rejected.interviews.new(date=TODAY, outcome='not_suitable')
        rejected.reason = "Past niet bij de kamer"
        rejected.save()
        rejected.click('reject')
        for placement in placements[2:]:
            placement.reload()
            placement.interviews.new(date=TODAY, outcome='suitable')
            placement.save()
        Placement.click(placements[2:], 'select')
        for placement in placements[3:]:
            placement.reload()
            placement.start_date = TODAY
            placement.hours = Decimal('16')
            placement.supervisor = f['leader']
            placement.save()
        Placement.click(placements[3:], 'contract')
        active.reload()
        active.contract_signed_date = TODAY
        active.contract_document = b'%PDF-1.4 signed'
        active.benefits_agency = agency
        active.save()
        active.click('activate')
        signals = [
            Signal(placement=contracted, description="Te laat",
                report_to_agency=True),
            Signal(placement=contracted, description="Niet gemeld",
                report_to_agency=True, resolution="Gesprek gevoerd"),
            Signal(placement=active, description="Ruzie"),
            Signal(placement=active, description="Vaak afwezig",
                report_to_agency=True, agency_contact="Mevrouw Yilmaz"),
            Signal(placement=active, description="Conflict met collega",
                resolution="Uitgepraat"),
            ]
        Signal.save(signals)
        reported, resolved = signals[3:]
        reported.click('report')
        resolved.click('resolve')
        rejected.reload()
        return {
            'placement_rejected': Placement(rejected.id),
            'signal_reported': Signal(reported.id),
            'signal_resolved': Signal(resolved.id),
            'placement_candidate': Placement(candidate.id),
            'placement_interview': Placement(interview.id),
            'placement_selected': Placement(selected.id),
            'placement_contracted': Placement(contracted.id),
            'placement_active': Placement(active.id),
            'signal_unreported': Signal(signals[0].id),
            'signal_not_reported': Signal(signals[1].id),
            }

    @classmethod
    def create_employment_fixtures(cls, f):
        "A draft employment allocated for 60% and a running one"
        Employment = Model.get('buurtwerkkamer.employment')
        employments = []
        for percentage in [Decimal('60'), Decimal('100')]:
            employment = Employment(
                employee=f['leader'], role='team_coordinator')
            employment.hours = Decimal('24')
            employment.monthly_cost = Decimal('3000.00')
            employment.start_date = TODAY
            employment.allocations.new(room=f['room'], percentage=percentage)
            employments.append(employment)
        Employment.save(employments)
        draft, running = employments
        running.click('run')
        return {
            'employment_draft': Employment(draft.id),
            'employment_running': Employment(running.id),
            }

    @classmethod
    def create_room_life_fixtures(cls, f):
        "Meetings, a suspension, a conflict and a learning plan"
        Party = Model.get('party.party')
        Meeting = Model.get('buurtwerkkamer.meeting')
        Suspension = Model.get('buurtwerkkamer.suspension')
        Conflict = Model.get('buurtwerkkamer.conflict')
        Plan = Model.get('buurtwerkkamer.learning_plan')
        present, suspended = residents = [
            Party(name="Aanwezig"), Party(name="Geschorst")]
        Party.save(residents)
        held = Meeting(room=f['room'], date=TODAY - dt.timedelta(days=10))
        held.attendees.new(party=present, attendance='present')
        today = Meeting(room=f['room'], date=TODAY)
        future = Meeting(room=f['room'], date=TODAY + dt.timedelta(days=10))
        Meeting.save([held, today, future])
        held.click('hold')
        suspension = Suspension(room=f['room'], party=suspended,
            from_date=TODAY - dt.timedelta(days=5),
            to_date=TODAY + dt.timedelta(days=5), reason="Ruzie")
        suspension.save()
        conflicts = [
            Conflict(room=f['room'], description="Ruzie over de keuken"),
            Conflict(room=f['room'], description="Geluidsoverlast",
                mediator=f['leader']),
            Conflict(room=f['room'], description="Diefstal uit de kas",
                mediator=f['leader'], outcome="Excuses en terugbetaald"),
            ]
        Conflict.save(conflicts)
        open_conflict, mediation, closed = conflicts
        Conflict.click([mediation, closed], 'mediate')
        closed.reload()
        closed_suspension = Suspension(room=f['room'], party=present,
            from_date=TODAY + dt.timedelta(days=40),
            to_date=TODAY + dt.timedelta(days=45), reason="Diefstal",
            conflict=closed)
        closed_suspension.save()
        closed.click('resolve')
        closed.click('close')
        plan = Plan(room=f['room'], year=TODAY.year)
        plan.save()
        return {
            'present': present, 'suspended': suspended,
            'meeting_held': Meeting(held.id),
            'meeting_today': Meeting(today.id),
            'meeting_future': Meeting(future.id),
            'suspension': suspension,
            'conflict_open': Conflict(open_conflict.id),
            'conflict_mediation': Conflict(mediation.id),
            'conflict_closed': Conflict(closed.id),
            'suspension_closed': Suspension(closed_suspension.id),
            'plan': plan,
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
            ("grant funding by writing its state, with a negative amount",
                write('buurtwerkkamer.funding.application', f['application'],
                    {'amount_granted': Decimal('-1'), 'state': 'granted'}),
                'msg_server_field_write'),
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
            ("change the signatory of a signed letter of intent",
                lambda: Model.get('buurtwerkkamer.intent').write(
                    [f['intent'].id], {'signatory_function': "Iemand"},
                    context),
                'msg_intent_modify_draft'),
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
            ] + self.agreement_cases() + self.placement_cases() \
            + self.employment_cases() + self.room_life_cases() \
            + self.input_cases()

    def input_cases(self):
        """Values that the database would store malformed or refuse in its
        own words, as they reach the module from a client"""
        f = self.fixtures
        Room = Model.get('buurtwerkkamer.room')
        context = self.config.context

        def write(model, record, values):
            return lambda: Model.get(model).write(
                [record.id], values, context)

        def create(model, values):
            return lambda: Model.get(model).create([values], context)

        option = {'room': f['room'].id, 'name': "Nieuw"}
        return [
            ("room name of 100,000 characters",
                lambda: Room(name="x" * 100_000, code="LANG").save(),
                'msg_input_too_long'),
            ("room name of 101 characters written",
                write('buurtwerkkamer.room', f['room'], {'name': "x" * 101}),
                'msg_input_too_long'),
            ("room description beyond the limit of a text",
                write('buurtwerkkamer.room', f['room'], {
                        'description': "x" * 50_001}),
                'msg_input_too_long'),
            ("NUL character in a room name",
                lambda: Room(name="Kamer\x00", code="NUL").save(),
                'msg_input_nul'),
            ("NUL character in a text",
                write('buurtwerkkamer.room', f['room'], {
                        'description': "Open\x00kamer"}),
                'msg_input_nul'),
            ("NUL character in a location option",
                create('buurtwerkkamer.location.option',
                    {**option, 'city': "Zwolle\x00"}),
                'msg_input_nul'),
            ("location for a room that does not exist",
                create('buurtwerkkamer.location.option',
                    {**option, 'room': 999999}),
                'msg_input_record_missing'),
            ("move a location to a room that does not exist",
                write('buurtwerkkamer.location.option', f['other'], {
                        'room': 999999}),
                'msg_input_record_missing'),
            ("membership of a party that does not exist",
                create('buurtwerkkamer.room.member', {
                        'room': f['room'].id, 'party': 999999,
                        'start_date': TODAY}),
                'msg_input_record_missing'),
            ("a text for a room",
                write('buurtwerkkamer.location.option', f['other'], {
                        'room': "Kamer"}),
                'msg_input_record'),
            ("rent that is not a number",
                write('buurtwerkkamer.location.option', f['other'], {
                        'rent': Decimal('NaN')}),
                'msg_input_number'),
            ("rent with a decimal comma",
                write('buurtwerkkamer.location.option', f['other'], {
                        'rent': "10,50"}),
                'msg_input_number'),
            ("infinite floor area",
                create('buurtwerkkamer.location.option',
                    {**option, 'area': float('inf')}),
                'msg_input_number'),
            ("a learning plan for a year with decimals",
                create('buurtwerkkamer.learning_plan', {
                        'room': f['room'].id, 'year': "2030.5"}),
                'msg_input_number'),
            ("a date that does not exist",
                write('buurtwerkkamer.room', f['room'], {
                        'start_date': "2026-02-30"}),
                'msg_input_date'),
            ("a date that is no date",
                create('buurtwerkkamer.room.member', {
                        'room': f['room'].id, 'party': f['partner'].id,
                        'start_date': "morgen"}),
                'msg_input_date'),
            ("a field that does not exist",
                write('buurtwerkkamer.room', f['room'], {'bogus': 1}),
                'msg_input_unknown_field'),
            ]

    def test_rpc_refuses_malformed_values(self):
        """Malformed numbers and dates sent as typed JSON values are refused
        by Tryton's RPC layer while decoding the request, before the module
        sees them: the web client shows its own error for these."""
        import json
        from trytond.protocols.jsonrpc import JSONDecoder
        for value, error in [
                ({'__class__': 'Decimal', 'decimal': '10,50'}, Exception),
                ({'__class__': 'date', 'year': 2026, 'month': 2, 'day': 30},
                    ValueError),
                ]:
            with self.subTest(value=value):
                with self.assertRaises(error):
                    json.loads(json.dumps(value), object_hook=JSONDecoder())

    def agreement_cases(self):
        f = self.fixtures
        Agreement = Model.get('buurtwerkkamer.agreement')
        Obligation = Model.get('buurtwerkkamer.agreement.obligation')
        Instalment = Model.get('buurtwerkkamer.agreement.instalment')
        context = self.config.context
        year = TODAY.year

        def new_agreement(**values):
            def action():
                agreement = Agreement(
                    covenant=f['signed_covenant'], room=f['room'],
                    year=year + 1)
                agreement.partner = f['partner']
                agreement.contribution = Decimal('10.00')
                for name, value in values.items():
                    setattr(agreement, name, value)
                agreement.save()
            return action

        def write(record, values):
            return lambda: Agreement.write([record.id], values, context)

        return [
            ("agreement for a year outside its covenant",
                new_agreement(year=year - 1),
                'msg_agreement_year_outside_covenant'),
            ("agreement for a room outside its covenant",
                new_agreement(room=f['operational']),
                'msg_agreement_room_not_in_covenant'),
            ("agreement with a partner outside its covenant",
                new_agreement(partner=f['stranger']),
                'msg_agreement_partner_not_in_covenant'),
            ("agreements above the yearly commitment",
                new_agreement(year=year, contribution=Decimal('200.00')),
                'msg_agreement_contribution_exceeds'),
            ("raise a draft agreement above the commitment",
                write(f['agreement_draft'], {
                        'contribution': Decimal('600.00')}),
                'msg_agreement_contribution_exceeds'),
            ("negative contribution",
                new_agreement(contribution=Decimal('-10.00')),
                'Bijdrage'),
            ("year before 1900",
                write(f['agreement_draft'], {'year': 1899}), 'Jaar'),
            ("two signed agreements for the same covenant, room, partner "
                "and year",
                lambda: Agreement.click([f['agreement_draft']], 'sign'),
                'msg_agreement_signed_twice'),
            ("instalments not summing to the contribution",
                lambda: Agreement.click([f['agreement_unbalanced']], 'sign'),
                'msg_agreement_instalments_total'),
            ("sign an agreement of an unsigned covenant",
                lambda: Agreement.click(
                    [f['agreement_unsigned_covenant']], 'sign'),
                'msg_agreement_covenant_not_signed'),
            ("sign an agreement twice (out of order)",
                lambda: Agreement.click([f['agreement_signed']], 'sign'),
                'U kunt "sign" niet aanroepen'),
            ("evaluate a draft agreement (out of order)",
                lambda: Agreement.click([f['agreement_draft']], 'evaluate'),
                'U kunt "evaluate" niet aanroepen'),
            ("evaluate with an obligation not realised",
                lambda: Agreement.click([f['agreement_signed']], 'evaluate'),
                'msg_agreement_obligation_not_realised'),
            ("delete a signed agreement",
                lambda: Agreement.delete([f['agreement_signed']]),
                'msg_agreement_delete_draft'),
            ("delete an evaluated agreement",
                lambda: Agreement.delete([f['agreement_evaluated']]),
                'msg_agreement_delete_draft'),
            ("add an obligation to a signed agreement",
                lambda: Obligation(agreement=f['agreement_signed'],
                    description="Later toegevoegd").save(),
                'msg_obligation_modify_draft'),
            ("delete an obligation of a signed agreement",
                lambda: Obligation.delete(
                    f['agreement_signed'].obligations),
                'msg_obligation_modify_draft'),
            ("change the contribution of a signed agreement",
                write(f['agreement_signed'], {
                        'contribution': Decimal('100.00')}),
                'msg_agreement_modify_signed'),
            ("change the signatory of an evaluated agreement",
                write(f['agreement_evaluated'], {'signatory': "Iemand"}),
                'msg_agreement_modify_signed'),
            ("add an instalment to a signed agreement",
                lambda: Instalment(agreement=f['agreement_signed'],
                    date=TODAY, amount=Decimal('5.00')).save(),
                'msg_instalment_modify_signed'),
            ("change an instalment of a signed agreement",
                lambda: Instalment.write(
                    [i.id for i in f['agreement_signed'].instalments],
                    {'amount': Decimal('5.00')}, context),
                'msg_instalment_modify_signed'),
            ("change the obligation of a signed agreement",
                lambda: Obligation.write(
                    [o.id for o in f['agreement_signed'].obligations],
                    {'target': Decimal('1')}, context),
                'msg_obligation_modify_signed'),
            ("instalment of zero euro",
                lambda: Instalment(agreement=f['agreement_draft'],
                    date=TODAY, amount=Decimal('0')).save(),
                'Bedrag'),
            ]

    def placement_cases(self):
        f = self.fixtures
        Placement = Model.get('buurtwerkkamer.placement')
        Signal = Model.get('buurtwerkkamer.placement.signal')
        Review = Model.get('buurtwerkkamer.placement.review')
        Interview = Model.get('buurtwerkkamer.placement.interview')
        context = self.config.context

        def write(record, values):
            return lambda: Placement.write([record.id], values, context)

        def click(record, button):
            return lambda: Placement.click([record], button)

        return [
            ("select without a suitable interview",
                click(f['placement_interview'], 'select'),
                'msg_placement_no_interview'),
            ("contract a candidate (out of order)",
                click(f['placement_candidate'], 'contract'),
                'U kunt "contract" niet aanroepen'),
            ("activate before selection (out of order)",
                click(f['placement_interview'], 'activate'),
                'U kunt "activate" niet aanroepen'),
            ("contract without start date, hours and supervisor",
                click(f['placement_selected'], 'contract'),
                'msg_placement_contract_incomplete'),
            ("activate without a signed contract",
                click(f['placement_contracted'], 'activate'),
                'msg_placement_not_signed'),
            ("end a placement with an open signal",
                click(f['placement_active'], 'end'),
                'msg_placement_open_signals'),
            ("reject without a reason",
                click(f['placement_candidate'], 'reject'),
                'msg_placement_no_reason'),
            ("withdraw without a reason",
                click(f['placement_contracted'], 'withdraw'),
                'msg_placement_no_reason'),
            ("delete a contracted placement",
                lambda: Placement.delete([f['placement_contracted']]),
                'msg_placement_delete'),
            ("placement ending before it starts",
                write(f['placement_selected'], {
                        'start_date': TODAY,
                        'end_date': TODAY - dt.timedelta(days=1)}),
                'Einddatum'),
            ("trial period ending before the start",
                write(f['placement_selected'], {
                        'start_date': TODAY,
                        'trial_end_date': TODAY - dt.timedelta(days=1)}),
                'Einde proeftijd'),
            ("negative hours per week",
                write(f['placement_selected'], {'hours': Decimal('-4')}),
                'Uren per week'),
            ("more than 40 hours per week",
                write(f['placement_selected'], {'hours': Decimal('41')}),
                'Uren per week'),
            ("negative compensation",
                write(f['placement_selected'], {
                        'compensation': Decimal('-1.00')}),
                'Maandelijkse vergoeding'),
            ("change the hours of an active placement",
                write(f['placement_active'], {'hours': Decimal('30')}),
                'msg_placement_modify'),
            ("move an active placement to another room",
                write(f['placement_active'], {
                        'room': f['operational'].id}),
                'msg_placement_modify'),
            ("report a signal without benefits agency",
                lambda: Signal.click([f['signal_unreported']], 'report'),
                'msg_signal_no_agency'),
            ("resolve a signal without resolution",
                lambda: Signal.click([f['signal_unreported']], 'resolve'),
                'msg_signal_no_resolution'),
            ("resolve a signal that was not reported to the agency",
                lambda: Signal.click([f['signal_not_reported']], 'resolve'),
                'msg_signal_not_reported'),
            ("change what was reported to the benefits agency",
                lambda: Signal.write([f['signal_reported'].id], {
                        'description': "Nooit afwezig"}, context),
                'msg_signal_modify'),
            ("change the resolution of a resolved signal",
                lambda: Signal.write([f['signal_resolved'].id], {
                        'resolution': "Niets gedaan"}, context),
                'msg_signal_modify'),
            ("delete a signal reported to the benefits agency",
                lambda: Signal.delete([f['signal_reported']]),
                'msg_signal_delete'),
            ("a review of a rejected placement",
                lambda: Review(placement=f['placement_rejected'],
                    date=TODAY, notes="Alsnog").save(),
                'msg_placement_closed_record'),
            ("change the interview of a rejected placement",
                lambda: Interview.write(
                    [i.id for i in f['placement_rejected'].interviews],
                    {'outcome': 'suitable'}, context),
                'msg_placement_closed_record'),
            ("next review before the review",
                lambda: Review(placement=f['placement_contracted'],
                    date=TODAY,
                    next_review_date=TODAY - dt.timedelta(days=1)).save(),
                'Volgende evaluatie'),
            ]

    def employment_cases(self):
        f = self.fixtures
        Employment = Model.get('buurtwerkkamer.employment')
        Allocation = Model.get('buurtwerkkamer.employment.allocation')
        context = self.config.context

        def new_employment(**values):
            def action():
                employment = Employment(
                    employee=f['leader'], role='project_coach')
                employment.hours = Decimal('8')
                employment.monthly_cost = Decimal('900.00')
                employment.start_date = TODAY
                for name, value in values.items():
                    setattr(employment, name, value)
                employment.save()
            return action

        return [
            ("run with allocations not summing to 100%",
                lambda: Employment.click([f['employment_draft']], 'run'),
                'msg_employment_allocation_total'),
            ("end a draft employment (out of order)",
                lambda: Employment.click([f['employment_draft']], 'end'),
                'U kunt "end" niet aanroepen'),
            ("negative monthly cost",
                new_employment(monthly_cost=Decimal('-900.00')),
                'Maandelijkse kosten'),
            ("negative hourly rate",
                new_employment(kind='zzp', monthly_cost=None,
                    hourly_rate=Decimal('-50.00')),
                'Uurtarief'),
            ("zero hours per week",
                new_employment(hours=Decimal('0')), 'Uren per week'),
            ("employment ending before it starts",
                new_employment(end_date=TODAY - dt.timedelta(days=1)),
                'Einddatum'),
            ("allocation above 100%",
                lambda: Allocation(employment=f['employment_draft'],
                    room=f['operational'],
                    percentage=Decimal('150')).save(),
                'Percentage'),
            ("a room allocated twice",
                lambda: Allocation(employment=f['employment_draft'],
                    room=f['room'], percentage=Decimal('40')).save(),
                'msg_employment_allocation_room_unique'),
            ("change the allocation of a running employment",
                lambda: Allocation.write(
                    [a.id for a in f['employment_running'].allocations],
                    {'percentage': Decimal('50')}, context),
                'msg_employment_allocation_modify'),
            ("change the monthly cost of a running employment",
                lambda: Employment.write([f['employment_running'].id],
                    {'monthly_cost': Decimal('1.00')}, context),
                'msg_employment_modify'),
            ("delete a running employment",
                lambda: Employment.delete([f['employment_running']]),
                'msg_employment_delete'),
            ]

    def room_life_cases(self):
        f = self.fixtures
        Meeting = Model.get('buurtwerkkamer.meeting')
        Attendee = Model.get('buurtwerkkamer.meeting.attendee')
        Suspension = Model.get('buurtwerkkamer.suspension')
        HouseRule = Model.get('buurtwerkkamer.house_rule')
        Member = Model.get('buurtwerkkamer.room.member')
        Conflict = Model.get('buurtwerkkamer.conflict')
        Plan = Model.get('buurtwerkkamer.learning_plan')
        Training = Model.get('buurtwerkkamer.training')

        def new_suspension(party, from_date, to_date):
            return lambda: Suspension(room=f['room'], party=party,
                from_date=from_date, to_date=to_date,
                reason="Ruzie").save()

        return [
            ("suspension ending before it starts",
                new_suspension(f['present'], TODAY + dt.timedelta(days=30),
                    TODAY + dt.timedelta(days=20)),
                'msg_suspension_inverted'),
            ("overlapping suspensions",
                new_suspension(f['suspended'], TODAY,
                    TODAY + dt.timedelta(days=30)),
                'msg_suspension_overlap'),
            ("suspension over a meeting the person attended",
                new_suspension(f['present'], TODAY - dt.timedelta(days=12),
                    TODAY - dt.timedelta(days=8)),
                'msg_suspension_attended_meeting'),
            ("present at a meeting during a suspension",
                lambda: Attendee(meeting=f['meeting_today'],
                    party=f['suspended'], attendance='present').save(),
                'msg_meeting_attendee_suspended'),
            ("the same person twice at a meeting",
                lambda: Attendee(meeting=f['meeting_held'],
                    party=f['present'], attendance='absent').save(),
                'msg_meeting_attendee_unique'),
            ("member of the room during a suspension",
                lambda: Member(room=f['room'], party=f['suspended'],
                    role='resident', start_date=TODAY).save(),
                'msg_member_suspended'),
            ("house rule dated before its meeting",
                lambda: HouseRule(room=f['room'], name="Opruimen",
                    meeting=f['meeting_held'],
                    agreed_date=TODAY - dt.timedelta(days=11)).save(),
                'msg_house_rule_before_meeting'),
            ("delete a held meeting",
                lambda: Meeting.delete([f['meeting_held']]),
                'msg_meeting_delete_held'),
            ("hold a meeting before its date",
                lambda: Meeting.click([f['meeting_future']], 'hold'),
                'msg_meeting_hold_future'),
            ("change the date of a held meeting",
                lambda: Meeting.write([f['meeting_held'].id], {
                        'date': TODAY + dt.timedelta(days=3)},
                    self.config.context),
                'msg_meeting_modify_held'),
            ("hold a held meeting again (out of order)",
                lambda: Meeting.click([f['meeting_held']], 'hold'),
                'U kunt "hold" niet aanroepen'),
            ("mediate a conflict without mediator",
                lambda: Conflict.click([f['conflict_open']], 'mediate'),
                'msg_conflict_no_mediator'),
            ("resolve a conflict without outcome",
                lambda: Conflict.click([f['conflict_mediation']], 'resolve'),
                'msg_conflict_no_outcome'),
            ("close an open conflict (out of order)",
                lambda: Conflict.click([f['conflict_open']], 'close'),
                'U kunt "close" niet aanroepen'),
            ("delete a conflict in mediation",
                lambda: Conflict.delete([f['conflict_mediation']]),
                'msg_conflict_delete_open'),
            ("change a closed conflict",
                lambda: Conflict.write([f['conflict_closed'].id], {
                        'outcome': "Anders afgesproken"},
                    self.config.context),
                'msg_conflict_closed'),
            ("delete the suspension of a closed conflict",
                lambda: Suspension.delete([f['suspension_closed']]),
                'msg_suspension_conflict_closed'),
            ("a new suspension for a closed conflict",
                lambda: Suspension(room=f['room'], party=f['suspended'],
                    from_date=TODAY + dt.timedelta(days=60),
                    to_date=TODAY + dt.timedelta(days=61), reason="Opnieuw",
                    conflict=f['conflict_closed']).save(),
                'msg_suspension_conflict_closed'),
            ("a second learning plan for the same room and year",
                lambda: Plan(room=f['room'], year=TODAY.year).save(),
                'msg_learning_plan_unique'),
            ("learning plan before 2000",
                lambda: Plan(room=f['room'], year=1999).save(), 'Jaar'),
            ("negative training cost",
                lambda: Training(plan=f['plan'], name="EHBO",
                    cost=Decimal('-75.00')).save(),
                'Kosten'),
            ]

    def test_bad_input(self):
        "Every bad input is refused in Dutch without a trace"
        cases = self.cases()
        self.assertGreaterEqual(len(cases), 70)
        for description, action, message in cases:
            with self.subTest(case=description):
                self.assertRefused(action, message)


del ValidationError
