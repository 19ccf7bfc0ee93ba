# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import csv
import os
import unittest
from decimal import Decimal

from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.modules.account_invoice.tests import set_invoice_sequences
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

RGS = os.path.join(os.path.dirname(__file__), 'data', 'rgs-mkb-3.7-codes.tsv')


def rgs_codes():
    "The RGS MKB 3.7 codes with their level"
    with open(RGS, encoding='utf-8') as fp:
        rows = (line for line in fp if not line.startswith('#'))
        return {row['code']: int(row['level'])
            for row in csv.DictReader(rows, delimiter='\t')}


class ChartTestCase(unittest.TestCase):
    "Test the chart of accounts of the cooperative"

    @classmethod
    def setUpClass(cls):
        activate_module('buurtwerkkamer')

    @with_transaction()
    def test_chart_from_template(self):
        "The chart loads on a fresh company, every account with its RGS code"
        pool = Pool()
        Account = pool.get('account.account')

        company = create_company()
        with set_company(company):
            create_chart(
                company, chart='buurtwerkkamer.account_template_root_nl')
            accounts = Account.search([
                    ('company', '=', company.id),
                    ('type.statement', '!=', None),
                    ])
        codes = rgs_codes()
        self.assertGreaterEqual(len(accounts), 30)
        for account in accounts:
            with self.subTest(account=account.code):
                self.assertEqual(codes.get(account.rgs_code), 4,
                    msg="%s %s: %s is not an account-level RGS code" % (
                        account.code, account.name, account.rgs_code))
        by_code = {a.code: a for a in accounts}
        # The handgeld float is a claim on its holder, not the cash of the
        # cooperative.
        self.assertTrue(by_code['1150'].rgs_code.startswith('BVor'))
        self.assertTrue(by_code['1150'].party_required)
        self.assertFalse(by_code['1150'].type.payable)
        # Salaries and hired freelancers apart, deferred subsidies.
        self.assertNotEqual(by_code['4000'].rgs_code, by_code['4050'].rgs_code)
        self.assertEqual(by_code['4050'].rgs_code, 'WBedOvpZzp')
        self.assertEqual(by_code['1700'].name, "Vooruitontvangen subsidies")
        # A revenue account per kind of partner contribution.
        revenue = {a.rgs_code for a in accounts if a.type.revenue}
        self.assertGreaterEqual(len(revenue), 4)
        self.assertEqual(by_code['4610'].room_cost_kind, 'handgeld')

    @with_transaction()
    def test_taxes_exempt_cooperative(self):
        """The taxes of an exempt cooperative: exempt services with their
        legal ground, subsidies outside the scope of VAT, and the VAT it
        pays on purchases as cost of the purchase"""
        pool = Pool()
        Account = pool.get('account.account')
        FiscalYear = pool.get('account.fiscalyear')
        Invoice = pool.get('account.invoice')
        Party = pool.get('party.party')
        Tax = pool.get('account.tax')

        company = create_company()
        with set_company(company):
            create_chart(
                company, chart='buurtwerkkamer.account_template_root_nl')
            taxes = {t.name: t for t in Tax.search([
                        ('company', '=', company.id)])}
            exempt = taxes["Vrijgesteld van btw (art. 11)"]
            self.assertEqual(exempt.rate, Decimal(0))
            self.assertIn("artikel 11", exempt.legal_notice)
            self.assertEqual(exempt.group.kind, 'sale')
            outside = taxes["Buiten de reikwijdte van de btw (subsidie)"]
            self.assertEqual(outside.type, 'none')
            purchase = taxes["21% btw inkopen, niet aftrekbaar"]
            self.assertTrue(purchase.non_deductible)
            self.assertEqual(purchase.group.kind, 'purchase')

            fiscalyear = set_invoice_sequences(get_fiscalyear(company))
            fiscalyear.save()
            FiscalYear.create_period([fiscalyear])
            fee, = Account.search([
                    ('company', '=', company.id),
                    ('code', '=', '4050'),
                    ])
            supplier = Party(name="Coach zzp", addresses=[{}])
            supplier.save()
            invoice = Invoice(
                company=company, type='in', party=supplier,
                invoice_date=fiscalyear.start_date,
                currency=company.currency)
            invoice.on_change_type()
            invoice.on_change_party()
            invoice.lines = [{
                    'account': fee.id,
                    'quantity': 1,
                    'unit_price': Decimal('800.00'),
                    'taxes': [purchase.id],
                    }]
            invoice.save()
            Invoice.post([invoice])
            self.assertEqual(invoice.total_amount, Decimal('968.00'))
            # The VAT is cost on the fee's account, none to reclaim
            lines = {l.account.code: l for l in invoice.move.lines}
            self.assertEqual(lines['4050'].debit, Decimal('968.00'))
            self.assertNotIn('1510', lines)

    def test_rgs_codes_list(self):
        "The list holds the four levels of RGS MKB 3.7"
        codes = rgs_codes()
        self.assertEqual(codes['B'], 1)
        self.assertEqual(codes['BLimKasKas'], 4)
        self.assertNotIn('WBedHuiHur', codes)
