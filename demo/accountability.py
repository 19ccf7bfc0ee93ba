# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Demo data of the accountability: the cooperative's Dutch chart of accounts
from the module's template, the fixed costs and budgets of the operational
rooms, a year of costs and of income other than the agreements in the
ledger, and the annual reports to check."""
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from proteus import Model, Wizard

# room code: fixed costs (kind, description, supplier key, amount, interval,
# account code); the salaries and fees name the employee and run until the
# employment of that person takes the staff cost over.
FIXED_COSTS = {
    'ZUI': [
        ('rent', "Huur Amsterdamsestraatweg", 'housing', '850.00',
            'monthly', '4300'),
        ('gwe', "Voorschot energie", 'energy', '1200.00', 'quarterly',
            '4310'),
        ('insurance', "Inboedel- en aansprakelijkheidsverzekering",
            'insurer', '600.00', 'yearly', '4500'),
        ('internet', "Internet en telefoon", 'telecom', '45.00', 'monthly',
            '4550'),
        ('staff', "Salaris teamcoördinator (0,4 fte)", 'coordinator',
            '1500.00', 'monthly', '4000'),
        ],
    'OVV': [
        ('rent', "Huur buurtruimte", 'housing', '700.00', 'monthly', '4300'),
        ('gwe', "Voorschot energie", 'energy', '900.00', 'quarterly',
            '4310'),
        ('telephone', "Mobiele telefoon", 'telecom', '25.00', 'monthly',
            '4550'),
        ('staff', "Vergoeding projectcoach (zzp)", 'coach', '800.00',
            'monthly', '4050'),
        ],
    'LUN': [
        ('rent', "Huur wijkcentrum", 'housing', '650.00', 'monthly', '4300'),
        ('insurance', "Inboedelverzekering", 'insurer', '450.00', 'yearly',
            '4500'),
        ],
    }

# The partners' contributions are invoiced from the instalments of the
# yearly agreements (see brokering.py).  What comes without an agreement
# states its origin: room code: (party key, party name, other income kind,
# description, amount, revenue account code)
OTHER_INCOME = {
    'ZUI': [('municipality', None, 'subsidy',
            "Buurtinitiatief: burendag", '1500.00', '8000'),
        ('rotary', "Rotary Club Utrecht", 'donation',
            "Gift voor het repair café", '750.00', '8200')],
    'OVV': [('vsbfonds', "VSBfonds", 'fund',
            "Bijdrage taalmaatjesproject", '4000.00', '8100')],
    }


def create_chart(demo):
    """Create the chart of accounts of the cooperative from the module's
    template with Tryton's wizard and register it in demo.accounts"""
    config = demo.config
    Account = Model.get('account.account', config=config)
    AccountTemplate = Model.get('account.account.template', config=config)
    ModelData = Model.get('ir.model.data', config=config)

    if not getattr(demo, 'accounts', None):
        demo.accounts = {}
    accounts = {a.code: a for a in Account.find([
                ('company', '=', demo.company.id),
                ('code', '!=', None),
                ])}
    if not accounts:
        template = AccountTemplate(ModelData.get_id(
                'buurtwerkkamer', 'account_template_root_nl',
                config.context))
        wizard = Wizard('account.create_chart')
        wizard.execute('account')
        wizard.form.account_template = template
        wizard.form.company = demo.company
        wizard.execute('create_account')
        accounts = {a.code: a for a in Account.find([
                    ('company', '=', demo.company.id),
                    ('code', '!=', None),
                    ])}
        wizard.form.account_receivable = accounts['1300']
        wizard.form.account_payable = accounts['1600']
        wizard.execute('create_properties')

    demo.accounts.update({
            'receivable': accounts['1300'],
            'payable': accounts['1600'],
            'revenue': accounts['8010'],
            'expense': accounts['4900'],
            'cash': accounts['1100'],
            'salaries_payable': accounts['1650'],
            })
    for code, account in accounts.items():
        demo.accounts.setdefault('chart_%s' % code, account)
    return demo.accounts


