# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
import itertools
import unittest
from decimal import Decimal
from types import SimpleNamespace
from unittest.mock import patch

from trytond import backend
from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.account.tests.test_module import (
    create_chart, get_fiscalyear)
from trytond.modules.account_invoice.tests.test_module import (
    set_invoice_sequences)
from trytond.modules.company.tests.test_module import (
    create_company, create_employee, set_company)
from trytond.modules.currency.tests import create_currency
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder, PYSONEncoder
from trytond.tests.test_tryton import (
    USER, activate_module, with_transaction)
from trytond.transaction import (
    Transaction, TransactionError, check_access)

MONTH = dt.date(dt.date.today().year, 3, 1)
RECEIPTS = itertools.count()


def setup_handgeld():
    "Create a company with its chart, the handgeld configuration and rooms"
    pool = Pool()
    Account = pool.get('account.account')
    Journal = pool.get('account.journal')
    PaymentJournal = pool.get('account.payment.journal')
    FiscalYear = pool.get('account.fiscalyear')
    Configuration = pool.get('buurtwerkkamer.configuration')
    Category = pool.get('buurtwerkkamer.handgeld.category')
    Room = pool.get('buurtwerkkamer.room')
    BankAccount = pool.get('bank.account')

    currency = create_currency('EUR')
    company = create_company(currency=currency)
    ns = SimpleNamespace(company=company)
    with set_company(company):
        create_chart(company)
        fiscalyear = set_invoice_sequences(get_fiscalyear(
                company, today=MONTH))
        fiscalyear.save()
        FiscalYear.create_period([fiscalyear])
        cash, = Account.search([
                ('code', '=', '1.1.1'),
                ('company', '=', company.id),
                ])
        expense, = Account.search([
                ('type.expense', '=', True),
                ('company', '=', company.id),
                ], limit=1)
        payable, = Account.search([
                ('type.payable', '=', True),
                ('party_required', '=', True),
                ('company', '=', company.id),
                ], limit=1)
        ns.handgeld_account = Account(
            name="Handgeld bij teamleiders", code='1.1.9', type=cash.type,
            party_required=True)
        ns.handgeld_account.save()
        ns.expense_account = expense
        ns.payable_account = payable
        journal = Journal(
            name="Handgeld %s" % company.id, code='HGD', type='general')
        journal.save()
        payment_journal = PaymentJournal(
            name="Handgeld", currency=currency, company=company,
            process_method='manual')
        payment_journal.save()

        config = Configuration(1)
        config.handgeld_journal = journal
        config.handgeld_account = ns.handgeld_account
        config.handgeld_payable_account = payable
        config.handgeld_payment_journal = payment_journal
        config.handgeld_return_account = cash
        config.handgeld_difference_account = expense
        config.save()
        ns.cash_account = cash
        categories = Category.search([])
        for category in categories:
            category.account = expense
        Category.save(categories)
        ns.categories = {c.code: c for c in Category.search([])}

        ns.rooms, ns.leaders = {}, {}
        for code, name, iban in [
                ('ZUI', "Henk de Vries", 'NL91ABNA0417164300'),
                ('OVV', "Mieke Jansen", 'NL02ABNA0123456789'),
                ]:
            leader = create_employee(company, name=name)
            account = BankAccount(owners=[leader.party], numbers=[{
                        'type': 'iban',
                        'number': iban,
                        }])
            account.save()
            room, = Room.create([{
                        'name': "Buurtwerkkamer %s" % code,
                        'code': code,
                        'company': company.id,
                        }])
            Room.write([room], {
                    'team_leader': leader.id,
                    'business_account': account.id,
                    'start_date': MONTH.replace(month=1),
                    'state': 'operational',
                    })
            ns.rooms[code] = room
            ns.leaders[code] = leader
    return ns


