#!/usr/bin/env python3
# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Measure how the yearly agreements scale with the number of rooms.

For a small and a large covenant it times saving (with the commitment and
covenant checks), signing, invoicing (two posted invoices per agreement) and
renewing the agreements, and prints the time per agreement and the ratio
between the sizes: a ratio near 1 means the work grows linearly.

Run: python tests/benchmark_brokering.py [small] [large]
"""
import datetime as dt
import sys
import time
from decimal import Decimal

from trytond.tests.test_tryton import (
    DB_NAME, USER, activate_module, with_transaction)

from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.modules.account_invoice.tests import set_invoice_sequences
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.transaction import Transaction

STEPS = ['save', 'sign', 'invoice', 'renew']


def run(size, company, revenue, funder, offset):
    pool = Pool()
    Agreement = pool.get('buurtwerkkamer.agreement')
    Covenant = pool.get('buurtwerkkamer.covenant')
    Room = pool.get('buurtwerkkamer.room')
    Date = pool.get('ir.date')
    year = Date.today().year

    rooms = Room.create([{
                'name': "Kamer %s" % i,
                'code': 'B%s' % i,
                } for i in range(offset, offset + size)])
    covenant = Covenant(
        name="Benchmark %s" % size, company=company,
        start_date=dt.date(year, 1, 1), end_date=dt.date(year + 1, 12, 31),
        rooms=rooms,
        partners=[{
                'party': funder.id,
                'yearly_commitment': Decimal(1000) * size,
                }])
    covenant.save()
    Covenant.sign([covenant])

    timings = {}
    agreements = [Agreement(
            company=company, covenant=covenant, room=room, partner=funder,
            year=year, contribution=Decimal(1000),
            deadline=dt.date(year - 1, 12, 1),
            instalments=[
                {'date': dt.date(year, 1, 1), 'amount': Decimal(500)},
                {'date': dt.date(year, 1, 2), 'amount': Decimal(500)},
                ],
            obligations=[{'description': "Inloop", 'target': Decimal(40)}])
        for room in rooms]
    start = time.perf_counter()
    Agreement.save(agreements)
    timings['save'] = time.perf_counter() - start

    start = time.perf_counter()
    Agreement.sign(agreements)
    timings['sign'] = time.perf_counter() - start

    start = time.perf_counter()
    Agreement.invoice(agreements)
    timings['invoice'] = time.perf_counter() - start
    assert all(len(a.invoices) == 2 for a in Agreement.browse(agreements))

    start = time.perf_counter()
    renewed = Agreement.renew(agreements)
    timings['renew'] = time.perf_counter() - start
    assert len(renewed) == size
    return timings


@with_transaction(user=USER)
def main(sizes):
    pool = Pool()
    Configuration = pool.get('buurtwerkkamer.configuration')
    Party = pool.get('party.party')
    Account = pool.get('account.account')
    FiscalYear = pool.get('account.fiscalyear')

    company = create_company()
    with set_company(company), \
            Transaction().set_context(company=company.id):
        create_chart(company)
        fiscalyear = set_invoice_sequences(get_fiscalyear(company))
        fiscalyear.save()
        FiscalYear.create_period([fiscalyear])
        revenue, = Account.search([
                ('type.revenue', '=', True),
                ('closed', '!=', True),
                ('company', '=', company.id),
                ], limit=1)
        configuration = Configuration(1)
        configuration.agreement_account = revenue
        configuration.save()
        funder = Party(name="Gemeente", addresses=[{'city': "Utrecht"}])
        funder.save()

        # warm the caches
        run(3, company, revenue, funder, 0)
        results = {}
        offset = 3
        for size in sizes:
            results[size] = run(size, company, revenue, funder, offset)
            offset += size

    small, large = sizes
    print("%-8s %14s %14s %8s" % (
            "step", "ms/agr (%s)" % small, "ms/agr (%s)" % large, "ratio"))
    for step in STEPS:
        per_small = results[small][step] / small * 1000
        per_large = results[large][step] / large * 1000
        print("%-8s %14.2f %14.2f %8.2f" % (
                step, per_small, per_large, per_large / per_small))


if __name__ == '__main__':
    sizes = [int(a) for a in sys.argv[1:3]] or [10, 100]
    activate_module('buurtwerkkamer')
    print("Database: %s" % (DB_NAME or 'sqlite memory'))
    main(sizes)
