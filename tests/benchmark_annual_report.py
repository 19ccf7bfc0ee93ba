#!/usr/bin/env python3
# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Time and count the queries of computing a room's annual report as the
ledger grows.

Run by hand from the repository root:

    .venv/bin/python tests/benchmark_annual_report.py [1000 10000 100000]

It uses an SQLite database in memory (the statements are counted with
SQLite's trace callback).  The posted lines are copied in bulk with SQL
from one posted move, half of them on the room, half on another room.
"""
import datetime as dt
import os
import sys
import time
from decimal import Decimal

os.environ.setdefault('DB_NAME', ':memory:')

from trytond.tests.test_tryton import (  # noqa: E402
    DB_NAME, USER, activate_module)
from trytond.modules.company.tests import (  # noqa: E402
    create_company, set_company)
from trytond.pool import Pool  # noqa: E402
from trytond.transaction import (  # noqa: E402
    Transaction, TransactionError)


def copy_rows(cursor, table, row_id, count, overrides):
    "Insert count copies of the row with new ids and return the new ids"
    cursor.execute('SELECT * FROM "%s" WHERE id = ?' % table, (row_id,))
    columns = [d[0] for d in cursor.description]
    row = dict(zip(columns, cursor.fetchone()))
    cursor.execute('SELECT MAX(id) FROM "%s"' % table)
    start = cursor.fetchone()[0] + 1
    names = [c for c in columns]
    rows = []
    for i in range(count):
        values = dict(row, id=start + i)
        for name, value in overrides.items():
            values[name] = value(i) if callable(value) else value
        rows.append([values[n] for n in names])
    cursor.executemany(
        'INSERT INTO "%s" (%s) VALUES (%s)' % (
            table, ', '.join('"%s"' % n for n in names),
            ', '.join('?' for _ in names)),
        rows)
    return list(range(start, start + count))


def setup(company):
    pool = Pool()
    Account = pool.get('account.account')
    Company = pool.get('company.company')
    FiscalYear = pool.get('account.fiscalyear')
    Journal = pool.get('account.journal')
    Move = pool.get('account.move')
    Room = pool.get('buurtwerkkamer.room')
    Report = pool.get('buurtwerkkamer.annual_report')
    from trytond.modules.account.tests import create_chart, get_fiscalyear

    create_chart(company)
    year = dt.date.today().year
    fiscalyear = get_fiscalyear(
        company, start_date=dt.date(year, 1, 1),
        end_date=dt.date(year, 12, 31))
    fiscalyear.save()
    FiscalYear.create_period([fiscalyear])
    revenue, = Account.search([
            ('type.revenue', '=', True), ('closed', '!=', True)], limit=1)
    expense, = Account.search([
            ('type.expense', '=', True), ('closed', '!=', True)], limit=1)
    journal, = Journal.search([('type', '=', 'general')], limit=1)
    room, other = Room.create([
            {'name': "Zuilen", 'code': 'ZUI'},
            {'name': "Overvecht", 'code': 'OVV'}])
    date = dt.date(year, 6, 15)
    amount = Decimal('10.00')
    move = Move(
        journal=journal, date=date,
        period=pool.get('account.period').find(company, date=date),
        lines=[{
                'account': expense.id, 'debit': amount, 'credit': 0,
                'analytic_lines': [{
                        'account': room.analytic_account.id,
                        'debit': amount, 'credit': 0, 'date': date}],
                }, {
                'account': revenue.id, 'debit': 0, 'credit': amount,
                'analytic_lines': [{
                        'account': room.analytic_account.id,
                        'debit': 0, 'credit': amount, 'date': date}],
                }])
    move.save()
    Move.post([move])
    report = Report(room=room, fiscalyear=fiscalyear)
    report.save()
    return room, other, move, report


def grow(move, room, other, lines):
    "Add posted moves of two lines until the ledger holds about lines"
    cursor = Transaction().connection.cursor()
    moves = max(lines // 2 - 1, 0)
    if not moves:
        return
    move_ids = copy_rows(cursor, 'account_move', move.id, moves, {
            'number': lambda i: 'B%d' % i})
    for line in move.lines:
        line_ids = copy_rows(cursor, 'account_move_line', line.id, moves, {
                'move': lambda i: move_ids[i]})
        analytic, = line.analytic_lines
        copy_rows(cursor, 'analytic_account_line', analytic.id, moves, {
                'move_line': lambda i: line_ids[i],
                'account': lambda i: (
                    room.analytic_account.id if i % 2
                    else other.analytic_account.id)})


def measure(report):
    pool = Pool()
    Report = pool.get('buurtwerkkamer.annual_report')
    connection = Transaction().connection
    statements = []
    connection.set_trace_callback(statements.append)
    Report.draft([report]) if report.state == 'computed' else None
    statements.clear()
    start = time.perf_counter()
    Report.compute([report])
    compute_time = time.perf_counter() - start
    compute_queries = len(statements)
    statements.clear()
    start = time.perf_counter()
    report = Report(report.id)
    report.difference
    difference_time = time.perf_counter() - start
    difference_queries = len(statements)
    connection.set_trace_callback(None)
    return compute_time, compute_queries, difference_time, difference_queries


def run(sizes, extras):
    with Transaction().start(
            DB_NAME, USER, context={}, **extras) as transaction:
        company = create_company()
        with set_company(company):
            measure_sizes(company, sizes)
        transaction.rollback()


def measure_sizes(company, sizes):
    room, other, move, report = setup(company)
    lines = 2
    print("%10s %12s %10s %14s %10s" % (
            "lines", "compute (s)", "queries", "difference (s)",
            "queries"))
    baseline = None
    for size in sizes:
        grow(move, room, other, size - lines)
        lines = size
        result = measure(report)
        baseline = baseline or result
        print("%10d %12.3f %10d %14.3f %10d" % (size, *result))
        Pool().get('buurtwerkkamer.annual_report').draft([report])
    print("Time ratio last/first: %.1f, query ratio: %.2f" % (
            result[0] / baseline[0], result[1] / baseline[1]))


def main(sizes):
    activate_module('buurtwerkkamer')
    extras = {}
    while True:
        try:
            run(sizes, extras)
        except TransactionError as exception:
            # Tryton locks tables by restarting the transaction
            exception.fix(extras)
            continue
        break


if __name__ == '__main__':
    main([int(a) for a in sys.argv[1:]] or [1000, 10000, 100000])
