# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
import unittest
from contextlib import contextmanager
from unittest.mock import patch

from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)


class RoomLifeTestCase(unittest.TestCase):
    "Test meetings, conflicts, suspensions and development of the rooms"

    @classmethod
    def setUpClass(cls):
        activate_module('buurtwerkkamer')
        # The server's today stays the tests' today, even past midnight
        patcher = patch('trytond.ir.date.Date.today', return_value=TODAY)
        patcher.start()
        cls.addClassCleanup(patcher.stop)

    @contextmanager
    def refused(self, regex):
        "Assert the refusal and undo what the refused call wrote"
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        cursor.execute('SAVEPOINT refused')
        try:
            with self.assertRaisesRegex((AccessError, ValidationError), regex):
                yield
        finally:
            cursor.execute('ROLLBACK TO SAVEPOINT refused')
            cursor.execute('RELEASE SAVEPOINT refused')
            transaction.cache.clear()

    def _room(self, company, code='ZUI'):
        pool = Pool()
        Room = pool.get('buurtwerkkamer.room')
        Party = pool.get('party.party')
        room, = Room.create([{
                    'name': "Buurtwerkkamer %s" % code,
                    'code': code,
                    'company': company.id,
                    }])
        person, = Party.create([{'name': "Joost Visser"}])
        return room, person

    def _suspend(self, room, party, from_date, to_date):
        pool = Pool()
        Suspension = pool.get('buurtwerkkamer.suspension')
        suspension, = Suspension.create([{
                    'company': room.company.id,
                    'room': room.id,
                    'party': party.id,
                    'from_date': from_date,
                    'to_date': to_date,
                    'reason': "Afstand nemen",
                    }])
        return suspension

    def _meeting(self, room, date, **values):
        pool = Pool()
        Meeting = pool.get('buurtwerkkamer.meeting')
        meeting, = Meeting.create([{
                    'company': room.company.id,
                    'room': room.id,
                    'kind': 'team',
                    'date': date,
                    **values,
                    }])
        return meeting

    @with_transaction()
    def test_suspension_overlap(self):
        "Overlapping suspensions of one person in one room are refused"
        company = create_company()
        with set_company(company):
            room, joost = self._room(company)
            other_room, _ = self._room(company, 'OVV')
            self._suspend(room, joost, TODAY, TODAY + 13 * DAY)

            for from_date, to_date in [
                    (TODAY - 5 * DAY, TODAY),
                    (TODAY + 13 * DAY, TODAY + 20 * DAY),
                    (TODAY + 2 * DAY, TODAY + 3 * DAY),
                    (TODAY - DAY, TODAY + 20 * DAY),
                    ]:
                with self.subTest(from_date=from_date, to_date=to_date):
                    with self.refused('overlaps'):
                        self._suspend(room, joost, from_date, to_date)

            # the day after and another room are fine
            after = self._suspend(
                room, joost, TODAY + 14 * DAY, TODAY + 20 * DAY)
            elsewhere = self._suspend(
                other_room, joost, TODAY, TODAY + 13 * DAY)
            self.assertTrue(after.id and elsewhere.id)

    @with_transaction()
    def test_suspension_inverted(self):
        "A suspension that ends before it starts is refused"
        company = create_company()
        with set_company(company):
            room, joost = self._room(company)
            with self.refused('ends before'):
                self._suspend(room, joost, TODAY, TODAY - DAY)
            # one single day is a valid suspension
            self._suspend(room, joost, TODAY, TODAY)

    @with_transaction()
    def test_suspension_extend_over_other(self):
        "Extending a suspension over another one is refused"
        pool = Pool()
        Suspension = pool.get('buurtwerkkamer.suspension')
        company = create_company()
        with set_company(company):
            room, joost = self._room(company)
            first = self._suspend(room, joost, TODAY, TODAY + 6 * DAY)
            self._suspend(room, joost, TODAY + 10 * DAY, TODAY + 12 * DAY)
            with self.refused('overlaps'):
                Suspension.write([first], {'to_date': TODAY + 10 * DAY})

    @with_transaction()
    def test_attendance_during_suspension(self):
        "A suspended person cannot be present, only absent"
        pool = Pool()
        Attendee = pool.get('buurtwerkkamer.meeting.attendee')
        company = create_company()
        with set_company(company):
            room, joost = self._room(company)
            other_room, _ = self._room(company, 'OVV')
            self._suspend(room, joost, TODAY, TODAY + 13 * DAY)
            during = self._meeting(room, TODAY + 13 * DAY)
            before = self._meeting(room, TODAY - DAY)
            elsewhere = self._meeting(other_room, TODAY)

            with self.refused('suspended'):
                Attendee.create([{
                            'meeting': during.id,
                            'party': joost.id,
                            'attendance': 'present',
                            }])
            absent, = Attendee.create([{
                        'meeting': during.id,
                        'party': joost.id,
                        'attendance': 'absent',
                        }])
            with self.refused('suspended'):
                Attendee.write([absent], {'attendance': 'present'})
            Attendee.create([{
                        'meeting': m.id,
                        'party': joost.id,
                        'attendance': 'present',
                        } for m in [before, elsewhere]])

    @with_transaction()
    def test_suspension_over_recorded_presence(self):
        "A suspension cannot cover a meeting the person attended"
        pool = Pool()
        Attendee = pool.get('buurtwerkkamer.meeting.attendee')
        company = create_company()
        with set_company(company):
            room, joost = self._room(company)
            meeting = self._meeting(room, TODAY - 2 * DAY)
            Attendee.create([{
                        'meeting': meeting.id,
                        'party': joost.id,
                        'attendance': 'present',
                        }])
            with self.refused('present'):
                self._suspend(room, joost, TODAY - 3 * DAY, TODAY + DAY)
            self._suspend(room, joost, TODAY - DAY, TODAY + DAY)

    @with_transaction()
    def test_member_suspended(self):
        "Members show their suspension and cannot join during it"
        pool = Pool()
        Member = pool.get('buurtwerkkamer.room.member')
        company = create_company()
        with set_company(company):
            room, joost = self._room(company)
            member, = Member.create([{
                        'room': room.id,
                        'party': joost.id,
                        'role': 'volunteer',
                        'start_date': TODAY - 100 * DAY,
                        }])
            self.assertFalse(member.suspended)

            self._suspend(room, joost, TODAY - DAY, TODAY + DAY)
            member = Member(member.id)
            self.assertTrue(member.suspended)

            with self.refused('suspended'):
                Member.create([{
                            'room': room.id,
                            'party': joost.id,
                            'role': 'participant',
                            'start_date': TODAY,
                            }])
            Member.create([{
                        'room': room.id,
                        'party': joost.id,
                        'role': 'participant',
                        'start_date': TODAY + 2 * DAY,
                        }])

    @with_transaction()
    def test_overdue_actions(self):
        "Open actions past their due date are overdue"
        pool = Pool()
        Action = pool.get('buurtwerkkamer.meeting.action')
        company = create_company()
        with set_company(company):
            room, joost = self._room(company)
            meeting = self._meeting(room, TODAY - 30 * DAY)
            late, done, due_today = Action.create([{
                        'meeting': meeting.id,
                        'responsible': joost.id,
                        'description': description,
                        'due_date': due_date,
                        'done': is_done,
                        } for description, due_date, is_done in [
                        ("Late", TODAY - DAY, False),
                        ("Done", TODAY - DAY, True),
                        ("Today", TODAY, False),
                        ]])
            self.assertEqual(
                [a.overdue for a in [late, done, due_today]],
                [True, False, False])
            self.assertEqual(
                Action.search([('overdue', '=', True)]), [late])
            self.assertEqual(
                Action.search([('overdue', '=', False)]), [done, due_today])
            self.assertEqual(
                Action.search([('room', '=', room.id)]),
                [late, done, due_today])

    @with_transaction()
    def test_held_meeting_not_deleted(self):
        "A held meeting cannot be deleted, a cancelled one can"
        pool = Pool()
        Meeting = pool.get('buurtwerkkamer.meeting')
        company = create_company()
        with set_company(company):
            room, _ = self._room(company)
            held = self._meeting(room, TODAY)
            cancelled = self._meeting(room, TODAY)
            Meeting.hold([held])
            Meeting.cancel([cancelled])
            with self.refused('held'):
                Meeting.delete([held])
            Meeting.delete([cancelled])
            self.assertEqual(Meeting.search([]), [held])

    @with_transaction()
    def test_members_suspended_in_bulk(self):
        "The suspended flag is computed for many members at once"
        pool = Pool()
        Party = pool.get('party.party')
        Member = pool.get('buurtwerkkamer.room.member')
        company = create_company()
        with set_company(company):
            room, _ = self._room(company)
            parties = Party.create([{'name': str(i)} for i in range(300)])
            Member.create([{
                        'room': room.id,
                        'party': p.id,
                        'start_date': TODAY - 10 * DAY,
                        } for p in parties])
            for party in parties[::50]:
                self._suspend(room, party, TODAY, TODAY)

            members = Member.search([('room', '=', room.id)])
            suspended = Member.get_suspended(members, 'suspended')
            self.assertEqual(sum(suspended.values()), 6)
            self.assertEqual(len(suspended), 300)

