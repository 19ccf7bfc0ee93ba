# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
import io
import re
import unittest
import zipfile
from decimal import Decimal

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond_buurtwerkkamer.annual_report import members


def create_room(code, company):
    pool = Pool()
    Room = pool.get('buurtwerkkamer.room')
    room = Room(name="Buurtwerkkamer %s" % code, code=code, company=company)
    room.save()
    return room


def party(name, city=None):
    "Return a new party, with an address in city"
    pool = Pool()
    Party = pool.get('party.party')
    Address = pool.get('party.address')
    party = Party(
        name=name, addresses=[Address(city=city)] if city else [])
    party.save()
    return party


def document_text(content):
    "Return the text of a rendered document, flat or zipped"
    if content[:2] == b'PK':
        with zipfile.ZipFile(io.BytesIO(content)) as document:
            content = document.read('content.xml')
    if isinstance(content, bytes):
        content = content.decode('utf-8')
    return ' '.join(re.sub(r'<[^>]+>', ' ', content).split())


class DocumentsTestCase(unittest.TestCase):
    "Test what the documents show"

    @classmethod
    def setUpClass(cls):
        activate_module('buurtwerkkamer')

    @with_transaction()
    def test_signatory(self):
        "A signatory signs in its own city, dated only once signed"
        pool = Pool()
        Report = pool.get('buurtwerkkamer.intent', type='report')
        utrecht = party("Gemeente Utrecht", city="Utrecht")

        unsigned = Report.signatory(
            utrecht, name="Marieke van Dam", date=dt.date(2025, 4, 15))
        self.assertEqual(unsigned.organisation, "Gemeente Utrecht")
        self.assertEqual(unsigned.name, "Marieke van Dam")
        self.assertEqual(unsigned.place, "Utrecht")
        self.assertIsNone(unsigned.date)
        self.assertFalse(unsigned.signed)

        signed = Report.signatory(
            utrecht, name="Marieke van Dam", function="Wethouder",
            date=dt.date(2025, 4, 15), signed=True)
        self.assertEqual(signed.date, dt.date(2025, 4, 15))
        self.assertEqual(signed.function, "Wethouder")
        self.assertTrue(signed.signed)

        person = Report.signatory(
            party("Fatima", city="Zeist"), name="Fatima",
            role="The participant")
        self.assertIsNone(person.organisation)
        self.assertEqual(person.role, "The participant")
        self.assertEqual(person.place, "Zeist")

    @with_transaction()
    def test_intent_signatories(self):
        "The partner signs with its signatory and date, the cooperative not yet"
        pool = Pool()
        Intent = pool.get('buurtwerkkamer.intent')
        Report = pool.get('buurtwerkkamer.intent', type='report')
        company = create_company()
        with set_company(company):
            room = create_room('ZUI', company)
            intent = Intent(
                room=room, partner=party("Gemeente Utrecht", "Utrecht"),
                signatory="Marieke van Dam",
                signatory_function="Wethouder Wijken",
                date=dt.date(2025, 4, 15), state='signed')
            partner, cooperative = Report.get_signatories(intent)
            self.assertEqual(
                (partner.organisation, partner.name, partner.function,
                    partner.date, partner.signed),
                ("Gemeente Utrecht", "Marieke van Dam", "Wethouder Wijken",
                    dt.date(2025, 4, 15), True))
            self.assertEqual(cooperative.organisation, company.rec_name)
            self.assertFalse(cooperative.signed)
            self.assertIsNone(cooperative.date)

            intent.state = 'draft'
            partner, _ = Report.get_signatories(intent)
            self.assertFalse(partner.signed)
            self.assertIsNone(partner.date)

    @with_transaction()
    def test_covenant_signatories(self):
        "Every party of a covenant signs on its own, with its own date"
        pool = Pool()
        Covenant = pool.get('buurtwerkkamer.covenant')
        Partner = pool.get('buurtwerkkamer.covenant.partner')
        Signature = pool.get('buurtwerkkamer.covenant.signature')
        Report = pool.get('buurtwerkkamer.covenant', type='report')
        company = create_company()
        municipality = party("Gemeente Utrecht", "Utrecht")
        housing = party("Woningcorporatie Mitros", "Utrecht")
        agency = party("UWV Utrecht", "Utrecht")
        covenant = Covenant(
            company=company,
            partners=[
                Partner(party=municipality), Partner(party=housing),
                Partner(party=agency)],
            signatures=[
                Signature(
                    party=housing, signatory="Karel Smit",
                    function="Directeur Wonen", date=dt.date(2025, 1, 20)),
                Signature(
                    party=municipality, signatory="Marieke van Dam",
                    function="Wethouder Wijken", date=dt.date(2025, 1, 15)),
                ])
        signatories = Report.get_signatories(covenant)
        self.assertEqual(
            [(s.organisation, s.name, s.function, s.date, s.signed)
                for s in signatories], [
                ("Gemeente Utrecht", "Marieke van Dam", "Wethouder Wijken",
                    dt.date(2025, 1, 15), True),
                ("Woningcorporatie Mitros", "Karel Smit", "Directeur Wonen",
                    dt.date(2025, 1, 20), True),
                ("UWV Utrecht", None, None, None, False),
                (company.rec_name, None, None, None, False),
                ])

    @with_transaction()
    def test_placement_signatories(self):
        "The participant, the cooperative and the agency sign the placement"
        pool = Pool()
        Placement = pool.get('buurtwerkkamer.placement')
        Report = pool.get(
            'buurtwerkkamer.placement.agreement', type='report')
        company = create_company()
        with set_company(company):
            room = create_room('ZUI', company)
            candidate = party("Fatima Bakkali", "Utrecht")
            placement = Placement(
                company=company, kind='participatieplaats', room=room,
                candidate=candidate, benefits_agency=party("UWV Utrecht"),
                contract_signed_date=None)
            placement.save()
            participant, cooperative, agency = Report.get_signatories(
                placement)
            self.assertIsNone(participant.organisation)
            self.assertEqual(participant.role, "The participant")
            self.assertEqual(participant.name, "Fatima Bakkali")
            self.assertEqual(cooperative.organisation, company.rec_name)
            self.assertEqual(agency.organisation, "UWV Utrecht")
            self.assertFalse(any(s.signed for s in [
                        participant, cooperative, agency]))

            placement.contract_signed_date = dt.date(2026, 9, 1)
            placement.benefits_agency = None
            participant, cooperative = Report.get_signatories(placement)
            self.assertEqual(participant.date, dt.date(2026, 9, 1))
            self.assertTrue(cooperative.signed)

    @with_transaction()
    def test_placement_agreement_clauses(self):
        "The placement agreement holds its clauses and its three parties"
        pool = Pool()
        Placement = pool.get('buurtwerkkamer.placement')
        Report = pool.get(
            'buurtwerkkamer.placement.agreement', type='report')
        company = create_company()
        with set_company(company):
            room = create_room('ZUI', company)
            candidate = party("Fatima Bakkali")
            agency = party("UWV Utrecht")
            placement = Placement(
                company=company, kind='participatieplaats', room=room,
                candidate=candidate, benefits_agency=agency,
                start_date=dt.date(2026, 9, 1), hours=Decimal(16),
                compensation=Decimal('180.00'))
            placement.save()
            _, content, _, _ = Report.execute([placement.id], {
                    'model': Placement.__name__,
                    })
            text = document_text(content)
            for clause in [
                    "Duration and hours", "Allowance or benefit",
                    "Insurance", "Reporting sick", "Confidentiality",
                    "Ending"]:
                self.assertIn(clause, text)
            self.assertIn("The participant", text)
            self.assertIn("On behalf of UWV Utrecht", text)
            self.assertIn("On behalf of %s" % company.rec_name, text)
            self.assertIn("keeps the benefit from UWV Utrecht", text)

    @with_transaction()
    def test_signal_not_reported_internal_note(self):
        "A signal not to be reported prints as a note without the agency"
        pool = Pool()
        Placement = pool.get('buurtwerkkamer.placement')
        Signal = pool.get('buurtwerkkamer.placement.signal')
        Report = pool.get(
            'buurtwerkkamer.placement.signal_report', type='report')
        company = create_company()
        with set_company(company):
            room = create_room('ZUI', company)
            candidate = party("Priya Ramdin")
            agency = party("UWV Utrecht")
            placement = Placement(
                company=company, kind='participatieplaats', room=room,
                candidate=candidate, benefits_agency=agency,
                agency_contact="Klantmanager Werk")
            placement.signals = [Signal(
                    date=dt.date(2026, 11, 30), severity='low',
                    description="Komt vaak te laat", report_to_agency=False,
                    agency_contact="Klantmanager Werk")]
            placement.save()
            signal, = placement.signals
            data = {'model': Signal.__name__}

            _, content, _, _ = Report.execute([signal.id], data)
            text = document_text(content)
            self.assertIn("Internal Note on a Signal", text)
            self.assertNotIn("Signal to the Benefits Agency", text)
            self.assertNotIn("UWV Utrecht", text)
            self.assertNotIn("Klantmanager Werk", text)

            Signal.write([signal], {'report_to_agency': True})
            _, content, _, _ = Report.execute([signal.id], data)
            text = document_text(content)
            self.assertIn("Signal to the Benefits Agency", text)
            self.assertIn("UWV Utrecht", text)
            self.assertNotIn("Internal Note on a Signal", text)

    @with_transaction()
    def test_month_name(self):
        "A month is named as a reader names it"
        pool = Pool()
        Report = pool.get('buurtwerkkamer.handgeld.statement', type='report')
        self.assertEqual(
            Report.month_name(dt.date(2026, 10, 1)), "October 2026")

    @with_transaction()
    def test_local_datetime(self):
        "A time stored in UTC is printed in the company's timezone"
        pool = Pool()
        Report = pool.get('buurtwerkkamer.annual_report', type='report')
        company = create_company()
        company.timezone = 'Europe/Amsterdam'
        winter = Report.local_datetime(
            dt.datetime(2026, 12, 2, 21, 15), company)
        summer = Report.local_datetime(
            dt.datetime(2026, 7, 2, 21, 15), company)
        self.assertTrue(winter.endswith('22:15'), winter)
        self.assertTrue(summer.endswith('23:15'), summer)
        self.assertTrue(Report.local_datetime(
                dt.datetime(2026, 12, 2, 21, 15), None).endswith('21:15'))

    @with_transaction()
    def test_budget_difference(self):
        "The difference with the budget is positive when better"
        pool = Pool()
        Line = pool.get('buurtwerkkamer.annual_report.line')
        Report = pool.get('buurtwerkkamer.annual_report', type='report')
        income = Line(section='budget', cost_kind=None, amount=Decimal(120),
            budget=Decimal(100))
        cost = Line(section='budget', cost_kind='rent',
            amount=Decimal(120), budget=Decimal(100))
        self.assertEqual(Report.budget_difference(income), Decimal(20))
        self.assertEqual(Report.budget_difference(cost), Decimal(-20))

    @with_transaction()
    def test_members(self):
        "The kascommissie members are named one by one"
        pool = Pool()
        AnnualReport = pool.get('buurtwerkkamer.annual_report')
        for text in [
                "Jan Jansen\nPetra de Boer", "Jan Jansen, Petra de Boer",
                "Jan Jansen\n\nPetra de Boer\n"]:
            self.assertEqual(
                members(AnnualReport(check_members=text)),
                ["Jan Jansen", "Petra de Boer"])
        self.assertEqual(members(AnnualReport(check_members=None)), [])

    @with_transaction()
    def test_room_named_on_company_lines(self):
        "The company's annual report names the room of a line, a room's not"
        pool = Pool()
        AnnualReport = pool.get('buurtwerkkamer.annual_report')
        company = create_company()
        with set_company(company):
            zuilen = create_room('ZUI', company)
            overvecht = create_room('OVV', company)
            company_report = AnnualReport(company=company, room=None)
            room_report = AnnualReport(company=company, room=zuilen)
            self.assertEqual(
                company_report._room_description(
                    company_report._line_room(zuilen), "EHBO"),
                "Buurtwerkkamer ZUI - EHBO")
            self.assertEqual(
                room_report._room_description(
                    room_report._line_room(zuilen), "EHBO"),
                "EHBO")
            self.assertEqual(
                company_report._line_rooms([zuilen, overvecht]),
                [overvecht, zuilen])

    @with_transaction()
    def test_working_paper_party_and_amount(self):
        "A sampled line shows the party of its entry and income positive"
        pool = Pool()
        Move = pool.get('account.move')
        MoveLine = pool.get('account.move.line')
        Account = pool.get('account.account')
        AccountType = pool.get('account.account.type')
        Report = pool.get(
            'buurtwerkkamer.annual_report.working_paper', type='report')
        revenue = Account(type=AccountType(revenue=True, expense=False))
        expense = Account(type=AccountType(revenue=False, expense=True))
        supplier = party("Woningcorporatie Mitros")
        move = Move()
        cost = MoveLine(
            move=move, account=expense, party=None, debit=Decimal(650),
            credit=Decimal(0))
        payable = MoveLine(
            move=move, party=supplier, debit=Decimal(0),
            credit=Decimal(650))
        move.lines = [cost, payable]
        cost.move = move
        income = MoveLine(
            move=Move(lines=[]), account=revenue, debit=Decimal(0),
            credit=Decimal(1000))

        self.assertEqual(Report.sample_party(cost), "Woningcorporatie Mitros")
        self.assertEqual(Report.sample_amount(cost), Decimal(650))
        self.assertEqual(Report.sample_amount(income), Decimal(1000))

    @with_transaction()
    def test_receipt_count(self):
        "The statement counts the receipts, not the expenses"
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        Report = pool.get('buurtwerkkamer.handgeld.statement', type='report')
        period = Period(expenses=[
                Expense(receipt_id='a', receipt_lost=False),
                Expense(receipt_id='b', receipt_lost=False),
                Expense(receipt_id=None, receipt_lost=True),
                ])
        self.assertEqual(Report.receipt_count(period), 2)
        self.assertEqual(Report.lost_receipt_count(period), 1)

    @with_transaction()
    def test_statement_signatories(self):
        "The team leader, the treasurer and the kascommissie sign a month"
        pool = Pool()
        Employee = pool.get('company.employee')
        Period = pool.get('buurtwerkkamer.handgeld.period')
        Report = pool.get('buurtwerkkamer.handgeld.statement', type='report')
        company = create_company()
        with set_company(company):
            team_leader = Employee(
                party=party("Sanne de Vries", "Utrecht"), company=company)
            team_leader.save()
            period = Period(company=company, team_leader=team_leader)
            leader, treasurer, kascommissie = Report.get_signatories(period)
            self.assertEqual(
                (leader.organisation, leader.name, leader.place, leader.role),
                (None, "Sanne de Vries", None, "Team leader"))
            self.assertEqual(
                (treasurer.organisation, treasurer.name, treasurer.function),
                (company.rec_name, None, "Treasurer"))
            self.assertEqual(
                (kascommissie.organisation, kascommissie.name,
                    kascommissie.role),
                (None, None, "Kascommissie"))
            self.assertFalse(any(
                    s.signed for s in [leader, treasurer, kascommissie]))
