# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Demo data of room life: meetings with action items, house rules, coaching
goals, a mediated conflict with a suspension, learning plans with trainings
and an evaluation."""
import datetime as dt
from decimal import Decimal

from proteus import Model

HOUSE_RULES = [
    ("We spreken elkaar met respect aan",
        "Iedereen is welkom. Schelden, discrimineren en geweld "
        "accepteren we niet."),
    ("Wie iets gebruikt, ruimt het zelf op",
        "Kopjes gaan na gebruik in de vaatwasser.\n"
        "Gereedschap van de klussendienst gaat terug in de kast."),
    ("Geen alcohol en drugs in de buurtwerkkamer", None),
    ("Afspraak is afspraak",
        "Kun je niet komen op je dienst? Meld je dan af bij de teamleider."),
    ]


def _party(demo, name):
    Party = Model.get('party.party', config=demo.config)
    party = demo.parties.get(name)
    if party is None:
        parties = Party.find([('name', '=', name)], limit=1)
        if parties:
            party, = parties
        else:
            party = Party(name=name)
            party.save()
        demo.parties[name] = party
    return party


def _members(room):
    return [m.party for m in room.members if m.active]


def load(demo):
    config = demo.config
    Meeting = Model.get('buurtwerkkamer.meeting', config=config)
    HouseRule = Model.get('buurtwerkkamer.house_rule', config=config)
    Goal = Model.get('buurtwerkkamer.coaching.goal', config=config)
    Plan = Model.get('buurtwerkkamer.learning_plan', config=config)
    Party = Model.get('party.party', config=config)
    Room = Model.get('buurtwerkkamer.room', config=config)

    if Meeting.find([], limit=1):
        # Loaded before
        return

    today = demo.today
    quarter = today - dt.timedelta(days=84)
    coach = demo.employees.get('coach')
    coordinator = demo.employees.get('coordinator')
    leaders = {
        'ZUI': demo.employees.get('henk'),
        'OVV': demo.employees.get('mieke'),
        'LUN': demo.employees.get('ahmed'),
        }
    trainer = _party(demo, "Vrijwilligersacademie Utrecht")
    evaluator = _party(demo, "Hogeschool Utrecht, lectoraat Wijkaanpak")

    # First the suspension, so that the invitations respect it
    _load_conflict(demo, coach, evaluator)

    for code in ['ZUI', 'OVV', 'LUN']:
        room = demo.rooms.get(code)
        if not room:
            continue
        room = Room(room.id)
        leader = leaders.get(code)
        chair = leader.party if leader else None
        people = _members(room)
        volunteers = [
            m.party for m in room.members if m.role != 'team_leader']

        # Team meetings every four weeks of the last quarter
        meetings = []
        for week in range(0, 12, 4):
            meeting = Meeting(room=room, kind='team')
            meeting.date = quarter + dt.timedelta(weeks=week)
            meeting.chair = chair
            meeting.agenda = (
                "1. Opening en mededelingen\n"
                "2. Terugblik activiteiten\n"
                "3. Rooster en taken\n"
                "4. Rondvraag")
            meeting.save()
            meeting.click('invite')
            meeting.click('hold')
            meeting.minutes = (
                "Goede opkomst. De koffieochtend loopt goed; "
                "de klussendienst zoekt nog een extra vrijwilliger.")
            meeting.decisions = "Het rooster wordt per maand gemaakt."
            for i, person in enumerate(people[:3]):
                action = meeting.actions.new(responsible=person)
                action.description = [
                    "Rooster voor de volgende maand maken",
                    "Flyers voor de open dag verspreiden",
                    "Nieuwe vrijwilliger inwerken",
                    ][i]
                # the actions of the last meeting are still running
                action.due_date = meeting.date + dt.timedelta(
                    days=35 if week == 8 else 14)
                action.done = week < 8 and i != 1
            meeting.save()
            meetings.append(meeting)

        # The room's house rules, agreed in the first meeting
        for sequence, (name, description) in enumerate(HOUSE_RULES, 1):
            rule = HouseRule(room=room, sequence=sequence, name=name)
            rule.description = description
            rule.meeting = meetings[0]
            rule.agreed_date = meetings[0].date
            rule.save()

        # Goals of the year, reviewed by the project coach
        goals = []
        for name, indicator, status in [
                ("Een vaste groep bezoekers",
                    "Gemiddeld 20 bezoekers per openingsdag", 'on_track'),
                ("Meer vrijwilligers uit de buurt",
                    "Vijf nieuwe vrijwilligers dit jaar", 'at_risk'),
                ("Samenwerking met de wijkagent",
                    "Eens per kwartaal overleg", 'achieved'),
                ]:
            goal = Goal(room=room, year=today.year)
            goal.name = name
            goal.indicator = indicator
            goal.status = status
            goal.save()
            goals.append(goal)
        if coach:
            talk = Meeting(room=room, kind='coaching')
            talk.date = quarter + dt.timedelta(weeks=6)
            talk.chair = coach.party
            if chair:
                talk.attendees.new(party=chair)
            talk.coaching_goals.extend([Goal(g.id) for g in goals])
            talk.minutes = "Doelen doorgenomen met de teamleider."
            talk.save()
            talk.click('hold')

        # The next team meeting and the yearly partner meeting
        upcoming = Meeting(room=room, kind='team')
        upcoming.date = today + dt.timedelta(days=7)
        upcoming.chair = chair
        upcoming.save()
        upcoming.click('invite')
        yearly = Meeting(room=room, kind='partner')
        yearly.date = today + dt.timedelta(days=28)
        yearly.chair = coordinator.party if coordinator else chair
        yearly.agenda = (
            "1. Wat hebben we samen bereikt?\n"
            "2. Leerpunten\n"
            "3. Afspraken voor volgend jaar")
        yearly.save()
        yearly.click('invite')

        # Learning plan with two trainings
        plan = Plan(room=room, year=today.year)
        plan.experiences = (
            "Bij drukte verliezen we het overzicht over wie wat doet.")
        plan.results = "Het team kent de huisregels en spreekt elkaar aan."
        plan.goals = (
            "Vrijwilligers kunnen zelf een gesprek bij een conflict leiden.\n"
            "Twee vrijwilligers hebben een EHBO-diploma.")
        training = plan.trainings.new(name="Omgaan met conflicten")
        training.provider = trainer
        training.date = quarter + dt.timedelta(weeks=5)
        training.cost = Decimal('450.00')
        training.done = True
        training.participants.extend(
            [Party(p.id) for p in volunteers[:2]])
        training = plan.trainings.new(name="EHBO")
        training.provider = trainer
        training.date = today + dt.timedelta(days=30)
        training.cost = Decimal('240.00')
        training.participants.extend(
            [Party(p.id) for p in volunteers[1:3]])
        plan.save()


def _load_conflict(demo, coach, evaluator):
    "A conflict in Zuilen, mediated with a two-week suspension"
    config = demo.config
    Room = Model.get('buurtwerkkamer.room', config=config)
    Party = Model.get('party.party', config=config)
    Conflict = Model.get('buurtwerkkamer.conflict', config=config)
    Suspension = Model.get('buurtwerkkamer.suspension', config=config)
    Evaluation = Model.get('buurtwerkkamer.evaluation', config=config)
    today = demo.today

    room = demo.rooms.get('ZUI')
    if room and coach:
        room = Room(room.id)
        people = [m.party for m in room.members if m.role != 'team_leader']
        if len(people) >= 2:
            first, second = people[:2]
            conflict = Conflict(room=room)
            conflict.date = today - dt.timedelta(days=6)
            conflict.parties.extend([Party(first.id), Party(second.id)])
            conflict.description = (
                "Ruzie in de klussendienst over het lenen van gereedschap.")
            conflict.mediator = coach
            conflict.save()
            conflict.click('mediate')
            suspension = Suspension(room=room, party=second)
            suspension.conflict = conflict
            suspension.from_date = today - dt.timedelta(days=4)
            suspension.to_date = suspension.from_date + dt.timedelta(days=13)
            suspension.reason = (
                "Neemt twee weken afstand; daarna een gesprek "
                "met de bemiddelaar.")
            suspension.save()
            conflict.outcome = (
                "Afspraken gemaakt over het uitlenen van gereedschap. "
                "Na twee weken afstand komt iedereen weer samen.")
            conflict.everybody_stays = False
            conflict.click('resolve')

        evaluation = Evaluation(room=room, evaluator=evaluator)
        evaluation.date = today - dt.timedelta(days=20)
        evaluation.theme = "Inzet van vrijwilligers"
        evaluation.findings = (
            "Vrijwilligers voelen zich welkom; de taakverdeling kan "
            "duidelijker.")
        evaluation.save()
