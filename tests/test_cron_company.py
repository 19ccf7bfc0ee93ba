# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
import json
import unittest
from collections import Counter
from decimal import Decimal
from unittest.mock import patch

from trytond.modules.company.tests.test_module import (
    create_company, create_employee, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import USER, activate_module, with_transaction
from trytond.transaction import Transaction

try:
    from .test_handgeld import MONTH, setup_handgeld
except ImportError:
    from test_handgeld import MONTH, setup_handgeld

TODAY = MONTH.replace(month=5, day=10)


class CronCompanyTestCase(unittest.TestCase):
    "Test that the scheduled tasks work for the company they run for"

    @classmethod
    def setUpClass(cls):
        activate_module('buurtwerkkamer')

    def _run(self, xml_id, companies):
        "Run the cron as the scheduler does, once per company"
        pool = Pool()
        Cron = pool.get('ir.cron')
        ModelData = pool.get('ir.model.data')
        cron = Cron(ModelData.get_id('buurtwerkkamer', xml_id))
        cron.companies = companies
        cron.save()
        with Transaction().set_user(0), \
                Transaction().set_context(company=None, companies=None), \
                patch.object(pool.get('ir.date'), 'today',
                    return_value=TODAY):
            Cron.run_once([cron])

    def _setup_handgeld(self):
        "Set up the handgeld of two companies"
        pool = Pool()
        Number = pool.get('bank.account.number')
        first = setup_handgeld()
        # The IBAN is unique
        for room, iban in zip(first.rooms.values(), [
                    'NL20INGB0001234567', 'NL39RABO0300065264']):
            Number.write(list(room.business_account.numbers), {
                    'number': iban,
                    })
        return first, setup_handgeld()

    def _deadline(self, company, code, funder=None, year=None):
        "Create an agreement of company whose signing deadline has passed"
        pool = Pool()
        Party = pool.get('party.party')
        Room = pool.get('buurtwerkkamer.room')
        Covenant = pool.get('buurtwerkkamer.covenant')
        Agreement = pool.get('buurtwerkkamer.agreement')
        today = TODAY
        if funder is None:
            funder = Party(name="Gemeente %s" % code)
            funder.save()
        room, = Room.create([{'name': "Kamer %s" % code, 'code': code}])
        covenant = Covenant(
            name="Samen %s" % code, company=company,
            start_date=dt.date(today.year, 1, 1),
            end_date=dt.date(today.year + 1, 12, 31),
            rooms=[room],
            partners=[{
                    'party': funder.id,
                    'role': 'funder',
                    'yearly_commitment': Decimal('1000'),
                    }])
        covenant.save()
        Covenant.sign([covenant])
        agreement = Agreement(
            company=company, covenant=covenant, room=room, partner=funder,
            year=year or covenant.end_date.year,
            contribution=Decimal('500'),
            deadline=today - dt.timedelta(days=1))
        agreement.save()
        return agreement

    @with_transaction()
    def test_handgeld_months_per_company(self):
        "The monthly handgeld task makes each month once, in its company"
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        first, second = self._setup_handgeld()
        companies = [first.company, second.company]

        self._run('cron_handgeld_create_periods', companies)
        self._run('cron_handgeld_create_periods', companies)

        with Transaction().set_user(0):
            periods = Period.search([])
        self.assertTrue(periods)
        counts = Counter((p.room.id, p.date) for p in periods)
        self.assertEqual(set(counts.values()), {1})
        self.assertEqual(
            {p.room.company for p in periods}, set(companies))
        for period in periods:
            self.assertEqual(period.company, period.room.company)
            if period.transfer_amount:
                self.assertEqual(
                    period.transfer_move.company, period.company)
                self.assertEqual(
                    {l.account.company for l in period.transfer_move.lines},
                    {period.company})

    @with_transaction()
    def test_deadline_notices_per_company(self):
        "The deadline notices come once, each with its company's agreements"
        pool = Pool()
        Agreement = pool.get('buurtwerkkamer.agreement')
        ModelData = pool.get('ir.model.data')
        Notification = pool.get('res.notification')
        User = pool.get('res.user')
        companies = [create_company(), create_company()]
        User.write([User(USER)], {
                'groups': [('add', [ModelData.get_id(
                                'buurtwerkkamer', 'group_administration')])],
                })
        agreements = {}
        for company, code in zip(companies, ['ZUI', 'OVV']):
            with set_company(company):
                agreements[company] = self._deadline(company, code)
        # A user of the first company only
        clerk = User(login='clerk', name="Clerk",
            companies=[companies[0]], company=companies[0],
            groups=[ModelData.get_id(
                    'buurtwerkkamer', 'group_administration')])
        clerk.save()

        self._run('cron_agreement_notify_deadlines', companies)

        with Transaction().set_user(0):
            notifications = Notification.search([
                    ('model', '=', Agreement.__name__),
                    ])
        received = Counter(
            (n.user.id, n.records) for n in notifications)
        self.assertEqual(set(received.values()), {1})
        self.assertEqual(
            sorted(json.loads(n.records)[0] for n in notifications
                if n.user == User(USER)),
            sorted(a.id for a in agreements.values()))
        clerk_notification, = [
            n for n in notifications if n.user == clerk]
        self.assertEqual(
            json.loads(clerk_notification.records),
            [agreements[companies[0]].id])

    @with_transaction()
    def test_staff_cost_per_company(self):
        "The staff cost task accrues each employment once, in its company"
        pool = Pool()
        Account = pool.get('account.account')
        Configuration = pool.get('buurtwerkkamer.configuration')
        Employment = pool.get('buurtwerkkamer.employment')
        Allocation = pool.get('buurtwerkkamer.employment.allocation')
        Cost = pool.get('buurtwerkkamer.employment.cost')
        Room = pool.get('buurtwerkkamer.room')
        first, second = self._setup_handgeld()
        companies = [first.company, second.company]
        start = MONTH
        for company in companies:
            with set_company(company):
                config = Configuration(1)
                for name, kind in [
                        ('staff_cost_account', 'expense'),
                        ('staff_cost_payable_account', 'payable')]:
                    account, = Account.search([
                            ('company', '=', company.id),
                            ('type.%s' % kind, '=', True),
                            ('type.statement', '=', 'balance'
                                if kind == 'payable' else 'income'),
                            ('closed', '!=', True),
                            ], limit=1)
                    setattr(config, name, account)
                config.save()
                room, = Room.search([
                        ('company', '=', company.id),
                        ('code', '=', 'ZUI'),
                        ])
                employment = Employment(
                    company=company, kind='employment',
                    employee=create_employee(company, name="Karin Bos"),
                    role='team_coordinator', hours=Decimal('32'),
                    monthly_cost=Decimal('3000.00'), start_date=start,
                    allocations=[Allocation(
                            room=room, percentage=Decimal(100))])
                employment.save()
                Employment.run([employment])

        self._run('cron_employment_accrue', companies)
        self._run('cron_employment_accrue', companies)

        with Transaction().set_user(0):
            costs = Cost.search([])
        self.assertTrue(costs)
        counts = Counter((c.employment.id, c.date) for c in costs)
        self.assertEqual(set(counts.values()), {1})
        self.assertEqual(
            {c.employment.company for c in costs}, set(companies))
        for cost in costs:
            self.assertEqual(cost.move.company, cost.employment.company)

    @with_transaction()
    def test_fixed_costs_per_company(self):
        """The fixed cost task invoices each period once, under the company
        of the cost, with that company's accounts"""
        pool = Pool()
        Account = pool.get('account.account')
        FixedCost = pool.get('buurtwerkkamer.fixed_cost')
        Invoice = pool.get('account.invoice')
        Party = pool.get('party.party')
        first, second = self._setup_handgeld()
        companies = [first.company, second.company]
        # One supplier of both companies
        supplier = Party(name="Woningcorporatie", addresses=[{}])
        supplier.save()
        for ns in [first, second]:
            with set_company(ns.company):
                room = ns.rooms['ZUI']
                if not room.analytic_account:
                    self.skipTest("rooms without analytic account")
                expense, = Account.search([
                        ('company', '=', ns.company.id),
                        ('type.expense', '=', True),
                        ], limit=1)
                FixedCost(
                    company=ns.company, room=room, kind='rent',
                    description="Huur", booking='invoice',
                    supplier=supplier, amount=Decimal('800.00'),
                    interval='monthly', start_date=MONTH,
                    account=expense).save()

        self._run('cron_fixed_cost_generate', companies)
        self._run('cron_fixed_cost_generate', companies)

        with Transaction().set_user(0):
            invoices = Invoice.search([])
        self.assertTrue(invoices)
        counts = Counter(
            (i.company.id, i.invoice_date) for i in invoices)
        self.assertEqual(set(counts.values()), {1})
        self.assertEqual({i.company for i in invoices}, set(companies))
        for invoice in invoices:
            self.assertEqual(invoice.account.company, invoice.company)
            self.assertEqual(
                {l.account.company for l in invoice.lines},
                {invoice.company})

    @with_transaction()
    def test_instalments_per_company(self):
        """The instalment task invoices each instalment once, under the
        company of its agreement, with that company's accounts"""
        pool = Pool()
        Account = pool.get('account.account')
        Agreement = pool.get('buurtwerkkamer.agreement')
        Configuration = pool.get('buurtwerkkamer.configuration')
        Invoice = pool.get('account.invoice')
        Party = pool.get('party.party')
        first, second = self._setup_handgeld()
        companies = [first.company, second.company]
        # One funder of both companies
        funder = Party(name="Gemeente", addresses=[{}])
        funder.save()
        agreements = []
        for company, code in zip(companies, ['AGR', 'AGS']):
            with set_company(company):
                config = Configuration(1)
                config.agreement_account, = Account.search([
                        ('company', '=', company.id),
                        ('type.revenue', '=', True),
                        ('closed', '!=', True),
                        ], limit=1)
                config.save()
                agreement = self._deadline(
                    company, code, funder=funder, year=TODAY.year)
                with patch.object(
                        pool.get('ir.date'), 'today', return_value=TODAY):
                    Agreement.sign([agreement])
                agreements.append(agreement)

        self._run('cron_agreement_invoice_due_instalments', companies)
        self._run('cron_agreement_invoice_due_instalments', companies)

        with Transaction().set_user(0):
            invoices = Invoice.search([])
        self.assertEqual(len(invoices), 2)
        self.assertEqual({i.company for i in invoices}, set(companies))
        for agreement in agreements:
            instalment, = Agreement(agreement.id).instalments
            self.assertEqual(instalment.invoice.company, agreement.company)
            self.assertEqual(instalment.invoice.state, 'posted')
        for invoice in invoices:
            self.assertEqual(invoice.account.company, invoice.company)
