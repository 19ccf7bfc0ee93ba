# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
import unittest
from decimal import Decimal

from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import ValidationError
from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.modules.account_invoice.tests import set_invoice_sequences
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction


class BrokeringTestCase(unittest.TestCase):
    "Test the covenants and yearly agreements"

    @classmethod
    def setUpClass(cls):
        activate_module('buurtwerkkamer')

    def _covenant(self, company, rooms=2, commitment=Decimal('1000'),
            first_year=None):
        "Return a signed covenant from first_year (this year) to next year"
        pool = Pool()
        Party = pool.get('party.party')
        Room = pool.get('buurtwerkkamer.room')
        Covenant = pool.get('buurtwerkkamer.covenant')
        Date = pool.get('ir.date')
        year = Date.today().year
        funder = Party(name="Gemeente")
        funder.save()
        start = Room.search_count([])
        rooms = Room.create([{
                    'name': "Kamer %s" % i,
                    'code': 'K%s' % i,
                    } for i in range(start, start + rooms)])
        covenant = Covenant(
            name="Samen", company=company,
            start_date=dt.date(first_year or year, 1, 1),
            end_date=dt.date(year + 1, 12, 31),
            rooms=rooms,
            partners=[{
                    'party': funder.id,
                    'role': 'funder',
                    'yearly_commitment': commitment,
                    }])
        covenant.save()
        Covenant.sign([covenant])
        return covenant, rooms, funder

    def _agreement(self, covenant, room, partner, year, contribution):
        Agreement = Pool().get('buurtwerkkamer.agreement')
        return Agreement(
            company=covenant.company, covenant=covenant, room=room,
            partner=partner, year=year, contribution=contribution,
            deadline=dt.date(year - 1, 12, 1))

    @with_transaction()
    def test_services(self):
        "The nine services of the cooperative are there"
        pool = Pool()
        Service = pool.get('buurtwerkkamer.service')
        self.assertEqual(
            [s.code for s in Service.search([])],
            ['1', '2A', '2B', '2C', '2D', '2E', '3', '4', '5'])

    @with_transaction()
    def test_covenant_number(self):
        "Covenants are numbered from the sequence of the configuration"
        company = create_company()
        with set_company(company):
            covenant, _, _ = self._covenant(company)
            other, _, _ = self._covenant(company)
            self.assertTrue(covenant.number.startswith('CONV-'))
            self.assertNotEqual(covenant.number, other.number)

    @with_transaction()
    def test_commitment_over_rooms(self):
        "The commitment of a partner counts over all the rooms of a year"
        company = create_company()
        with set_company(company):
            covenant, (room1, room2), funder = self._covenant(company)
            year = covenant.start_date.year
            first = self._agreement(
                covenant, room1, funder, year, Decimal('600'))
            first.save()
            second = self._agreement(
                covenant, room2, funder, year, Decimal('600'))
            with self.assertRaisesRegex(
                    ValidationError, 'more than the yearly commitment'):
                second.save()

    @with_transaction()
    def test_commitment_next_year_apart(self):
        "The commitment is per year"
        company = create_company()
        with set_company(company):
            covenant, (room1, _), funder = self._covenant(company)
            year = covenant.start_date.year
            self._agreement(
                covenant, room1, funder, year, Decimal('1000')).save()
            agreement = self._agreement(
                covenant, room1, funder, year + 1, Decimal('1000'))
            agreement.save()
            self.assertTrue(agreement.id)

    @with_transaction()
    def test_cancelled_agreement_frees_commitment(self):
        "A cancelled agreement does not count against the commitment"
        pool = Pool()
        Agreement = pool.get('buurtwerkkamer.agreement')
        company = create_company()
        with set_company(company):
            covenant, (room1, room2), funder = self._covenant(company)
            year = covenant.start_date.year
            first = self._agreement(
                covenant, room1, funder, year, Decimal('1000'))
            first.save()
            Agreement.cancel([first])
            second = self._agreement(
                covenant, room2, funder, year, Decimal('1000'))
            second.save()
            with self.assertRaisesRegex(
                    ValidationError, 'more than the yearly commitment'):
                Agreement.draft([first])

    @with_transaction()
    def test_sign_creates_instalment(self):
        "Signing without instalments invoices the whole contribution on 1 Jan"
        pool = Pool()
        Agreement = pool.get('buurtwerkkamer.agreement')
        company = create_company()
        with set_company(company):
            covenant, (room, _), funder = self._covenant(company)
            year = covenant.start_date.year + 1
            agreement = self._agreement(
                covenant, room, funder, year, Decimal('800'))
            agreement.save()
            Agreement.sign([agreement])
            instalment, = agreement.instalments
            self.assertEqual(instalment.date, dt.date(year, 1, 1))
            self.assertEqual(instalment.amount, Decimal('800'))
            self.assertEqual(agreement.state, 'signed')

    @with_transaction()
    def test_renew(self):
        "Renewing copies obligations and instalments to the next year once"
        pool = Pool()
        Agreement = pool.get('buurtwerkkamer.agreement')
        company = create_company()
        with set_company(company):
            covenant, (room, _), funder = self._covenant(company)
            year = covenant.start_date.year
            agreement = self._agreement(
                covenant, room, funder, year, Decimal('500'))
            agreement.obligations = [{
                    'description': "Inloop",
                    'target': Decimal('30'),
                    }]
            agreement.instalments = [{
                    'date': dt.date(year, 2, 29) if year % 4 == 0
                    else dt.date(year, 2, 28),
                    'amount': Decimal('500'),
                    }]
            agreement.save()
            Agreement.sign([agreement])
            agreement.obligations[0].realised = Decimal('35')
            agreement.obligations[0].save()

            renewed, = Agreement.renew([agreement])
            self.assertEqual(renewed.year, year + 1)
            self.assertEqual(renewed.state, 'draft')
            self.assertEqual(renewed.contribution, Decimal('500'))
            self.assertEqual(renewed.deadline, dt.date(year, 12, 1))
            obligation, = renewed.obligations
            self.assertEqual(obligation.target, Decimal('30'))
            self.assertIsNone(obligation.realised)
            instalment, = renewed.instalments
            self.assertEqual(instalment.date, dt.date(year + 1, 2, 28))
            self.assertIsNone(instalment.invoice)

            self.assertEqual(Agreement.renew([agreement]), [])

    @with_transaction()
    def test_renew_outside_covenant(self):
        "Renewing past the end of the covenant is refused"
        pool = Pool()
        Agreement = pool.get('buurtwerkkamer.agreement')
        company = create_company()
        with set_company(company):
            covenant, (room, _), funder = self._covenant(company)
            agreement = self._agreement(
                covenant, room, funder, covenant.end_date.year,
                Decimal('500'))
            agreement.save()
            with self.assertRaises(ValidationError):
                Agreement.renew([agreement])

    @with_transaction()
    def test_deadline_near(self):
        "Unsigned agreements with a near deadline are listed, others not"
        pool = Pool()
        Agreement = pool.get('buurtwerkkamer.agreement')
        Date = pool.get('ir.date')
        today = Date.today()
        company = create_company()
        with set_company(company):
            covenant, (room1, room2), funder = self._covenant(
                company, commitment=Decimal('2000'))
            year = covenant.end_date.year
            near = self._agreement(
                covenant, room1, funder, year, Decimal('500'))
            near.deadline = today + dt.timedelta(days=5)
            far = self._agreement(
                covenant, room2, funder, year, Decimal('500'))
            far.deadline = today + dt.timedelta(days=400)
            Agreement.save([near, far])
            self.assertEqual(
                Agreement.search([('deadline_near', '=', True)]), [near])
            self.assertEqual(
                Agreement.search([('deadline_near', '=', False)]), [far])
            self.assertTrue(near.deadline_near)
            self.assertFalse(far.deadline_near)

            Agreement.sign([near])
            self.assertEqual(
                Agreement.search([('deadline_near', '=', True)]), [])

    @with_transaction()
    def test_ending_soon(self):
        "Running covenants ending within a year are listed, others not"
        pool = Pool()
        Covenant = pool.get('buurtwerkkamer.covenant')
        Date = pool.get('ir.date')
        today = Date.today()
        company = create_company()
        with set_company(company):
            ending, _, _ = self._covenant(company)
            ending.end_date = today + dt.timedelta(days=100)
            ending.save()
            running, _, _ = self._covenant(company)
            running.end_date = today + dt.timedelta(days=800)
            running.save()
            draft, _, _ = self._covenant(company)
            Covenant.cancel([draft])
            Covenant.draft([draft])
            draft.end_date = today + dt.timedelta(days=100)
            draft.save()
            self.assertEqual(
                Covenant.search([('ending_soon', '=', True)]), [ending])
            self.assertEqual(
                set(Covenant.search([('ending_soon', '=', False)])),
                {running, draft})

    @with_transaction()
    def test_notify_deadlines(self):
        "The administration users are notified of the deadlines"
        pool = Pool()
        Agreement = pool.get('buurtwerkkamer.agreement')
        User = pool.get('res.user')
        Date = pool.get('ir.date')
        today = Date.today()
        company = create_company()
        with set_company(company):
            covenant, (room, _), funder = self._covenant(company)
            agreement = self._agreement(
                covenant, room, funder, covenant.end_date.year,
                Decimal('500'))
            agreement.deadline = today - dt.timedelta(days=1)
            agreement.save()
            notifications = [
                n for n in Agreement.notify_deadlines()
                if n.model == Agreement.__name__]
            admin = User(Transaction().user)
            self.assertEqual(
                [n.user for n in notifications], [admin])
            self.assertEqual(
                notifications[0].records, '[%s]' % agreement.id)


    @with_transaction()
    def test_funding_application_creates_agreements(self):
        "A granted application becomes its agreements, linked back to it"
        pool = Pool()
        Agreement = pool.get('buurtwerkkamer.agreement')
        Application = pool.get('buurtwerkkamer.funding.application')
        company = create_company()
        with set_company(company):
            covenant, (room, _), funder = self._covenant(
                company, commitment=Decimal('5000'))
            year = covenant.start_date.year
            application = Application(
                room=room, funder=funder, amount_requested=Decimal('9000'),
                period_start=dt.date(year, 1, 1),
                period_end=dt.date(year + 1, 12, 31))
            application.save()
            Application.submit([application])
            application.amount_granted = Decimal('7000.01')
            application.save()
            Application.grant([application])
            # An agreement that does not come from an application
            self._agreement(
                covenant, room, funder, year, Decimal('1000')).save()
            self.assertTrue(application.agreement_missing)
            self.assertEqual(
                Application.search([('agreement_missing', '=', True)]),
                [application])

            agreements = Application.create_agreements([application])
            self.assertEqual(
                sorted((a.year, a.contribution, a.state) for a in agreements),
                [(year, Decimal('3500.00'), 'draft'),
                    (year + 1, Decimal('3500.01'), 'draft')])
            self.assertEqual(
                {a.funding_application for a in agreements}, {application})
            self.assertEqual({a.covenant for a in agreements}, {covenant})
            application = Application(application.id)
            self.assertEqual(set(application.agreements), set(agreements))
            self.assertFalse(application.agreement_missing)
            self.assertEqual(
                Application.search([('agreement_missing', '=', True)]), [])
            self.assertEqual(
                Application.search([('agreement_missing', '=', False)]),
                [application])

            # Cancelled agreements leave the application without agreement
            Agreement.cancel(agreements)
            application = Application(application.id)
            self.assertTrue(application.agreement_missing)
    def _invoicing(self, company):
        """Return a signed agreement of last year with an instalment on 1
        March, the chart, the fiscal years of last year and this year with
        their invoice sequences, the year as prefix"""
        pool = Pool()
        Account = pool.get('account.account')
        Agreement = pool.get('buurtwerkkamer.agreement')
        Configuration = pool.get('buurtwerkkamer.configuration')
        Covenant = pool.get('buurtwerkkamer.covenant')
        FiscalYear = pool.get('account.fiscalyear')
        Sequence = pool.get('ir.sequence.strict')
        Date = pool.get('ir.date')
        today = Date.today()
        create_chart(company)
        fiscalyears = []
        for year in [today.year - 1, today.year]:
            fiscalyear = set_invoice_sequences(get_fiscalyear(
                    company, today=dt.date(year, 1, 1)))
            fiscalyear.save()
            sequence = fiscalyear.invoice_sequences[0].out_invoice_sequence
            Sequence.write([sequence], {'prefix': '%s/' % year})
            FiscalYear.create_period([fiscalyear])
            fiscalyears.append(fiscalyear)
        revenue, = Account.search([
                ('type.revenue', '=', True),
                ('closed', '!=', True),
                ('childs', '=', None),
                ], limit=1)
        configuration = Configuration(1)
        configuration.agreement_account = revenue
        configuration.save()
        covenant, (room, _), funder = self._covenant(
            company, first_year=today.year - 1)
        funder.addresses = [{}]
        funder.save()
        agreement = self._agreement(
            covenant, room, funder, today.year - 1, Decimal('600'))
        agreement.instalments = [{
                'date': dt.date(today.year - 1, 3, 1),
                'amount': Decimal('600'),
                }]
        agreement.save()
        Agreement.sign([agreement])
        return agreement, fiscalyears

    @with_transaction()
    def test_instalment_invoice_dated_when_booked(self):
        "An instalment is invoiced and booked on its date, numbered by its year"
        pool = Pool()
        Agreement = pool.get('buurtwerkkamer.agreement')
        company = create_company()
        with set_company(company):
            agreement, (last_year, _) = self._invoicing(company)
            Agreement.invoice([agreement])
            instalment, = agreement.instalments
            invoice = instalment.invoice
            self.assertEqual(invoice.state, 'posted')
            self.assertEqual(invoice.invoice_date, instalment.date)
            self.assertEqual(invoice.move.date, instalment.date)
            self.assertEqual(invoice.move.period.fiscalyear, last_year)
            self.assertEqual(
                invoice.number, '%s/1' % last_year.start_date.year)
            # The cooperative is exempt from VAT by default
            self.assertIn("11", invoice.comment)

    @with_transaction()
    def test_instalment_closed_year(self):
        """An instalment of a closed year is refused, or booked today in
        the open year when the user accepts"""
        pool = Pool()
        Agreement = pool.get('buurtwerkkamer.agreement')
        FiscalYear = pool.get('account.fiscalyear')
        Instalment = pool.get('buurtwerkkamer.agreement.instalment')
        Date = pool.get('ir.date')
        Warning = pool.get('res.user.warning')
        company = create_company()
        with set_company(company):
            agreement, (last_year, this_year) = self._invoicing(company)
            FiscalYear.close([last_year])
            instalment, = agreement.instalments

            with self.assertRaises(UserWarning) as cm:
                Agreement.invoice([agreement])
            self.assertIn(last_year.rec_name, cm.exception.message)
            with self.assertRaises(UserError):
                Instalment.create_invoices([instalment])
            # The scheduler leaves it to the user
            self.assertEqual(Agreement.invoice_due_instalments(), [])
            self.assertIsNone(Instalment(instalment.id).invoice)

            Warning.skip(Warning.format('instalment_late', [instalment]))
            Agreement.invoice([agreement])
            invoice = Instalment(instalment.id).invoice
            self.assertEqual(invoice.state, 'posted')
            self.assertEqual(invoice.invoice_date, Date.today())
            self.assertEqual(invoice.move.period.fiscalyear, this_year)
            self.assertTrue(invoice.number.startswith(
                    '%s/' % this_year.start_date.year))

    @with_transaction()
    def test_instalment_reported_year(self):
        "An instalment of a year whose annual report is final is refused"
        pool = Pool()
        Agreement = pool.get('buurtwerkkamer.agreement')
        AnnualReport = pool.get('buurtwerkkamer.annual_report')
        company = create_company()
        with set_company(company):
            agreement, (last_year, _) = self._invoicing(company)
            report, = AnnualReport.create([{
                        'company': company.id,
                        'fiscalyear': last_year.id,
                        }])
            AnnualReport.write([report], {'state': 'checked'})
            with self.assertRaises(UserWarning) as cm:
                Agreement.invoice([agreement])
            self.assertIn(report.rec_name, cm.exception.message)
