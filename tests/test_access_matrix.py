# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Who may do what: every role against every model and button of the module.

The expected outcome is the matrix below; ``doc/security.rst`` prints the
same matrix (regenerate it with ``python tests/test_access_matrix.py``).
"""
import datetime
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
    'document.incoming': {
        'admin': 'rwcd', 'treasurer': 'rwcd',
        'leader': 'rwc-', 'kascommissie': '----',
        'placement': '----', 'accountant': '----',
        'employee': '----'},
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
    'buurtwerkkamer.handgeld.count': {
        'admin': 'r---', 'treasurer': 'rwcd',
        'leader': 'r---', 'kascommissie': 'rwcd',
        'placement': '----', 'accountant': 'r---',
        'employee': '----'},
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
    'buurtwerkkamer.room.member': {
        'admin': ('AB', 'AB'), 'treasurer': ('AB', '-'),
        'leader': ('A', 'A'), 'kascommissie': ('AB', '-'),
        'placement': ('AB', '-'), 'accountant': ('AB', '-'),
        'employee': ('-', '-')},
    'buurtwerkkamer.meeting': {
        'admin': ('AB', 'AB'), 'treasurer': ('-', '-'),
        'leader': ('A', 'A'), 'kascommissie': ('-', '-'),
        'placement': ('-', '-'), 'accountant': ('-', '-'),
        'employee': ('-', '-')},
    'buurtwerkkamer.learning_plan': {
        'admin': ('AB', 'AB'), 'treasurer': ('-', '-'),
        'leader': ('A', 'A'), 'kascommissie': ('AB', '-'),
        'placement': ('-', '-'), 'accountant': ('-', '-'),
        'employee': ('-', '-')},
    'buurtwerkkamer.placement': {
        'admin': ('AB', 'AB'), 'treasurer': ('-', '-'),
        'leader': ('A', '-'), 'kascommissie': ('-', '-'),
        'placement': ('AB', 'AB'), 'accountant': ('-', '-'),
        'employee': ('-', '-')},
    }

# The roles that read a field of a related record with a dotted name: the
# base field's access decides.
DOTTED = {
    'buurtwerkkamer.placement candidate.rec_name': {'admin', 'placement'},
    'buurtwerkkamer.placement candidate.addresses': {'admin', 'placement'},
    'buurtwerkkamer.placement room.rec_name': {
        'admin', 'leader', 'placement'},
    }

# The roles that read the attachments and notes of a record.
RESOURCES = {
    'placement of room A': {'admin', 'placement'},
    'meeting of room A': {'admin', 'leader'},
    'meeting of room B': {'admin'},
    'room A': {'admin', 'treasurer', 'leader', 'kascommissie', 'placement',
        'accountant'},
    }

# The parties, addresses and bank accounts a role reads.
PARTIES = {
    'party of room A': set(ROLES),
    'member of room A': set(ROLES),
    'partner of room A': set(ROLES),
    'team leader of room A': set(ROLES),
    'party of room B': set(ROLES) - {'leader'},
    'member of room B': set(ROLES) - {'leader'},
    'candidate of room A': set(ROLES) - {'leader'},
    'address of member of room A': set(ROLES),
    'address of member of room B': set(ROLES) - {'leader'},
    'bank account of room A': set(ROLES),
    'bank account of room B': set(ROLES) - {'leader'},
    }

# The roles that may click each button.
BUTTONS = {
    'document.incoming': {
        'cancel': {'admin', 'treasurer', 'leader'},
        'draft': {'admin', 'treasurer', 'leader'},
        'split_wizard': {'admin', 'treasurer', 'leader'},
        'process': {'admin', 'treasurer', 'leader'},
        'proceed': {'admin', 'treasurer', 'leader'},
        },
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
    'buurtwerkkamer.handgeld.count': {
        'book': {'kascommissie', 'treasurer'},
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


# The models of other modules to which the module grants access
GRANTED = {'document.incoming'}


def module_models():
    "The models registered by the module that are stored and shown"
    pool = Pool()
    for name, model in pool.iterobject():
        if ((name.startswith('buurtwerkkamer.') or name in GRANTED)
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
        'A record leaves the server only to who may read it: the same rules',
        'hold for ``read``, ``export_data``, history, reports and wizards.',
        'A dotted name (``candidate.rec_name``) needs the access to its base',
        'field:',
        '',
        '.. list-table:: Dotted reads',
        '   :header-rows: 1',
        '',
        '   * - Model and field',
        '     - Roles',
        ]
    for name, allowed in sorted(DOTTED.items()):
        model, field = name.split()
        lines.append('   * - ``%s`` ``%s``' % (model, field))
        lines.append('     - %s' % ', '.join(
                ROLES[r][0] for r in roles if r in allowed))
    lines += [
        '',
        '.. list-table:: Attachments and notes',
        '   :header-rows: 1',
        '',
        '   * - Attached to',
        '     - Roles',
        ]
    for name, allowed in sorted(RESOURCES.items()):
        lines.append('   * - %s' % name)
        lines.append('     - %s' % ', '.join(
                ROLES[r][0] for r in roles if r in allowed))
    lines += [
        '',
        '.. list-table:: Parties, addresses and bank accounts',
        '   :header-rows: 1',
        '',
        '   * - Record',
        '     - Roles',
        ]
    for name, allowed in sorted(PARTIES.items()):
        lines.append('   * - %s' % name)
        lines.append('     - %s' % ', '.join(
                ROLES[r][0] for r in roles if r in allowed))
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

    def setup_rooms(self):
        "Room A led by the team leader, room B led by another"
        pool = Pool()
        Room = pool.get('buurtwerkkamer.room')
        Member = pool.get('buurtwerkkamer.room.member')
        Intent = pool.get('buurtwerkkamer.intent')
        Covenant = pool.get('buurtwerkkamer.covenant')
        Meeting = pool.get('buurtwerkkamer.meeting')
        LearningPlan = pool.get('buurtwerkkamer.learning_plan')
        Placement = pool.get('buurtwerkkamer.placement')
        Party = pool.get('party.party')
        Address = pool.get('party.address')
        BankAccount = pool.get('bank.account')
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
            member_a, member_b, candidate = Party.create([{
                        'name': "Bewoner A",
                        'addresses': [('create', [{'street': "Plein 1"}])],
                        }, {
                        'name': "Bewoner B",
                        'addresses': [('create', [{'street': "Plein 2"}])],
                        }, {
                        'name': "Kandidaat A",
                        }])
            bank_a, bank_b = BankAccount.create([{
                        'owners': [('add', [p.id])],
                        'numbers': [('create', [{
                                        'type': 'iban',
                                        'number': number,
                                        }])],
                        } for p, number in [
                        (room_a.party, 'NL91ABNA0417164300'),
                        (room_b.party, 'NL02ABNA0123456789')]])
            records = {
                'buurtwerkkamer.room': {'A': room_a, 'B': room_b},
                'buurtwerkkamer.room.member': dict(zip('AB', Member.create([
                                {'room': r.id, 'party': p.id,
                                    'role': 'resident'}
                                for r, p in [
                                    (room_a, member_a),
                                    (room_b, member_b)]]))),
                'buurtwerkkamer.intent': dict(zip('AB', Intent.create([
                                {'room': r.id, 'partner': partner.id}
                                for r in [room_a, room_b]]))),
                'buurtwerkkamer.covenant': dict(zip('AB', Covenant.create([{
                                    'name': "Covenant %s" % r.code,
                                    'start_date': '2026-01-01',
                                    'end_date': '2028-12-31',
                                    'rooms': [('add', [r.id])],
                                    } for r in [room_a, room_b]]))),
                'buurtwerkkamer.meeting': dict(zip('AB', Meeting.create([{
                                    'room': r.id, 'kind': 'team',
                                    'date': '2026-03-02',
                                    } for r in [room_a, room_b]]))),
                'buurtwerkkamer.learning_plan': dict(zip('AB',
                        LearningPlan.create([{
                                    'room': r.id, 'year': 2026,
                                    } for r in [room_a, room_b]]))),
                'buurtwerkkamer.placement': dict(zip('AB',
                        Placement.create([{
                                    'room': r.id,
                                    'kind': 'participatieplaats',
                                    'candidate': candidate.id,
                                    } for r in [room_a, room_b]]))),
                }
            parties = {
                'party of room A': room_a.party,
                'member of room A': member_a,
                'partner of room A': partner,
                'team leader of room A': leader.party,
                'party of room B': room_b.party,
                'member of room B': member_b,
                'candidate of room A': candidate,
                'address of member of room A': member_a.addresses[0],
                'address of member of room B': member_b.addresses[0],
                'bank account of room A': bank_a,
                'bank account of room B': bank_b,
                }
            # The partner of room B is the partner of room A too
            self.assertEqual(Address.search([
                        ('party', '=', member_b.id)]), list(member_b.addresses))
        return company, users, records, parties

    @with_transaction()
    def test_records_per_room(self):
        "A team leader reads, exports and writes only the own room's records"
        pool = Pool()
        Rule = pool.get('ir.rule')
        ModelAccess = pool.get('ir.model.access')
        company, users, records, _ = self.setup_rooms()
        self.assertEqual(set(records), set(RECORDS))
        for role, user in users.items():
            set_user, set_context = as_user(user, company)
            with set_user, set_context:
                for model, by_room in records.items():
                    Model = pool.get(model)
                    outcome = []
                    for mode in ['read', 'write']:
                        allowed = ''
                        for room, record in sorted(by_room.items()):
                            try:
                                if not ModelAccess.check(
                                        model, mode, raise_exception=False):
                                    continue
                                Rule.check(model, [record.id], mode=mode)
                            except UserError:
                                continue
                            allowed += room
                        outcome.append(allowed or '-')
                    exported = ''
                    for room, record in sorted(by_room.items()):
                        try:
                            Model.export_data(
                                Model.browse([record.id]), ['id', 'rec_name'])
                        except UserError:
                            continue
                        exported += room
                    with self.subTest(role=role, model=model):
                        self.assertEqual(
                            tuple(outcome), RECORDS[model][role])
                        self.assertEqual(exported or '-', outcome[0])

    @with_transaction()
    def test_export_related(self):
        "An export does not reach the records of another room through a field"
        pool = Pool()
        Member = pool.get('buurtwerkkamer.room.member')
        Room = pool.get('buurtwerkkamer.room')
        company, users, records, _ = self.setup_rooms()
        room_a = records['buurtwerkkamer.room']['A']
        member_b = records['buurtwerkkamer.room.member']['B']
        set_user, set_context = as_user(users['leader'], company)
        with set_user, set_context:
            self.assertEqual(
                Room.export_data(Room.browse([room_a.id]), ['members/party']),
                [[records['buurtwerkkamer.room.member']['A'].party.rec_name]])
            with self.assertRaises(UserError):
                Member.export_data(
                    Member.browse([member_b.id]), ['party/name'])
            self.assertEqual(
                Room.export_data_domain([], ['code', 'members/room/code']),
                [['A', 'A']])

    @with_transaction()
    def test_dotted_read(self):
        "A dotted name reads only through a field the role may read"
        pool = Pool()
        company, users, records, _ = self.setup_rooms()
        outcome = {name: set() for name in DOTTED}
        for role, user in users.items():
            set_user, set_context = as_user(user, company)
            with set_user, set_context:
                for name in DOTTED:
                    model, field = name.split()
                    Model = pool.get(model)
                    record = records[model]['A']
                    try:
                        Model.read([record.id], [field])
                    except UserError:
                        continue
                    outcome[name].add(role)
        self.assertEqual(outcome, DOTTED)

    @with_transaction()
    def test_dotted_read_other_room(self):
        "A dotted name does not read a record of another room"
        pool = Pool()
        Member = pool.get('buurtwerkkamer.room.member')
        company, users, records, _ = self.setup_rooms()
        member_a = records['buurtwerkkamer.room.member']['A']
        set_user, set_context = as_user(users['leader'], company)
        with set_user, set_context:
            row, = Member.read([member_a.id], ['room.code', 'party.rec_name'])
            self.assertEqual(row['room.']['code'], 'A')
            self.assertEqual(row['party.']['rec_name'], "Bewoner A")
            with self.assertRaises(UserError):
                Member.read([records['buurtwerkkamer.room.member']['B'].id],
                    ['room.code'])

    @with_transaction()
    def test_attachments_notes(self):
        "Attachments and notes go only to who may read their record"
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        Note = pool.get('ir.note')
        company, users, records, _ = self.setup_rooms()
        resources = {
            'placement of room A': records['buurtwerkkamer.placement']['A'],
            'meeting of room A': records['buurtwerkkamer.meeting']['A'],
            'meeting of room B': records['buurtwerkkamer.meeting']['B'],
            'room A': records['buurtwerkkamer.room']['A'],
            }
        attachments = {}
        notes = {}
        for name, resource in resources.items():
            attachments[name], = Attachment.create([{
                        'resource': str(resource),
                        'name': 'cv.txt',
                        'data': b'BSN 123456782',
                        }])
            notes[name], = Note.create([{
                        'resource': str(resource),
                        'message': "BSN 123456782",
                        }])
        for Model, by_resource in [
                (Attachment, attachments), (Note, notes)]:
            outcome = {name: set() for name in RESOURCES}
            for role, user in users.items():
                set_user, set_context = as_user(user, company)
                with set_user, set_context:
                    for name, record in by_resource.items():
                        try:
                            found = Model.search([
                                    ('resource', '=', str(resources[name])),
                                    ])
                        except UserError:
                            found = []
                        ways = []
                        try:
                            Model.read([record.id], ['resource', 'rec_name'])
                            ways.append('read')
                        except UserError:
                            pass
                        try:
                            Model.export_data(
                                Model.browse([record.id]), ['rec_name'])
                            ways.append('export')
                        except UserError:
                            pass
                        if record in found:
                            ways.append('search')
                        with self.subTest(
                                model=Model.__name__, role=role,
                                resource=name):
                            self.assertIn(ways, [
                                    [], ['read', 'export', 'search']])
                        if ways:
                            outcome[name].add(role)
            with self.subTest(model=Model.__name__):
                self.assertEqual(outcome, RESOURCES)

    @with_transaction()
    def test_parties(self):
        "A team leader reads the parties of the own room only"
        pool = Pool()
        company, users, _, parties = self.setup_rooms()
        outcome = {name: set() for name in PARTIES}
        for role, user in users.items():
            set_user, set_context = as_user(user, company)
            with set_user, set_context:
                for name, record in parties.items():
                    Model = pool.get(record.__name__)
                    ways = []
                    try:
                        Model.read([record.id], ['rec_name'])
                        ways.append('read')
                    except UserError:
                        pass
                    try:
                        Model.export_data(
                            Model.browse([record.id]), ['rec_name'])
                        ways.append('export')
                    except UserError:
                        pass
                    if Model.search([('id', '=', record.id)]):
                        ways.append('search')
                    with self.subTest(role=role, record=name):
                        self.assertIn(ways, [[], ['read', 'export', 'search']])
                    if ways:
                        outcome[name].add(role)
        self.assertEqual(outcome, PARTIES)

    @with_transaction()
    def test_party_created_by_team_leader(self):
        "A team leader reads the party just created for a new member"
        pool = Pool()
        Party = pool.get('party.party')
        company, users, _, _ = self.setup_rooms()
        set_user, set_context = as_user(users['leader'], company)
        with set_user, set_context:
            party, = Party.create([{'name': "Nieuwe bewoner"}])
            self.assertEqual(
                Party.read([party.id], ['rec_name'])[0]['rec_name'],
                "Nieuwe bewoner")
            self.assertEqual(
                Party.search([('name', '=', "Nieuwe bewoner")]), [party])

    @with_transaction()
    def test_history(self):
        "The history of a record goes only to who may read the record"
        pool = Pool()
        Placement = pool.get('buurtwerkkamer.placement')
        company, users, records, _ = self.setup_rooms()
        placement_a = records['buurtwerkkamer.placement']['A']
        placement_b = records['buurtwerkkamer.placement']['B']
        set_user, set_context = as_user(users['leader'], company)
        with set_user, set_context:
            self.assertTrue(Placement.history_revisions([placement_a.id]))
            with self.assertRaises(UserError):
                Placement.history_revisions([placement_b.id])
            with Transaction().set_context(
                    _datetime=datetime.datetime.max):
                Placement.read([placement_a.id], ['room'])
                with self.assertRaises(UserError):
                    Placement.read([placement_b.id], ['room'])
                with self.assertRaises(UserError):
                    Placement.read([placement_a.id], ['candidate'])

    @with_transaction()
    def test_reports_wizards_other_room(self):
        "Reports and wizards refuse the records of another room"
        pool = Pool()
        ActionReport = pool.get('ir.action.report')
        ActionWizard = pool.get('ir.action.wizard')
        ModelData = pool.get('ir.model.data')
        company, users, records, _ = self.setup_rooms()
        reports = {
            'report_intent': 'buurtwerkkamer.intent',
            'report_covenant': 'buurtwerkkamer.covenant',
            'report_house_rules': 'buurtwerkkamer.room',
            'report_learning_plan': 'buurtwerkkamer.learning_plan',
            'report_placement_agreement': 'buurtwerkkamer.placement',
            }
        actions = {
            xml_id: ActionReport(ModelData.get_id('buurtwerkkamer', xml_id))
            for xml_id in reports}
        wizards = ActionWizard.browse([d.db_id for d in ModelData.search([
                        ('module', '=', 'buurtwerkkamer'),
                        ('model', '=', 'ir.action.wizard'),
                        ])])
        self.assertTrue(wizards)
        set_user, set_context = as_user(users['leader'], company)
        with set_user, set_context:
            for xml_id, model in reports.items():
                action = actions[xml_id]
                Report = pool.get(action.report_name, type='report')
                data = {'model': model, 'action_id': action.id}
                with self.subTest(report=xml_id, room='B'):
                    with self.assertRaises(UserError):
                        Report.execute([records[model]['B'].id], data)
                with self.subTest(report=xml_id, room='A'):
                    if xml_id == 'report_placement_agreement':
                        # Personal data: not for the team leader
                        with self.assertRaises(UserError):
                            Report.execute([records[model]['A'].id], data)
                    else:
                        _, content, *_ = Report.execute(
                            [records[model]['A'].id], data)
                        self.assertTrue(content)
            for action in wizards:
                Wizard = pool.get(action.wiz_name, type='wizard')
                model = action.model or 'buurtwerkkamer.room'
                if model not in records:
                    model = 'buurtwerkkamer.room'
                record = records[model]['B']
                with self.subTest(wizard=action.wiz_name):
                    with Transaction().set_context(
                            active_model=model, active_id=record.id,
                            active_ids=[record.id], action_id=action.id):
                        with self.assertRaises(UserError):
                            Wizard.create()

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
