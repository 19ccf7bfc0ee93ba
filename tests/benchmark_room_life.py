#!/usr/bin/env python3
# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Benchmark of the suspension checks of room life.

Prints how the time to show the members of a room with their suspended flag,
to invite them to a meeting and to validate their attendance grows with the
number of members.  A ratio at or below the ratio of the sizes (10) means
the work grows linearly, without queries per member.

    python -O tests/benchmark_room_life.py

Run it with -O as in production: without it the assertions of Tryton's
ModelStorage.__init__ check the whole id list for every browsed record,
which makes browsing a thousand records quadratic.
"""
import datetime as dt
import os
import time

os.environ.setdefault('TRYTOND_DATABASE_URI', 'sqlite://')
os.environ.setdefault('DB_NAME', ':memory:')

from trytond.modules.company.tests import (  # noqa: E402
    create_company, set_company)
from trytond.pool import Pool  # noqa: E402
from trytond.tests.test_tryton import (  # noqa: E402
    DB_NAME, USER, activate_module)
from trytond.transaction import Transaction  # noqa: E402

TODAY = dt.date.today()
SIZES = [100, 1000]


def setup(size, code):
    pool = Pool()
    Room = pool.get('buurtwerkkamer.room')
    Party = pool.get('party.party')
    Member = pool.get('buurtwerkkamer.room.member')
    Suspension = pool.get('buurtwerkkamer.suspension')
    Meeting = pool.get('buurtwerkkamer.meeting')

    room, = Room.create([{'name': code, 'code': code}])
    parties = Party.create([{'name': '%s %s' % (code, i)}
            for i in range(size)])
    Member.create([{
                'room': room.id,
                'party': p.id,
                'start_date': TODAY - dt.timedelta(days=100),
                } for p in parties])
    Suspension.create([{
                'room': room.id,
                'company': room.company.id,
                'party': p.id,
                'from_date': TODAY - dt.timedelta(days=3),
                'to_date': TODAY + dt.timedelta(days=10),
                'reason': "Benchmark",
                } for p in parties[::10]])
    meeting, = Meeting.create([{
                'room': room.id,
                'company': room.company.id,
                'date': TODAY,
                }])
    return room, meeting


def measure(size, code):
    pool = Pool()
    Member = pool.get('buurtwerkkamer.room.member')
    Meeting = pool.get('buurtwerkkamer.meeting')
    room, meeting = setup(size, code)
    timings = {}

    start = time.perf_counter()
    members = Member.search([('room', '=', room.id)])
    suspended = Member.read(
        [m.id for m in members], ['party', 'suspended'])
    timings['members with suspended flag'] = time.perf_counter() - start
    if sum(m['suspended'] for m in suspended) != size // 10:
        raise RuntimeError("wrong number of suspended members")

    start = time.perf_counter()
    Meeting.invite([meeting])
    timings['invite'] = time.perf_counter() - start
    meeting = Meeting(meeting.id)
    if len(meeting.attendees) != size - size // 10:
        raise RuntimeError("suspended members invited")

    start = time.perf_counter()
    Meeting.hold([meeting])
    timings['hold (validate attendance)'] = time.perf_counter() - start
    return timings


def main():
    activate_module('buurtwerkkamer')
    with Transaction().start(DB_NAME, USER, context={}):
        company = create_company()
        with set_company(company):
            results = [measure(size, 'R%s' % size) for size in SIZES]
        Transaction().rollback()
    small, large = results
    print("%-30s %10s %10s %7s" % (
            "operation", "%s" % SIZES[0], "%s" % SIZES[1], "ratio"))
    for name in small:
        print("%-30s %9.3fs %9.3fs %6.1fx" % (
                name, small[name], large[name], large[name] / small[name]))


if __name__ == '__main__':
    main()