def house_style(demo):
    """The letterhead of the cooperative's documents: the company's logo,
    header and footer as Tryton's company allows"""
    import io

    from PIL import Image, ImageDraw

    config = demo.config
    Company = Model.get('company.company', config=config)
    Party = Model.get('party.party', config=config)
    company = Company(demo.company.id)
    party = Party(company.party.id)
    if not party.website:
        party.contact_mechanisms.new(type='website',
            value='https://www.buurtwerkkamer.example')
        party.contact_mechanisms.new(type='email',
            value='info@buurtwerkkamer.example')
        party.save()
    iban = demo.bank_account.numbers[0].number_compact
    company.header = (
        "${name}\n${address}\n"
        "KvK 30123456 · IBAN %s · ${website}" % iban)
    company.footer = (
        "${name} · ${email} · ${website} · "
        "vrijgesteld van btw (art. 11 lid 1 sub f Wet OB)")
    # A simple logo: the cooperative's initials on its colour.
    image = Image.new('RGB', (600, 300), (0, 110, 90))
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 20, 580, 280], outline=(255, 255, 255), width=8)
    draw.text((70, 60), "BWK", fill=(255, 255, 255), font_size=150)
    data = io.BytesIO()
    image.save(data, format='PNG')
    company.logo = data.getvalue()
    company.save()


def _account(demo, code):
    Account = Model.get('account.account', config=demo.config)
    account, = Account.find([('code', '=', code)], limit=1)
    return account


def _party(demo, key, name):
    Party = Model.get('party.party', config=demo.config)
    if key in demo.parties:
        return demo.parties[key]
    party = Party(name=name)
    party.save()
    demo.parties[key] = party
    return party


def load(demo):
    config = demo.config
    Journal = Model.get('account.journal', config=config)
    Configuration = Model.get('buurtwerkkamer.configuration', config=config)
    FixedCost = Model.get('buurtwerkkamer.fixed_cost', config=config)
    Invoice = Model.get('account.invoice', config=config)
    Move = Model.get('account.move', config=config)
    Budget = Model.get('account.budget', config=config)
    Employment = Model.get('buurtwerkkamer.employment', config=config)
    Agreement = Model.get('buurtwerkkamer.agreement', config=config)
    AnnualReport = Model.get('buurtwerkkamer.annual_report', config=config)

    create_chart(demo)
    house_style(demo)
    fiscalyear = demo.fiscalyear
    start = fiscalyear.start_date

    general, = Journal.find([('type', '=', 'general')], limit=1)
    configuration = Configuration(1)
    configuration.fixed_cost_journal = general
    configuration.fixed_cost_accrual_account = _account(demo, '1650')
    configuration.save()

    suppliers = {
        'housing': demo.parties.get('housing'),
        'energy': _party(demo, 'energy', "Eneco Zakelijk"),
        'insurer': _party(demo, 'insurer', "Centraal Beheer"),
        'telecom': _party(demo, 'telecom', "KPN Zakelijk"),
        }
    if not suppliers['housing']:
        suppliers['housing'] = _party(demo, 'housing', "Woningcorporatie")
    # The accountancy firm that approves the annual reports
    _party(demo, 'accountancy', "Accountantskantoor De Graaf & Partners")

    # The staff cost of a person with an employment is accrued by the
    # employment: the fixed cost of that person ends the day before.
    employments = {e.employee.id: e for e in Employment.find([])}
    costs = []
    for code, lines in FIXED_COSTS.items():
        room = demo.rooms.get(code)
        if not room:
            continue
        for kind, description, supplier, amount, interval, account in lines:
            cost = FixedCost(room=room, kind=kind, description=description)
            cost.amount = Decimal(amount)
            cost.interval = interval
            cost.start_date = start
            cost.account = _account(demo, account)
            if kind == 'staff':
                employee = demo.employees[supplier]
                cost.employee = employee
                cost.booking = 'accrual'
                employment = employments.get(employee.id)
                if employment:
                    cost.end_date = (
                        employment.start_date - relativedelta(days=1))
            else:
                cost.booking = 'invoice'
                cost.supplier = suppliers[supplier]
            costs.append(cost)
    FixedCost.save(costs)
    # The income without an agreement, its origin stated.  Customer
    # invoices share the strict invoice sequence, so they are dated today
    # and posted before the supplier invoices of the fixed costs.
    other_income = []
    date = demo.today
    for code, lines in OTHER_INCOME.items():
        room = demo.rooms.get(code)
        if not room:
            continue
        for key, name, kind, description, amount, account in lines:
            party = demo.parties.get(key) or _party(demo, key, name)
            invoice = Invoice(type='out', party=party, invoice_date=date)
            invoice.other_income = kind
            invoice.description = description
            line = invoice.lines.new()
            line.account = _account(demo, account)
            line.description = "%s - %s" % (description, room.name)
            line.quantity = 1
            line.unit_price = Decimal(amount)
            for entry in line.analytic_accounts:
                if entry.root == room.analytic_account.root:
                    entry.account = room.analytic_account
            invoice.save()
            other_income.append(invoice)
    if other_income:
        Invoice.click(other_income, 'post')

    # What the daily cron does: every period that started gets its draft
    # invoice or accrual entry; the treasurer posts them.
    FixedCost.click(costs, 'generate')
    invoices = Invoice.find([
            ('type', '=', 'in'), ('state', '=', 'draft'),
            ('invoice_date', '<=', demo.today)],
        order=[('invoice_date', 'ASC')])
    if invoices:
        Invoice.click(invoices, 'post')
    moves = Move.find([
            ('journal', '=', general.id), ('state', '=', 'draft'),
            ('origin', 'like', 'buurtwerkkamer.fixed_cost,%')])
    if moves:
        Move.click(moves, 'post')

    # A budget per room, costs negative as in Tryton's budgets: the fixed
    # costs, the agreements of the year and the other income
    agreement_account = Model.get(
        'buurtwerkkamer.configuration', config=config)(1).agreement_account
    for code, lines in FIXED_COSTS.items():
        room = demo.rooms.get(code)
        if not room:
            continue
        budget = Budget(
            name="Begroting %s" % room.name, fiscalyear=fiscalyear,
            room=room)
        budget.save()
        budget.click('update_lines')
        amounts = {}
        for cost in costs:
            if cost.room.id != room.id:
                continue
            periods = len([d for d in _period_dates(cost)
                    if d <= fiscalyear.end_date])
            code_ = cost.account.code
            amounts[code_] = amounts.get(code_, Decimal(0)) - (
                cost.amount * periods)
        for agreement in Agreement.find([
                    ('room', '=', room.id),
                    ('year', '=', fiscalyear.start_date.year),
                    ('state', 'in', ['signed', 'evaluated']),
                    ]):
            code_ = agreement_account.code
            amounts[code_] = amounts.get(code_, Decimal(0)) + (
                agreement.contribution)
        for _, _, _, _, amount, account in OTHER_INCOME.get(code, []):
            amounts[account] = amounts.get(account, Decimal(0)) + Decimal(
                amount)
        amounts['4610'] = Decimal('-1200.00')
        amounts['4660'] = Decimal('-1000.00')
        for line in budget.lines:
            if line.account and line.account.code in amounts:
                line.amount = amounts[line.account.code]
        budget.save()

    # The annual reports of the year, computed and ready for the
    # kascommissie
    reports = []
    for code in ['ZUI', 'OVV', 'LUN']:
        room = demo.rooms.get(code)
        if room:
            report = AnnualReport(room=room, fiscalyear=fiscalyear)
            report.partner = demo.parties.get('municipality')
            reports.append(report)
    reports.append(AnnualReport(fiscalyear=fiscalyear))
    AnnualReport.save(reports)
    AnnualReport.click(reports, 'compute')
    check_report(demo, reports)


