#!/usr/bin/env python3
# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Benchmark of the monthly staff cost accrual.

Accrues a month for N and 4N employments spread over 3 rooms and prints the
time per employment and the ratio of the two runs: a ratio near 4 means the
accrual scales linearly (no query per room or line in a loop).

Run: python tests/benchmark_employment.py [N]
"""
import datetime as dt
import sys
import time
from decimal import Decimal

from trytond.tests.test_tryton import activate_module, with_transaction


def main(n):
    activate_module('buurtwerkkamer')
    run(n)


@with_transaction()
def run(n):
    from trytond.modules.account.tests import create_chart, get_fiscalyear
    from trytond.modules.account_invoice.tests import set_invoice_sequences
    from trytond.modules.company.tests import (
        create_company, create_employee, set_company)
    from trytond.pool import Pool

    pool = Pool()
    Account = pool.get('account.account')
    Configuration = pool.get('buurtwerkkamer.configuration')
    Employment = pool.get('buurtwerkkamer.employment')
    FiscalYear = pool.get('account.fiscalyear')
    Room = pool.get('buurtwerkkamer.room')

    company = create_company()
    with set_company(company):
        create_chart(company)
        fiscalyear = set_invoice_sequences(get_fiscalyear(company))
        fiscalyear.save()
        FiscalYear.create_period([fiscalyear])
        expense, = Account.search([
                ('type.expense', '=', True),
                ('closed', '!=', True),
                ('company', '=', company.id),
                ], limit=1)
        payable, = Account.search([
                ('type.payable', '=', True),
                ('party_required', '=', True),
                ('company', '=', company.id),
                ], limit=1)
        config = Configuration(1)
        config.staff_cost_account = expense
        config.staff_cost_payable_account = payable
        config.save()

        rooms = Room.create([{
                    'name': "Room %s" % i,
                    'code': 'R%s' % i,
                    } for i in range(3)])
        employee = create_employee(company)
        month = dt.date.today().replace(day=1)

        def employments(count):
            records = Employment.create([{
                        'employee': employee.id,
                        'role': 'other',
                        'kind': 'employment',
                        'hours': Decimal(20),
                        'monthly_cost': Decimal('2000.01'),
                        'start_date': month,
                        'allocations': [('create', [
                                    {'room': rooms[0].id,
                                        'percentage': Decimal('33.33')},
                                    {'room': rooms[1].id,
                                        'percentage': Decimal('33.33')},
                                    {'room': rooms[2].id,
                                        'percentage': Decimal('33.34')},
                                    ])],
                        } for _ in range(count)])
            Employment.run(records)
            return records

        timings = []
        for count in [n, 4 * n]:
            records = employments(count)
            start = time.perf_counter()
            costs = Employment.accrue(month, records)
            elapsed = time.perf_counter() - start
            assert len(costs) == count
            timings.append(elapsed)
            print("%5d employments: %.3f s, %.2f ms per employment"
                % (count, elapsed, elapsed / count * 1000))
        print("ratio 4N/N: %.2f (linear = 4)" % (timings[1] / timings[0]))


if __name__ == '__main__':
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
