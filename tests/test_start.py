# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
import os
import re
import unittest
from decimal import Decimal
from unittest.mock import patch

from lxml import etree

from trytond.modules.company.tests.test_module import set_company
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.report import Report
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction

from test_handgeld import MONTH, setup_handgeld

ROLES = [
    ('group_administration', 'act_start_administration'),
    ('group_treasurer', 'act_start_treasurer'),
    ('group_team_leader', 'act_start_team_leader'),
    ('group_placement_officer', 'act_start_placement_officer'),
    ('group_kascommissie', 'act_start_kascommissie'),
    ('group_accountant', 'act_start_accountant'),
    ]


def create_user(login, group, company=None):
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    User = pool.get('res.user')
    module, _, fs_id = group.rpartition('.')
    user = User(login=login, name=login,
        groups=[ModelData.get_id(module or 'buurtwerkkamer', fs_id)])
    if company:
        user.companies = [company]
        user.company = company
    user.save()
    return user


class StartPageTestCase(unittest.TestCase):
    "Test the start page of every role and the notifications"

    @classmethod
    def setUpClass(cls):
        # Start from a database without the users of other tests' demo
        drop_db()
        activate_module('buurtwerkkamer')

    @classmethod
    def tearDownClass(cls):
        drop_db()

    @with_transaction()
    def test_new_user_gets_start_page_of_role(self):
        "A new user without start actions opens the start page of the role"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Action = pool.get('ir.action')
        User = pool.get('res.user')
        for group, start in ROLES:
            user = create_user('user_%s' % start, group)
            with Transaction().set_user(user.id):
                preferences = User.get_preferences()
            self.assertEqual(preferences['actions'], [Action.get_action_id(
                        ModelData.get_id('buurtwerkkamer', start))], group)

    @with_transaction()
    def test_own_start_actions_kept(self):
        "A user who chose the actions at login keeps them"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Action = pool.get('ir.action')
        User = pool.get('res.user')
        user = create_user('henk-own', 'group_team_leader')
        other = Action.get_action_id(
            ModelData.get_id('buurtwerkkamer', 'act_room_form'))
        User.write([user], {'actions': [('add', [other])]})
        with Transaction().set_user(user.id):
            preferences = User.get_preferences()
        self.assertEqual(preferences['actions'], [other])

    @with_transaction()
    def test_start_pages_count_without_access_error(self):
        "Every tab of every start page counts for its role"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        ActWindow = pool.get('ir.action.act_window')
        View = pool.get('ir.ui.view')
        User = pool.get('res.user')
        ns = setup_handgeld()
        for group, start in ROLES:
            user = create_user('count_%s' % start, group, ns.company)
            board, = ActWindow(
                ModelData.get_id('buurtwerkkamer', start)).act_window_views
            arch = View(board.view.id).arch
            names = re.findall(r'<action name="([^"]+)"', arch)
            self.assertTrue(names, start)
            with Transaction().set_user(user.id), \
                    Transaction().set_context(
                        User.get_preferences(context_only=True),
                        _check_access=True):
                context = Transaction().context
                for name in names:
                    action = ActWindow.get(name)
                    Model = pool.get(action['res_model'])
                    self.assertTrue(action['domains'], name)
                    for tab, domain, count in action['domains']:
                        self.assertTrue(count, (name, tab))
                        domain = PYSONDecoder(
                            {'context': context}).decode(domain)
                        self.assertIsInstance(
                            Model.search_count(domain), int)

    @with_transaction()
    def test_team_leader_menus_without_access_error(self):
        "Every list a team leader opens from the menu counts every tab"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Menu = pool.get('ir.ui.menu')
        ActWindow = pool.get('ir.action.act_window')
        User = pool.get('res.user')
        ns = setup_handgeld()
        user = create_user('henk-menus', 'group_team_leader', ns.company)
        root = ModelData.get_id('buurtwerkkamer', 'menu_buurtwerkkamer')
        with Transaction().set_user(user.id), \
                Transaction().set_context(
                    User.get_preferences(context_only=True),
                    _check_access=True):
            context = Transaction().context
            menus = Menu.search([('parent', 'child_of', [root])])
            opened = 0
            for menu in menus:
                if not menu.action or menu.action.type != (
                        'ir.action.act_window'):
                    continue
                action, = ActWindow.search([('action', '=', menu.action.id)])
                if not action.res_model:
                    continue
                Model = pool.get(action.res_model)
                decoder = PYSONDecoder({'context': context})
                domain = decoder.decode(action.pyson_domain)
                for tab in action.act_window_domains or []:
                    tab_domain = decoder.decode(tab.domain or '[]')
                    self.assertIsInstance(
                        Model.search_count([domain, tab_domain]), int)
                opened += 1
            self.assertGreater(opened, 5)
            self.assertNotIn(
                ModelData.get_id('buurtwerkkamer', 'menu_placement_form'),
                [m.id for m in menus])

    @with_transaction()
    def test_submit_notifies_treasurers(self):
        "A submitted handgeld month reaches the treasurers"
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        Notification = pool.get('res.notification')
        ns = setup_handgeld()
        treasurer = create_user('kees', 'group_treasurer', ns.company)
        with set_company(ns.company):
            Period.create_periods(MONTH)
            period, = Period.search([
                    ('room', '=', ns.rooms['ZUI'].id),
                    ('date', '=', MONTH),
                    ])
            Period.submit([period])
            notification, = Notification.search([
                    ('user', '=', treasurer.id),
                    ('model', '=', 'buurtwerkkamer.handgeld.period'),
                    ])
            self.assertIn('ZUI', notification.description)
            self.assertEqual(notification.records, '[%s]' % period.id)

    @with_transaction()
    def test_dutch_money_format(self):
        "Amounts in Dutch have a dot per thousand and the sign before"
        pool = Pool()
        Lang = pool.get('ir.lang')
        Currency = pool.get('currency.currency')
        euro = Currency(name="Euro", code='EUR', symbol="€")
        euro.save()
        dutch, = Lang.search([('code', '=', 'nl')])
        self.assertEqual(
            Report.format_currency(Decimal('34000'), dutch, euro),
            "€\xa034.000,00")
        self.assertEqual(
            Report.format_currency(Decimal('-1416.91'), dutch, euro),
            "€\xa0-1.416,91")
        self.assertEqual(
            dutch.currency(Decimal('1234.56'), euro), "€\xa01234,56")

    @with_transaction()
    def test_default_deadline_not_past(self):
        "A new agreement's deadline is before its year and not in the past"
        pool = Pool()
        Agreement = pool.get('buurtwerkkamer.agreement')
        Date = pool.get('ir.date')
        for today, expected in [
                (dt.date(2026, 6, 1), dt.date(2026, 12, 1)),
                (dt.date(2026, 12, 2), dt.date(2026, 12, 16)),
                (dt.date(2026, 12, 25), dt.date(2026, 12, 31)),
                ]:
            with patch.object(Date, 'today', return_value=today):
                self.assertEqual(Agreement.default_year(), 2027)
                self.assertEqual(Agreement.default_deadline(), expected)

    @with_transaction()
    def test_new_address_in_the_netherlands(self):
        "A new address is in the Netherlands"
        pool = Pool()
        Country = pool.get('country.country')
        Address = pool.get('party.address')
        netherlands = Country(name="Nederland", code='NL')
        netherlands.save()
        self.assertEqual(Address.default_country(), netherlands.id)

    def test_years_without_thousands_separator(self):
        "Every year in a view is shown without a thousands separator"
        view_dir = os.path.join(
            os.path.dirname(os.path.dirname(__file__)), 'view')
        found = 0
        for name in os.listdir(view_dir):
            with open(os.path.join(view_dir, name)) as fp:
                tree = etree.parse(fp)
            for field in tree.xpath(
                    '//field[@name="year" or @name="next_year"]'):
                self.assertEqual(field.get('grouping'), '0', name)
                found += 1
        self.assertGreater(found, 5)
