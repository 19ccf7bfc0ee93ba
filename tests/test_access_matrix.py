# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Who may do what: every role against every model and button of the module.

The expected outcome is the matrix below; ``doc/security.rst`` prints the
same matrix (regenerate it with ``python tests/test_access_matrix.py``).
"""
import os
import sys
import unittest

from trytond.exceptions import UserError
from trytond.model import ModelStorage
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

HERE = os.path.dirname(os.path.abspath(__file__))
DOC = os.path.join(os.path.dirname(HERE), 'doc', 'security.rst')

ROLES = {
    # role: (description, groups as module.xml_id)
    'admin': ("Administration", ['buurtwerkkamer.group_administration']),
    'treasurer': ("Treasurer", ['buurtwerkkamer.group_treasurer']),
    'leader': ("Team leader of room A", ['buurtwerkkamer.group_team_leader']),
    'kascommissie': ("Kascommissie", ['buurtwerkkamer.group_kascommissie']),
    'placement': ("Placement officer",
        ['buurtwerkkamer.group_placement_officer']),
    'accountant': ("Accountant", ['buurtwerkkamer.group_accountant']),
    'employee': ("Plain employee", []),
    }

# Model access: read, write, create, delete ('-' where refused).
MODELS = {
    'buurtwerkkamer.agreement': {
        'admin': 'rwcd', 'treasurer': 'r---',
        'leader': 'r---', 'kascommissie': 'r---',
        'placement': '----', 'accountant': 'r---',
        'employee': '----'},
    'buurtwerkkamer.agreement.instalment': {
        'admin': 'rwcd', 'treasurer': 'r---',
        'leader': 'r---', 'kascommissie': 'r---',
        'placement': '----', 'accountant': 'r---',
        'employee': '----'},
    'buurtwerkkamer.agreement.obligation': {
        'admin': 'rwcd', 'treasurer': 'r---',
        'leader': 'r---', 'kascommissie': 'r---',
        'placement': '----', 'accountant': 'r---',
        'employee': '----'},
    'buurtwerkkamer.annual_report': {
        'admin': 'rwcd', 'treasurer': 'rwcd',
        'leader': '----', 'kascommissie': 'r---',
        'placement': '----', 'accountant': 'r---',
        'employee': '----'},
    'buurtwerkkamer.annual_report.line': {
        'admin': 'rwcd', 'treasurer': 'rwcd',
        'leader': '----', 'kascommissie': 'r---',
        'placement': '----', 'accountant': 'r---',
        'employee': '----'},
    'buurtwerkkamer.coaching.goal': {
        'admin': 'rwcd', 'treasurer': '----',
        'leader': 'rwcd', 'kascommissie': '----',
        'placement': '----', 'accountant': '----',
        'employee': '----'},
    'buurtwerkkamer.configuration': {
        'admin': 'rwcd', 'treasurer': 'r---',
        'leader': 'r---', 'kascommissie': 'r---',
        'placement': 'r---', 'accountant': 'r---',
        'employee': 'r---'},
    'buurtwerkkamer.conflict': {
        'admin': 'rwcd', 'treasurer': '----',
        'leader': 'rwc-', 'kascommissie': '----',
        'placement': '----', 'accountant': '----',
        'employee': '----'},
    'buurtwerkkamer.covenant': {
        'admin': 'rwcd', 'treasurer': 'r---',
        'leader': 'r---', 'kascommissie': 'r---',
        'placement': '----', 'accountant': 'r---',
        'employee': '----'},
    'buurtwerkkamer.covenant.partner': {
        'admin': 'rwcd', 'treasurer': 'r---',
        'leader': 'r---', 'kascommissie': 'r---',
        'placement': '----', 'accountant': 'r---',
        'employee': '----'},
    'buurtwerkkamer.covenant.signature': {
        'admin': 'rwcd', 'treasurer': 'r---',
        'leader': 'r---', 'kascommissie': 'r---',
        'placement': '----', 'accountant': 'r---',
        'employee': '----'},
    'buurtwerkkamer.employment': {
        'admin': 'rwcd', 'treasurer': 'rwcd',
        'leader': '----', 'kascommissie': 'r---',
        'placement': '----', 'accountant': 'r---',
        'employee': '----'},
    'buurtwerkkamer.employment.allocation': {
        'admin': 'rwcd', 'treasurer': 'rwcd',
        'leader': '----', 'kascommissie': 'r---',
        'placement': '----', 'accountant': 'r---',
        'employee': '----'},
    'buurtwerkkamer.employment.cost': {
        'admin': 'rwcd', 'treasurer': 'rwcd',
        'leader': '----', 'kascommissie': 'r---',
        'placement': '----', 'accountant': 'r---',
        'employee': '----'},
    'buurtwerkkamer.evaluation': {
        'admin': 'rwcd', 'treasurer': '----',
        'leader': 'r---', 'kascommissie': 'r---',
        'placement': '----', 'accountant': '----',
        'employee': '----'},
    'buurtwerkkamer.fixed_cost': {
        'admin': 'rwcd', 'treasurer': 'rwcd',
        'leader': '----', 'kascommissie': 'r---',
        'placement': '----', 'accountant': 'r---',
        'employee': '----'},
    'buurtwerkkamer.fixed_cost.period': {
        'admin': 'rwcd', 'treasurer': 'rwcd',
        'leader': '----', 'kascommissie': 'r---',
        'placement': '----', 'accountant': 'r---',
        'employee': '----'},
    'buurtwerkkamer.funding.application': {
        'admin': 'rwcd', 'treasurer': 'r---',
        'leader': 'rw--', 'kascommissie': 'r---',
        'placement': 'r---', 'accountant': 'r---',
        'employee': '----'},
    'buurtwerkkamer.handgeld.category': {
        'admin': 'rwcd', 'treasurer': 'r---',
        'leader': 'r---', 'kascommissie': 'r---',
        'placement': 'r---', 'accountant': 'r---',
        'employee': 'r---'},
    'buurtwerkkamer.handgeld.expense': {
        'admin': 'rwcd', 'treasurer': 'rwc-',
        'leader': 'rwcd', 'kascommissie': 'r---',
        'placement': '----', 'accountant': 'r---',
        'employee': '----'},
    'buurtwerkkamer.handgeld.period': {
        'admin': 'rwcd', 'treasurer': 'rwc-',
        'leader': 'rw--', 'kascommissie': 'r---',
        'placement': '----', 'accountant': 'r---',
        'employee': '----'},
    'buurtwerkkamer.house_rule': {
        'admin': 'rwcd', 'treasurer': '----',
        'leader': 'rwcd', 'kascommissie': '----',
        'placement': 'r---', 'accountant': '----',
        'employee': '----'},
    'buurtwerkkamer.intent': {
        'admin': 'rwcd', 'treasurer': 'r---',
        'leader': 'rw--', 'kascommissie': 'r---',
        'placement': 'r---', 'accountant': 'r---',
        'employee': '----'},
    'buurtwerkkamer.learning_plan': {
        'admin': 'rwcd', 'treasurer': '----',
        'leader': 'rwc-', 'kascommissie': 'r---',
        'placement': '----', 'accountant': '----',
        'employee': '----'},
    'buurtwerkkamer.location.option': {
        'admin': 'rwcd', 'treasurer': 'r---',
        'leader': 'rw--', 'kascommissie': 'r---',
        'placement': 'r---', 'accountant': 'r---',
        'employee': '----'},
    'buurtwerkkamer.meeting': {
        'admin': 'rwcd', 'treasurer': '----',
        'leader': 'rwcd', 'kascommissie': '----',
        'placement': '----', 'accountant': '----',
        'employee': '----'},
    'buurtwerkkamer.meeting.action': {
        'admin': 'rwcd', 'treasurer': '----',
        'leader': 'rwcd', 'kascommissie': '----',
        'placement': '----', 'accountant': '----',
        'employee': '----'},
    'buurtwerkkamer.meeting.attendee': {
        'admin': 'rwcd', 'treasurer': '----',
        'leader': 'rwcd', 'kascommissie': '----',
        'placement': '----', 'accountant': '----',
        'employee': '----'},
    'buurtwerkkamer.placement': {
        'admin': 'rwcd', 'treasurer': '----',
        'leader': 'r---', 'kascommissie': '----',
        'placement': 'rwcd', 'accountant': '----',
        'employee': '----'},
    'buurtwerkkamer.placement.interview': {
        'admin': 'rwcd', 'treasurer': '----',
        'leader': '----', 'kascommissie': '----',
        'placement': 'rwcd', 'accountant': '----',
        'employee': '----'},
    'buurtwerkkamer.placement.review': {
        'admin': 'rwcd', 'treasurer': '----',
        'leader': '----', 'kascommissie': '----',
        'placement': 'rwcd', 'accountant': '----',
        'employee': '----'},
    'buurtwerkkamer.placement.signal': {
        'admin': 'rwcd', 'treasurer': '----',
        'leader': '----', 'kascommissie': '----',
        'placement': 'rwcd', 'accountant': '----',
        'employee': '----'},
    'buurtwerkkamer.room': {
        'admin': 'rwcd', 'treasurer': 'r---',
        'leader': 'rw--', 'kascommissie': 'r---',
        'placement': 'r---', 'accountant': 'r---',
        'employee': '----'},
    'buurtwerkkamer.room.member': {
        'admin': 'rwcd', 'treasurer': 'r---',
        'leader': 'rw--', 'kascommissie': 'r---',
        'placement': 'r---', 'accountant': 'r---',
        'employee': '----'},
    'buurtwerkkamer.service': {
        'admin': 'rwcd', 'treasurer': 'r---',
        'leader': 'r---', 'kascommissie': 'r---',
        'placement': 'r---', 'accountant': 'r---',
        'employee': 'r---'},
    'buurtwerkkamer.suspension': {
        'admin': 'rwcd', 'treasurer': '----',
        'leader': 'rwc-', 'kascommissie': '----',
        'placement': '----', 'accountant': '----',
        'employee': '----'},
    'buurtwerkkamer.training': {
        'admin': 'rwcd', 'treasurer': '----',
        'leader': 'rwc-', 'kascommissie': 'r---',
        'placement': '----', 'accountant': '----',
        'employee': '----'},
    }

# Records of room A and room B a role reads and writes ('A', 'B', 'AB' or
# '-'), for the models whose records belong to a room.
RECORDS = {
    'buurtwerkkamer.room': {
        'admin': ('AB', 'AB'), 'treasurer': ('AB', '-'),
        'leader': ('A', 'A'), 'kascommissie': ('AB', '-'),
        'placement': ('AB', '-'), 'accountant': ('AB', '-'),
        'employee': ('-', '-')},
    'buurtwerkkamer.intent': {
        'admin': ('AB', 'AB'), 'treasurer': ('AB', '-'),
        'leader': ('A', 'A'), 'kascommissie': ('AB', '-'),
        'placement': ('AB', '-'), 'accountant': ('AB', '-'),
        'employee': ('-', '-')},
    'buurtwerkkamer.covenant': {
        'admin': ('AB', 'AB'), 'treasurer': ('AB', '-'),
        'leader': ('A', '-'), 'kascommissie': ('AB', '-'),
        'placement': ('-', '-'), 'accountant': ('AB', '-'),
        'employee': ('-', '-')},
    }

# The roles that may click each button.
BUTTONS = {
    'buurtwerkkamer.agreement': {
        'cancel': {'admin'},
        'draft': {'admin'},
        'evaluate': {'admin'},
        'invoice': {'admin', 'treasurer'},
        'reopen': {'admin'},
        'sign': {'admin'},
        },
    'buurtwerkkamer.annual_report': {
        'approve': {'accountant'},
        'check': {'kascommissie'},
        'compute': {'admin', 'treasurer'},
        'draft': {'admin', 'treasurer'},
        'send': {'admin', 'treasurer'},
        },
    'buurtwerkkamer.conflict': {
        'close': {'admin', 'leader'},
        'mediate': {'admin', 'leader'},
        'resolve': {'admin', 'leader'},
        },
    'buurtwerkkamer.covenant': {
        'activate': {'admin'},
        'cancel': {'admin'},
        'draft': {'admin'},
        'end': {'admin'},
        'sign': {'admin'},
        },
    'buurtwerkkamer.employment': {
        'end': {'admin', 'treasurer'},
        'run': {'admin', 'treasurer'},
        },
    'buurtwerkkamer.fixed_cost': {
        'generate': {'admin', 'treasurer'},
        },
    'buurtwerkkamer.funding.application': {
        'create_agreements': {'admin'},
        'draft': {'admin'},
        'grant': {'admin'},
        'reject': {'admin'},
        'submit': {'admin'},
        'withdraw': {'admin'},
        },
    'buurtwerkkamer.handgeld.period': {
        'approve': {'treasurer'},
        'correct': {'treasurer'},
        'post': {'treasurer'},
        'reopen': {'admin', 'leader', 'treasurer'},
        'submit': {'admin', 'leader'},
        },
    'buurtwerkkamer.intent': {
        'cancel': {'admin'},
        'draft': {'admin'},
        'sign': {'admin'},
        },
    'buurtwerkkamer.location.option': {
        'choose': {'admin'},
        'draft': {'admin'},
        'reject': {'admin'},
        'visit': {'admin'},
        },
    'buurtwerkkamer.meeting': {
        'cancel': {'admin', 'leader'},
        'hold': {'admin', 'leader'},
        'invite': {'admin', 'leader'},
        'plan': {'admin', 'leader'},
        },
    'buurtwerkkamer.placement': {
        'activate': {'admin', 'placement'},
        'contract': {'admin', 'placement'},
        'end': {'admin', 'placement'},
        'invite': {'admin', 'placement'},
        'reject': {'admin', 'placement'},
        'select': {'admin', 'placement'},
        'withdraw': {'admin', 'placement'},
        },
    'buurtwerkkamer.placement.signal': {
        'reopen': {'admin', 'placement'},
        'report': {'admin', 'placement'},
        'resolve': {'admin', 'placement'},
        },
    'buurtwerkkamer.room': {
        'apply_funding': {'admin'},
        'close': {'admin'},
        'collect_intents': {'admin'},
        'explore': {'admin'},
        'make_agreements': {'admin'},
        'open': {'admin'},
        'search_location': {'admin'},
        'start_up': {'admin'},
        },
    }

MODES = ['read', 'write', 'create', 'delete']


def module_models():
    "The models registered by the module that are stored and shown"
    pool = Pool()
    for name, model in pool.iterobject():
        if (name.startswith('buurtwerkkamer.')
                and issubclass(model, ModelStorage)
                and not model.__name__.endswith('.company')
                and getattr(model, '_table', None) is not None
                and hasattr(model, 'fields_view_get')):
            yield name, model


def create_users(company, leader):
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    users = {}
    for role, (_, groups) in ROLES.items():
        group_ids = [ModelData.get_id(*g.split('.', 1)) for g in groups]
        values = {
            'login': 'role_%s' % role,
            'name': role,
            'groups': [('add', group_ids)],
            'companies': [('add', [company.id])],
            'company': company.id,
            }
        if role == 'leader':
            values['employees'] = [('add', [leader.id])]
            values['employee'] = leader.id
        users[role], = User.create([values])
    return users


def as_user(user, company):
    transaction = Transaction()
    return transaction.set_user(user.id), transaction.set_context(
        _check_access=True, company=company.id,
        employee=user.employee.id if user.employee else None)


def doc_text():
    "The security reference printed from the expected matrix"
    roles = list(ROLES)
    lines = [
        '.. This file is printed by tests/test_access_matrix.py.',
        '',
        '********',
        'Security',
        '********',
        '',
        'What each role may do with the models of the module, as checked by',
        '``tests/test_access_matrix.py`` by logging in as each role.',
        'r = read, w = write, c = create, d = delete.',
        '',
        '.. list-table:: Model access',
        '   :header-rows: 1',
        '',
        '   * - Model',
        ]
    lines += ['     - %s' % ROLES[r][0] for r in roles]
    for model, access in sorted(MODELS.items()):
        lines.append('   * - ``%s``' % model)
        lines += ['     - ``%s``' % access[r] for r in roles]
    lines += [
        '',
        'Records of a room: which rooms\' records a role reads / writes,',
        'with a team leader who leads room A only.',
        '',
        '.. list-table:: Records per room',
        '   :header-rows: 1',
        '',
        '   * - Model',
        ]
    lines += ['     - %s' % ROLES[r][0] for r in roles]
    for model, access in sorted(RECORDS.items()):
        lines.append('   * - ``%s``' % model)
        lines += ['     - %s / %s' % access[r] for r in roles]
    lines += [
        '',
        '.. list-table:: Buttons',
        '   :header-rows: 1',
        '',
        '   * - Button',
        '     - Roles',
        ]
    for model, buttons in sorted(BUTTONS.items()):
        for button, allowed in sorted(buttons.items()):
            lines.append('   * - ``%s.%s``' % (model, button))
            lines.append('     - %s' % ', '.join(
                    ROLES[r][0] for r in roles if r in allowed))
    return '\n'.join(lines) + '\n'


class AccessMatrixTestCase(unittest.TestCase):
    "Every role against every model and button"

    @classmethod
    def setUpClass(cls):
        activate_module('buurtwerkkamer')

    def setup_company(self):
        from trytond.modules.company.tests import (
            create_company, create_employee, set_company)
        company = create_company()
        return company, set_company, create_employee

    def test_doc_printed(self):
        "doc/security.rst prints the matrix of this test"
        with open(DOC, encoding='utf-8') as fp:
            self.assertEqual(fp.read(), doc_text(),
                msg="Regenerate with: python tests/test_access_matrix.py")

    @with_transaction()
    def test_model_access(self):
        "Every model of the module has its expected access per role"
        pool = Pool()
        ModelAccess = pool.get('ir.model.access')
        company, set_company, create_employee = self.setup_company()
        with set_company(company):
            leader = create_employee(company, "Henk")
            users = create_users(company, leader)
        models = dict(module_models())
        self.assertEqual(set(models), set(MODELS),
            msg="Add the new models of the module to the matrix")
        for role, user in users.items():
            set_user, set_context = as_user(user, company)
            with set_user, set_context:
                for model in models:
                    access = ''.join(
                        mode[0] if ModelAccess.check(
                            model, mode, raise_exception=False) else '-'
                        for mode in MODES)
                    with self.subTest(role=role, model=model):
                        self.assertEqual(access, MODELS[model][role])

    @with_transaction()
    def test_buttons(self):
        "Every button of the module is restricted to the expected roles"
        pool = Pool()
        Button = pool.get('ir.model.button')
        ModelAccess = pool.get('ir.model.access')
        User = pool.get('res.user')
        company, set_company, create_employee = self.setup_company()
        with set_company(company):
            leader = create_employee(company, "Henk")
            users = create_users(company, leader)
        found = {}
        for name, model in module_models():
            if getattr(model, '_buttons', None):
                found[name] = set(model._buttons)
        self.assertEqual(
            found, {m: set(b) for m, b in BUTTONS.items()},
            msg="Add the new buttons of the module to the matrix")
        for role, user in users.items():
            set_user, set_context = as_user(user, company)
            with set_user, set_context:
                groups = set(User.get_groups())
                for model, buttons in BUTTONS.items():
                    for button, allowed in buttons.items():
                        button_groups = Button.get_groups(model, button)
                        if button_groups:
                            may = bool(groups & button_groups)
                        else:
                            may = ModelAccess.check(
                                model, 'write', raise_exception=False)
                        with self.subTest(
                                role=role, model=model, button=button):
                            self.assertEqual(may, role in allowed)

    @with_transaction()
    def test_records_per_room(self):
        "A team leader reads and writes only the records of the own room"
        pool = Pool()
        Room = pool.get('buurtwerkkamer.room')
        Intent = pool.get('buurtwerkkamer.intent')
        Covenant = pool.get('buurtwerkkamer.covenant')
        Party = pool.get('party.party')
        Rule = pool.get('ir.rule')
        company, set_company, create_employee = self.setup_company()
        with set_company(company):
            leader = create_employee(company, "Henk")
            other = create_employee(company, "Mieke")
            users = create_users(company, leader)
            partner, = Party.create([{'name': "Gemeente"}])
            room_a, room_b = Room.create([{
                        'name': "Room A", 'code': 'A',
                        'team_leader': leader.id,
                        }, {
                        'name': "Room B", 'code': 'B',
                        'team_leader': other.id,
                        }])
            records = {
                'buurtwerkkamer.room': {'A': room_a, 'B': room_b},
                'buurtwerkkamer.intent': dict(zip('AB', Intent.create([
                                {'room': r.id, 'partner': partner.id}
                                for r in [room_a, room_b]]))),
                'buurtwerkkamer.covenant': dict(zip('AB', Covenant.create([{
                                    'name': "Covenant %s" % r.code,
                                    'start_date': '2026-01-01',
                                    'end_date': '2028-12-31',
                                    'rooms': [('add', [r.id])],
                                    } for r in [room_a, room_b]]))),
                }
        self.assertEqual(set(records), set(RECORDS))
        for role, user in users.items():
            set_user, set_context = as_user(user, company)
            with set_user, set_context:
                for model, by_room in records.items():
                    outcome = []
                    for mode in ['read', 'write']:
                        allowed = ''
                        for room, record in sorted(by_room.items()):
                            try:
                                if not pool.get('ir.model.access').check(
                                        model, mode, raise_exception=False):
                                    continue
                                Rule.check(model, [record.id], mode=mode)
                            except UserError:
                                continue
                            allowed += room
                        outcome.append(allowed or '-')
                    with self.subTest(role=role, model=model):
                        self.assertEqual(
                            tuple(outcome), RECORDS[model][role])

    @with_transaction()
    def test_accountant_writes_no_entry(self):
        "The accountant reads the entries but neither creates nor posts one"
        pool = Pool()
        Move = pool.get('account.move')
        Journal = pool.get('account.journal')
        Account = pool.get('account.account')
        FiscalYear = pool.get('account.fiscalyear')
        from trytond.modules.account.tests import (
            create_chart, get_fiscalyear)
        company, set_company, create_employee = self.setup_company()
        with set_company(company):
            leader = create_employee(company, "Henk")
            users = create_users(company, leader)
            create_chart(company)
            fiscalyear = get_fiscalyear(company)
            fiscalyear.save()
            FiscalYear.create_period([fiscalyear])
            period = fiscalyear.periods[0]
            journal, = Journal.search([('type', '=', 'revenue')])
            revenue, = Account.search([
                    ('type.revenue', '=', True),
                    ('closed', '=', False),
                    ], limit=1)
            expense, = Account.search([
                    ('type.expense', '=', True),
                    ('closed', '=', False),
                    ], limit=1)
            values = {
                'journal': journal.id,
                'period': period.id,
                'date': period.start_date,
                'lines': [('create', [{
                                'account': revenue.id,
                                'credit': 100,
                                }, {
                                'account': expense.id,
                                'debit': 100,
                                }])],
                }
            move, = Move.create([values])
        set_user, set_context = as_user(users['accountant'], company)
        with set_user, set_context:
            self.assertEqual(
                [m.id for m in Move.search([])], [move.id])
            self.assertEqual(len(Move(move.id).lines), 2)
            with self.assertRaises(UserError):
                Move.create([values])
            with self.assertRaises(UserError):
                Move.post([Move(move.id)])
            with self.assertRaises(UserError):
                Move.write([Move(move.id)], {'description': "Gewijzigd"})
        self.assertEqual(Move(move.id).state, 'draft')
        self.assertEqual(Move.search([], count=True), 1)


if __name__ == '__main__':
    with open(DOC, 'w', encoding='utf-8') as fp:
        fp.write(doc_text())
    print("written", DOC, file=sys.stderr)