class HandgeldTestCase(unittest.TestCase):
    "Test the handgeld of the rooms"

    @classmethod
    def setUpClass(cls):
        activate_module('buurtwerkkamer')

    def _period(self, ns, code='ZUI', date=MONTH):
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        Period.create_periods(date)
        period, = Period.search([
                ('room', '=', ns.rooms[code].id),
                ('date', '=', date.replace(day=1)),
                ])
        return period

    def _expense(self, period, amount, code='A', day=2, receipt=True):
        pool = Pool()
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        expense = Expense(
            period=period, date=period.date.replace(day=day),
            category=self.ns.categories[code],
            description="Bon", amount=Decimal(amount))
        if receipt:
            expense.receipt = ('bon %s' % next(RECEIPTS)).encode()
            expense.receipt_name = 'bon.jpg'
        return expense

    def _setup(self):
        self.ns = setup_handgeld()
        return self.ns

    @with_transaction()
    def test_cap_exactly_accepted_one_cent_refused(self):
        "Exactly the allowance is accepted, one cent more refused"
        pool = Pool()
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        ns = self._setup()
        with set_company(ns.company):
            period = self._period(ns)
            self.assertEqual(period.allowance, Decimal('250.00'))
            Expense.save([
                    self._expense(period, '200.00'),
                    self._expense(period, '50.00', 'B')])
            self.assertEqual(period.spent, Decimal('250.00'))
            self.assertEqual(period.remaining, Decimal('0.00'))

            with self.assertRaises(ValidationError) as cm:
                Expense.save([self._expense(period, '0.01', 'C')])
            self.assertIn("0.01 more", cm.exception.message)
            self.assertIn("Lower or remove an expense", cm.exception.message)
            self.assertEqual(
                Expense.search([('period', '=', period.id)], count=True), 2)
            self.assertEqual(period.spent, Decimal('250.00'))

    @with_transaction()
    def test_room_amount_above_cap(self):
        "A room's amount above the cap is refused"
        pool = Pool()
        Room = pool.get('buurtwerkkamer.room')
        ns = self._setup()
        with set_company(ns.company):
            room = ns.rooms['ZUI']
            Room.write([room], {'handgeld_amount': Decimal('250.00')})
            with self.assertRaises(ValidationError):
                Room.write([room], {'handgeld_amount': Decimal('250.01')})
            Room.write([room], {'handgeld_amount': Decimal('100.00')})
            period = self._period(ns)
            self.assertEqual(period.allowance, Decimal('100.00'))
            self.assertEqual(period.transfer_amount, Decimal('100.00'))

    @with_transaction()
    def test_expense_date_outside_month(self):
        "An expense dated outside its month is refused"
        pool = Pool()
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        ns = self._setup()
        with set_company(ns.company):
            period = self._period(ns)
            for date in [
                    MONTH - dt.timedelta(days=1),
                    MONTH.replace(month=4, day=1)]:
                expense = self._expense(period, '10.00')
                expense.date = date
                with self.assertRaises(ValidationError):
                    expense.save()
            expense = self._expense(period, '10.00', day=31)
            expense.save()
            self.assertEqual(period.spent, Decimal('10.00'))

    @with_transaction()
    def test_expense_zero_negative_amount(self):
        "A zero or negative expense is refused"
        ns = self._setup()
        with set_company(ns.company):
            period = self._period(ns)
            for amount in ['0', '-5.00']:
                with self.assertRaises(ValidationError):
                    self._expense(period, amount).save()
            self.assertEqual(period.spent, Decimal('0'))

    @with_transaction()
    def test_new_expense_editable(self):
        "A new expense is editable before its month is known"
        pool = Pool()
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        Period = pool.get('buurtwerkkamer.handgeld.period')
        ns = self._setup()
        with set_company(ns.company):
            values = Expense.default_get(
                ['period_state', 'currency', 'company'])
            self.assertEqual(values['period_state'], 'open')
            self.assertEqual(values['currency'], ns.company.currency.id)
            readonly = PYSONDecoder(values).decode(
                PYSONEncoder().encode(Expense.amount.states['readonly']))
            self.assertFalse(readonly)
            self.assertEqual(Expense().on_change_with_period_state(), 'open')

            period = self._period(ns)
            with patch.object(
                    pool.get('ir.date'), 'today', return_value=MONTH):
                # Two rooms have a month: none is chosen
                self.assertIsNone(Expense.default_period())
                Period.write([p for p in Period.search([])
                        if p != period], {'state': 'submitted'})
                self.assertEqual(Expense.default_period(), period.id)
            expense = self._expense(period, '10.00')
            expense.save()
            self.assertEqual(expense.period_state, 'open')
            Period.submit([period])
            self.assertEqual(expense.period_state, 'submitted')
            readonly = PYSONDecoder({'period_state': expense.period_state}
                ).decode(PYSONEncoder().encode(
                    Expense.amount.states['readonly']))
            self.assertTrue(readonly)

    @with_transaction()
    def test_period_figures_follow_lines(self):
        "The spent and left to spend of a month follow its unsaved lines"
        pool = Pool()
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        ns = self._setup()
        with set_company(ns.company):
            period = self._period(ns)
            self._expense(period, '20.00').save()
            period.expenses = list(period.expenses) + [
                Expense(amount=Decimal('12.50')), Expense(amount=None)]
            self.assertEqual(period.on_change_with_spent(), Decimal('32.50'))
            self.assertEqual(
                period.on_change_with_remaining(), Decimal('217.50'))

    @with_transaction()
    def test_submit_requires_receipts(self):
        "A month is submitted only when every expense has its receipt"
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        ns = self._setup()
        with set_company(ns.company):
            period = self._period(ns)
            with_receipt = self._expense(period, '10.00', receipt=False)
            with_receipt.receipt = b'receipt 1'
            with_receipt.receipt_name = 'bon-1.jpg'
            without = self._expense(period, '7.25', 'C', day=3, receipt=False)
            without.description = "Parkeren"
            Expense.save([with_receipt, without])
            self.assertEqual(with_receipt.receipt_name, 'bon-1.jpg')
            self.assertTrue(with_receipt.receipt_id)

            with self.assertRaises(ValidationError) as cm:
                Period.submit([period])
            self.assertIn('C - Parkeren (', cm.exception.message)
            self.assertNotIn('A - Bon', cm.exception.message)
            self.assertEqual(period.state, 'open')

            # The loss is declared only with its reason
            with self.assertRaises(ValidationError):
                Expense.write([without], {'receipt_lost': True})
            Expense.write([without], {
                    'receipt_lost': True,
                    'receipt_lost_reason': "Kaartje in de was",
                    })
            Period.submit([period])
            self.assertEqual(period.state, 'submitted')

    @with_transaction()
    def test_duplicate_expense_warning(self):
        "An expense like another or with the same receipt file is warned"
        pool = Pool()
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        Warning = pool.get('res.user.warning')
        ns = self._setup()
        with set_company(ns.company):
            period = self._period(ns)
            first = self._expense(period, '10.00', receipt=False)
            first.receipt = b'receipt'
            first.save()
            # Another room with the same date and amount is no duplicate
            self._expense(self._period(ns, 'OVV'), '10.00').save()

            with self.assertRaises(UserWarning) as cm:
                self._expense(period, '10.00', 'B').save()
            self.assertIn("looks like a duplicate", cm.exception.message)
            self.assertEqual(period.spent, Decimal('10.00'))
            Warning(user=Transaction().user, name=cm.exception.name).save()
            self._expense(period, '10.00', 'B').save()
            self.assertEqual(period.spent, Decimal('20.00'))

            other = self._expense(period, '5.00', day=4, receipt=False)
            other.receipt = b'receipt'
            with self.assertRaises(UserWarning) as cm:
                other.save()
            self.assertIn("same file", cm.exception.message)

    @with_transaction()
    def test_expense_on_posted_period(self):
        "No expense can be added, changed or deleted on a posted month"
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        ns = self._setup()
        with set_company(ns.company):
            period = self._period(ns)
            expense = self._expense(period, '12.50')
            expense.save()
            Period.submit([period])
            Period.approve([period])
            Period.post([period])
            self.assertEqual(period.state, 'posted')
            self.assertEqual(period.expense_move.state, 'posted')

            with self.assertRaises(AccessError):
                self._expense(period, '1.00').save()
            with self.assertRaises(AccessError):
                Expense.write([expense], {'amount': Decimal('1.00')})
            with self.assertRaises(AccessError):
                Expense.delete([expense])
            self.assertEqual(expense.amount, Decimal('12.50'))

            Period.correct([period])
            self.assertEqual(period.state, 'open')
            self.assertEqual(len(period.moves), 3)
            # Both rooms received 250.00, the reversed expense is back on hand
            self.assertEqual(ns.handgeld_account.balance, Decimal('500.00'))
            self.assertEqual(ns.expense_account.balance, Decimal('0.00'))

    @with_transaction()
    def test_cron_twice(self):
        "Running the monthly task twice changes nothing"
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        Move = pool.get('account.move')
        Payment = pool.get('account.payment')
        ns = self._setup()
        with set_company(ns.company):
            Period.create_periods(MONTH)
            Period.create_periods(MONTH)
            company = [('company', '=', ns.company.id)]
            periods = Period.search(company)
            self.assertEqual(
                sorted(p.room.code for p in periods), ['OVV', 'ZUI'])
            self.assertEqual(Move.search(company, count=True), 2)
            self.assertEqual(Payment.search(company, count=True), 2)
            self.assertEqual(ns.handgeld_account.balance, Decimal('500.00'))

    @with_transaction()
    def test_missed_month(self):
        "A missed month is caught up and topped up to the amount"
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        Room = pool.get('buurtwerkkamer.room')
        ns = self._setup()
        with set_company(ns.company):
            Room.write([ns.rooms['OVV']], {'handgeld_rule': 'fixed'})
            period = self._period(ns)
            Expense.save([self._expense(period, '30.00')])
            may = MONTH.replace(month=5)
            Period.create_periods(may)
            periods = Period.search([
                    ('room', '=', ns.rooms['ZUI'].id),
                    ], order=[('date', 'ASC')])
            self.assertEqual(
                [p.date.month for p in periods], [3, 4, 5])
            self.assertEqual(
                [p.transfer_amount for p in periods],
                [Decimal('250.00'), Decimal('30.00'), Decimal('0')])
            self.assertEqual(
                [bool(p.payment) for p in periods], [True, True, False])
            self.assertEqual(periods[-1].opening_balance, Decimal('250.00'))

            # The fixed rule sends the allowance only as far as the cash on
            # hand stays within the cap
            fixed = Period.search([
                    ('room', '=', ns.rooms['OVV'].id),
                    ], order=[('date', 'ASC')])
            self.assertEqual(
                [p.transfer_amount for p in fixed],
                [Decimal('250.00'), Decimal('0'), Decimal('0')])
            self.assertEqual(
                [p.balance for p in fixed], [Decimal('250.00')] * 3)

    @with_transaction()
    def test_room_business_account_not_team_leader_reported(self):
        "A room whose business account is not the team leader's is reported"
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        Room = pool.get('buurtwerkkamer.room')
        Notification = pool.get('res.notification')
        User = pool.get('res.user')
        ns = self._setup()
        with set_company(ns.company):
            BankAccount = pool.get('bank.account')
            account = ns.rooms['OVV'].business_account
            BankAccount.write([account], {
                    'owners': [('remove', [ns.leaders['OVV'].party.id]),
                        ('add', [ns.rooms['OVV'].party.id])],
                    })
            problems = Period.create_periods(MONTH)
            self.assertEqual(problems, [ns.rooms['OVV']])
            self.assertEqual(
                [p.room.code for p in Period.search([
                            ('company', '=', ns.company.id),
                            ])], ['ZUI'])
            notification, = Notification.search([
                    ('user', '=', User(USER).id),
                    ])
            self.assertIn("OVV", notification.description)
            self.assertIn("Mieke Jansen", notification.description)

    @with_transaction()
    def test_missing_setting_reported_once(self):
        """A setting missing for the company is reported once, not per room,
        with the problems of each room"""
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        Configuration = pool.get('buurtwerkkamer.configuration')
        Notification = pool.get('res.notification')
        User = pool.get('res.user')
        ns = self._setup()
        with set_company(ns.company):
            BankAccount = pool.get('bank.account')
            BankAccount.write([ns.rooms['OVV'].business_account], {
                    'owners': [('remove', [ns.leaders['OVV'].party.id])],
                    })
            config = Configuration(1)
            config.handgeld_payment_journal = None
            config.save()
            problems = Period.create_periods(MONTH)
            self.assertEqual(len(problems), 2)
            notification, = Notification.search([
                    ('user', '=', User(USER).id),
                    ])
            self.assertEqual(
                notification.description.count(ns.company.rec_name), 1)
            self.assertIn("OVV", notification.description)

    @with_transaction()
    def test_team_leader_other_room(self):
        "A team leader cannot see or change another room's handgeld"
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        User = pool.get('res.user')
        Group = pool.get('res.group')
        ModelData = pool.get('ir.model.data')
        ns = self._setup()
        with set_company(ns.company):
            own = self._period(ns, 'ZUI')
            other = self._period(ns, 'OVV')
            other_expense = self._expense(other, '5.00')
            other_expense.save()
            user = User(
                login='henk', name="Henk",
                groups=[Group(ModelData.get_id(
                            'buurtwerkkamer', 'group_team_leader'))],
                companies=[ns.company], company=ns.company,
                employees=[ns.leaders['ZUI']], employee=ns.leaders['ZUI'])
            user.save()

        with Transaction().set_user(user.id), \
                Transaction().set_context(
                    User.get_preferences(context_only=True)), \
                check_access():
            self.assertEqual(Period.search([]), [own])
            self.assertEqual(Expense.search([]), [])
            with self.assertRaises(AccessError):
                Period.read([other.id], ['spent'])
            with self.assertRaises(AccessError):
                Expense.write(
                    [Expense(other_expense.id)], {'amount': Decimal('1')})
            with self.assertRaises(AccessError):
                Expense.create([{
                            'period': other.id,
                            'date': MONTH.replace(day=3),
                            'category': ns.categories['A'].id,
                            'description': "Niet van mij",
                            'amount': Decimal('1.00'),
                            }])
            expense = self._expense(Period(own.id), '7.25')
            expense.save()
            self.assertEqual(Period(own.id).spent, Decimal('7.25'))
            with self.assertRaises(AccessError):
                Period.write([Period(own.id)], {
                        'allowance': Decimal('1000')})

    @unittest.skipIf(
        backend.name != 'postgresql',
        "The concurrent save needs the row locks of PostgreSQL; "
        "run with TRYTOND_DATABASE_URI=postgresql://...")
    @with_transaction()
    def test_concurrent_expenses(self):
        "Two users saving at the same moment cannot exceed the allowance"
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        Room = pool.get('buurtwerkkamer.room')
        transaction = Transaction()
        ns = self._setup()
        with set_company(ns.company):
            period = self._period(ns)
            period_id = period.id
            category_id = ns.categories['A'].id
        context = {'company': ns.company.id}
        transaction.commit()

        def save_expense(extras, day=2):
            Expense = pool.get('buurtwerkkamer.handgeld.expense')
            # Another day: the same day and amount would be warned of
            Expense.create([{
                        'period': period_id,
                        'date': MONTH.replace(day=day),
                        'category': category_id,
                        'description': "Tegelijk",
                        'amount': Decimal('150.00'),
                        }])

        results = []
        try:
            extras1 = {}
            while True:
                with transaction.new_transaction(**extras1) as first, \
                        first.set_context(context):
                    try:
                        save_expense(extras1)
                    except TransactionError as e:
                        first.rollback()
                        e.fix(extras1)
                        continue
                    # While the first holds the month, the second must wait
                    extras2 = {}
                    while True:
                        try:
                            with transaction.new_transaction(
                                    **extras2) as second, \
                                    second.set_context(context):
                                save_expense(extras2, day=3)
                                second.commit()
                        except TransactionError as e:
                            e.fix(extras2)
                            continue
                        except backend.DatabaseOperationalError:
                            results.append('locked')
                        else:
                            results.append('saved')
                        break
                    first.commit()
                    results.append('saved')
                    break
            # Once the first committed, the second is refused
            extras2 = {}
            while True:
                try:
                    with transaction.new_transaction(**extras2) as second, \
                            second.set_context(context):
                        save_expense(extras2, day=3)
                        second.commit()
                except TransactionError as e:
                    e.fix(extras2)
                    continue
                except ValidationError:
                    results.append('refused')
                else:
                    results.append('saved')
                break

            self.assertEqual(results, ['locked', 'saved', 'refused'])
            with transaction.new_transaction():
                period = Period(period_id)
                self.assertEqual(period.spent, Decimal('150.00'))
                self.assertEqual(len(period.expenses), 1)
        finally:
            # Free the IBANs and the operational rooms for the other tests
            with transaction.new_transaction() as cleanup:
                BankAccount = pool.get('bank.account')
                rooms = Room.browse([r.id for r in ns.rooms.values()])
                accounts = [r.business_account for r in rooms]
                Room.write(list(rooms), {
                        'state': 'closed',
                        'business_account': None,
                        })
                BankAccount.delete(accounts)
                cleanup.commit()

    @with_transaction()
    def test_expense_unknown_category(self):
        "An expense of a category that does not exist is refused"
        pool = Pool()
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        ns = self._setup()
        with set_company(ns.company):
            period = self._period(ns)
            with self.assertRaisesRegex(
                    ValidationError, 'does not exist|bestaat niet'):
                Expense.create([{
                            'period': period.id,
                            'date': period.date.replace(day=2),
                            'category': 999999,
                            'description': "Bon",
                            'amount': Decimal('5.00'),
                            }])
            self.assertEqual(Expense.search([
                        ('period', '=', period.id),
                        ], count=True), 0)

    def _hand_entry(self, ns, code, amount, date=MONTH, room=True):
        """Book by hand a shortage (negative amount) or a surplus of the
        team leader of the room on the handgeld account"""
        pool = Pool()
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        AccountPeriod = pool.get('account.period')
        Configuration = pool.get('buurtwerkkamer.configuration')
        amount = Decimal(amount)
        debit, credit = (
            (amount, Decimal(0)) if amount > 0 else (Decimal(0), -amount))
        move = Move(
            journal=Configuration(1).handgeld_journal,
            period=AccountPeriod.find(ns.company, date=date),
            date=date,
            lines=[
                Line(account=ns.handgeld_account,
                    party=ns.leaders[code].party,
                    room=ns.rooms[code] if room else None,
                    debit=debit, credit=credit),
                Line(account=ns.expense_account,
                    debit=credit, credit=debit),
                ])
        move.save()
        Move.post([move])
        return move

    def _settle(self, room, methods=None, date=None):
        "Run the settlement wizard of the room with the methods by holder"
        pool = Pool()
        Settle = pool.get('buurtwerkkamer.handgeld.settle', type='wizard')
        SettleStart = pool.get('buurtwerkkamer.handgeld.settle.start')
        session_id, _, _ = Settle.create()
        with Transaction().set_context(
                active_model='buurtwerkkamer.room', active_id=room.id,
                active_ids=[room.id]):
            settle = Settle(session_id)
            values = settle.default_start([])
            if date:
                values['date'] = date
            for line in values['lines']:
                line.update((methods or {}).get(line['holder'], {}))
            settle.start = SettleStart(**values)
            settle.transition_settle()
            Settle.delete(session_id)
        return values['lines']

    @with_transaction()
    def test_shortage_booked_by_hand(self):
        "A shortage booked on the handgeld account shows in the month"
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        ns = self._setup()
        with set_company(ns.company):
            period = self._period(ns)
            Expense.save([self._expense(period, '40.00')])
            period = Period(period.id)
            self.assertEqual(period.opening_balance, Decimal('0.00'))
            self.assertEqual(period.balance, Decimal('210.00'))

            self._hand_entry(ns, 'ZUI', '-10.00', MONTH.replace(day=15))
            period = Period(period.id)
            self.assertEqual(period.balance, Decimal('200.00'))
            self.assertEqual(period.other_entries, Decimal('-10.00'))
            # The other room's float is its own
            other = self._period(ns, 'OVV')
            self.assertEqual(other.balance, Decimal('250.00'))

            # The top-up of the next month makes the shortage good
            april = self._period(ns, date=MONTH.replace(month=4))
            self.assertEqual(april.opening_balance, Decimal('200.00'))
            self.assertEqual(april.transfer_amount, Decimal('50.00'))
            self.assertEqual(april.balance, Decimal('250.00'))

            # Posting the expenses changes nothing on hand
            Period.submit([period])
            Period.approve([period])
            Period.post([period])
            self.assertEqual(
                Period(april.id).balance, Decimal('250.00'))
            self.assertEqual(
                Period(period.id).balance, Decimal('200.00'))

    @with_transaction()
    def test_handgeld_line_requires_room(self):
        "A line of the handgeld account without room cannot be posted"
        ns = self._setup()
        with set_company(ns.company):
            with self.assertRaisesRegex(UserError, 'room|buurtwerkkamer'):
                self._hand_entry(ns, 'ZUI', '-10.00', room=False)

    @with_transaction()
    def test_fixed_rule_never_above_cap(self):
        "The fixed rule sends the allowance as far as the cap allows"
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        Room = pool.get('buurtwerkkamer.room')
        ns = self._setup()
        with set_company(ns.company):
            Room.write([ns.rooms['ZUI']], {
                    'handgeld_rule': 'fixed',
                    'handgeld_amount': Decimal('150.00'),
                    })
            march = self._period(ns)
            Expense.save([self._expense(march, '20.00')])
            april = self._period(ns, date=MONTH.replace(month=4))
            may = self._period(ns, date=MONTH.replace(month=5))
            self.assertEqual(
                [p.transfer_amount for p in [march, april, may]],
                [Decimal('150.00'), Decimal('120.00'), Decimal('0')])
            self.assertEqual(
                [Period(p.id).balance for p in [march, april, may]],
                [Decimal('130.00'), Decimal('250.00'), Decimal('250.00')])
            Expense.save([self._expense(may, '45.00')])
            june = self._period(ns, date=MONTH.replace(month=6))
            self.assertEqual(june.transfer_amount, Decimal('45.00'))
            self.assertEqual(Period(june.id).balance, Decimal('250.00'))

    @with_transaction()
    def test_change_of_holder_settled(self):
        """A new team leader gets his own top-up, the old one's float is to
        settle and the room closes only once it is settled"""
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        Room = pool.get('buurtwerkkamer.room')
        ns = self._setup()
        with set_company(ns.company):
            room = ns.rooms['ZUI']
            old = ns.leaders['ZUI']
            self._period(ns)
            self._hand_entry(ns, 'ZUI', '-20.00', MONTH.replace(day=20))
            new = create_employee(ns.company, name="Fatima El Amrani")
            room.business_account.owners += (new.party,)
            room.business_account.save()
            Room.write([room], {'team_leader': new.id})

            april = self._period(ns, date=MONTH.replace(month=4))
            self.assertEqual(april.team_leader, new)
            self.assertEqual(april.transfer_amount, Decimal('250.00'))
            room = Room(room.id)
            self.assertEqual(room.handgeld_on_hand, Decimal('250.00'))
            self.assertEqual(room.handgeld_to_settle, Decimal('230.00'))

            with self.assertRaisesRegex(UserError, 'Henk de Vries'):
                Room.close([room])

            # The old holder returns his float to the bank
            lines = self._settle(room, {
                    old.party.id: {'method': 'return'},
                    new.party.id: {'method': None},
                    })
            self.assertEqual(
                {l['holder']: l['amount'] for l in lines},
                {old.party.id: Decimal('230.00'),
                    new.party.id: Decimal('250.00')})
            room = Room(room.id)
            self.assertEqual(room.handgeld_to_settle, Decimal('0.00'))
            self.assertEqual(room.handgeld_on_hand, Decimal('250.00'))
            self.assertEqual(ns.cash_account.balance, Decimal('230.00'))
            with self.assertRaisesRegex(UserError, 'Fatima El Amrani'):
                Room.close([room])

            # At the close the float of the new holder is returned too
            self._settle(room)
            Room.close([room])
            self.assertEqual(Room(room.id).state, 'closed')
            self.assertEqual(ns.cash_account.balance, Decimal('480.00'))

    @with_transaction()
    def test_settle_transfer_to_new_holder(self):
        "The old holder's float can be handed over to the new holder"
        pool = Pool()
        Room = pool.get('buurtwerkkamer.room')
        Period = pool.get('buurtwerkkamer.handgeld.period')
        ns = self._setup()
        with set_company(ns.company):
            room = ns.rooms['ZUI']
            old = ns.leaders['ZUI']
            self._period(ns)
            new = create_employee(ns.company, name="Fatima El Amrani")
            room.business_account.owners += (new.party,)
            room.business_account.save()
            Room.write([room], {'team_leader': new.id})
            lines = self._settle(room, date=MONTH.replace(day=31))
            self.assertEqual(
                [(l['holder'], l['method'], l['new_holder']) for l in lines],
                [(old.party.id, 'transfer', new.party.id)])
            room = Room(room.id)
            self.assertEqual(room.handgeld_to_settle, Decimal('0.00'))
            self.assertEqual(room.handgeld_on_hand, Decimal('250.00'))
            # The new holder has the whole allowance: nothing to top up
            april = self._period(ns, date=MONTH.replace(month=4))
            self.assertEqual(april.transfer_amount, Decimal('0'))
            self.assertEqual(Period(april.id).balance, Decimal('250.00'))

    @with_transaction()
    def test_count_difference_booked(self):
        "The kascommissie books the difference of a count, then it is zero"
        pool = Pool()
        Count = pool.get('buurtwerkkamer.handgeld.count')
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        Period = pool.get('buurtwerkkamer.handgeld.period')
        ns = self._setup()
        with set_company(ns.company):
            period = self._period(ns)
            Expense.save([self._expense(period, '30.00')])
            count = Count(
                room=ns.rooms['ZUI'], holder=ns.leaders['ZUI'].party,
                date=MONTH.replace(day=28), bank_balance=Decimal('212.50'))
            count.save()
            self.assertEqual(count.ledger_balance, Decimal('250.00'))
            self.assertEqual(count.unposted, Decimal('30.00'))
            self.assertEqual(count.expected, Decimal('220.00'))
            self.assertEqual(count.difference, Decimal('-7.50'))

            Count.book([count])
            count = Count(count.id)
            self.assertEqual(count.state, 'booked')
            self.assertEqual(count.move.state, 'posted')
            self.assertEqual(count.difference, Decimal('0.00'))
            self.assertEqual(count.ledger_balance, Decimal('242.50'))
            self.assertEqual(
                Period(period.id).balance, Decimal('212.50'))
            self.assertEqual(ns.expense_account.balance, Decimal('7.50'))
