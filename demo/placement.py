# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"Demo data of placements and of the cooperative as employer"
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from proteus import Model, Wizard

CANDIDATES = [
    # name, kind, room, state
    ("Samira Bakkali", 'participatieplaats', 'ZUI', 'candidate'),
    ("Kees van Dam", 'werkervaringsplaats', 'OVV', 'interview'),
    ("Anouk Meijer", 'perspectiefbaan', 'LUN', 'selected'),
    ("Youssef Amrani", 'participatieplaats', 'OVV', 'contracted'),
    ("Dirk Hendriks", 'participatieplaats', 'ZUI', 'active'),
    ("Priya Ramdin", 'werkervaringsplaats', 'LUN', 'active'),
    ("Ton Verbeek", 'perspectiefbaan', 'ZUI', 'ended'),
    ("Esra Yilmaz", 'werkervaringsplaats', 'OVV', 'rejected'),
    ("Marco de Graaf", 'participatieplaats', 'LUN', 'withdrawn'),
    ]
ORDER = ['candidate', 'interview', 'selected', 'contracted', 'active',
    'ended']


def load(demo):
    config = demo.config
    Party = Model.get('party.party', config=config)
    Placement = Model.get('buurtwerkkamer.placement', config=config)
    Employee = Model.get('company.employee', config=config)
    today = demo.today

    agency = demo.parties.get('benefits')
    coordinator = demo.employees['coordinator']
    coach = demo.employees['coach']

    parties = [Party(name=name) for name, *_ in CANDIDATES]
    Party.save(parties)

    placements = []
    for party, (_, kind, code, state) in zip(parties, CANDIDATES):
        placement = Placement(kind=kind, candidate=party)
        placement.room = demo.rooms[code]
        placement.source = 'benefits_agency' if agency else 'room'
        placement.distance = 'large'
        placement.benefits_agency = agency
        placement.agency_contact = "Klantmanager Werk"
        placement.motivation = "Wil ervaring opdoen en ritme opbouwen."
        placements.append((placement, state))
    Placement.save([p for p, _ in placements])

    for placement, state in placements:
        if state == 'rejected':
            placement.reason = "Past niet bij de werkzaamheden in de kamer."
            placement.click('reject')
            continue
        if state == 'withdrawn':
            placement.reason = "Heeft elders werk gevonden."
            placement.click('withdraw')
            continue
        target = ORDER.index(state)
        if target >= 1:
            placement.click('invite')
        if target >= 2:
            interview = placement.interviews.new()
            interview.date = today - relativedelta(months=4)
            interview.interviewers.append(Employee(coordinator.id))
            interview.outcome = 'suitable'
            interview.notes = "Gemotiveerd en betrouwbaar."
            placement.save()
            placement.click('select')
        if target >= 3:
            if state == 'ended':
                placement.start_date = today - relativedelta(months=14)
                placement.end_date = today - relativedelta(months=2)
            else:
                placement.start_date = today - relativedelta(months=3)
                placement.end_date = today + relativedelta(months=9)
            placement.hours = Decimal('16')
            placement.compensation = Decimal('180.00')
            placement.supervisor = Employee(coordinator.id)
            placement.click('contract')
        if target >= 4:
            placement.contract_signed_date = placement.start_date
            placement.contract_document = b'%PDF-1.4 demo'
            placement.contract_document_name = 'overeenkomst.pdf'
            placement.click('activate')
            review = placement.reviews.new()
            review.date = placement.start_date + relativedelta(months=1)
            review.reviewer = Employee(coach.id)
            review.notes = "Goede start, wil meer verantwoordelijkheid."
            review.next_review_date = today + relativedelta(days=10)
            placement.save()
        if target >= 5:
            placement.reason = "Contract afgelopen, doorgestroomd naar werk."
            placement.click('end')

    # One active placement with an open signal, reported to the agency
    active = [p for p, s in placements if s == 'active']
    if active:
        placement = active[0]
        signal = placement.signals.new()
        signal.date = today - relativedelta(days=5)
        signal.severity = 'medium'
        signal.description = (
            "Komt de laatste weken regelmatig te laat en lijkt moe.")
        signal.approach = (
            "Gesprek met de deelnemer en de begeleider; "
            "klantmanager op de hoogte brengen.")
        signal.report_to_agency = bool(placement.benefits_agency)
        signal.agency_contact = "Klantmanager Werk"
        placement.save()
        if placement.benefits_agency:
            signal, = placement.signals
            signal.click('report')
    if len(active) > 1:
        placement = active[1]
        signal = placement.signals.new()
        signal.date = today - relativedelta(days=2)
        signal.severity = 'low'
        signal.description = "Conflict met een vrijwilliger over de planning."
        signal.approach = "Bespreken in het teamoverleg."
        placement.save()

    load_employment(demo)


def load_employment(demo):
    config = demo.config
    Configuration = Model.get('buurtwerkkamer.configuration', config=config)
    Employment = Model.get('buurtwerkkamer.employment', config=config)
    Room = Model.get('buurtwerkkamer.room', config=config)
    today = demo.today

    configuration = Configuration(1)
    configuration.staff_cost_account = demo.accounts.get(
        'chart_4000', demo.accounts['expense'])
    configuration.staff_cost_payable_account = demo.accounts.get(
        'salaries_payable', demo.accounts['payable'])
    # The fees of freelancers, with the VAT the cooperative cannot
    # reclaim, on their own account
    configuration.staff_fee_account = demo.accounts.get(
        'chart_4050', demo.accounts['expense'])
    configuration.staff_fee_payable_account = demo.accounts.get(
        'chart_1660', configuration.staff_cost_payable_account)
    configuration.save()

    start = (today - relativedelta(months=6)).replace(day=1)
    coordinator = Employment(
        employee=demo.employees['coordinator'], role='team_coordinator')
    coordinator.kind = 'employment'
    coordinator.hours = Decimal('28')
    coordinator.monthly_cost = Decimal('3450.00')
    coordinator.start_date = start
    for code, percentage in [('ZUI', '40'), ('OVV', '30'), ('LUN', '30')]:
        allocation = coordinator.allocations.new()
        allocation.room = Room(demo.rooms[code].id)
        allocation.percentage = Decimal(percentage)
    coordinator.save()

    coach = Employment(
        employee=demo.employees['coach'], role='project_coach')
    coach.kind = 'zzp'
    coach.hours = Decimal('8')
    coach.hourly_rate = Decimal('62.50')
    coach.vat_rate = Decimal('0.21')
    coach.start_date = start
    for code, percentage in [('ZUI', '33.33'), ('OVV', '33.33'),
            ('LUN', '33.34')]:
        allocation = coach.allocations.new()
        allocation.room = Room(demo.rooms[code].id)
        allocation.percentage = Decimal(percentage)
    coach.save()
    Employment.click([coordinator, coach], 'run')

    # Accrue the past months of the fiscal year
    month = start
    last = (today - relativedelta(months=1)).replace(day=1)
    fiscalyear = demo.fiscalyear
    while month <= last:
        if fiscalyear.start_date <= month <= fiscalyear.end_date:
            accrue = Wizard('buurtwerkkamer.employment.accrue', config=config)
            accrue.form.month = month
            accrue.execute('accrue')
        month += relativedelta(months=1)
