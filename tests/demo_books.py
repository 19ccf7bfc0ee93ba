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
* no two invoices carry the same number, and every customer invoice is
  booked on its invoice date;
* the months before the previous one are closed, and so is every fiscal
  year that ended before then, its result carried to equity and its
  balances carried forward.
"""
import argparse
import datetime as dt
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
    print('books: %s passed, %s failed' % (passed, failed))
    return 1 if failed else 0


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
