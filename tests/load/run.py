#!/usr/bin/env python3
# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Drive the cluster with team leaders saving handgeld expenses while the
scheduler creates the months, then check what must hold afterwards.

The demo cooperative gets rooms that have just joined (see fixture.py).
Over JSON-RPC, through the gunicorn workers, every team leader saves
expenses in the current month of the own room (the team leaders of the
demo rooms in several sessions at once, those of the new rooms as soon as
their month exists), and reads the rooms.  Meanwhile one or more
``trytond-cron`` processes run the monthly handgeld task that creates the
months of the new rooms, posts their transfers and creates their
payments, and one team leader submits the month of the room, which the
treasurer approves and posts, while the other sessions still save.

Bounded: at most --requests saves per session and --seconds in all, on
loopback only.  Prints requests per second, error counts and the checks.
"""
import argparse
import datetime as dt
import os
import random
import sys
import threading
import time
from collections import Counter
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, 'demo'))
sys.path.insert(0, os.path.dirname(HERE))

from cluster import Cluster, RPCError  # noqa: E402
from load_demo import PASSWORD  # noqa: E402
from test_bad_input import dutch_messages  # noqa: E402

DEMO_TEAM_LEADERS = {'henk': 'ZUI', 'mieke': 'OVV', 'ahmed': 'LUN'}
# The team leader who submits the month while the others still save
CLOSING = ('mieke', 'OVV')
PERIOD = 'buurtwerkkamer.handgeld.period'
EXPENSE = 'buurtwerkkamer.handgeld.expense'
CATEGORY = 'buurtwerkkamer.handgeld.category'
ORIGIN = PERIOD + ',%s'


def is_dutch(message, patterns=dutch_messages().values()):
    "Whether message is one of the module's Dutch messages"
    return any(p.fullmatch(message) for p in patterns)


class Stats:

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = Counter()
        self.accepted = []
        self.refused = Counter()
        self.errors = Counter()
        self.violations = []
        self.saved_at = []
        # When each save (accepted or refused) was sent and answered
        self.save_spans = []
        self.closed = []
        # Set once a new room's month, made by the scheduler, is seen
        self.months_made = threading.Event()

    def error(self, message):
        with self.lock:
            self.errors[message] += 1

    def refusal(self, message):
        with self.lock:
            self.refused[message[:60]] += 1

    def saved(self, record):
        with self.lock:
            self.accepted.append(record)
            self.saved_at.append(dt.datetime.now())


def call(client, stats, kind, model, method, *args):
    "Call and count; return None when the call failed"
    try:
        result = client.call(model, method, *args)
    except RPCError:
        with stats.lock:
            stats.requests[kind] += 1
        raise
    except OSError as error:
        # Also urllib.error.URLError and HTTPError
        stats.error('%s %s.%s: %s' % (
                kind, model, method, getattr(error, 'reason', error)))
        return None
    with stats.lock:
        stats.requests[kind] += 1
    return result


def team_leader(cluster, login, code, month, requests, deadline, stats,
        seed):
    """Save expenses in the room's month until the allowance is used up,
    with a look at the rooms between the saves"""
    rng = random.Random(seed)
    try:
        client = cluster.client(login, PASSWORD)
    except (RPCError, OSError) as error:
        stats.error('%s: %s' % (login, error))
        return
    try:
        categories = call(
            client, stats, 'read', CATEGORY, 'search', [], 0, None, None)
        if categories is None:
            return
        period = None
        while not period and time.monotonic() < deadline:
            periods = call(client, stats, 'read', PERIOD, 'search_read', [
                    ('room.code', '=', code),
                    ('date', '=', month),
                    ], 0, None, None, ['id'])
            if periods is None:
                return
            if periods:
                period = periods[0]['id']
            else:
                # The month of a new room comes with the scheduler
                time.sleep(0.2)
    except RPCError as error:
        stats.error(error.message)
        return
    if not period:
        stats.error('%s: no month %s' % (login, month))
        return
    new_room = login not in DEMO_TEAM_LEADERS
    if new_room:
        stats.months_made.set()

    number = 0
    # The team leaders of the demo rooms go on saving (or being refused
    # once the allowance is spent) until the scheduler has made the months
    # of the new rooms, so that the monthly task always runs under load.
    while (number < requests
            or (not new_room and not stats.months_made.is_set())):
        if time.monotonic() > deadline:
            break
        number += 1
        # Each save of a room has its own amount and receipt: a second
        # expense of the same date and amount or receipt is warned of
        amount = Decimal(100 + number * 64 + seed % 64) / 100
        sent = dt.datetime.now()
        try:
            ids = call(client, stats, 'save', EXPENSE, 'create', [{
                        'period': period,
                        'date': month,
                        'category': rng.choice(categories),
                        'description': "Boodschappen %s" % number,
                        'amount': amount,
                        'receipt': ('bon %s %s %s' % (
                                login, seed, number)).encode(),
                        'receipt_name': 'bon-%s-%s.txt' % (seed, number),
                        }])
        except RPCError as error:
            stats.save_spans.append((sent, dt.datetime.now()))
            if is_dutch(error.message):
                stats.refusal(error.message)
            else:
                stats.error(error.message)
            continue
        stats.save_spans.append((sent, dt.datetime.now()))
        if ids is not None:
            stats.saved((ids[0], period, amount))
        if number % 5 == 0:
            try:
                rooms = call(client, stats, 'read', 'buurtwerkkamer.room',
                    'search_read', [], 0, None, None, ['code'])
            except RPCError as error:
                stats.error(error.message)
                continue
            if rooms is not None and [r['code'] for r in rooms] != [code]:
                stats.violations.append((login, rooms))


def close_month(cluster, login, code, month, deadline, stats):
    """While the saving goes on, the team leader submits the month of the
    room and the treasurer approves and posts it"""
    try:
        leader = cluster.client(login, PASSWORD)
        treasurer = cluster.client('penningmeester', PASSWORD)
        period, = call(leader, stats, 'read', PERIOD, 'search', [
                ('room.code', '=', code),
                ('date', '=', month),
                ], 0, None, None)
    except (RPCError, OSError, TypeError) as error:
        stats.error('%s: %s' % (login, error))
        return
    while time.monotonic() < deadline:
        with stats.lock:
            saves = sum(1 for _, p, _ in stats.accepted if p == period)
        if saves >= 5:
            break
        time.sleep(0.05)
    for client, button in [
            (leader, 'submit'), (treasurer, 'approve'),
            (treasurer, 'post')]:
        try:
            call(client, stats, 'close', PERIOD, button, [period])
        except RPCError as error:
            stats.error('%s: %s' % (button, error.message))
            return
    stats.closed.append(period)


def check(cursor, stats, new_codes, before, started):
    "Return the invariants with whether each holds"
    checks = {}

    cursor.execute(
        'SELECT p.id, p.allowance, p.spent, COALESCE(SUM(e.amount), 0) '
        'FROM buurtwerkkamer_handgeld_period p '
        'LEFT JOIN buurtwerkkamer_handgeld_expense e ON e.period = p.id '
        'GROUP BY p.id, p.allowance, p.spent')
    periods = cursor.fetchall()
    checks["every month's spending is within its allowance (%s months)"
        % len(periods)] = all(
        total <= allowance and total == spent
        for _, allowance, spent, total in periods)

    cursor.execute(
        'SELECT room, date, COUNT(*) FROM buurtwerkkamer_handgeld_period '
        'GROUP BY room, date HAVING COUNT(*) > 1')
    checks["every room has at most one month per month"] = (
        not cursor.fetchall())

    cursor.execute(
        'SELECT r.code, COUNT(p.id) FROM buurtwerkkamer_room r '
        'LEFT JOIN buurtwerkkamer_handgeld_period p ON p.room = r.id '
        'WHERE r.code = ANY(%s) GROUP BY r.code', (new_codes,))
    counts = dict(cursor.fetchall())
    checks["the scheduler created the month of each of %s new rooms"
        % len(new_codes)] = all(counts.get(c) == 1 for c in new_codes)

    cursor.execute(
        'SELECT DISTINCT handgeld_payable_account '
        'FROM buurtwerkkamer_configuration_handgeld '
        'WHERE handgeld_payable_account IS NOT NULL')
    payable, = cursor.fetchone()
    cursor.execute(
        'SELECT p.id, p.transfer_amount, p.transfer_move, '
        'ARRAY_AGG(DISTINCT m.id) FILTER (WHERE m.id IS NOT NULL), '
        'BOOL_AND(m.state = %s), '
        'COUNT(DISTINCT pay.id) '
        'FROM buurtwerkkamer_handgeld_period p '
        'LEFT JOIN account_move m ON m.origin = %s || p.id '
        '    AND EXISTS (SELECT 1 FROM account_move_line l '
        '        WHERE l.move = m.id AND l.account = %s AND l.credit > 0) '
        'LEFT JOIN account_move_line ml ON ml.move = m.id '
        '    AND ml.account = %s '
        'LEFT JOIN account_payment pay ON pay.line = ml.id '
        'GROUP BY p.id, p.transfer_amount, p.transfer_move',
        ('posted', PERIOD + ',', payable, payable))
    wrong = [
        row for row in cursor.fetchall()
        if (row[3] or []) != ([row[2]] if row[1] else [])
        or (row[1] and (not row[4] or row[5] != 1))]
    checks["every month has exactly one posted transfer entry "
        "and one payment"] = not wrong

    cursor.execute(
        'SELECT DISTINCT handgeld_account '
        'FROM buurtwerkkamer_configuration_handgeld '
        'WHERE handgeld_account IS NOT NULL')
    handgeld, = cursor.fetchone()
    cursor.execute(
        'SELECT p.id, p.state, p.spent, m.state, '
        'COALESCE(SUM(l.credit), 0) '
        'FROM buurtwerkkamer_handgeld_period p '
        'LEFT JOIN account_move m ON m.id = p.expense_move '
        'LEFT JOIN account_move_line l ON l.move = m.id '
        '    AND l.account = %s '
        'WHERE p.state IN (%s, %s) '
        'GROUP BY p.id, p.state, p.spent, m.state',
        (handgeld, 'approved', 'posted'))
    closed = cursor.fetchall()
    states = {id_: state for id_, state, *_ in closed}
    checks["every month closed during the run is posted (%s)"
        % len(stats.closed)] = (
        bool(stats.closed)
        and all(states.get(p) == 'posted' for p in stats.closed))
    checks["every approved or posted month's expense entry is its expenses "
        "(%s months)" % len(closed)] = all(
        credit == spent and (move_state == 'posted') == (state == 'posted')
        for _, state, spent, move_state, credit in closed)

    cursor.execute(
        'SELECT COUNT(*) FROM (SELECT move FROM account_move_line '
        'GROUP BY move HAVING SUM(debit) <> SUM(credit)) unbalanced')
    unbalanced, = cursor.fetchone()
    cursor.execute('SELECT SUM(debit), SUM(credit) FROM account_move_line')
    debit, credit = cursor.fetchone()
    checks["debit equals credit in every entry and in the ledger "
        "(%s)" % debit] = not unbalanced and debit == credit

    cursor.execute(
        'SELECT id, period, amount FROM buurtwerkkamer_handgeld_expense '
        'WHERE NOT (id = ANY(%s))', (sorted(before),))
    stored = {row[0]: row[1:] for row in cursor.fetchall()}
    accepted = {id_: (period, amount)
        for id_, period, amount in stats.accepted}
    checks["every accepted save is stored, and nothing else (%s)"
        % len(accepted)] = stored == accepted
    checks["every refused save got a Dutch message (%s)"
        % sum(stats.refused.values())] = not stats.errors
    checks["every team leader saw only the own room"] = not stats.violations

    cursor.execute(
        'SELECT l.started, l.ended FROM ir_cron_log l '
        'JOIN ir_cron c ON c.id = l.cron '
        'WHERE c.method = %s AND l.started >= %s',
        (PERIOD + '|create_periods', started))
    runs = cursor.fetchall()
    checks["the monthly task ran once (%s runs)" % len(runs)] = (
        len(runs) == 1)
    if runs:
        # The log keeps whole seconds; the months' creation time is exact
        # and is the start of the task's transaction.
        (_, cron_end), = runs[:1]
        cron_end += dt.timedelta(seconds=0.5)
        cursor.execute(
            'SELECT MIN(p.create_date) FROM buurtwerkkamer_handgeld_period p '
            'JOIN buurtwerkkamer_room r ON r.id = p.room '
            'WHERE r.code = ANY(%s)', (new_codes,))
        cron_start, = cursor.fetchone()
        during = sum(
            sent <= cron_end and answered >= cron_start
            for sent, answered in stats.save_spans) if cron_start else 0
        checks["expenses were saved while the monthly task ran "
            "(%s saves in %.1f s)" % (during,
                (cron_end - cron_start).total_seconds()
                if cron_start else 0)] = during > 0
    return checks


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--crons', type=int, default=2,
        help="scheduler processes")
    parser.add_argument('--rooms', type=int, default=30,
        help="rooms that have just joined")
    parser.add_argument('--sessions', type=int, default=3,
        help="sessions of each team leader of the demo rooms")
    parser.add_argument('--requests', type=int, default=30,
        help="saves per session at the most")
    parser.add_argument('--seconds', type=float, default=120,
        help="time for the whole run at the most")
    parser.add_argument('--keep', action='store_true',
        help="keep the database")
    args = parser.parse_args()

    cluster = Cluster(workers=args.workers)
    print("Creating the database with the demo cooperative …", flush=True)
    cluster.create()
    new = cluster.fixture(args.rooms, cron_due=True)
    stats = Stats()
    with cluster.connect() as connection, connection.cursor() as cursor:
        cursor.execute('SELECT id FROM buurtwerkkamer_handgeld_expense')
        before = {id_ for id_, in cursor.fetchall()}
        cursor.execute(
            "SELECT (NOW() AT TIME ZONE 'Europe/Amsterdam')::date")
        today, = cursor.fetchone()
    month = today.replace(day=1)
    users = [(login, code) for login, code in DEMO_TEAM_LEADERS.items()
        for _ in range(args.sessions)] + list(new.items())

    started = dt.datetime.now()
    with cluster.running(cron=False):
        deadline = time.monotonic() + args.seconds
        start = time.monotonic()
        threads = [threading.Thread(target=team_leader, args=(
                    cluster, login, code, month, args.requests, deadline,
                    stats, seed))
            for seed, (login, code) in enumerate(users)]
        threads.append(threading.Thread(target=close_month, args=(
                    cluster, CLOSING[0], CLOSING[1], month, deadline,
                    stats)))
        for thread in threads:
            thread.start()
        # The schedulers start once the team leaders are saving
        while not stats.saved_at and time.monotonic() < deadline:
            time.sleep(0.1)
        cluster.start_cron(args.crons)
        for thread in threads:
            thread.join()
        duration = time.monotonic() - start
    with cluster.connect() as connection, connection.cursor() as cursor:
        checks = check(
            cursor, stats, list(new.values()), before, started)
    if not args.keep:
        cluster.drop()

    total = sum(stats.requests.values())
    print("workers: %s, schedulers: %s, team leader sessions: %s, "
        "month closed during the run: %s" % (
            args.workers, args.crons, len(users), CLOSING[1]))
    print("requests: %s in %.1f s: %.1f req/s (%s)" % (
            total, duration, total / duration,
            ', '.join('%s %s' % i for i in sorted(stats.requests.items()))))
    print("saves accepted: %s, refused: %s" % (
            len(stats.accepted), sum(stats.refused.values())))
    for message, count in stats.refused.most_common():
        print("    %5d × %s…" % (count, message))
    print("errors: %s" % (sum(stats.errors.values())))
    for message, count in stats.errors.most_common():
        print("    %5d × %s" % (count, message))
    for name, ok in checks.items():
        print("%s: %s" % ('ok  ' if ok else 'FAIL', name))
    failed = sum(not ok for ok in checks.values())
    print("load: %s passed, %s failed" % (len(checks) - failed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
