# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import unittest
from decimal import Decimal
from types import SimpleNamespace

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.company.tests.test_module import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction, check_access

from test_handgeld import setup_handgeld

TYPE = 'buurtwerkkamer_handgeld_expense'


class IncomingTestCase(unittest.TestCase):
    "Test the receipts that arrive as incoming documents"

    @classmethod
    def setUpClass(cls):
        activate_module('buurtwerkkamer')

    def _setup(self):
        "Create the rooms, their open months of today and two team leaders"
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        User = pool.get('res.user')
        Group = pool.get('res.group')
        ModelData = pool.get('ir.model.data')
        Date = pool.get('ir.date')
        ns = setup_handgeld()
        with set_company(ns.company):
            Period.create_periods(Date.today())
            ns.periods = {
                code: Period.search([
                        ('room', '=', room.id),
                        ('date', '=', Date.today().replace(day=1)),
                        ])[0]
                for code, room in ns.rooms.items()}
            group = Group(ModelData.get_id(
                    'buurtwerkkamer', 'group_team_leader'))
            ns.users = {}
            for code, login in [('ZUI', 'henk'), ('OVV', 'mieke')]:
                leader = ns.leaders[code]
                user = User(
                    login=login, name=leader.party.name, groups=[group],
                    companies=[ns.company], company=ns.company,
                    employees=[leader], employee=leader)
                user.save()
                ns.users[code] = user
        return ns

    def as_user(self, user):
        "Run as the user with his preferences and the access checked"
        User = Pool().get('res.user')
        transaction = Transaction()
        with transaction.set_user(user.id):
            context = User.get_preferences(context_only=True)
        return _Stack(
            transaction.set_user(user.id),
            transaction.set_context(context),
            check_access())

    def _upload(self, ns, code='ZUI', data=b'%PDF bon van de markt'):
        "Upload and process a receipt as the team leader of the room"
        pool = Pool()
        Document = pool.get('document.incoming')
        with self.as_user(ns.users[code]):
            document, = Document.create([{
                        'name': 'bon-markt.pdf',
                        'data': data,
                        'type': TYPE,
                        'company': ns.company.id,
                        }])
            Document.process([document])
            # The queue runs the processing after the commit
            Document.proceed([document])
            return Document(document.id)

    @with_transaction()
    def test_upload_creates_draft_expense(self):
        "An uploaded receipt becomes a draft expense of the room's open month"
        pool = Pool()
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        ns = self._setup()
        document = self._upload(ns)

        self.assertEqual(document.state, 'done')
        expense = document.result
        self.assertEqual(expense.__name__, 'buurtwerkkamer.handgeld.expense')
        expense = Expense(expense.id)
        self.assertEqual(expense.period, ns.periods['ZUI'])
        self.assertEqual(expense.document, document)
        self.assertEqual(expense.receipt, b'%PDF bon van de markt')
        self.assertEqual(expense.receipt_name, 'bon-markt.pdf')
        self.assertTrue(expense.receipt_digest)
        self.assertEqual(expense.amount, Decimal(0))
        self.assertIsNone(expense.category)
        self.assertTrue(expense.incomplete)
        self.assertEqual(ns.periods['ZUI'].spent, Decimal(0))

        # The team leader completes it
        with self.as_user(ns.users['ZUI']):
            Expense.write([Expense(expense.id)], {
                    'amount': Decimal('12.50'),
                    'category': ns.categories['A'].id,
                    'description': "Fruit voor de koffieochtend",
                    })
            expense = Expense(expense.id)
            self.assertFalse(expense.incomplete)
            self.assertEqual(expense.period.spent, Decimal('12.50'))

        # Only an expense from a document goes without category or amount
        # (the refused records are left in the transaction of the test)
        with self.assertRaises(ValidationError) as cm:
            Expense.create([{
                        'period': ns.periods['ZUI'].id,
                        'date': expense.date,
                        'description': "Zonder categorie",
                        'amount': Decimal('3.00'),
                        }])
        self.assertIn('Category', cm.exception.message)
        with self.assertRaises(ValidationError) as cm:
            Expense.create([{
                        'period': ns.periods['ZUI'].id,
                        'date': expense.date,
                        'category': ns.categories['A'].id,
                        'description': "Zonder bedrag",
                        'amount': Decimal(0),
                        }])
        self.assertIn('Zonder bedrag', cm.exception.message)

    @with_transaction()
    def test_other_team_leader_cannot_see(self):
        "A team leader sees only his own incoming documents and expenses"
        pool = Pool()
        Document = pool.get('document.incoming')
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        User = pool.get('res.user')
        Group = pool.get('res.group')
        ModelData = pool.get('ir.model.data')
        ns = self._setup()
        document = self._upload(ns, 'ZUI')
        own = self._upload(ns, 'OVV', data=b'%PDF bon van de bakker')

        with self.as_user(ns.users['OVV']):
            self.assertEqual(Document.search([]), [own])
            self.assertEqual(
                [e.id for e in Expense.search([])], [own.result.id])
            with self.assertRaises(Exception):
                Document.read([document.id], ['name'])

        treasurer = User(
            login='penning', name="Penningmeester",
            groups=[Group(ModelData.get_id(
                        'buurtwerkkamer', 'group_treasurer'))],
            companies=[ns.company], company=ns.company)
        treasurer.save()
        with self.as_user(treasurer):
            self.assertEqual(
                sorted(d.id for d in Document.search([])),
                sorted([document.id, own.id]))

    @with_transaction()
    def test_incomplete_expense_blocks_submit(self):
        "A month with an incomplete expense from a receipt is not submitted"
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        Lang = pool.get('ir.lang')
        ns = self._setup()
        document = self._upload(ns)
        period = ns.periods['ZUI']
        dutch, = Lang.search([('code', '=', 'nl')])
        Lang.load_translations([dutch])

        with Transaction().set_context(language='nl'):
            with self.assertRaises(ValidationError) as cm:
                Period.submit([period])
        self.assertIn('niet compleet', cm.exception.message)
        self.assertIn('bon-markt.pdf', cm.exception.message)
        self.assertEqual(Period(period.id).state, 'open')

        Expense.write([Expense(document.result.id)], {
                'amount': Decimal('4.20'),
                'category': ns.categories['A'].id,
                })
        Period.submit([period])
        self.assertEqual(Period(period.id).state, 'submitted')

    @with_transaction()
    def test_email_to_room_address(self):
        "A receipt mailed to the room's address becomes its draft expense"
        pool = Pool()
        Document = pool.get('document.incoming')
        ContactMechanism = pool.get('party.contact_mechanism')
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        ns = self._setup()
        ContactMechanism.create([{
                    'party': ns.rooms['ZUI'].party.id,
                    'type': 'email',
                    'value': 'zuilen@buurtwerkkamer.example',
                    }])
        email = SimpleNamespace(as_dict=lambda: {
                'from': 'henk@example.com',
                'to': ['Zuilen@Buurtwerkkamer.example'],
                'subject': "Bon",
                'text': "Zie bijlage",
                'attachments': [{
                        'filename': 'bon-bakker.jpg',
                        'data': b'JPEG bon van de bakker',
                        }],
                })
        rule = SimpleNamespace(
            document_incoming_company=ns.company,
            document_incoming_type=TYPE)
        with set_company(ns.company):
            document = Document.from_inbound_email(email, rule)
            child, = document.children
            self.assertEqual(child.handgeld_room, ns.rooms['ZUI'])
            Document.process([child])
            Document.proceed([child])
        expense = Expense(Document(child.id).result.id)
        self.assertEqual(expense.period, ns.periods['ZUI'])
        self.assertEqual(expense.receipt, b'JPEG bon van de bakker')
        self.assertTrue(expense.incomplete)

        # The team leader of the room sees it, the other one does not
        with self.as_user(ns.users['ZUI']):
            self.assertEqual(Document.search([]), [child])
            self.assertEqual(
                [e.id for e in Expense.search([])], [expense.id])
            # Only the server sets the room
            with self.assertRaises(AccessError):
                Document.write([Document(child.id)], {
                        'handgeld_room': ns.rooms['OVV'].id,
                        })
        with self.as_user(ns.users['OVV']):
            self.assertEqual(Document.search([]), [])
            self.assertEqual(Expense.search([]), [])

    @with_transaction()
    def test_uploader_cannot_choose_room(self):
        "A team leader cannot upload a receipt for another room"
        pool = Pool()
        Document = pool.get('document.incoming')
        ns = self._setup()
        with self.as_user(ns.users['ZUI']):
            with self.assertRaises(AccessError):
                Document.create([{
                            'name': 'bon.pdf',
                            'data': b'bon',
                            'type': TYPE,
                            'handgeld_room': ns.rooms['OVV'].id,
                            }])

    @with_transaction()
    def test_uploader_without_room(self):
        "A receipt of a user who leads no room stays unprocessed"
        pool = Pool()
        Document = pool.get('document.incoming')
        ns = self._setup()
        with set_company(ns.company):
            document = Document(name='bon.jpg', data=b'bon', type=TYPE)
            document.save()
            Document.process([document])
            with self.assertRaises(UserError):
                Document.proceed([document])


class _Stack:
    "Enter the context managers in turn"

    def __init__(self, *managers):
        self.managers = managers

    def __enter__(self):
        for manager in self.managers:
            manager.__enter__()

    def __exit__(self, *exc):
        for manager in reversed(self.managers):
            manager.__exit__(*exc)
