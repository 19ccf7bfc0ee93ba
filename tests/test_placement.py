# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
import os
import shutil
import tempfile
import unittest
from decimal import Decimal
from unittest.mock import patch

from sql import Column

from trytond.config import config
from trytond.filestore import filestore
from trytond.model import fields
from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction


def create_room(code, company):
    pool = Pool()
    Room = pool.get('buurtwerkkamer.room')
    room = Room(name="Buurtwerkkamer %s" % code, code=code, company=company)
    room.save()
    return room


class PlacementTestCase(unittest.TestCase):
    "Test placements and employments"

    @classmethod
    def setUpClass(cls):
        activate_module('buurtwerkkamer')

    def _employment(self, company, amount, percentages):
        pool = Pool()
        Employment = pool.get('buurtwerkkamer.employment')
        Allocation = pool.get('buurtwerkkamer.employment.allocation')
        employment = Employment(
            company=company, kind='employment',
            monthly_cost=amount, start_date=dt.date(2025, 1, 1))
        employment.currency = company.currency
        employment.monthly_amount = amount
        employment.allocations = [
            Allocation(room=create_room(code, company),
                percentage=Decimal(p))
            for code, p in percentages]
        return employment

    @with_transaction()
    def test_room_amounts_cent_exact(self):
        "The room amounts sum to the cent; the difference goes to the largest"
        company = create_company()
        with set_company(company):
            employment = self._employment(company, Decimal('3000.01'), [
                    ('ZUI', '33.33'), ('OVV', '33.34'), ('LUN', '33.33')])
            amounts = [(r.code, a) for r, a in employment.get_room_amounts(
                    Decimal('3000.01'))]
            self.assertEqual(amounts, [
                    ('ZUI', Decimal('999.90')),
                    ('OVV', Decimal('1000.21')),
                    ('LUN', Decimal('999.90')),
                    ])

            for amount in ['0.01', '0.02', '1.00', '999.99', '12345.67']:
                amount = Decimal(amount)
                self.assertEqual(
                    sum(a for _, a in employment.get_room_amounts(amount)),
                    amount)

    @with_transaction()
    def test_room_amounts_negative_difference(self):
        "A rounding surplus is taken from the largest share"
        company = create_company()
        with set_company(company):
            employment = self._employment(company, Decimal('0.05'), [
                    ('ZUI', '33.33'), ('OVV', '33.33'), ('LUN', '33.34')])
            self.assertEqual(
                [a for _, a in employment.get_room_amounts(Decimal('0.05'))],
                [Decimal('0.02'), Decimal('0.02'), Decimal('0.01')])

    @with_transaction()
    def test_month_amount_pro_rata(self):
        "The first and last month are paid pro rata the days employed"
        company = create_company()
        with set_company(company):
            employment = self._employment(company, Decimal('3100.00'), [
                    ('ZUI', '100')])
            employment.start_date = dt.date(2025, 1, 16)
            employment.end_date = dt.date(2025, 3, 10)
            self.assertEqual(
                employment.get_month_amount(dt.date(2024, 12, 1)),
                Decimal(0))
            self.assertEqual(
                employment.get_month_amount(dt.date(2025, 1, 1)),
                Decimal('1600.00'))
            self.assertEqual(
                employment.get_month_amount(dt.date(2025, 2, 14)),
                Decimal('3100.00'))
            self.assertEqual(
                employment.get_month_amount(dt.date(2025, 3, 1)),
                Decimal('1000.00'))
            self.assertEqual(
                employment.get_month_amount(dt.date(2025, 4, 1)),
                Decimal(0))

    @with_transaction()
    def test_zzp_monthly_amount(self):
        """A freelancer costs the rate times the hours over 52 weeks a year,
        plus the VAT that the exempt cooperative cannot reclaim"""
        pool = Pool()
        Employment = pool.get('buurtwerkkamer.employment')
        company = create_company()
        with set_company(company):
            employment = Employment(
                company=company, kind='zzp', hours=Decimal('7.5'),
                hourly_rate=Decimal('55.55'))
            employment.currency = company.currency
            # 21 % VAT by default
            self.assertEqual(
                employment.on_change_with_monthly_amount(),
                Decimal('2184.50'))
            employment.vat_rate = Decimal(0)
            self.assertEqual(
                employment.on_change_with_monthly_amount(),
                Decimal('1805.38'))

    def _placement(self, company, room, candidate):
        pool = Pool()
        Placement = pool.get('buurtwerkkamer.placement')
        Interview = pool.get('buurtwerkkamer.placement.interview')
        Signal = pool.get('buurtwerkkamer.placement.signal')
        placement = Placement(
            company=company, kind='perspectiefbaan', room=room,
            candidate=candidate, motivation="Vertrouwelijk",
            notes="Privé")
        placement.interviews = [Interview(
                date=dt.date(2020, 1, 1), outcome='suitable',
                notes="Gesprek")]
        placement.signals = [Signal(
                date=dt.date(2020, 6, 1), description="Schulden",
                resolution="Schuldhulp")]
        placement.save()
        return placement

    @with_transaction()
    def test_history(self):
        "Every change of a placement and its signals is kept in history"
        pool = Pool()
        Placement = pool.get('buurtwerkkamer.placement')
        Signal = pool.get('buurtwerkkamer.placement.signal')
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            room = create_room('ZUI', company)
            candidate = Party(name="Fatima")
            candidate.save()
            placement = self._placement(company, room, candidate)
            signal, = placement.signals
            Placement.write([placement], {'notes': "Tweede notitie"})
            Signal.write([signal], {'approach': "Gesprek"})

            cursor = Transaction().connection.cursor()
            history = Placement.__table_history__()
            cursor.execute(*history.select(
                    history.notes, where=history.id == placement.id,
                    order_by=[Column(history, '__id').asc]))
            self.assertEqual(
                [n for n, in cursor], ["Privé", "Tweede notitie"])
            signal_history = Signal.__table_history__()
            cursor.execute(*signal_history.select(
                    signal_history.approach,
                    where=signal_history.id == signal.id,
                    order_by=[Column(signal_history, '__id').asc]))
            self.assertEqual([a for a, in cursor], [None, "Gesprek"])

    @with_transaction()
    def test_anonymise_erases_history(self):
        "The anonymisation erases the personal data also from the history"
        pool = Pool()
        Placement = pool.get('buurtwerkkamer.placement')
        Signal = pool.get('buurtwerkkamer.placement.signal')
        Party = pool.get('party.party')
        Attachment = pool.get('ir.attachment')
        company = create_company()
        with set_company(company):
            room = create_room('ZUI', company)
            candidate = Party(name="Fatima")
            candidate.save()
            other_candidate = Party(name="Johan")
            other_candidate.save()
            placement = self._placement(company, room, candidate)
            other = self._placement(company, room, other_candidate)
            Placement.write([placement], {'notes': "Nog meer"})
            Attachment.create([{
                        'name': "cv.pdf",
                        'resource': str(placement),
                        'data': b'cv',
                        }, {
                        'name': "cv.pdf",
                        'resource': str(other),
                        'data': b'cv',
                        }])

            Placement.anonymise([placement])

            placement = Placement(placement.id)
            self.assertTrue(placement.anonymised)
            self.assertIsNone(placement.candidate)
            self.assertIsNone(placement.motivation)
            self.assertEqual(placement.room, room)
            self.assertEqual(placement.interviews[0].outcome, 'suitable')
            self.assertIsNone(placement.interviews[0].notes)
            self.assertEqual(
                Attachment.search([], count=True), 1)

            cursor = Transaction().connection.cursor()
            history = Placement.__table_history__()
            cursor.execute(*history.select(
                    history.candidate, history.notes, history.motivation,
                    where=history.id == placement.id))
            rows = cursor.fetchall()
            self.assertGreaterEqual(len(rows), 2)
            self.assertEqual(set(rows), {(None, None, None)})
            signal_history = Signal.__table_history__()
            cursor.execute(*signal_history.select(
                    signal_history.description, signal_history.resolution,
                    where=signal_history.placement == placement.id))
            self.assertNotIn(
                "Schulden", {d for d, _ in cursor.fetchall()})

            other = Placement(other.id)
            self.assertFalse(other.anonymised)
            self.assertEqual(other.candidate, other_candidate)
            self.assertEqual(other.signals[0].description, "Schulden")
            cursor.execute(*history.select(
                    history.candidate, where=history.id == other.id))
            self.assertEqual(
                {c for c, in cursor.fetchall()}, {other_candidate.id})

    @with_transaction()
    def test_anonymise_erases_files_and_candidate(self):
        """The anonymisation deletes the files of the attachments from the
        file store and the candidate that nothing else needs, and
        anonymises the candidate that is still needed"""
        pool = Pool()
        Placement = pool.get('buurtwerkkamer.placement')
        Party = pool.get('party.party')
        Attachment = pool.get('ir.attachment')
        BankAccount = pool.get('bank.account')
        Address = pool.get('party.address')
        ContactMechanism = pool.get('party.contact_mechanism')
        Employee = pool.get('company.employee')
        company = create_company()
        data_path = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, data_path)
        previous_path = config.get('database', 'path')
        config.set('database', 'path', data_path)
        self.addCleanup(config.set, 'database', 'path', previous_path)
        with set_company(company):
            room = create_room('ZUI', company)
            fatima = Party(name="Fatima",
                addresses=[{'street': "Dorpsstraat 1", 'city': "Zwolle"}],
                contact_mechanisms=[{'type': 'phone', 'value': '0612345678'}],
                identifiers=[{'type': 'nl_bsn', 'code': '111222333'}])
            fatima.save()
            account = BankAccount(owners=[fatima], numbers=[{
                        'type': 'iban', 'number': 'NL91ABNA0417164300'}])
            account.save()
            # A candidate who is also a volunteer of the cooperative
            johan = Party(name="Johan",
                addresses=[{'street': "Kerkstraat 2", 'city': "Zwolle"}],
                contact_mechanisms=[{'type': 'email', 'value': 'j@x.nl'}])
            johan.save()
            Employee(party=johan, company=company).save()
            placement = self._placement(company, room, fatima)
            other = self._placement(company, room, johan)
            signal, = placement.signals
            attachments = Attachment.create([{
                        'name': "cv.pdf",
                        'resource': str(placement),
                        'data': b'cv van Fatima',
                        }, {
                        'name': "brief.pdf",
                        'resource': str(signal),
                        'data': b'brief over Fatima',
                        }])
            prefix = Attachment.data.store_prefix or (
                Transaction().database.name)
            files = [filestore._filename(a.file_id, prefix)
                for a in attachments]
            self.assertTrue(all(os.path.exists(f) for f in files))
            fatima_address, = fatima.addresses
            Placement.write([placement], {'notes': "Nog meer"})

            Placement.anonymise([placement, other])

            self.assertFalse([f for f in files if os.path.exists(f)])
            self.assertEqual(Attachment.search([
                        ('resource', 'in', [str(placement), str(signal)]),
                        ], count=True), 0)
            self.assertEqual(
                Party.search([('id', '=', fatima.id)], count=True), 0)
            self.assertEqual(BankAccount.search([
                        ('id', '=', account.id),
                        ], count=True), 0)
            self.assertEqual(Address.search([
                        ('id', '=', fatima_address.id),
                        ], count=True), 0)
            johan = Party(johan.id)
            self.assertEqual(johan.name, "Anonymised")
            self.assertEqual(johan.addresses, ())
            self.assertEqual(ContactMechanism.search([
                        ('party', '=', johan.id),
                        ], count=True), 0)

            cursor = Transaction().connection.cursor()
            history = Placement.__table_history__()
            cursor.execute(*history.select(
                    history.candidate, history.notes, history.motivation,
                    where=fields.SQL_OPERATORS['in'](
                        history.id, [placement.id, other.id])))
            self.assertEqual(set(cursor.fetchall()), {(None, None, None)})
            # The totals of the room remain
            self.assertEqual(Placement.search([
                        ('room', '=', room.id),
                        ('anonymised', '=', True),
                        ], count=True), 2)

    @with_transaction()
    def test_placement_number_sequence(self):
        "Placements are numbered from the configured sequence"
        pool = Pool()
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            room = create_room('ZUI', company)
            candidate = Party(name="Fatima")
            candidate.save()
            first = self._placement(company, room, candidate)
            second = self._placement(company, room, candidate)
            # PostgreSQL sequences do not roll back with the tests.
            self.assertRegex(first.number, r'^PL\d{4}$')
            self.assertEqual(
                int(second.number[2:]), int(first.number[2:]) + 1)

    @with_transaction()
    def test_accrual_catches_up_missed_months(self):
        "The scheduler accrues the months it missed, each once"
        pool = Pool()
        Account = pool.get('account.account')
        FiscalYear = pool.get('account.fiscalyear')
        Configuration = pool.get('buurtwerkkamer.configuration')
        Employee = pool.get('company.employee')
        Employment = pool.get('buurtwerkkamer.employment')
        Cost = pool.get('buurtwerkkamer.employment.cost')
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            create_chart(company)
            fiscalyear = get_fiscalyear(
                company, start_date=dt.date(2025, 1, 1),
                end_date=dt.date(2025, 12, 31))
            fiscalyear.save()
            FiscalYear.create_period([fiscalyear])
            config = Configuration(1)
            for name, kind in [
                    ('staff_cost_account', 'expense'),
                    ('staff_cost_payable_account', 'payable')]:
                account, = Account.search([
                        ('type.%s' % kind, '=', True),
                        ('type.statement', '=', 'balance'
                            if kind == 'payable' else 'income'),
                        ('closed', '!=', True),
                        ], limit=1)
                setattr(config, name, account)
            config.save()
            party = Party(name="Karin Bos")
            party.save()
            employment = self._employment(
                company, Decimal('3000.00'), [('ZUI', '100')])
            employment.employee = Employee(party=party, company=company)
            employment.employee.save()
            employment.role = 'team_coordinator'
            employment.hours = Decimal('32')
            employment.save()
            Employment.run([employment])

            Employment.accrue(dt.date(2025, 1, 1))
            with patch.object(
                    pool.get('ir.date'), 'today',
                    return_value=dt.date(2025, 5, 10)):
                Employment.accrue_previous_month()
                Employment.accrue_previous_month()

            costs = Cost.search([], order=[('date', 'ASC')])
            self.assertEqual(
                [c.date for c in costs],
                [dt.date(2025, m, 1) for m in range(1, 5)])
            self.assertEqual(
                {c.move.state for c in costs}, {'posted'})
