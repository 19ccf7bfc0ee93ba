# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"The bank in the books: CAMT.053 statements clear payments and invoices"
import datetime as dt
import unittest
from decimal import Decimal
from unittest.mock import patch

from lxml import etree

from trytond.modules.company.tests.test_module import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction, check_access

from trytond_buurtwerkkamer.bank import write_camt053

from test_handgeld import MONTH, setup_handgeld

COMPANY_IBAN = 'NL39RABO0300065264'


def setup_bank(ns):
    "Add the bank account of the company, its journals and a clearing account"
    pool = Pool()
    Account = pool.get('account.account')
    Journal = pool.get('account.journal')
    StatementJournal = pool.get('account.statement.journal')
    BankAccount = pool.get('bank.account')
    Configuration = pool.get('buurtwerkkamer.configuration')

    company = ns.company
    ns.bank, = Account.search([
            ('code', '=', '1.1.1'),
            ('company', '=', company.id),
            ])
    ns.clearing = Account(
        name="Kruisposten bank", code='1.9', type=ns.bank.type,
        reconcile=True)
    ns.clearing.save()
    clearing_journal = Journal(
        name="Kruisposten", code='KRP', type='general')
    clearing_journal.save()
    payment_journal = Configuration(1).handgeld_payment_journal
    payment_journal.clearing_account = ns.clearing
    payment_journal.clearing_journal = clearing_journal
    payment_journal.save()

    bank_account = BankAccount(owners=[company.party], numbers=[{
                'type': 'iban',
                'number': COMPANY_IBAN,
                }])
    bank_account.save()
    journal = Journal(name="Bank", code='BNK', type='statement')
    journal.save()
    ns.statement_journal = StatementJournal(
        name="Bank", journal=journal, account=ns.bank,
        bank_account=bank_account, company=company,
        currency=company.currency, validation='balance')
    ns.statement_journal.save()
    return ns


def run_tasks():
    "Run the tasks queued in the transaction, as the worker would"
    pool = Pool()
    Queue = pool.get('ir.queue')
    transaction = Transaction()
    while transaction.tasks:
        Queue(transaction.tasks.pop(0)).run()


