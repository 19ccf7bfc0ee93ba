# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
import unittest
from contextlib import contextmanager
from decimal import Decimal
from unittest.mock import patch

from trytond.exceptions import UserError
from trytond.model.exceptions import (
    RequiredValidationError, ValidationError)
from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.modules.account_invoice.tests import set_invoice_sequences
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





class StaffCostOnceTestCase(unittest.TestCase):
    "Test that staff cost is booked once, and freelance fees apart"

    @classmethod
    def setUpClass(cls):
        activate_module('buurtwerkkamer')

    def _setup(self, company):
        pool = Pool()
        Account = pool.get('account.account')
        FiscalYear = pool.get('account.fiscalyear')
        Employee = pool.get('company.employee')
        Party = pool.get('party.party')
        Room = pool.get('buurtwerkkamer.room')
        create_chart(company)
        fiscalyear = get_fiscalyear(
            company, start_date=dt.date(2025, 1, 1),
            end_date=dt.date(2025, 12, 31))
        fiscalyear.save()
        FiscalYear.create_period([fiscalyear])
        expense, = Account.search([('type.expense', '=', True)], limit=1)
        room, = Room.create([{'name': "Zuilen", 'code': 'ZUI'}])
        party = Party(name="Joost Visser")
        party.save()
        employee = Employee(party=party, company=company)
        employee.save()
        return room, employee, expense

    def _employment(self, company, room, employee, kind='employment',
            start=dt.date(2025, 6, 1), end=None):
        pool = Pool()
        Employment = pool.get('buurtwerkkamer.employment')
        employment = Employment(
            company=company, employee=employee, role='project_coach',
            kind=kind, hours=Decimal('8'), start_date=start, end_date=end,
            allocations=[{'room': room.id, 'percentage': Decimal(100)}])
        if kind == 'zzp':
            employment.hourly_rate = Decimal('60.00')
            employment.vat_rate = Decimal('0.21')
        else:
            employment.monthly_cost = Decimal('3000.00')
        return employment

    def _fixed_cost(self, company, room, employee, account,
            start=dt.date(2025, 1, 1), end=None):
        FixedCost = Pool().get('buurtwerkkamer.fixed_cost')
        return FixedCost(
            company=company, room=room, kind='staff', employee=employee,
            description="Vergoeding projectcoach", booking='accrual',
            amount=Decimal('800.00'), interval='monthly', start_date=start,
            end_date=end, account=account)

    @with_transaction()
    def test_fixed_cost_refused_during_employment(self):
        "A salary or fee as fixed cost is refused while an employment runs"
        company = create_company()
        with set_company(company):
            room, employee, expense = self._setup(company)
            self._employment(company, room, employee).save()
            cost = self._fixed_cost(company, room, employee, expense)
            with self.assertRaisesRegex(
                    ValidationError, 'would be booked twice'):
                cost.save()
            # Up to the day before the employment starts it is accepted
            cost = self._fixed_cost(
                company, room, employee, expense,
                end=dt.date(2025, 5, 31))
            cost.save()
            self.assertEqual(cost.coverage_end(), dt.date(2025, 5, 31))
            # A quarterly period that started in May covers June too
            cost.interval = 'quarterly'
            cost.start_date = dt.date(2025, 2, 1)
            with self.assertRaisesRegex(
                    ValidationError, 'would be booked twice'):
                cost.save()

    @with_transaction()
    def test_employment_refused_during_fixed_cost(self):
        "An employment is refused while a fixed cost pays the same person"
        company = create_company()
        with set_company(company):
            room, employee, expense = self._setup(company)
            self._fixed_cost(company, room, employee, expense).save()
            employment = self._employment(company, room, employee)
            with self.assertRaisesRegex(
                    ValidationError, 'would be booked twice'):
                employment.save()
            # Another person may have an employment
            other = self._employment(company, room, employee)
            other.employee = type(employee)(
                party=employee.party, company=company)
            other.employee.save()
            other.save()

    @with_transaction()
    def test_staff_fixed_cost_needs_employee(self):
        "A salary or fee as fixed cost names the person"
        company = create_company()
        with set_company(company):
            room, employee, expense = self._setup(company)
            cost = self._fixed_cost(company, room, None, expense)
            with self.assertRaises(RequiredValidationError):
                cost.save()

    @with_transaction()
    def test_zzp_accrual_with_vat_on_fee_account(self):
        "A freelancer's fee is accrued with its VAT on the fee account"
        pool = Pool()
        Account = pool.get('account.account')
        Configuration = pool.get('buurtwerkkamer.configuration')
        Employment = pool.get('buurtwerkkamer.employment')
        company = create_company()
        with set_company(company):
            room, employee, salaries = self._setup(company)
            payable, = Account.search([
                    ('type.payable', '=', True),
                    ('type.statement', '=', 'balance'),
                    ('closed', '!=', True),
                    ], limit=1)
            fees = Account(
                name="Inhuur zzp'ers", code='4050', type=salaries.type,
                parent=salaries.parent, company=company)
            fees.save()
            config = Configuration(1)
            config.staff_cost_account = salaries
            config.staff_cost_payable_account = payable
            config.save()
            employment = self._employment(
                company, room, employee, kind='zzp')
            employment.save()
            Employment.run([employment])

            # Not on the salaries: the fee account must be set
            with self.assertRaisesRegex(UserError, 'freelance fee account'):
                Employment.accrue(dt.date(2025, 6, 1))

            config.staff_fee_account = fees
            config.save()
            cost, = Employment.accrue(dt.date(2025, 6, 1))
            # 60.00 x 8 hours x 52 weeks / 12 months = 2080.00 + 21 % VAT
            self.assertEqual(cost.amount, Decimal('2516.80'))
            debit, = [l for l in cost.move.lines if l.debit]
            self.assertEqual(debit.account, fees)
            self.assertEqual(debit.debit, Decimal('2516.80'))
            self.assertEqual(
                debit.analytic_lines[0].account, room.analytic_account)
            self.assertFalse(
                [l for l in cost.move.lines if l.account == salaries])

            # A freelancer who charges no VAT
            Employment.write([employment], {'vat_rate': Decimal(0)})
            cost, = Employment.accrue(dt.date(2025, 7, 1))
            self.assertEqual(cost.amount, Decimal('2080.00'))


