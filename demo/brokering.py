# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Demo of the brokering: two covenants with four partners, last year's
agreements signed, invoiced and evaluated, this year's made from the granted
funding applications of the municipality and renewed from last year's for
the other partners, and next year's waiting to be signed."""
import datetime as dt
from decimal import Decimal

from proteus import Model, Wizard

# room code: (contribution of the municipality, of the housing corporation)
CONTRIBUTIONS = {
    'ZUI': (Decimal('10000.00'), Decimal('3000.00')),
    'OVV': (Decimal('10000.00'), Decimal('3000.00')),
    'LUN': (Decimal('9000.00'), Decimal('3000.00')),
    }

# description, indicator, target, realised last year, evaluation
OBLIGATIONS = [
    ("Open inloop voor buurtbewoners", "bezoekers per week",
        Decimal('40'), Decimal('46'),
        "Drukker dan verwacht, vooral op de koffieochtenden."),
    ("Actieve vrijwilligers", "vrijwilligers",
        Decimal('12'), Decimal('10'),
        "Twee vrijwilligers vonden betaald werk; de werving loopt."),
    ("Activiteiten voor en door bewoners", "activiteiten per maand",
        Decimal('8'), Decimal('9'),
        "Repair café, taalmaatjes en de computerbrigade draaien vast."),
    ]

PLACEMENT_OBLIGATIONS = [
    ("Participatieplaatsen voor mensen met een afstand tot werk",
        "plaatsen", Decimal('3'), Decimal('3'),
        "Alle drie de plaatsen ingevuld; één doorstroom naar werk."),
    ]


def _services(codes):
    Service = Model.get('buurtwerkkamer.service')
    return Service.find([('code', 'in', codes)])


# Who signs the yearly agreements on behalf of the partners, and in which
# function
SIGNATORIES = {
    "Gemeente Utrecht": ("Marieke van Dam", "Wethouder Wijken"),
    "Woningcorporatie Mitros": ("Karel Smit", "Directeur Wonen"),
    "Oranje Fonds": ("Fatima El Amrani", "Programmamanager Meedoen"),
    }


def _agreement(covenant, room, partner, year, contribution, services,
        obligations, instalments):
    Agreement = Model.get('buurtwerkkamer.agreement')
    agreement = Agreement(covenant=covenant, room=room, year=year)
    agreement.partner = partner
    agreement.contribution = contribution
    agreement.signatory, agreement.signatory_function = SIGNATORIES.get(
        partner.name, ("Anne Jansen", "Directeur"))
    agreement.services.extend(services)
    for description, indicator, target, _, _ in obligations:
        obligation = agreement.obligations.new()
        obligation.description = description
        obligation.indicator = indicator
        obligation.target = target
    for date, share in instalments:
        instalment = agreement.instalments.new()
        instalment.date = date
        instalment.amount = (contribution * share).quantize(Decimal('0.01'))
    return agreement


def _evaluate(agreements, obligations_by_description):
    Agreement = Model.get('buurtwerkkamer.agreement')
    for agreement in agreements:
        for obligation in agreement.obligations:
            _, _, target, realised, evaluation = (
                obligations_by_description[obligation.description])
            obligation.realised = realised
            obligation.achieved = realised >= target
            obligation.evaluation = evaluation
        agreement.evaluation = (
            "Besproken in het jaarlijkse partneroverleg; "
            "de afspraken worden voortgezet.")
        agreement.save()
    Agreement.click(agreements, 'evaluate')


def _complete(agreement, model, year):
    "Give an agreement made from a funding application the terms of model"
    Service = Model.get('buurtwerkkamer.service')
    agreement.services.extend([Service(s.id) for s in model.services])
    for obligation in model.obligations:
        new = agreement.obligations.new()
        new.description = obligation.description
        new.indicator = obligation.indicator
        new.target = obligation.target
    for date, share in [
            (dt.date(year, 1, 15), Decimal('0.5')),
            (dt.date(year, 7, 1), Decimal('0.5'))]:
        instalment = agreement.instalments.new()
        instalment.date = date
        instalment.amount = (agreement.contribution * share).quantize(
            Decimal('0.01'))
    instalment.amount = agreement.contribution - sum(
        i.amount for i in agreement.instalments[:-1])
    agreement.signatory = model.signatory
    agreement.signatory_function = model.signatory_function
    agreement.save()