class BankTestCase(unittest.TestCase):
    "Test the statements of the cooperative's bank account"

    @classmethod
    def setUpClass(cls):
        activate_module('buurtwerkkamer')

    def _user(self, ns, login, groups, employee=None):
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

    def _processed_payment(self, ns):
        "Return the handgeld transfer of the month, sent to the bank"
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        Payment = pool.get('account.payment')
        Group = pool.get('account.payment.group')
        Date = pool.get('ir.date')
        with patch.object(Date, 'today', return_value=MONTH):
            Period.create_periods(MONTH)
        period, = Period.search([('room', '=', ns.rooms['ZUI'].id)])
        payment = period.payment
        Payment.write([payment], {'state': 'approved'})

        def group():
            group = Group(
                company=ns.company, journal=payment.journal,
                kind='payable')
            group.save()
            return group
        with patch.object(Date, 'today', return_value=MONTH):
            Payment.process([payment], group)
        return Payment(payment.id)

    def _instalment_invoice(self, ns, amount):
        "Return the posted customer invoice of an instalment of a partner"
        pool = Pool()
        Account = pool.get('account.account')
        Party = pool.get('party.party')
        Covenant = pool.get('buurtwerkkamer.covenant')
        Agreement = pool.get('buurtwerkkamer.agreement')
        Instalment = pool.get('buurtwerkkamer.agreement.instalment')
        Configuration = pool.get('buurtwerkkamer.configuration')
        revenue, = Account.search([
                ('type.revenue', '=', True),
                ('closed', '!=', True),
                ('company', '=', ns.company.id),
                ], limit=1)
        config = Configuration(1)
        config.agreement_account = revenue
        config.save()
        funder = Party(name="Gemeente", addresses=[{}])
        funder.save()
        year = MONTH.year
        covenant = Covenant(
            name="Samen", company=ns.company,
            start_date=dt.date(year, 1, 1), end_date=dt.date(year, 12, 31),
            rooms=[ns.rooms['ZUI']],
            partners=[{
                    'party': funder.id,
                    'role': 'funder',
                    'yearly_commitment': amount,
                    }])
        covenant.save()
        Covenant.sign([covenant])
        agreement = Agreement(
            company=ns.company, covenant=covenant, room=ns.rooms['ZUI'],
            partner=funder, year=year, contribution=amount,
            deadline=dt.date(year - 1, 12, 1),
            instalments=[{'date': MONTH, 'amount': amount}])
        agreement.save()
        invoice, = Instalment.create_invoices(list(agreement.instalments))
        return invoice

    def _camt(self, ns, payment, invoice, opening=Decimal(0)):
        "Return the CAMT.053 of the bank with the transfer and the payment"
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        return write_camt053('MSG-1', COMPANY_IBAN, [{
                    'id': 'STMT-1',
                    'date': today,
                    'opening': opening,
                    'entries': [{
                            'date': payment.date,
                            'amount': -payment.amount,
                            'end_to_end_id': payment.sepa_end_to_end_id,
                            'name': payment.party.rec_name,
                            'iban': 'NL91ABNA0417164300',
                            'remittance': payment.reference,
                            }, {
                            'date': today,
                            'amount': invoice.total_amount,
                            'name': invoice.party.rec_name,
                            'remittance': '%s Factuur %s' % (
                                invoice.customer_payment_reference,
                                invoice.number),
                            }],
                    }], created=dt.datetime.combine(today, dt.time(6)))

    @with_transaction()
    def test_camt053_writer(self):
        "The statement file carries the balances and the references"
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        data = write_camt053('MSG-1', COMPANY_IBAN, [{
                    'id': 'STMT-1', 'date': today, 'opening': Decimal('100'),
                    'entries': [{
                            'date': today, 'amount': Decimal('-30.50'),
                            'end_to_end_id': '42', 'remittance': "Handgeld",
                            }],
                    }])
        tree = etree.fromstring(data)
        ns = {'c': 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.02'}
        self.assertEqual(tree.xpath(
                '//c:Stmt/c:Acct/c:Id/c:IBAN/text()', namespaces=ns),
            [COMPANY_IBAN])
        self.assertEqual(tree.xpath(
                '//c:Bal[c:Tp/c:CdOrPrtry/c:Cd="CLBD"]/c:Amt/text()',
                namespaces=ns), ['69.50'])
        self.assertEqual(tree.xpath(
                '//c:Ntry/c:CdtDbtInd/text()', namespaces=ns), ['DBIT'])
        self.assertEqual(tree.xpath(
                '//c:TxDtls/c:Refs/c:EndToEndId/text()', namespaces=ns),
            ['42'])

    @with_transaction()
    def test_statement_clears_payment_and_invoice(self):
        "The treasurer imports the statement: the transfer and invoice clear"
        pool = Pool()
        Statement = pool.get('account.statement')
        Import = pool.get('account.statement.import', type='wizard')
        Payment = pool.get('account.payment')
        Invoice = pool.get('account.invoice')
        MoveLine = pool.get('account.move.line')
        Period = pool.get('buurtwerkkamer.handgeld.period')
        ns = setup_handgeld()
        with set_company(ns.company):
            setup_bank(ns)
            payment = self._processed_payment(ns)
            self.assertEqual(payment.state, 'processing')
            invoice = self._instalment_invoice(ns, Decimal('1000.00'))
            self.assertEqual(invoice.state, 'posted')
            data = self._camt(ns, payment, invoice)
            treasurer = self._user(
                ns, 'kees', ['buurtwerkkamer.group_treasurer'])

        set_user, set_context = self._as(treasurer)
        with set_user, set_context, check_access():
            session_id, _, _ = Import.create()
            Import.execute(session_id, {
                    'start': {
                        'company': ns.company.id,
                        'file_': data,
                        'file_format': 'camt_053_001',
                        },
                    }, 'import_')
            statement, = Statement.search([])
            Statement.apply_rules([statement])
            statement = Statement(statement.id)
            self.assertEqual(len(statement.lines), 2)
            self.assertEqual(
                {l.related_to for l in statement.lines}, {payment, invoice})
            Statement.validate_statement([statement])

        with set_company(ns.company):
            statement = Statement(statement.id)
            self.assertEqual(statement.state, 'validated')
            # The bookkeeper posts the statement
            Statement.post([statement])
            run_tasks()

            payment = Payment(payment.id)
            self.assertEqual(payment.state, 'succeeded')
            self.assertTrue(payment.clearing_reconciled)
            self.assertEqual(payment.clearing_move.state, 'posted')
            self.assertTrue(payment.line.reconciliation)
            period, = Period.search([('payment', '=', payment.id)])
            self.assertEqual(period.payment_state, 'succeeded')
            self.assertEqual(Invoice(invoice.id).state, 'paid')

            lines = MoveLine.search([
                    ('account', '=', ns.bank.id),
                    ('move.state', '=', 'posted'),
                    ])
            self.assertEqual(
                sum(l.debit - l.credit for l in lines),
                Decimal('1000.00') - payment.amount)
            self.assertEqual(
                sum(l.debit - l.credit for l in lines),
                Statement(statement.id).end_balance)
            clearing = MoveLine.search([('account', '=', ns.clearing.id)])
            self.assertEqual(sum(l.debit - l.credit for l in clearing), 0)
            self.assertTrue(all(l.reconciliation for l in clearing))

    @with_transaction()
    def test_statement_unknown_end_to_end(self):
        "A transfer the bank reports with another EndToEndId is not matched"
        pool = Pool()
        Statement = pool.get('account.statement')
        Import = pool.get('account.statement.import', type='wizard')
        ns = setup_handgeld()
        with set_company(ns.company):
            setup_bank(ns)
            payment = self._processed_payment(ns)
            invoice = self._instalment_invoice(ns, Decimal('500.00'))
            data = self._camt(ns, payment, invoice).replace(
                b'<EndToEndId>%s<' % payment.sepa_end_to_end_id.encode(),
                b'<EndToEndId>999999<')
            session_id, _, _ = Import.create()
            Import.execute(session_id, {
                    'start': {
                        'company': ns.company.id,
                        'file_': data,
                        'file_format': 'camt_053_001',
                        },
                    }, 'import_')
            statement, = Statement.search([])
            Statement.apply_rules([statement])
            statement = Statement(statement.id)
            self.assertEqual(
                [l.related_to for l in statement.lines], [invoice])

    @with_transaction()
    def test_statement_access(self):
        "The treasurer imports statements, the accountant reads them"
        pool = Pool()
        ModelAccess = pool.get('ir.model.access')
        ModelData = pool.get('ir.model.data')
        Menu = pool.get('ir.ui.menu')
        ns = setup_handgeld()
        with set_company(ns.company):
            users = {
                'treasurer': self._user(
                    ns, 'kees', ['buurtwerkkamer.group_treasurer']),
                'accountant': self._user(
                    ns, 'eva', ['buurtwerkkamer.group_accountant']),
                'team_leader': self._user(
                    ns, 'henk', ['buurtwerkkamer.group_team_leader'],
                    ns.leaders['ZUI']),
                }
        expected = {
            'treasurer': ('rwcd', True),
            'accountant': ('r---', False),
            'team_leader': ('----', False),
            }
        import_menu = ModelData.get_id(
            'buurtwerkkamer', 'menu_bank_statement_import')
        statement_menu = ModelData.get_id(
            'buurtwerkkamer', 'menu_bank_statement_form')
        for role, user in users.items():
            modes, imports = expected[role]
            set_user, set_context = self._as(user)
            with set_user, set_context, check_access():
                access = ''.join(
                    mode[0] if ModelAccess.check(
                        'account.statement', mode,
                        raise_exception=False) else '-'
                    for mode in ['read', 'write', 'create', 'delete'])
                menus = {m.id for m in Menu.search([
                            ('id', 'in', [import_menu, statement_menu])])}
            with self.subTest(role=role):
                self.assertEqual(access, modes)
                self.assertEqual(import_menu in menus, imports)
                self.assertEqual(statement_menu in menus, modes[0] == 'r')


if __name__ == '__main__':
    unittest.main()