class PartnerReportTestCase(unittest.TestCase):
    "Test the annual report of a partner against its agreement invoices"

    @classmethod
    def setUpClass(cls):
        activate_module('buurtwerkkamer')

    @with_transaction()
    def test_partner_report_equals_agreement_invoices(self):
        "The partner's agreement income equals its agreement invoices"
        pool = Pool()
        Account = pool.get('account.account')
        Agreement = pool.get('buurtwerkkamer.agreement')
        AnnualReport = pool.get('buurtwerkkamer.annual_report')
        Configuration = pool.get('buurtwerkkamer.configuration')
        Covenant = pool.get('buurtwerkkamer.covenant')
        FiscalYear = pool.get('account.fiscalyear')
        Instalment = pool.get('buurtwerkkamer.agreement.instalment')
        Invoice = pool.get('account.invoice')
        InvoiceLine = pool.get('account.invoice.line')
        AnalyticEntry = pool.get('analytic.account.entry')
        Party = pool.get('party.party')
        Room = pool.get('buurtwerkkamer.room')
        company = create_company()
        with set_company(company), patch.object(
                pool.get('ir.date'), 'today',
                return_value=dt.date(2025, 12, 31)):
            create_chart(company)
            fiscalyear = set_invoice_sequences(get_fiscalyear(
                    company, start_date=dt.date(2025, 1, 1),
                    end_date=dt.date(2025, 12, 31)))
            fiscalyear.save()
            FiscalYear.create_period([fiscalyear])
            revenue, = Account.search([
                    ('type.revenue', '=', True),
                    ('closed', '!=', True),
                    ], limit=1)
            config = Configuration(1)
            config.agreement_account = revenue
            config.save()
            municipality = Party(name="Gemeente Utrecht", addresses=[{}])
            housing = Party(name="Mitros", addresses=[{}])
            Party.save([municipality, housing])
            room, other_room = Room.create([
                    {'name': "Zuilen", 'code': 'ZUI'},
                    {'name': "Overvecht", 'code': 'OVV'}])
            covenant = Covenant(
                name="Samen", company=company,
                start_date=dt.date(2025, 1, 1),
                end_date=dt.date(2025, 12, 31), rooms=[room, other_room],
                partners=[{
                        'party': municipality.id,
                        'role': 'funder',
                        'yearly_commitment': Decimal('30000'),
                        }, {
                        'party': housing.id,
                        'role': 'funder',
                        'yearly_commitment': Decimal('5000'),
                        }])
            covenant.save()
            Covenant.sign([covenant])

            def agreement(room, partner, amounts):
                return Agreement(
                    company=company, covenant=covenant, room=room,
                    partner=partner, year=2025,
                    contribution=sum(amounts, Decimal(0)),
                    deadline=dt.date(2024, 12, 1),
                    instalments=[Instalment(
                            date=dt.date(2025, m, 1), amount=a)
                        for m, a in zip([1, 7], amounts)])
            agreements = [
                agreement(room, municipality,
                    [Decimal('6000.00'), Decimal('4000.50')]),
                agreement(other_room, municipality, [Decimal('9000.00')]),
                agreement(room, housing, [Decimal('3000.00')]),
                ]
            Agreement.save(agreements)
            Agreement.sign(agreements)
            Instalment.create_invoices(
                [i for a in agreements for i in a.instalments])

            # An invoice without agreement is refused unless its other
            # origin is stated
            invoice = Invoice(
                company=company, type='out', party=municipality,
                currency=company.currency,
                invoice_date=dt.date(2025, 12, 31))
            invoice.on_change_type()
            invoice.on_change_party()
            invoice.lines = [InvoiceLine(
                    company=company, currency=company.currency,
                    type='line', account=revenue,
                    description="Buurtinitiatief", quantity=1,
                    unit_price=Decimal('1500.00'),
                    analytic_accounts=[AnalyticEntry(
                            root=room.analytic_account.root,
                            account=room.analytic_account)])]
            invoice.save()
            with self.assertRaisesRegex(UserError, 'Buurtinitiatief'):
                Invoice.post([invoice])
            invoice.other_income = 'subsidy'
            invoice.save()
            Invoice.post([invoice])

            report = AnnualReport(
                company=company, room=room, fiscalyear=fiscalyear,
                partner=municipality)
            report.save()
            AnnualReport.compute([report])

            invoices = [i.invoice for a in Agreement.search([
                        ('partner', '=', municipality.id),
                        ('room', '=', room.id),
                        ('year', '=', 2025),
                        ]) for i in a.instalments]
            self.assertEqual(len(invoices), 2)
            self.assertEqual({i.state for i in invoices}, {'posted'})
            self.assertEqual(
                report.partner_income,
                sum(i.untaxed_amount for i in invoices))
            self.assertEqual(report.partner_income, Decimal('10000.50'))
            self.assertEqual(report.partner_other_income, Decimal('1500.00'))
            self.assertEqual(report.total_income, Decimal('14500.50'))
            self.assertEqual(
                [(l.party.name, l.income_origin, l.amount)
                    for l in report.income_lines], [
                    ("Gemeente Utrecht", 'agreement', Decimal('10000.50')),
                    ("Gemeente Utrecht", 'other', Decimal('1500.00')),
                    ("Mitros", 'agreement', Decimal('3000.00')),
                    ])

            # At the end of the year the room spent 4000.50 of it: the
            # rest of the agreements' income is deferred, shared over the
            # agreements in proportion to what they invoiced
            Journal = pool.get('account.journal')
            Move = pool.get('account.move')
            Period = pool.get('account.period')
            expense, = Account.search([
                    ('type.expense', '=', True),
                    ('closed', '!=', True),
                    ], limit=1)
            cash, = Account.search([
                    ('type.statement', '=', 'balance'),
                    ('party_required', '=', False),
                    ('type.payable', '=', False),
                    ('type.receivable', '=', False),
                    ('closed', '!=', True),
                    ], limit=1)
            deferred, = Account.search([
                    ('type.payable', '=', True),
                    ('party_required', '=', True),
                    ('closed', '!=', True),
                    ], limit=1)
            journal, = Journal.search([('type', '=', 'general')], limit=1)
            date = dt.date(2025, 6, 30)
            MoveLine = pool.get('account.move.line')
            AnalyticLine = pool.get('analytic_account.line')
            move = Move(
                journal=journal, date=date,
                period=Period.find(company, date=date),
                lines=[MoveLine(
                        account=expense, debit=Decimal('4000.50'), credit=0,
                        analytic_lines=[AnalyticLine(
                                account=room.analytic_account,
                                debit=Decimal('4000.50'), credit=0,
                                date=date)]),
                    MoveLine(
                        account=cash, debit=0, credit=Decimal('4000.50'))])
            move.save()
            Move.post([move])
            moves = Agreement.settle_unspent(
                company, fiscalyear, 'defer', deferred, journal,
                dt.date(2025, 12, 31))
            settled = Agreement.search([('unspent_move', '!=', None)])
            self.assertEqual(
                sorted((a.partner.name, a.unspent_amount) for a in settled),
                [("Gemeente Utrecht", Decimal('6923.16')),
                    # Overvecht spent nothing
                    ("Gemeente Utrecht", Decimal('9000.00')),
                    ("Mitros", Decimal('2076.84'))])
            self.assertEqual(
                sum(l.credit for m in moves for l in m.lines
                    if l.account == deferred), Decimal('18000.00'))
            self.assertEqual({m.state for m in moves}, {'posted'})
            # Settled once
            with self.assertRaisesRegex(UserError, 'unspent'):
                Agreement.settle_unspent(
                    company, fiscalyear, 'defer', deferred, journal,
                    dt.date(2025, 12, 31))
            # The partner's report shows the income net of what is deferred
            AnnualReport.draft([report])
            AnnualReport.compute([report])
            self.assertEqual(report.partner_income, Decimal('3077.34'))
            self.assertEqual(report.partner_other_income, Decimal('1500.00'))
