# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from functools import reduce

from sql import Column

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access

from .access import RecordAccessMixin


class Party(RecordAccessMixin, metaclass=PoolMeta):
    __name__ = 'party.party'

    room_staff = fields.Function(
        fields.Many2Many(
            'company.employee', None, None, "Room Staff",
            help="The staff of the rooms the party takes part in: "
            "as the room itself, a member, an employee, a partner "
            "or a person in the room's records."),
        'get_room_staff', searcher='search_room_staff')

    @classmethod
    def _room_party_links(cls):
        """The records of a room that name a party:
        (model, path to the room, party field)"""
        return [
            ('buurtwerkkamer.room', 'id', 'party'),
            ('buurtwerkkamer.room.member', 'room', 'party'),
            ('buurtwerkkamer.intent', 'room', 'partner'),
            ('buurtwerkkamer.location.option', 'room', 'landlord'),
            ('buurtwerkkamer.funding.application', 'room', 'funder'),
            ('buurtwerkkamer.agreement', 'room', 'partner'),
            ('buurtwerkkamer.covenant.partner', 'covenant.rooms', 'party'),
            ('buurtwerkkamer.covenant.signature', 'covenant.rooms', 'party'),
            ('buurtwerkkamer.meeting', 'room', 'chair'),
            ('buurtwerkkamer.meeting.attendee', 'meeting.room', 'party'),
            ('buurtwerkkamer.meeting.action', 'meeting.room', 'responsible'),
            ('buurtwerkkamer.conflict-party.party', 'conflict.room', 'party'),
            ('buurtwerkkamer.suspension', 'room', 'party'),
            ('buurtwerkkamer.training', 'plan.room', 'provider'),
            ('buurtwerkkamer.training-party.party', 'training.plan.room',
                'party'),
            ('buurtwerkkamer.evaluation', 'room', 'evaluator'),
            ]

    @classmethod
    def _room_parties_query(cls, rooms):
        "The query of the ids of the parties of the rooms"
        pool = Pool()
        Room = pool.get('buurtwerkkamer.room')
        Employee = pool.get('company.employee')
        room = Room.__table__()
        employee = Employee.__table__()

        queries = []
        with without_check_access():
            for model, room_path, party_field in cls._room_party_links():
                Model = pool.get(model)
                table = Model.__table__()
                records = Model.search(
                    [(room_path, 'in', rooms)], order=[], query=True)
                party = Column(table, party_field)
                queries.append(table.select(
                        party.as_('party'),
                        where=table.id.in_(records) & (party != None)))
        staff = reduce(lambda a, b: a | b, [
                room.select(Column(room, f).as_('employee'),
                    where=room.id.in_(rooms))
                for f in ['team_leader', 'team_coordinator',
                    'project_coach']])
        queries.append(employee.select(
                employee.party.as_('party'),
                where=employee.id.in_(staff)))
        return reduce(lambda a, b: a | b, queries)

    @classmethod
    def get_room_staff(cls, parties, name):
        pool = Pool()
        Room = pool.get('buurtwerkkamer.room')
        cursor = Transaction().connection.cursor()
        ids = [p.id for p in parties]
        staff = {i: set() for i in ids}
        with without_check_access():
            rooms = Room.search([], order=[])
        for room in rooms:
            if not room.staff:
                continue
            query = cls._room_parties_query([room.id])
            cursor.execute(*query.select(
                    query.party, where=query.party.in_(ids)))
            for party_id, in cursor:
                staff[party_id].update(room.staff)
        return {i: [e.id for e in s] for i, s in staff.items()}

    @classmethod
    def search_room_staff(cls, name, clause):
        pool = Pool()
        Room = pool.get('buurtwerkkamer.room')
        _, operator, operand, *extra = clause
        nested = clause[0][len(name):]
        with without_check_access():
            rooms = Room.search([
                    ('staff' + nested, operator, operand, *extra),
                    ], order=[], query=True)
        return [('id', 'in', cls._room_parties_query(rooms))]


class Address(RecordAccessMixin, metaclass=PoolMeta):
    __name__ = 'party.address'

    @classmethod
    def default_country(cls):
        "The country of the company, else the Netherlands"
        pool = Pool()
        Company = pool.get('company.company')
        Country = pool.get('country.country')
        company_id = Transaction().context.get('company')
        if company_id is not None and company_id >= 0:
            address = Company(company_id).party.address_get()
            if address and address.country:
                return address.country.id
        countries = Country.search([('code', '=', 'NL')], limit=1)
        if countries:
            country, = countries
            return country.id


class ContactMechanism(RecordAccessMixin, metaclass=PoolMeta):
    __name__ = 'party.contact_mechanism'


class BankAccount(RecordAccessMixin, metaclass=PoolMeta):
    __name__ = 'bank.account'
