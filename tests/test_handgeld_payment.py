# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"The transfers of the handgeld: execution dates and dual control"
import datetime as dt
import unittest
from decimal import Decimal
from unittest.mock import patch

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests.test_module import (
    create_employee, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction, check_access

from trytond_buurtwerkkamer.handgeld import next_business_day

from test_handgeld import MONTH, setup_handgeld


class HandgeldPaymentTestCase(unittest.TestCase):
    "Test the transfers of the handgeld"

    @classmethod
    def setUpClass(cls):
        activate_module('buurtwerkkamer')

    def test_next_business_day(self):
        "The banks execute transfers on weekdays outside their holidays"
        for date, expected in [
                (dt.date(2026, 12, 2), dt.date(2026, 12, 2)),  # Wednesday
                (dt.date(2026, 10, 3), dt.date(2026, 10, 5)),  # Saturday
                (dt.date(2026, 11, 1), dt.date(2026, 11, 2)),  # Sunday
                (dt.date(2026, 12, 25), dt.date(2026, 12, 28)),  # Christmas
                (dt.date(2027, 1, 1), dt.date(2027, 1, 4)),  # New Year
                (dt.date(2027, 3, 26), dt.date(2027, 3, 30)),  # Good Friday
                (dt.date(2027, 5, 1), dt.date(2027, 5, 3)),  # Labour Day
                ]:
            with self.subTest(date=date):
                self.assertEqual(next_business_day(date), expected)

    def _periods(self, ns, today):
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        Date = pool.get('ir.date')
        with patch.object(Date, 'today', return_value=today):
            Period.create_periods(today)
        return Period.search([('room', '=', ns.rooms['ZUI'].id)])

    @with_transaction()
    def test_transfer_date_on_time(self):
        "The transfer of the month is requested on its first business day"
        ns = setup_handgeld()
        with set_company(ns.company):
            period, = self._periods(ns, MONTH)
            self.assertEqual(period.payment.date, next_business_day(MONTH))
            self.assertEqual(period.payment.origin, period)
            self.assertEqual(period.payment_state, 'draft')

    @with_transaction()
    def test_transfer_date_caught_up(self):
        "A month caught up late requests no execution date in the past"
        pool = Pool()
        Room = pool.get('buurtwerkkamer.room')
        ns = setup_handgeld()
        # A Saturday in the second month after the last month created
        today = MONTH + dt.timedelta(days=62)
        while today.weekday() != 5:
            today += dt.timedelta(days=1)
        with set_company(ns.company):
            # Every month gets a transfer: the fixed amount below the cap
            # until the cash on hand reaches the cap
            Room.write([ns.rooms['ZUI']], {
                    'handgeld_rule': 'fixed',
                    'handgeld_amount': Decimal('100.00'),
                    })
            first, = self._periods(ns, MONTH)
            periods = [p for p in self._periods(ns, today) if p != first]
            self.assertEqual(len(periods), 2)
            for period in periods:
                self.assertLess(period.date, today)
                self.assertGreater(period.payment.date, today)
                self.assertLess(period.payment.date.weekday(), 5)
                self.assertEqual(
                    period.payment.date, next_business_day(today))

    def _user(self, ns, login, employee, groups):
        pool = Pool()
        User = pool.get('res.user')
        Group = pool.get('res.group')
        ModelData = pool.get('ir.model.data')
        user = User(
            login=login, name=login,
            groups=[Group(ModelData.get_id(*g.split('.'))) for g in groups],
            companies=[ns.company], company=ns.company)
        if employee:
            user.employees = [employee]
            user.employee = employee
        user.save()
        return user

    def _as(self, user):
        pool = Pool()
        User = pool.get('res.user')
        transaction = Transaction()
        with transaction.set_user(user.id):
            context = User.get_preferences(context_only=True)
        return transaction.set_user(user.id), transaction.set_context(context)

    @with_transaction()
    def test_dual_control(self):
        "A second person approves the handgeld transfer"
        pool = Pool()
        Payment = pool.get('account.payment')
        ns = setup_handgeld()
        with set_company(ns.company):
            period, = self._periods(ns, MONTH)
            treasurer = self._user(
                ns, 'kees', create_employee(ns.company, name="Kees"), [
                    'buurtwerkkamer.group_treasurer',
                    'account_payment.group_payment_approval'])
            office = self._user(
                ns, 'sanne', create_employee(ns.company, name="Sanne"), [
                    'account_payment.group_payment_approval'])
            nobody = self._user(
                ns, 'gast', None, ['account_payment.group_payment_approval'])
        payment = period.payment

        user, context = self._as(treasurer)
        with user, context, check_access():
            Payment.submit([Payment(payment.id)])
            with self.assertRaisesRegex(UserError, "second person"):
                Payment.approve([Payment(payment.id)])
            with self.assertRaises(AccessError):
                Payment.write([Payment(payment.id)], {
                        'submitted_by': office.employee.id})
        self.assertEqual(Payment(payment.id).state, 'submitted')
        self.assertEqual(
            Payment(payment.id).submitted_by, treasurer.employee)

        user, context = self._as(nobody)
        with user, context, check_access():
            with self.assertRaisesRegex(UserError, "not linked to an employee"):
                Payment.approve([Payment(payment.id)])

        user, context = self._as(office)
        with user, context, check_access():
            Payment.approve([Payment(payment.id)])
        payment = Payment(payment.id)
        self.assertEqual(payment.state, 'approved')
        self.assertEqual(payment.approved_by, office.employee)
        self.assertEqual(period.payment_state, 'approved')

    @with_transaction()
    def test_process_late_moves_date(self):
        "A transfer processed after its date is requested for the next day"
        pool = Pool()
        Payment = pool.get('account.payment')
        Group = pool.get('account.payment.group')
        Date = pool.get('ir.date')
        ns = setup_handgeld()
        with set_company(ns.company):
            period, = self._periods(ns, MONTH)
            payment = period.payment
            Payment.write([payment], {'state': 'approved'})
            # Processed on the Friday after the middle of the month
            today = MONTH.replace(day=15)
            while today.weekday() != 4:
                today += dt.timedelta(days=1)

            def group():
                group = Group(
                    company=ns.company, journal=payment.journal,
                    kind='payable')
                group.save()
                return group
            with patch.object(Date, 'today', return_value=today):
                Payment.process([payment], group)
            payment = Payment(payment.id)
            self.assertEqual(payment.state, 'processing')
            self.assertEqual(payment.date, today)

    @with_transaction()
    def test_treasurer_access(self):
        "The treasurer reaches the transfers, the entries and the SEPA files"
        pool = Pool()
        ModelAccess = pool.get('ir.model.access')
        ModelData = pool.get('ir.model.data')
        Menu = pool.get('ir.ui.menu')
        ns = setup_handgeld()
        with set_company(ns.company):
            treasurer = self._user(
                ns, 'kees', create_employee(ns.company, name="Kees"),
                ['buurtwerkkamer.group_treasurer'])
            leader = self._user(
                ns, 'henk', ns.leaders['ZUI'],
                ['buurtwerkkamer.group_team_leader'])
        expected = {
            'account.payment': 'rwc-',
            'account.payment.group': 'rw--',
            'account.payment.journal': 'r---',
            'account.payment.sepa.message': 'rw--',
            'account.move': 'r---',
            }
        menu_ids = {ModelData.get_id('buurtwerkkamer', name)
            for name in ['menu_handgeld_payment_form',
                'menu_handgeld_payment_group_form']}
        for user, allowed in [(treasurer, True), (leader, False)]:
            set_user, set_context = self._as(user)
            with set_user, set_context, check_access():
                for model, modes in expected.items():
                    access = ''.join(
                        mode[0] if ModelAccess.check(
                            model, mode, raise_exception=False) else '-'
                        for mode in ['read', 'write', 'create', 'delete'])
                    with self.subTest(user=user.login, model=model):
                        self.assertEqual(
                            access, modes if allowed else '----')
                menus = {m.id for m in Menu.search([
                            ('id', 'in', list(menu_ids))])}
                self.assertEqual(menus == menu_ids, allowed)