def load(demo):
    Agreement = Model.get('buurtwerkkamer.agreement')
    Application = Model.get('buurtwerkkamer.funding.application')
    Configuration = Model.get('buurtwerkkamer.configuration')
    Covenant = Model.get('buurtwerkkamer.covenant')
    Room = Model.get('buurtwerkkamer.room')
    Account = Model.get('account.account')

    configuration = Configuration(1)
    configuration.agreement_account = Account(demo.accounts['revenue'].id)
    configuration.save()

    year = demo.today.year
    last_year = year - 1
    parties = demo.parties
    rooms = demo.rooms
    by_description = {o[0]: o for o in OBLIGATIONS + PLACEMENT_OBLIGATIONS}

    # The covenant of the three operational rooms is made by the main
    # loader; a second one with the fund ends this year.
    covenants = getattr(demo, 'covenants', None) or Covenant.find([
            ('state', '=', 'active'),
            ], order=[('id', 'ASC')], limit=1)
    covenant = Covenant(covenants[0].id)
    signature = covenant.signatures.new()
    signature.party = parties['municipality']
    signature.signatory = "Marieke van Dam"
    signature.function = "Wethouder Wijken"
    # Each partner signs on its own day
    signature.date = (covenant.signed_date or covenant.start_date
        ) - dt.timedelta(days=5)
    signature = covenant.signatures.new()
    signature.party = parties['housing']
    signature.signatory = "Karel Smit"
    signature.function = "Directeur Wonen"
    signature.date = covenant.signed_date or covenant.start_date
    covenant.save()

    fund_covenant = Covenant(name="Werk en meedoen in Lunetten")
    fund_covenant.start_date = dt.date(last_year, 1, 1)
    fund_covenant.end_date = dt.date(year, 12, 31)
    fund_covenant.ambitions = (
        "Bewoners van Lunetten met een afstand tot de arbeidsmarkt doen "
        "weer mee via vrijwilligerswerk en participatieplaatsen in de "
        "buurtwerkkamer.")
    fund_covenant.rooms.append(Room(rooms['LUN'].id))
    line = fund_covenant.partners.new()
    line.party = parties['fund']
    line.role = 'funder'
    line.yearly_commitment = Decimal('5000.00')
    line = fund_covenant.partners.new()
    line.party = parties['benefits']
    line.role = 'partner'
    line.yearly_commitment = Decimal('0.00')
    signature = fund_covenant.signatures.new()
    signature.party = parties['fund']
    signature.signatory = "Fatima El Amrani"
    signature.function = "Programmamanager Meedoen"
    signature.date = dt.date(last_year, 1, 15)
    fund_covenant.save()
    fund_covenant.click('sign')
    fund_covenant.click('activate')

    # Last year's agreements, invoiced in two instalments and evaluated
    halves = [
        (dt.date(last_year, 1, 15), Decimal('0.5')),
        (dt.date(last_year, 7, 1), Decimal('0.5')),
        ]
    agreements = []
    for code, (municipality, housing) in CONTRIBUTIONS.items():
        room = Room(rooms[code].id)
        agreements.append(_agreement(
                covenant, room, parties['municipality'], last_year,
                municipality, _services(['1', '2A', '2B', '2D', '5']),
                OBLIGATIONS, halves))
        agreements.append(_agreement(
                covenant, room, parties['housing'], last_year, housing,
                _services(['1', '2E']), OBLIGATIONS[:1],
                [(dt.date(last_year, 1, 15), Decimal('1'))]))
    agreements.append(_agreement(
            covenant, Room(rooms['ZUI'].id), parties['benefits'], last_year,
            Decimal('0.00'), _services(['2C']), PLACEMENT_OBLIGATIONS, []))
    agreements.append(_agreement(
            fund_covenant, Room(rooms['LUN'].id), parties['fund'], last_year,
            Decimal('5000.00'), _services(['2C', '4']),
            PLACEMENT_OBLIGATIONS, halves))
    Agreement.save(agreements)
    Agreement.click(agreements, 'sign')
    Agreement.click(agreements, 'invoice')
    _evaluate(agreements, by_description)

    # The granted funding applications of the municipality become its
    # agreements of this year and next year, on the terms of last year's
    applications = Application.find([('agreement_missing', '=', True)])
    if applications:
        Application.click(applications, 'create_agreements')
    models = {(a.room.id, a.partner.id): a for a in agreements}
    for application in applications:
        application.reload()
        for agreement in application.agreements:
            model = models.get((agreement.room.id, agreement.partner.id))
            if model:
                _complete(agreement, model, agreement.year)

    # The other agreements of this year are renewed from last year's
    renewed = []
    for each in [covenant, fund_covenant]:
        renew = Wizard('buurtwerkkamer.agreement.renew', [each])
        renew.form.year = last_year
        renew.execute('renew')
        renewed.extend(Agreement.find([
                    ('covenant', '=', each.id),
                    ('year', '=', year),
                    ]))
    Agreement.click(renewed, 'sign')
    Agreement.click(renewed, 'invoice')

    # Next year's agreements of the long covenant wait to be signed
    renew = Wizard('buurtwerkkamer.agreement.renew', [covenant])
    renew.form.year = year
    renew.execute('renew')
