#!/usr/bin/env python3
# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Load the demo cooperative into a database with the module activated.

The cooperative, its accounts, partners, staff with their logins and five
rooms in different states are created once; running the script again only
prints the logins.  The other parts of the demo live beside this file as
``<topic>.py`` modules with a ``load(demo)`` function.
"""
import argparse
import datetime as dt
import importlib.util
import os
import sys
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from proteus import Model, Wizard
from proteus import config as pconfig

HERE = os.path.dirname(os.path.abspath(__file__))
TOPICS = ['brokering', 'handgeld', 'placement', 'roomlife', 'accountability',
    'bank']
PASSWORD = 'buurtwerk-demo'

# login: (name, role, groups, employee key)
USERS = {
    'bureau': ("Sanne Bakker", "bureau en teamcoördinator",
        ['group_administration', 'account_payment.group_payment_approval'],
        'coordinator'),
    'penningmeester': ("Kees van Dijk", "penningmeester",
        ['group_treasurer'], 'treasurer'),
    'henk': ("Henk de Vries", "teamleider Zuilen",
        ['group_team_leader'], 'henk'),
    'mieke': ("Mieke Jansen", "teamleider Overvecht",
        ['group_team_leader'], 'mieke'),
    'ahmed': ("Ahmed Benali", "teamleider Lunetten",
        ['group_team_leader'], 'ahmed'),
    'kascommissie': ("Truus Mulder", "kascommissie",
        ['group_kascommissie'], None),
    'plaatsing': ("Joost Visser", "plaatsingen en projectcoach",
        ['group_placement_officer'], 'coach'),
    'accountant': ("Eva de Graaf", "accountant",
        ['group_accountant'], None),
    }

ROOMS = [
    # code, name, neighbourhood, street, postal code, state, leader
    ('ZUI', "Buurtwerkkamer Zuilen", "Zuilen",
        "Amsterdamsestraatweg 500", "3553 EG", 'operational', 'henk'),
    ('OVV', "Buurtwerkkamer Overvecht", "Overvecht",
        "Zamenhofdreef 22", "3562 JW", 'operational', 'mieke'),
    ('LUN', "Buurtwerkkamer Lunetten", "Lunetten",
        "Hondsrug 15", "3524 BP", 'operational', 'ahmed'),
    ('KAN', "Buurtwerkkamer Kanaleneiland", "Kanaleneiland",
        "Marshalllaan 3", "3527 TA", 'funding', None),
    ('HOO', "Buurtwerkkamer Hoograven", "Hoograven",
        None, None, 'initiative', None),
    ]

RESIDENTS = {
    'ZUI': ["Fatima el Amrani", "Gerrit Smit", "Ineke Bos"],
    'OVV': ["Yusuf Demir", "Anja de Wit", "Priya Ramdin"],
    'LUN': ["Bram Koster", "Lotte Vermeulen"],
    'KAN': ["Samira Ouali", "Dirk Hendriks"],
    'HOO': ["Marja Peters"],
    }


def iban(account_number):
    "Return a valid Dutch IBAN for a demo account number"
    from stdnum import iban as stdiban
    bban = 'DEMO' + '%010d' % account_number
    check = stdiban.calc_check_digits('NL00' + bban)
    return 'NL' + check + bban


def ref(module, fs_id, config):
    ModelData = Model.get('ir.model.data', config=config)
    return ModelData.get_id(module, fs_id, config.context)


def create_company(config):
    Party = Model.get('party.party')
    Currency = Model.get('currency.currency')
    Country = Model.get('country.country')
    User = Model.get('res.user')

    euros = Currency.find([('code', '=', 'EUR')])
    if euros:
        euro, = euros
    else:
        euro = Currency(
            name="Euro", symbol="€", code='EUR', rounding=Decimal('0.01'))
        euro.save()
    countries = Country.find([('code', '=', 'NL')])
    if countries:
        netherlands, = countries
    else:
        netherlands = Country(name="Netherlands", code='NL')
        netherlands.save()

    party = Party(name="BuurtWerkKamer Coöperatie U.A.")
    address, = party.addresses
    address.street = "Oudegracht 100"
    address.postal_code = "3511 AV"
    address.city = "Utrecht"
    address.country = netherlands
    party.save()

    company_config = Wizard('company.company.config')
    company_config.execute('company')
    company = company_config.form
    company.party = party
    company.currency = euro
    company.timezone = 'Europe/Amsterdam'
    company_config.execute('add')
    config._context = User.get_preferences(True, {})
    Company = Model.get('company.company')
    company, = Company.find()
    return company, netherlands


def create_fiscalyears(company, years, config):
    FiscalYear = Model.get('account.fiscalyear')
    Sequence = Model.get('ir.sequence.strict')
    SequenceType = Model.get('ir.sequence.type')
    sequence_type = SequenceType(
        ref('account', 'sequence_type_account_move', config))
    invoice_type = SequenceType(
        ref('account_invoice', 'sequence_type_account_invoice', config))
    fiscalyears = []
    for year in years:
        fiscalyear = FiscalYear(name=str(year))
        fiscalyear.start_date = dt.date(year, 1, 1)
        fiscalyear.end_date = dt.date(year, 12, 31)
        fiscalyear.company = company
        sequence = Sequence(
            name=str(year), sequence_type=sequence_type, company=company)
        sequence.save()
        fiscalyear.move_sequence = sequence
        # Customer and supplier invoices numbered per year, the year as
        # prefix, as Tryton's renewal of a fiscal year continues them
        customer_sequence = Sequence(
            name="Verkoopfacturen %s" % year, sequence_type=invoice_type,
            company=company, prefix='%s/' % year)
        supplier_sequence = Sequence(
            name="Inkoopfacturen %s" % year, sequence_type=invoice_type,
            company=company, prefix='I%s/' % year)
        Sequence.save([customer_sequence, supplier_sequence])
        invoices, = fiscalyear.invoice_sequences
        invoices.out_invoice_sequence = customer_sequence
        invoices.out_credit_note_sequence = customer_sequence
        invoices.in_invoice_sequence = supplier_sequence
        invoices.in_credit_note_sequence = supplier_sequence
        fiscalyear.save()
        fiscalyear.click('create_period')
        fiscalyears.append(fiscalyear)
    return fiscalyears


def create_chart(company, config):
    "Create the minimal chart of Tryton and return its accounts per kind"
    AccountTemplate = Model.get('account.account.template')
    Account = Model.get('account.account')
    template = AccountTemplate(
        ref('account', 'account_template_root_en', config))
    wizard = Wizard('account.create_chart')
    wizard.execute('account')
    wizard.form.account_template = template
    wizard.form.company = company
    wizard.execute('create_account')
    accounts = {}
    for kind in ['receivable', 'payable', 'revenue', 'expense']:
        accounts[kind], = Account.find([
                ('type.%s' % kind, '=', True),
                ('company', '=', company.id),
                ('closed', '!=', True),
                ], limit=1)
    accounts['cash'], = Account.find([
            ('company', '=', company.id),
            ('code', '=', '1.1.1'),
            ], limit=1)
    wizard.form.account_receivable = accounts['receivable']
    wizard.form.account_payable = accounts['payable']
    wizard.execute('create_properties')
    return accounts


def create_people(company, netherlands):
    Party = Model.get('party.party')
    Employee = Model.get('company.employee')

    def party(name, city="Utrecht"):
        record = Party(name=name)
        address, = record.addresses
        address.city = city
        address.country = netherlands
        return record

    parties = {
        'municipality': party("Gemeente Utrecht"),
        'housing': party("Woningcorporatie Mitros"),
        'benefits': party("UWV Utrecht"),
        'social': party("Werk en Inkomen Gemeente Utrecht"),
        'fund': party("Oranje Fonds"),
        'bank': party("Triodos Bank", city="Zeist"),
        }
    staff = {
        'henk': "Henk de Vries",
        'mieke': "Mieke Jansen",
        'ahmed': "Ahmed Benali",
        'coordinator': "Sanne Bakker",
        'coach': "Joost Visser",
        'treasurer': "Kees van Dijk",
        }
    for key, name in staff.items():
        parties[key] = party(name)
    for names in RESIDENTS.values():
        for name in names:
            parties[name.split()[0].lower()] = party(name)
    Party.save(list(parties.values()))

    employees = {}
    for key in staff:
        employees[key] = Employee(
            party=parties[key], company=company,
            start_date=dt.date(2024, 1, 1))
    Employee.save(list(employees.values()))
    return parties, employees


def create_users(company, employees, config):
    User = Model.get('res.user')
    Group = Model.get('res.group')
    Lang = Model.get('ir.lang')
    Employee = Model.get('company.employee')
    dutch, = Lang.find([('code', '=', 'nl')])
    users = {}
    for login, (name, _, groups, employee) in USERS.items():
        user = User(login=login, name=name)
        user.password = PASSWORD
        user.language = dutch
        user.company = company
        for xml_id in groups:
            module, _, fs_id = xml_id.rpartition('.')
            user.groups.append(
                Group(ref(module or 'buurtwerkkamer', fs_id, config)))
        if employee:
            employee = Employee(employees[employee].id)
            user.employees.append(employee)
            user.employee = employee
        users[login] = user
    User.save(list(users.values()))
    return users


def create_rooms(demo):
    Room = Model.get('buurtwerkkamer.room')
    Intent = Model.get('buurtwerkkamer.intent')
    Option = Model.get('buurtwerkkamer.location.option')
    Application = Model.get('buurtwerkkamer.funding.application')
    Covenant = Model.get('buurtwerkkamer.covenant')
    BankAccount = Model.get('bank.account')
    Bank = Model.get('bank')

    parties, employees = demo.parties, demo.employees
    year = demo.today.year
    bank = Bank(party=parties['bank'], bic='TRIONL2U')
    bank.save()

    rooms = {}
    for code, name, neighbourhood, street, postal_code, state, leader \
            in ROOMS:
        room = Room(name=name, code=code, neighbourhood=neighbourhood)
        room.team_coordinator = employees['coordinator']
        room.project_coach = employees['coach']
        for i, resident in enumerate(RESIDENTS[code]):
            member = room.members.new()
            member.party = parties[resident.split()[0].lower()]
            member.role = 'resident' if i == 0 else 'volunteer'
            member.start_date = dt.date(year - 1, 3, 1)
        if leader:
            member = room.members.new()
            member.party = parties[leader]
            member.role = 'team_leader'
            member.start_date = dt.date(year - 1, 3, 1)
        room.save()
        rooms[code] = room
        if state == 'initiative':
            continue

        room.click('explore')
        intent = Intent(room=room, partner=parties['municipality'])
        intent.signatory = "Marieke van Dam"
        intent.signatory_function = "Wethouder Wijken"
        intent.date = dt.date(year - 1, 4, 15)
        intent.save()
        second = Intent(room=room, partner=parties['housing'])
        second.save()
        room.click('collect_intents')
        intent.click('sign')
        room.click('search_location')

        option = Option(room=room, name="Ruimte aan de %s" % street)
        option.street = street
        option.postal_code = postal_code
        option.city = "Utrecht"
        option.landlord = parties['housing']
        option.rent = Decimal('750.00')
        option.area = Decimal('90.0')
        option.save()
        option.click('visit')
        option.click('choose')
        room.click('apply_funding')

        application = Application(room=room, funder=parties['municipality'])
        application.reference = "SUB-%s-%s" % (year, code)
        application.purpose = "Opstart en eerste twee jaar van de %s" % name
        application.amount_requested = Decimal('30000.00')
        application.period_start = dt.date(year, 1, 1)
        application.period_end = dt.date(year + 1, 12, 31)
        application.save()
        fund = Application(room=room, funder=parties['fund'])
        fund.amount_requested = Decimal('7500.00')
        fund.period_start = dt.date(year, 1, 1)
        fund.period_end = dt.date(year, 12, 31)
        fund.save()
        Application.click([application, fund], 'submit')
        if state == 'funding':
            continue
        # Twice the municipality's yearly share of the covenant
        application.amount_granted = Decimal('24000.00')
        application.click('grant')
        room.click('make_agreements')
        rooms[code] = room

    operational = [rooms[c] for c, *_, s, _ in ROOMS if s == 'operational']
    covenant = Covenant(name="Samen sterk in de wijk %s-%s" % (
            year - 1, year + 2))
    covenant.start_date = dt.date(year - 1, 1, 1)
    covenant.end_date = dt.date(year + 2, 12, 31)
    covenant.ambitions = (
        "Bewoners en partners houden samen buurtwerkkamers open waar "
        "iedereen welkom is, waar bewoners elkaar helpen en waar mensen "
        "met een afstand tot de arbeidsmarkt weer meedoen.")
    for room in operational:
        covenant.rooms.append(Room(room.id))
    for key, commitment in [
            ('municipality', Decimal('36000.00')),
            ('housing', Decimal('9000.00')),
            ('benefits', Decimal('6000.00')),
            ]:
        partner = covenant.partners.new()
        partner.party = parties[key]
        partner.role = 'funder' if key != 'benefits' else 'partner'
        partner.yearly_commitment = commitment
    covenant.save()
    covenant.click('sign')
    covenant.click('activate')
    demo.covenants = [covenant]

    for number, (code, *_, state, leader) in enumerate(ROOMS, 1):
        if state != 'operational':
            continue
        room = rooms[code]
        room.click('start_up')
        account = BankAccount(bank=bank)
        account.owners.append(parties[leader])
        iban_number = account.numbers.new()
        iban_number.type = 'iban'
        iban_number.number = iban(1000 + number)
        account.save()
        room.team_leader = employees[leader]
        room.business_account = account
        room.start_date = dt.date(year - 1, 9, 1)
        room.save()
        room.click('open')
    return {c: Room(r.id) for c, r in rooms.items()}


def topic(name):
    "Return the demo module of a part, or None"
    path = os.path.join(HERE, '%s.py' % name)
    if not os.path.exists(path):
        return
    spec = importlib.util.spec_from_file_location('demo_%s' % name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_topic(name, demo):
    module = topic(name)
    if module:
        print("- %s" % name, flush=True)
        module.load(demo)


def create_company_bank_account(demo):
    "The cooperative's own account, from which the handgeld is paid"
    BankAccount = Model.get('bank.account')
    Bank = Model.get('bank')
    bank, = Bank.find([('party', '=', demo.parties['bank'].id)])
    account = BankAccount(bank=bank)
    account.owners.append(Model.get('party.party')(demo.company.party.id))
    number = account.numbers.new()
    number.type = 'iban'
    number.number = iban(1)
    account.save()
    return account


def map_handgeld_accounts(demo):
    "Book the handgeld categories on their own accounts of the chart"
    Category = Model.get('buurtwerkkamer.handgeld.category')
    codes = dict(zip('ABCDEF', ['4610', '4620', '4630', '4640', '4650',
                '4660']))
    if not all('chart_%s' % c in demo.accounts for c in codes.values()):
        return
    demo.accounts['handgeld_account'] = demo.accounts['chart_1150']
    demo.accounts['handgeld_payable'] = demo.accounts['chart_1610']
    categories = Category.find([])
    for category in categories:
        category.account = demo.accounts['chart_%s' % codes[category.code]]
    Category.save(categories)


def close_books(demo):
    """Close what the cooperative has closed by now, once everything of
    those months is booked: every month before the previous one, and the
    previous fiscal year when all its months have passed that point, its
    result carried to equity (Tryton's balance of the non-deferral
    accounts) and its balances carried forward to the next year (Tryton's
    closing of the fiscal year)."""
    config = demo.config
    Account = Model.get('account.account', config=config)
    FiscalYear = Model.get('account.fiscalyear', config=config)
    Journal = Model.get('account.journal', config=config)
    Move = Model.get('account.move', config=config)
    Period = Model.get('account.period', config=config)

    cutoff = demo.today + relativedelta(months=-1, day=1)
    result_account = demo.accounts.get('chart_0590')
    fiscalyears = FiscalYear.find([
            ('company', '=', demo.company.id),
            ('state', '=', 'open'),
            ], order=[('start_date', 'ASC')])
    for fiscalyear in fiscalyears:
        periods = Period.find([
                ('fiscalyear', '=', fiscalyear.id),
                ('type', '=', 'standard'),
                ('state', '=', 'open'),
                ('end_date', '<', cutoff),
                ])
        drafts = Move.find([
                ('period', 'in', [p.id for p in periods]),
                ('state', '=', 'draft'),
                ])
        if drafts:
            print("  not closed: %s draft entries in %s" % (
                    len(drafts), fiscalyear.name), flush=True)
            break
        if fiscalyear.end_date >= cutoff or not result_account:
            if periods:
                Period.click(periods, 'close')
            break
        journals = Journal.find([('type', '=', 'situation')], limit=1)
        if journals:
            journal, = journals
        else:
            journal = Journal(name="Afsluiting", code='AFS', type='situation')
            journal.save()
        closing = Period(
            name="%s Afsluiting" % fiscalyear.name, fiscalyear=fiscalyear,
            type='adjustment', start_date=fiscalyear.end_date,
            end_date=fiscalyear.end_date)
        closing.save()
        balance = Wizard(
            'account.fiscalyear.balance_non_deferral', config=config)
        balance.form.fiscalyear = fiscalyear
        balance.form.journal = journal
        balance.form.period = closing
        balance.form.credit_account = Account(result_account.id)
        balance.form.debit_account = Account(result_account.id)
        balance.execute('balance')
        moves = Move.find([
                ('period', '=', closing.id),
                ('state', '=', 'draft'),
                ])
        if moves:
            Move.click(moves, 'post')
        fiscalyear.click('close')
        print("  closed: fiscal year %s" % fiscalyear.name, flush=True)


def print_logins(url):
    print("\nThe demo cooperative is served on %s" % url)
    print("Log in as admin / admin, or as one of these users "
        "(password: %s):" % PASSWORD)
    for login, (name, role, _, _) in USERS.items():
        print("  %-15s %-15s %s" % (login, name, role))


def main(database, config_file, logins_only, url):
    config = pconfig.set_trytond(database=database, config_file=config_file)
    Room = Model.get('buurtwerkkamer.room')
    if logins_only or Room.find([], limit=1):
        print_logins(url)
        return

    User = Model.get('res.user')
    Lang = Model.get('ir.lang')
    dutch, = Lang.find([('code', '=', 'nl')])
    admin = User(config.user)
    admin.language = dutch
    admin.save()

    print("Loading the demo cooperative:", flush=True)
    company, netherlands = create_company(config)
    # The server dates in the company's time zone, so must the demo
    today = dt.datetime.now(ZoneInfo(company.timezone)).date()
    admin = User(config.user)
    admin.company = company
    admin.save()
    config._context = User.get_preferences(True, {})

    fiscalyears = create_fiscalyears(
        company, range(today.year - 1, today.year + 2), config)
    demo = SimpleNamespace(
        config=config, company=company, today=today,
        fiscalyear=[f for f in fiscalyears
            if f.start_date <= today <= f.end_date][0],
        fiscalyears=fiscalyears)
    chart = topic('accountability')
    if chart and hasattr(chart, 'create_chart'):
        demo.accounts = {}
        chart.create_chart(demo)
    else:
        demo.accounts = create_chart(company, config)
    demo.parties, demo.employees = create_people(company, netherlands)
    demo.users = create_users(company, demo.employees, config)
    demo.rooms = create_rooms(demo)
    demo.bank_account = create_company_bank_account(demo)
    map_handgeld_accounts(demo)
    for name in TOPICS:
        load_topic(name, demo)
    close_books(demo)
    print_logins(url)


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-c', '--config', dest='config_file')
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--logins', action='store_true',
        help="only print the logins")
    parser.add_argument('--url', default='http://127.0.0.1:8000/')
    args = parser.parse_args()
    sys.exit(main(args.database, args.config_file, args.logins, args.url))
