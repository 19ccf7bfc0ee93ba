#!/usr/bin/env python3
# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Check the books of a demo database as an accountant would.

Run by tests/browser/run.py on the demo database it serves:

* every account of the chart carries an account-level RGS MKB 3.7 code;
* the XML Auditfile Financieel of every fiscal year with entries validates
  against the published XSD and its totals equal the trial balance (the
  debit and credit of the posted lines that Tryton's chart shows);
* every partner (customer) invoice comes from an agreement instalment or
  states its other origin, and every granted funding application has its
  agreements;
* no person is paid a salary or fee by a fixed cost in a month that an
  employment of that person accrues.
* the bank is in the books: the bank account has posted lines and its
  balance equals the closing balance of the last posted bank statement; no
  handgeld transfer of a past month waits unprocessed or uncleared; the
  customer invoices that the bank statements received are paid.
* no two invoices carry the same number, and every customer invoice is
  booked on its invoice date;
* the months before the previous one are closed, and so is every fiscal
  year that ended before then, its result carried to equity and its
  balances carried forward.
"""
import argparse
import io
import os
import sys
import tempfile
from decimal import Decimal

from lxml import etree

HERE = os.path.dirname(os.path.abspath(__file__))
XSD = os.path.join(HERE, 'data', 'XmlAuditfileFinancieel3.2.xsd')
NS = {'x': 'http://www.auditfiles.nl/XAF/3.2'}


def main(config_file, database):
    from trytond import config
    config.update_etc(config_file)
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    sys.path.insert(0, HERE)
    from test_chart import rgs_codes
    from trytond_buurtwerkkamer.xaf import write_audit_file

    schema = etree.XMLSchema(etree.parse(XSD))
    codes = rgs_codes()
    passed, failed = 0, 0

    def check(ok, text):
        nonlocal passed, failed
        print('%s %s' % ('ok  ' if ok else 'FAIL', text))
        if ok:
            passed += 1
        else:
            failed += 1

    Pool.start()
    pool = Pool(database)
    pool.init()
    with Transaction().start(database, 0, readonly=True):
        Account = pool.get('account.account')
        Company = pool.get('company.company')
        FiscalYear = pool.get('account.fiscalyear')
        Line = pool.get('account.move.line')
        for company in Company.search([]):
            check_numbers_and_years(company, check)
            accounts = Account.search([
                    ('company', '=', company.id),
                    ('type.statement', '!=', None),
                    ])
            wrong = ['%s %s' % (a.code, a.rgs_code) for a in accounts
                if codes.get(a.rgs_code) != 4]
            check(accounts and not wrong,
                "%s: %s accounts with an account-level RGS code%s" % (
                    company.rec_name, len(accounts),
                    (', not: ' + ', '.join(wrong)) if wrong else ''))
            for fiscalyear in FiscalYear.search([
                        ('company', '=', company.id)]):
                if not Line.search([
                            ('move.period.fiscalyear', '=', fiscalyear.id),
                            ('move.state', '=', 'posted'),
                            ], limit=1):
                    continue
                with tempfile.TemporaryFile() as fp:
                    write_audit_file(
                        fp, company, fiscalyear, list(fiscalyear.periods))
                    fp.seek(0)
                    document = etree.parse(io.BytesIO(fp.read()))
                valid = schema.validate(document)
                check(valid, "%s: audit file valid against the XSD%s" % (
                        fiscalyear.name,
                        '' if valid else ': %s' % schema.error_log.last_error))
                with Transaction().set_context(
                        fiscalyear=fiscalyear.id, posted=True):
                    chart = Account.search([
                            ('company', '=', company.id),
                            ('type', '!=', None),
                            ('closed', '!=', True),
                            ])
                    debit = sum((a.debit for a in Account.browse(chart)
                            if a.type.statement), Decimal(0))
                    credit = sum((a.credit for a in Account.browse(chart)
                            if a.type.statement), Decimal(0))
                xaf_debit = Decimal(document.xpath(
                        '//x:transactions/x:totalDebit/text()',
                        namespaces=NS)[0])
                xaf_credit = Decimal(document.xpath(
                        '//x:transactions/x:totalCredit/text()',
                        namespaces=NS)[0])
                check(xaf_debit == debit and xaf_credit == credit,
                    "%s: audit file totals %s/%s equal the trial balance "
                    "%s/%s" % (fiscalyear.name, xaf_debit, xaf_credit,
                        debit, credit))
            check_income(company, check)
            check_staff_once(company, check)
        check_bank(pool, check)
    print('books: %s passed, %s failed' % (passed, failed))
    return 1 if failed else 0


def check_income(company, check):
    "Check the partner income is tied to agreements or states its origin"
    from trytond.pool import Pool
    pool = Pool()
    Invoice = pool.get('account.invoice')
    Instalment = pool.get('buurtwerkkamer.agreement.instalment')
    InvoiceLine = pool.get('account.invoice.line')
    Application = pool.get('buurtwerkkamer.funding.application')
    invoices = Invoice.search([
            ('company', '=', company.id),
            ('type', '=', 'out'),
            ('state', 'in', ['posted', 'paid']),
            ])
    loose = [i.rec_name for i in invoices
        if not i.other_income and any(
            not isinstance(l.origin, (Instalment, InvoiceLine))
            for l in i.lines if l.type == 'line')]
    check(invoices and not loose,
        "%s: %s partner invoices from an agreement instalment or with "
        "their other origin stated%s" % (
            company.rec_name, len(invoices),
            (', not: ' + ', '.join(loose)) if loose else ''))
    missing = Application.search([
            ('room.company', '=', company.id),
            ('agreement_missing', '=', True),
            ])
    granted = Application.search_count([
            ('room.company', '=', company.id),
            ('state', '=', 'granted'),
            ])
    check(not missing,
        "%s: %s granted funding applications with their agreements%s" % (
            company.rec_name, granted,
            (', not: ' + ', '.join(a.rec_name for a in missing))
            if missing else ''))


def check_staff_once(company, check):
    """Check no person has a fixed cost salary or fee and an employment
    in the same month"""
    from dateutil.relativedelta import relativedelta

    from trytond.pool import Pool
    pool = Pool()
    Period = pool.get('buurtwerkkamer.fixed_cost.period')
    Cost = pool.get('buurtwerkkamer.employment.cost')
    steps = {'monthly': 1, 'quarterly': 3, 'yearly': 12}
    fixed = set()
    periods = Period.search([
            ('fixed_cost.company', '=', company.id),
            ('fixed_cost.kind', '=', 'staff'),
            ])
    for period in periods:
        cost = period.fixed_cost
        months = steps[cost.interval]
        first = period.date.replace(day=1)
        end = period.date + relativedelta(months=months, days=-1)
        month = first
        while month <= end:
            fixed.add((cost.employee.id if cost.employee else None, month))
            month += relativedelta(months=1)
    employed = {(c.employment.employee.id, c.date.replace(day=1))
        for c in Cost.search([
                ('employment.company', '=', company.id),
                ])}
    twice = sorted(fixed & employed, key=lambda k: (k[1], k[0]))
    unnamed = {m for e, m in fixed if e is None}
    check(not twice and not unnamed,
        "%s: %s months of staff cost by fixed costs and %s by employments, "
        "none for the same person%s" % (
            company.rec_name, len(fixed), len(employed),
            (', twice: ' + ', '.join(
                    '%s %s' % (e, m.strftime('%Y-%m')) for e, m in twice))
            if twice else '')
        + (', without a person: %s months' % len(unnamed)
            if unnamed else ''))
def check_bank(pool, check):
    "Check that the bank statements are in the books"
    from trytond.transaction import Transaction
    Company = pool.get('company.company')
    Date = pool.get('ir.date')
    Line = pool.get('account.move.line')
    Payment = pool.get('account.payment')
    Period = pool.get('buurtwerkkamer.handgeld.period')
    Statement = pool.get('account.statement')
    StatementJournal = pool.get('account.statement.journal')
    StatementLine = pool.get('account.statement.line')

    for company in Company.search([]):
        with Transaction().set_context(company=company.id):
            today = Date.today()
        journals = StatementJournal.search([('company', '=', company.id)])
        check(journals, "%s: %s bank statement journals" % (
                company.rec_name, len(journals)))
        for journal in journals:
            lines = Line.search([
                    ('account', '=', journal.account.id),
                    ('move.state', '=', 'posted'),
                    ])
            balance = sum((l.debit - l.credit for l in lines), Decimal(0))
            statements = Statement.search([
                    ('journal', '=', journal.id),
                    ('state', '=', 'posted'),
                    ], order=[('date', 'DESC'), ('id', 'DESC')], limit=1)
            closing = statements[0].end_balance if statements else None
            check(lines and closing == balance,
                "%s: %s lines on the bank account %s, balance %s equals "
                "the closing balance %s of the last statement" % (
                    journal.rec_name, len(lines), journal.account.rec_name,
                    balance, closing))

        # The transfers of the months before this one went through the bank
        periods = Period.search([
                ('company', '=', company.id),
                ('date', '<', today.replace(day=1)),
                ('payment', '!=', None),
                ])
        pending = [p for p in periods
            if p.payment.state != 'succeeded'
            or not p.payment.clearing_reconciled
            or not p.payment.line.reconciliation]
        check(periods and not pending,
            "%s: %s handgeld transfers of past months succeeded and "
            "cleared%s" % (company.rec_name, len(periods),
                (', not: ' + ', '.join(
                        p.rec_name for p in pending)) if pending else ''))
        waiting = Payment.search([
                ('company', '=', company.id),
                ('origin', 'like', 'buurtwerkkamer.handgeld.period,%'),
                ('state', 'not in', ['succeeded', 'failed']),
                ])
        check(all(p.origin.date >= today.replace(day=1) for p in waiting),
            "%s: %s transfers of this month wait for the treasurer" % (
                company.rec_name, len(waiting)))

        # What the partners paid settles their invoices
        received = StatementLine.search([
                ('statement.company', '=', company.id),
                ('statement.state', '=', 'posted'),
                ('related_to', 'like', 'account.invoice,%'),
                ])
        invoices = {l.related_to for l in received}
        open_ = [i for i in invoices if i.state != 'paid']
        customer = [i for i in invoices if i.type == 'out']
        check(customer and not open_,
            "%s: %s invoices paid by the bank (%s of customers) are "
            "settled%s" % (company.rec_name, len(invoices), len(customer),
                (', not: ' + ', '.join(
                        i.rec_name for i in open_)) if open_ else ''))
def check_numbers_and_years(company, check):
    "Check the numbering of the invoices and the closing of the books"
    from dateutil.relativedelta import relativedelta
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    Account = pool.get('account.account')
    Date = pool.get('ir.date')
    Deferral = pool.get('account.account.deferral')
    FiscalYear = pool.get('account.fiscalyear')
    Invoice = pool.get('account.invoice')
    Period = pool.get('account.period')

    invoices = Invoice.search([
            ('company', '=', company.id),
            ('number', '!=', None),
            ])
    numbers = {}
    for invoice in invoices:
        numbers.setdefault(invoice.number, []).append(invoice)
    twice = sorted(n for n, i in numbers.items() if len(i) > 1)
    check(invoices and not twice,
        "%s: %s invoice numbers, none twice%s" % (
            company.rec_name, len(invoices),
            (', twice: ' + ', '.join(twice)) if twice else ''))
    other_date = [i.number for i in invoices
        if i.type == 'out' and i.move and i.move.date != i.invoice_date]
    check(not other_date,
        "%s: customer invoices booked on their invoice date%s" % (
            company.rec_name,
            (', not: ' + ', '.join(other_date)) if other_date else ''))

    with Transaction().set_context(company=company.id):
        today = Date.today()
    cutoff = today + relativedelta(months=-1, day=1)
    open_periods = Period.search([
            ('fiscalyear.company', '=', company.id),
            ('type', '=', 'standard'),
            ('end_date', '<', cutoff),
            ('state', '=', 'open'),
            ])
    check(not open_periods, "%s: the months before %s are closed%s" % (
            company.rec_name, cutoff,
            (', not: ' + ', '.join(p.name for p in open_periods))
            if open_periods else ''))
    ended = FiscalYear.search([
            ('company', '=', company.id),
            ('end_date', '<', cutoff),
            ])
    for fiscalyear in ended:
        check(fiscalyear.state == 'closed',
            "%s: fiscal year closed (%s)" % (
                fiscalyear.name, fiscalyear.state))
        with Transaction().set_context(fiscalyear=fiscalyear.id):
            results = Account.search([
                    ('company', '=', company.id),
                    ('type', '!=', None),
                    ('deferral', '=', False),
                    ])
            left = [a.code for a in Account.browse(results)
                if a.balance]
        check(not left,
            "%s: its result carried to equity%s" % (
                fiscalyear.name,
                (', left on: ' + ', '.join(left)) if left else ''))
        deferrals = Deferral.search([('fiscalyear', '=', fiscalyear.id)])
        check(deferrals,
            "%s: %s balances carried forward to the next year" % (
                fiscalyear.name, len(deferrals)))


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('-c', '--config', dest='config_file', required=True)
    parser.add_argument('-d', '--database', required=True)
    args = parser.parse_args()
    sys.exit(main(args.config_file, args.database))