def _period_dates(cost):
    "Yield the first day of every period of the cost in its fiscal year"
    step = {'monthly': 1, 'quarterly': 3, 'yearly': 12}[cost.interval]
    end = cost.end_date or cost.start_date.replace(month=12, day=31)
    i = 0
    while cost.start_date + relativedelta(months=step * i) <= end:
        yield cost.start_date + relativedelta(months=step * i)
        i += 1


def check_report(demo, reports):
    """The kascommissie has checked the report of Lunetten, which waits for
    the accountant's approval; the other reports wait for the check."""
    config = demo.config
    User = Model.get('res.user', config=config)
    MoveLine = Model.get('account.move.line', config=config)
    users = User.find([('login', '=', 'kascommissie')])
    room = demo.rooms.get('LUN')
    if not users or not room:
        return
    report, = [r for r in reports if r.room and r.room.id == room.id]
    samples = MoveLine.find([
            ('move.state', '=', 'posted'),
            ('account.code', 'in', ['4300', '4500']),
            ('analytic_lines.account', '=', room.analytic_account.id),
            ], order=[('date', 'ASC'), ('id', 'ASC')], limit=2)
    user, context = config.user, config._context
    config.user = users[0].id
    config._context = User.get_preferences(True, {})
    try:
        check = Wizard(
            'buurtwerkkamer.annual_report.check',
            [Model.get('buurtwerkkamer.annual_report', config=config)(
                    report.id)], config=config)
        check.form.members = "Truus Mulder\nWim de Jong"
        for sample in samples:
            check.form.samples.append(MoveLine(sample.id))
        check.form.findings = (
            "De huur en de verzekering zijn met de contracten en de "
            "facturen vergeleken; ze kloppen.")
        check.form.advice = (
            "De kascommissie adviseert de algemene ledenvergadering het "
            "bestuur decharge te verlenen.")
        check.execute('check')
    finally:
        config.user, config._context = user, context
