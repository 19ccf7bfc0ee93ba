#!/usr/bin/env python3
# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Benchmark of the monthly handgeld task

Runs the cron method that creates the handgeld months for 10, 100 and 1000
operational rooms, reading their floats from the posted lines of the
handgeld account, and compares it with creating and posting the same
transfer moves directly through account.move, side by side in one run after
both paths have warmed their caches.  It prints the time and the
number of SQL queries per room; the queries per room must not grow with the
number of rooms.

Run by hand (SQLite in memory by default):

    .venv/bin/python tests/benchmark_handgeld.py [10 100 1000]
"""
import datetime as dt
import os
import sys
import time
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from test_handgeld import MONTH, setup_handgeld  # noqa: E402

from trytond.modules.company.tests.test_module import (  # noqa: E402
    set_company)
from trytond.pool import Pool  # noqa: E402
from trytond.tests.test_tryton import (  # noqa: E402
    DB_NAME, USER, activate_module)
from trytond.transaction import (  # noqa: E402
    Transaction, TransactionError)


def iban(number):
    "Return a valid Dutch IBAN for the account number"
    bban = 'ABNA%010d' % number
    digits = ''.join(str(int(c, 36)) for c in bban + 'NL00')
    check = 98 - int(digits) % 97
    return 'NL%02d%s' % (check, bban)


class QueryCounter:
    "Count the SQL queries sent through the connection"

    def __init__(self):
        self.count = 0
        self.connection = Transaction().connection
        self._trace = None

    def __enter__(self):
        self.count = 0
        if hasattr(self.connection, 'set_trace_callback'):
            self.connection.set_trace_callback(self._count_sqlite)
        else:
            # psycopg: wrap the cursor factory of the connection
            self._cursor = self.connection.cursor
            counter = self

            def cursor(*args, **kwargs):
                cursor = counter._cursor(*args, **kwargs)
                execute = cursor.execute

                def counted(*a, **k):
                    counter.count += 1
                    return execute(*a, **k)
                cursor.execute = counted
                return cursor
            self.connection.cursor = cursor
        return self

    def _count_sqlite(self, statement):
        if not statement.startswith(('BEGIN', 'COMMIT', 'ROLLBACK')):
            self.count += 1

    def __exit__(self, *args):
        if hasattr(self.connection, 'set_trace_callback'):
            self.connection.set_trace_callback(None)
        else:
            self.connection.cursor = self._cursor


def add_rooms(ns, count):
    pool = Pool()
    Room = pool.get('buurtwerkkamer.room')
    Party = pool.get('party.party')
    Employee = pool.get('company.employee')
    BankAccount = pool.get('bank.account')

    parties = Party.create([{'name': "Teamleider %s" % i}
            for i in range(count)])
    leaders = Employee.create([{'party': p.id, 'company': ns.company.id}
            for p in parties])
    accounts = []
    # Small batches: the unique check of the IBANs is one query per batch
    for start in range(0, count, 10):
        accounts.extend(BankAccount.create([{
                        'owners': [('add', [p.id])],
                        'numbers': [('create', [{
                                        'type': 'iban',
                                        'number': iban(1000 + i),
                                        }])],
                        } for i, p in enumerate(
                        parties[start:start + 10], start)]))
    rooms = Room.create([{
                'name': "Buurtwerkkamer %s" % i,
                'code': 'B%04d' % i,
                'company': ns.company.id,
                } for i in range(count)])
    to_write = []
    for room, leader, account in zip(rooms, leaders, accounts):
        to_write.append(([room], {
                    'team_leader': leader.id,
                    'business_account': account.id,
                    'start_date': MONTH.replace(month=1),
                    'state': 'operational',
                    }))
    # Small batches: the domain check of the accounts differs per room
    for start in range(0, count, 50):
        Room.write(*sum(to_write[start:start + 50], ()))
    return rooms


def direct_moves(ns, rooms, date):
    "Create and post the same transfer moves without the module"
    pool = Pool()
    Move = pool.get('account.move')
    Line = pool.get('account.move.line')
    Period = pool.get('account.period')
    Configuration = pool.get('buurtwerkkamer.configuration')
    journal = Configuration(1).handgeld_journal
    period = Period.find(ns.company, date=date)
    moves = []
    for room in rooms:
        party = room.team_leader.party
        moves.append(Move(
                company=ns.company, journal=journal, period=period,
                date=date, lines=[
                    Line(account=ns.handgeld_account, party=party,
                        room=room, debit=Decimal('250.00'), credit=Decimal(0)),
                    Line(account=ns.payable_account, party=party,
                        debit=Decimal(0), credit=Decimal('250.00'),
                        maturity_date=date),
                    ]))
    Move.save(moves)
    Move.post(moves)


def measure(function, *args):
    with QueryCounter() as counter:
        start = time.perf_counter()
        function(*args)
        duration = time.perf_counter() - start
    return duration, counter.count


def run(count):
    extras = {}
    while True:
        with Transaction().start(
                DB_NAME, USER, context={}, **extras) as transaction:
            try:
                return _run(count)
            except TransactionError as e:
                e.fix(extras)
                continue
            finally:
                transaction.rollback()


def _run(count):
    if True:
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        ns = setup_handgeld()
        with set_company(ns.company):
            Room = pool.get('buurtwerkkamer.room')
            # Warm the caches of both paths on the rooms of the setup, then
            # close them to measure only the new ones
            Period.create_periods(MONTH - dt.timedelta(days=20))
            Room.write(list(ns.rooms.values()), {'state': 'closed'})
            rooms = add_rooms(ns, count)
            rooms = Room.browse([r.id for r in rooms])

            # The task first: the moves of the direct path would be on the
            # handgeld account of the rooms and leave nothing to top up
            cron_time, cron_queries = measure(Period.create_periods, MONTH)
            created = Period.search([
                    ('room', 'in', [r.id for r in rooms]),
                    ], count=True)
            assert created == count, (created, count)
            again_time, again_queries = measure(Period.create_periods, MONTH)
            assert Period.search([
                    ('room', 'in', [r.id for r in rooms]),
                    ], count=True) == count
            direct_time, direct_queries = measure(
                direct_moves, ns, rooms, MONTH + dt.timedelta(days=31))
    return {
        'rooms': count,
        'cron_ms': cron_time / count * 1000,
        'cron_q': cron_queries / count,
        'direct_ms': direct_time / count * 1000,
        'direct_q': direct_queries / count,
        'again_q': again_queries / count,
        }


def main(counts):
    activate_module('buurtwerkkamer')
    print("Monthly handgeld task: per room, cron (period + posted transfer "
        "move + draft payment) vs. the same moves through account.move")
    print("%6s %12s %10s %12s %10s %8s %8s %12s" % (
            "rooms", "cron ms", "cron q", "direct ms", "direct q",
            "time x", "q x", "rerun q"))
    results = []
    for count in counts:
        result = run(count)
        results.append(result)
        print("%6d %12.2f %10.1f %12.2f %10.1f %8.2f %8.2f %12.2f" % (
                result['rooms'], result['cron_ms'], result['cron_q'],
                result['direct_ms'], result['direct_q'],
                result['cron_ms'] / result['direct_ms'],
                result['cron_q'] / result['direct_q'],
                result['again_q']))
    first, last = results[0], results[-1]
    print("queries per room from %d to %d rooms: %.1f -> %.1f (%s)" % (
            first['rooms'], last['rooms'], first['cron_q'], last['cron_q'],
            "does not grow" if last['cron_q'] <= first['cron_q'] * 1.1
            else "GROWS"))


if __name__ == '__main__':
    main([int(a) for a in sys.argv[1:]] or [10, 100, 1000])
