# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Demo data of the bank: the statements of the cooperative's bank account.

The bank's statements of the year are written as one CAMT.053 file, as the
bank sends them: the opening balance, the rent paid to the landlord, the
handgeld transfers of the past months (with the EndToEndId of their SEPA
payment) and the partners' payments of their instalment and contribution
invoices (with the invoice's payment reference).  The treasurer imports the
file with Tryton's import wizard, applies the statement rules and validates
the statements; the bookkeeper posts them.  The transfers of the current month wait for the
treasurer and are not on the statements."""
import copy
import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from proteus import Model, Wizard

from trytond_buurtwerkkamer.bank import write_camt053

# The balance of the bank account carried over from last year
OPENING_BALANCE = Decimal('30000.00')
# The partner that has not paid yet
LATE_PAYER = 'benefits'


def _as_user(demo, login):
    "Return a configuration of proteus that acts as the demo user login"
    User = Model.get('res.user', config=demo.config)
    users = User.find([('login', '=', login)])
    if not users:
        return demo.config
    config = copy.copy(demo.config)
    config.user = users[0].id
    config._context = Model.get('res.user', config=config).get_preferences(
        True, {})
    return config


def _configure(demo):
    "The statement journal of the cooperative's bank account"
    config = demo.config
    Journal = Model.get('account.journal', config=config)
    StatementJournal = Model.get('account.statement.journal', config=config)
    BankAccount = Model.get('bank.account', config=config)

    journals = StatementJournal.find([
            ('bank_account', '=', demo.bank_account.id)])
    if journals:
        return journals[0]
    journal = Journal(name="Bankafschriften", code='BNK', type='statement')
    journal.save()
    statement_journal = StatementJournal(name="Bank %s" % (
            demo.bank_account.numbers[0].number))
    statement_journal.journal = journal
    statement_journal.account = demo.accounts.get(
        'chart_1100', demo.accounts['cash'])
    statement_journal.bank_account = BankAccount(demo.bank_account.id)
    statement_journal.validation = 'balance'
    statement_journal.save()
    return statement_journal


def _opening(demo, statement_journal, date):
    "The opening entry of the bank account and the general reserve"
    config = demo.config
    Journal = Model.get('account.journal', config=config)
    Move = Model.get('account.move', config=config)
    general, = Journal.find([('type', '=', 'general')], limit=1)
    move = Move(journal=general, date=date,
        description="Beginbalans bank %s" % date.year)
    line = move.lines.new()
    line.account = statement_journal.account
    line.debit = OPENING_BALANCE
    line = move.lines.new()
    line.account = demo.accounts.get(
        'chart_0500', demo.accounts['payable'])
    line.credit = OPENING_BALANCE
    move.save()
    move.click('post')


def _entries(demo):
    "Return the entries that the bank booked, by date"
    config = demo.config
    Invoice = Model.get('account.invoice', config=config)
    Payment = Model.get('account.payment', config=config)
    entries = []

    # The handgeld transfers of the past months
    payments = Payment.find([
            ('origin', 'like', 'buurtwerkkamer.handgeld.period,%'),
            ('state', '=', 'processing'),
            ('date', '<=', demo.today),
            ])
    for payment in payments:
        entries.append({
                'date': payment.date,
                'amount': -payment.amount,
                'end_to_end_id': payment.sepa_end_to_end_id,
                'name': payment.party.rec_name,
                'iban': (payment.sepa_payable_bank_account_number.number
                    if payment.sepa_payable_bank_account_number else None),
                'remittance': payment.reference,
                })

    # The rent, paid to the landlord on the day of the invoice
    invoices = Invoice.find([
            ('type', '=', 'in'),
            ('state', '=', 'posted'),
            ('lines.account.code', '=', '4300'),
            ('invoice_date', '<=', demo.today),
            ])
    for invoice in invoices:
        entries.append({
                'date': invoice.invoice_date,
                'amount': -invoice.total_amount,
                'name': invoice.party.rec_name,
                'remittance': "Factuur %s %s" % (
                    invoice.number, invoice.description or ''),
                })

    # The partners pay their instalment and contribution invoices, with
    # the reference the invoice asks for; one partner has not paid yet
    late = demo.parties.get(LATE_PAYER)
    invoices = Invoice.find([
            ('type', '=', 'out'),
            ('state', '=', 'posted'),
            ('invoice_date', '<=', demo.today),
            ])
    for invoice in invoices:
        if late and invoice.party.id == late.id:
            continue
        entries.append({
                'date': max(invoice.invoice_date, demo.today),
                'amount': invoice.total_amount,
                'name': invoice.party.rec_name,
                'remittance': "%s Factuur %s" % (
                    invoice.customer_payment_reference, invoice.number),
                })
    entries.sort(key=lambda e: (e['date'], -e['amount']))
    return entries


def _statements(demo, entries, start):
    "Group the entries into a statement per month"
    statements = []
    balance = OPENING_BALANCE
    month = start.replace(day=1)
    while month <= demo.today:
        end = min(month + relativedelta(day=31), demo.today)
        month_entries = [e for e in entries if month <= e['date'] <= end]
        if month_entries:
            statements.append({
                    'id': 'BWK-%s' % month.strftime('%Y-%m'),
                    'date': end,
                    'opening': balance,
                    'entries': month_entries,
                    })
            balance += sum(e['amount'] for e in month_entries)
        month += relativedelta(months=1)
    return statements


def load(demo):
    config = demo.config
    Statement = Model.get('account.statement', config=config)
    Company = Model.get('company.company', config=config)

    statement_journal = _configure(demo)
    start = demo.fiscalyear.start_date
    _opening(demo, statement_journal, start)

    entries = _entries(demo)
    statements = _statements(demo, entries, start)
    if not statements:
        return
    iban = demo.bank_account.numbers[0].number_compact
    camt = write_camt053(
        'BWK-%s' % demo.today.strftime('%Y%m%d'), iban, statements,
        bic='TRIONL2U', owner=Company(demo.company.id).party.rec_name,
        created=dt.datetime.combine(demo.today, dt.time(6, 0)))

    # The treasurer imports the file and validates the statements
    treasurer = _as_user(demo, 'penningmeester')
    wizard = Wizard('account.statement.import', config=treasurer)
    wizard.form.company = Company(demo.company.id)
    wizard.form.file_format = 'camt_053_001'
    wizard.form.file_ = camt
    wizard.execute('import_')
    Imported = Model.get('account.statement', config=treasurer)
    imported = Imported.find([
            ('journal', '=', statement_journal.id),
            ('state', '=', 'draft'),
            ], order=[('date', 'ASC'), ('id', 'ASC')])
    for statement in imported:
        statement.click('apply_rules')
        statement.click('validate_statement')
    # The bookkeeper posts them
    Statement.click(
        [Statement(s.id) for s in imported], 'post')
    demo.bank_statements = imported
