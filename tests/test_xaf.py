# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
import io
import os
import unittest
from decimal import Decimal

from lxml import etree

from trytond.exceptions import UserError
from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

XSD = os.path.join(
    os.path.dirname(__file__), 'data', 'XmlAuditfileFinancieel3.2.xsd')
NS = {'x': 'http://www.auditfiles.nl/XAF/3.2'}


class AuditFileTestCase(unittest.TestCase):
    "Test the XML Auditfile Financieel export"

    @classmethod
    def setUpClass(cls):
        activate_module('buurtwerkkamer')
        cls.schema = etree.XMLSchema(etree.parse(XSD))

    def _books(self):
        "Two years of books: an entry in 2025 and three in 2026"
        pool = Pool()
        Account = pool.get('account.account')
        FiscalYear = pool.get('account.fiscalyear')
        Journal = pool.get('account.journal')
        Move = pool.get('account.move')
        Party = pool.get('party.party')

        company = create_company()
        with set_company(company):
            create_chart(company)
            years = []
            for year in [2025, 2026]:
                fiscalyear = get_fiscalyear(
                    company, start_date=dt.date(year, 1, 1),
                    end_date=dt.date(year, 12, 31))
                fiscalyear.save()
                FiscalYear.create_period([fiscalyear])
                years.append(fiscalyear)
            receivable, = Account.search([('type.receivable', '=', True), ('closed', '!=', True)], limit=1)
            revenue, = Account.search([('type.revenue', '=', True), ('closed', '!=', True)], limit=1)
            expense, = Account.search([('type.expense', '=', True), ('closed', '!=', True)], limit=1)
            revenue.rgs_code = 'WOmzNopOlv'
            revenue.save()
            journal_revenue, = Journal.search([('type', '=', 'revenue')])
            journal_expense, = Journal.search([('type', '=', 'expense')])
            partner = Party(name="Gemeente Utrecht & Co <test>")
            partner.save()
            supplier = Party(name="Mitros")
            supplier.save()

            def move(journal, date, lines, post=True):
                fiscalyear = [y for y in years
                    if y.start_date <= date <= y.end_date][0]
                period = [p for p in fiscalyear.periods
                    if p.start_date <= date <= p.end_date][0]
                move = Move(journal=journal, period=period, date=date,
                    description="Boeking %s" % date, lines=lines)
                move.save()
                if post:
                    Move.post([move])
                return move

            move(journal_revenue, dt.date(2025, 6, 1), [
                    {'account': receivable.id, 'party': partner.id,
                        'debit': Decimal('1000.00'), 'credit': 0},
                    {'account': revenue.id,
                        'debit': 0, 'credit': Decimal('1000.00')}])
            move(journal_revenue, dt.date(2026, 2, 1), [
                    {'account': receivable.id, 'party': partner.id,
                        'debit': Decimal('2500.50'), 'credit': 0},
                    {'account': revenue.id,
                        'debit': 0, 'credit': Decimal('2500.50')}])
            move(journal_expense, dt.date(2026, 3, 15), [
                    {'account': expense.id,
                        'debit': Decimal('45.60'), 'credit': 0,
                        'description': "Koffie"},
                    {'account': receivable.id, 'party': supplier.id,
                        'debit': 0, 'credit': Decimal('45.60')}])
            move(journal_expense, dt.date(2026, 11, 30), [
                    {'account': expense.id,
                        'debit': Decimal('10.00'), 'credit': 0},
                    {'account': receivable.id, 'party': supplier.id,
                        'debit': 0, 'credit': Decimal('10.00')}])
            # A draft entry is not in the books yet.
            move(journal_expense, dt.date(2026, 4, 1), [
                    {'account': expense.id,
                        'debit': Decimal('99.00'), 'credit': 0},
                    {'account': receivable.id, 'party': supplier.id,
                        'debit': 0, 'credit': Decimal('99.00')}],
                post=False)
        return company, years

    def _export(self, company, fiscalyear, start=None, end=None):
        pool = Pool()
        AuditFile = pool.get('buurtwerkkamer.xaf', type='wizard')
        session_id, _, _ = AuditFile.create()
        wizard = AuditFile(session_id)
        wizard.start.company = company
        wizard.start.fiscalyear = fiscalyear
        wizard.start.start_period = start
        wizard.start.end_period = end
        result = wizard.default_result(['file', 'filename'])
        self.assertTrue(result['filename'].endswith('.xaf'))
        document = etree.parse(io.BytesIO(result["file"]))
        self.schema.assertValid(document)
        return document

    @with_transaction()
    def test_year_valid_and_balanced(self):
        "The audit file of a year validates and equals the trial balance"
        company, (_, year) = self._books()
        with set_company(company):
            document = self._export(company, year)

        def text(path):
            return document.xpath(path, namespaces=NS)

        self.assertEqual(text('//x:header/x:fiscalYear/text()'), ['2026'])
        transactions, = text('//x:transactions')
        self.assertEqual(text('//x:transactions/x:linesCount/text()'), ['6'])
        self.assertEqual(
            text('//x:transactions/x:totalDebit/text()'), ['2556.10'])
        self.assertEqual(
            text('//x:transactions/x:totalCredit/text()'), ['2556.10'])
        # The lines add up to the totals, debit equals credit per entry.
        for transaction in text('//x:transaction'):
            total = {'D': Decimal(0), 'C': Decimal(0)}
            for line in transaction.xpath('x:trLine', namespaces=NS):
                total[line.findtext('x:amntTp', namespaces=NS)] += Decimal(
                    line.findtext('x:amnt', namespaces=NS))
            self.assertEqual(total['D'], total['C'])
        self.assertEqual(len(text('//x:transaction')), 3)
        self.assertEqual(len(text('//x:journal')), 2)
        # The opening balance is the receivable of 2025.
        self.assertEqual(
            text('//x:openingBalance/x:totalDebit/text()'), ['1000.00'])
        # Parties and accounts, with the RGS code as lead code.
        names = text('//x:customerSupplier/x:custSupName/text()')
        self.assertIn("Gemeente Utrecht & Co <test>", names)
        self.assertIn('WOmzNopOlv', text('//x:ledgerAccount/x:leadCode/text()'))
        self.assertEqual(len(text('//x:period')), 12)

    @with_transaction()
    def test_period_range(self):
        "A range of periods holds only its entries"
        company, (_, year) = self._books()
        periods = sorted(year.periods, key=lambda p: p.start_date)
        with set_company(company):
            document = self._export(company, year, periods[1], periods[2])
        self.assertEqual(
            document.xpath('//x:transactions/x:linesCount/text()',
                namespaces=NS), ['4'])
        self.assertEqual(
            document.xpath('//x:header/x:endDate/text()', namespaces=NS),
            ['2026-03-31'])

    @with_transaction()
    def test_period_order(self):
        "A start period after the end period is refused"
        company, (_, year) = self._books()
        periods = sorted(year.periods, key=lambda p: p.start_date)
        with set_company(company), \
                Transaction().set_context(language='nl'):
            with self.assertRaises(UserError):
                self._export(company, year, periods[5], periods[2])

