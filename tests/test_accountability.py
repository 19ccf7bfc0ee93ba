# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
import unittest
from contextlib import contextmanager
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction


class AccountabilityTestCase(unittest.TestCase):
    "Test fixed costs, room budgets and annual reports"

    @classmethod
    def setUpClass(cls):
        activate_module('buurtwerkkamer')

    @contextmanager
    def _setup(self, booking='accrual', interval='monthly',
            start=dt.date(2025, 1, 31), end=None):
        company = create_company()
        with set_company(company):
            yield self._create(company, booking, interval, start, end)

    def _create(self, company, booking, interval, start, end):
        pool = Pool()
        Account = pool.get('account.account')
        FiscalYear = pool.get('account.fiscalyear')
        Room = pool.get('buurtwerkkamer.room')
        FixedCost = pool.get('buurtwerkkamer.fixed_cost')
        Party = pool.get('party.party')

        create_chart(company)
        fiscalyear = get_fiscalyear(
            company, start_date=dt.date(2025, 1, 1),
            end_date=dt.date(2025, 12, 31))
        fiscalyear.save()
        FiscalYear.create_period([fiscalyear])
        expense, = Account.search([('type.expense', '=', True)], limit=1)
        room, = Room.create([{'name': "Zuilen", 'code': 'ZUI'}])
        supplier = Party(name="Mitros", addresses=[{}])
        supplier.save()
        cost = FixedCost(
            room=room, kind='rent', description="Huur", booking=booking,
            supplier=supplier, amount=Decimal('850.00'), interval=interval,
            start_date=start, end_date=end, account=expense)
        cost.save()
        return company, room, cost

    @with_transaction()
    def test_period_dates_monthly_end_of_month(self):
        "Monthly periods from the 31st stay at the end of the month"
        with self._setup(start=dt.date(2025, 1, 31)) as (_, _, cost):
            self.assertEqual(
                list(cost.period_dates(dt.date(2025, 4, 30))), [
                    dt.date(2025, 1, 31), dt.date(2025, 2, 28),
                    dt.date(2025, 3, 31), dt.date(2025, 4, 30)])

    @with_transaction()
    def test_period_dates_quarterly_until_end(self):
        "Quarterly periods stop at the end date"
        with self._setup(
                interval='quarterly', start=dt.date(2025, 1, 15),
                end=dt.date(2025, 8, 1)) as (_, _, cost):
            self.assertEqual(
                list(cost.period_dates(dt.date(2025, 12, 31))), [
                    dt.date(2025, 1, 15), dt.date(2025, 4, 15),
                    dt.date(2025, 7, 15)])

    @with_transaction()
    def test_accrual_without_configuration(self):
        "An accrual needs the journal: nothing is created without it"
        pool = Pool()
        FixedCost = pool.get('buurtwerkkamer.fixed_cost')
        Move = pool.get('account.move')
        with self._setup(booking='accrual') as (_, _, cost):
            with self.assertRaises(UserError) as cm:
                FixedCost.create_bookings([cost], dt.date(2025, 3, 1))
            self.assertIn("Huur", cm.exception.message)
            self.assertEqual(Move.search([]), [])
            self.assertEqual(cost.periods, ())

    @with_transaction()
    def test_bookings_once_per_period(self):
        "Invoices are created once per period, missed periods caught up"
        pool = Pool()
        FixedCost = pool.get('buurtwerkkamer.fixed_cost')
        Invoice = pool.get('account.invoice')
        with self._setup(
                booking='invoice', start=dt.date(2025, 1, 1)) as (
                    _, room, cost):
            FixedCost.create_bookings([cost], dt.date(2025, 1, 10))
            FixedCost.create_bookings([cost], dt.date(2025, 3, 10))
            FixedCost.create_bookings([cost], dt.date(2025, 3, 31))
            invoices = Invoice.search([], order=[('invoice_date', 'ASC')])
            self.assertEqual(
                [i.invoice_date for i in invoices], [
                    dt.date(2025, 1, 1), dt.date(2025, 2, 1),
                    dt.date(2025, 3, 1)])
            self.assertEqual(
                {i.untaxed_amount for i in invoices}, {Decimal('850.00')})
            self.assertEqual(
                {i.lines[0].analytic_accounts[0].account for i in invoices},
                {room.analytic_account})

    @with_transaction()
    def test_invoice_without_supplier_address(self):
        "A supplier invoice needs the supplier's address"
        pool = Pool()
        FixedCost = pool.get('buurtwerkkamer.fixed_cost')
        Address = pool.get('party.address')
        Invoice = pool.get('account.invoice')
        with self._setup(booking='invoice') as (_, _, cost):
            Address.delete(list(cost.supplier.addresses))
            with self.assertRaises(UserError) as cm:
                FixedCost.create_bookings([cost], dt.date(2025, 3, 1))
            self.assertIn("Mitros", cm.exception.message)
            self.assertEqual(Invoice.search([]), [])

    @with_transaction()
    def test_period_unique(self):
        "The database refuses a second booking of the same period"
        pool = Pool()
        Period = pool.get('buurtwerkkamer.fixed_cost.period')
        with self._setup() as (_, _, cost):
            values = {'fixed_cost': cost.id, 'date': dt.date(2025, 1, 31)}
            Period.create([values])
            with self.assertRaises(UserError):
                Period.create([values])

    def _move(self, company, fiscalyear, amount=Decimal('100.00')):
        "Return a draft move of the fiscal year between two accounts"
        pool = Pool()
        Account = pool.get('account.account')
        Journal = pool.get('account.journal')
        Move = pool.get('account.move')
        expense, = Account.search([('type.expense', '=', True)], limit=1)
        revenue, = Account.search([
                ('type.revenue', '=', True),
                ('closed', '!=', True),
                ('childs', '=', None),
                ], limit=1)
        journal, = Journal.search([('type', '=', 'general')], limit=1)
        period = fiscalyear.periods[0]
        move = Move(
            company=company, journal=journal, period=period,
            date=period.start_date,
            lines=[
                {'account': expense.id, 'debit': amount, 'credit': 0},
                {'account': revenue.id, 'debit': 0, 'credit': amount},
                ])
        move.save()
        return move

    @with_transaction()
    def test_post_into_reported_year(self):
        """Posting into a year whose annual report of the cooperative is
        checked or approved is refused; a room's report does not close it"""
        pool = Pool()
        AnnualReport = pool.get('buurtwerkkamer.annual_report')
        FiscalYear = pool.get('account.fiscalyear')
        Move = pool.get('account.move')
        with self._setup() as (company, room, _):
            fiscalyear, = FiscalYear.search([])
            room_report, report = AnnualReport.create([{
                        'company': company.id,
                        'fiscalyear': fiscalyear.id,
                        'room': room.id,
                        }, {
                        'company': company.id,
                        'fiscalyear': fiscalyear.id,
                        }])
            AnnualReport.write([room_report], {'state': 'approved'})
            move = self._move(company, fiscalyear)
            Move.post([move])
            self.assertEqual(move.state, 'posted')

            for state in ['checked', 'approved']:
                AnnualReport.write([report], {'state': state})
                move = self._move(company, fiscalyear)
                with self.assertRaises(UserError) as cm:
                    Move.post([move])
                self.assertIn(report.rec_name, cm.exception.message)
                self.assertEqual(move.state, 'draft')

    @with_transaction()
    def test_close_reported_year(self):
        "The closing entry of a year with an approved report is posted"
        pool = Pool()
        Account = pool.get('account.account')
        AnnualReport = pool.get('buurtwerkkamer.annual_report')
        FiscalYear = pool.get('account.fiscalyear')
        Journal = pool.get('account.journal')
        Move = pool.get('account.move')
        Period = pool.get('account.period')
        BalanceNonDeferral = pool.get(
            'account.fiscalyear.balance_non_deferral', type='wizard')
        with self._setup() as (company, _, _):
            fiscalyear, = FiscalYear.search([])
            Move.post([self._move(company, fiscalyear)])
            AnnualReport.create([{
                        'company': company.id,
                        'fiscalyear': fiscalyear.id,
                        'state': 'approved',
                        }])
            journal = Journal(name="Afsluiting", type='situation')
            journal.save()
            period = Period(
                name="Afsluiting", fiscalyear=fiscalyear, type='adjustment',
                start_date=fiscalyear.end_date, end_date=fiscalyear.end_date)
            period.save()
            equity, = Account.search([
                    ('type.statement', '=', 'balance'),
                    ('type', '!=', None),
                    ('deferral', '=', True),
                    ('closed', '!=', True),
                    ('party_required', '=', False),
                    ('reconcile', '=', False),
                    ], limit=1)
            session_id, _, _ = BalanceNonDeferral.create()
            wizard = BalanceNonDeferral(session_id)
            wizard.start.fiscalyear = fiscalyear
            wizard.start.journal = journal
            wizard.start.period = period
            wizard.start.credit_account = equity
            wizard.start.debit_account = equity
            move = wizard.create_move()
            Move.post([move])
            self.assertEqual(move.state, 'posted')
            FiscalYear.close([fiscalyear])
            self.assertEqual(fiscalyear.state, 'closed')
