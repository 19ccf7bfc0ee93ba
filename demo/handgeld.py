# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"Demo data: a few months of handgeld for each operational room"
import copy
import datetime as dt
import re
import struct
import zlib
from decimal import Decimal
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from proteus import Model

MONTHS = 3

# Receipts per room: (day, category, description, amount)
RECEIPTS = [
    (2, 'A', "Koffie, thee en melk - Albert Heijn", '24.37'),
    (4, 'D', "Toiletpapier, afwasmiddel en sponsjes - Action", '13.85'),
    (7, 'E', "Postzegels en printpapier - Bruna", '18.40'),
    (9, 'B', "Boodschappen buurtmaaltijd", '46.12'),
    (12, 'F', "Lapjes textiel voor het naaiatelier", '15.00'),
    (14, 'C', "Parkeren bij het wijkbureau", '6.20'),
    (16, 'F', "Kabeltjes voor de computerbrigade", '12.95'),
    (19, 'A', "Koffiebonen en suiker - Jumbo", '17.63'),
    (21, 'F', "Krijtjes en gloeilampjes", '8.75'),
    (23, 'B', "Soep en brood voor de inloop", '22.40'),
    (26, 'D', "Schoonmaakmiddel en vuilniszakken", '9.99'),
    ]


def receipt_png(text):
    "Return a tiny PNG of a receipt that carries text, so each is unique"
    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data
            + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff))
    width, height = 8, 12
    rows = b''.join(
        b'\x00' + (b'\xff\xff\xff' if y % 3 else b'\x80\x80\x80') * width
        for y in range(height))
    return (b'\x89PNG\r\n\x1a\n'
        + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0))
        + chunk(b'tEXt', b'Comment\x00' + text.encode('utf-8'))
        + chunk(b'IDAT', zlib.compress(rows))
        + chunk(b'IEND', b''))


def receipt_name(date, description):
    "Return a readable file name of the receipt"
    slug = re.sub(r'[^a-z0-9]+', '-', description.lower()).strip('-')
    return 'bon-%s-%s.png' % (date.isoformat(), slug[:40].rstrip('-'))


def _account(demo, key, **values):
    Account = Model.get('account.account', config=demo.config)
    account = demo.accounts.get(key)
    if account:
        return account
    accounts = Account.find([
            ('name', '=', values['name']),
            ('company', '=', demo.company.id),
            ])
    if accounts:
        account, = accounts
    else:
        account = Account(**values)
        account.save()
    demo.accounts[key] = account
    return account


def _configure(demo):
    config = demo.config
    Journal = Model.get('account.journal', config=config)
    PaymentJournal = Model.get('account.payment.journal', config=config)
    BankAccountNumber = Model.get('bank.account.number', config=config)
    Configuration = Model.get('buurtwerkkamer.configuration', config=config)
    Category = Model.get('buurtwerkkamer.handgeld.category', config=config)

    handgeld = _account(
        demo, 'handgeld_account', name="Handgeld bij teamleiders",
        code='1.1.9', type=demo.accounts['cash'].type, party_required=True)
    payable = demo.accounts.get('handgeld_payable', demo.accounts['payable'])

    journals = Journal.find([('code', '=', 'HGD')])
    if journals:
        journal, = journals
    else:
        journal = Journal(name="Handgeld", code='HGD', type='general')
        journal.save()

    payment_journals = PaymentJournal.find([('name', '=', "Handgeld")])
    if payment_journals:
        payment_journal, = payment_journals
    else:
        payment_journal = PaymentJournal(name="Handgeld")
        payment_journal.currency = demo.company.currency
        numbers = BankAccountNumber.find([
                ('type', '=', 'iban'),
                ('account.owners', '=', demo.company.party.id),
                ], limit=1)
        if numbers:
            payment_journal.process_method = 'sepa'
            payment_journal.sepa_bank_account_number, = numbers
            payment_journal.sepa_payable_flavor = 'pain.001.001.03'
            payment_journal.sepa_receivable_flavor = 'pain.008.001.02'
        else:
            payment_journal.process_method = 'manual'
        # A succeeded transfer clears the payable to the bank's crossing
        # account, which the bank statement clears against the bank
        payment_journal.clearing_account = _account(
            demo, 'chart_1630', name="Kruisposten bank (betalingen onderweg)",
            code='1630', type=demo.accounts['payable'].type, reconcile=True)
        clearing_journals = Journal.find([('code', '=', 'KRP')])
        if clearing_journals:
            payment_journal.clearing_journal, = clearing_journals
        else:
            payment_journal.clearing_journal = Journal(
                name="Kruisposten bank", code='KRP', type='general')
            payment_journal.clearing_journal.save()
        payment_journal.save()

    configuration = Configuration(1)
    configuration.handgeld_journal = journal
    configuration.handgeld_account = handgeld
    configuration.handgeld_payable_account = payable
    configuration.handgeld_payment_journal = payment_journal
    configuration.save()

    categories = Category.find([])
    for category in categories:
        if not category.account:
            category.account = demo.accounts.get(
                'handgeld_expense', demo.accounts['expense'])
    Category.save(categories)
    return {c.code: c for c in categories}


def _as_user(demo, login):
    "Return a configuration of proteus that acts as the demo user login"
    User = Model.get('res.user', config=demo.config)
    user, = User.find([('login', '=', login)])
    config = copy.copy(demo.config)
    config.user = user.id
    config._context = Model.get('res.user', config=config).get_preferences(
        True, {})
    return config


def _pay(demo, periods, month, sent):
    """The treasurer submits the transfers of the month and the office
    approves them (dual control); the transfers of past months were sent to
    the bank, which executes them: the bank statement (demo/bank.py) marks
    them succeeded"""
    payment_ids = [p.payment.id for p in periods if p.payment]
    if not payment_ids:
        return
    treasurer = _as_user(demo, 'penningmeester')
    office = _as_user(demo, 'bureau')
    Payment = Model.get('account.payment', config=treasurer)
    Approval = Model.get('account.payment', config=office)
    Payment.click([Payment(i) for i in payment_ids], 'submit')
    Approval.click([Approval(i) for i in payment_ids], 'approve')
    if sent:
        with patch('trytond.ir.date.Date.today', return_value=month):
            Payment.click([Payment(i) for i in payment_ids], 'process_wizard')


def load(demo):
    config = demo.config
    Room = Model.get('buurtwerkkamer.room', config=config)
    Period = Model.get('buurtwerkkamer.handgeld.period', config=config)
    Cron = Model.get('ir.cron', config=config)

    categories = _configure(demo)
    first = demo.today + relativedelta(months=-(MONTHS - 1), day=1)

    rooms = [r for r in demo.rooms.values() if r.state == 'operational']
    for room in rooms:
        room = Room(room.id)
        if not room.start_date or room.start_date > first:
            room.start_date = first
            room.save()
    # Lunetten keeps a fixed amount, lower than the cap
    if 'LUN' in demo.rooms:
        lun = Room(demo.rooms['LUN'].id)
        lun.handgeld_amount = Decimal('200.00')
        lun.handgeld_rule = 'fixed'
        lun.save()

    cron, = Cron.find([
            ('method', '=', 'buurtwerkkamer.handgeld.period|create_periods'),
            ])
    for index in range(MONTHS):
        month = first + relativedelta(months=index)
        with patch('trytond.ir.date.Date.today', return_value=month):
            cron.click('run_once')
        periods = Period.find([('date', '=', month)])
        for shift, period in enumerate(periods):
            last_day = (month + relativedelta(day=31)).day
            for number, (day, code, description, amount) in enumerate(
                    RECEIPTS):
                # Vary the receipts per room and month
                if (number + shift + index) % 3 == 0:
                    continue
                date = month + dt.timedelta(days=min(day, last_day) - 1)
                if date > demo.today:
                    continue
                amount = Decimal(amount) + Decimal(shift + index)
                if period.spent + sum(
                        e.amount for e in period.expenses
                        if e.id is None or e.id < 0) + amount > (
                        period.allowance):
                    continue
                expense = period.expenses.new()
                expense.date = date
                expense.category = categories[code]
                expense.description = description
                expense.amount = amount
                # A month is submitted only with every receipt
                expense.receipt = receipt_png('%s %s %s %s' % (
                        period.room.code, date, description, amount))
                expense.receipt_name = receipt_name(date, description)
            period.save()
            if index < MONTHS - 1:
                period.click('submit')
                # The treasurer has still to approve the last month of
                # Overvecht
                if (index == MONTHS - 2 and 'OVV' in demo.rooms
                        and period.room.id == demo.rooms['OVV'].id):
                    continue
                period.click('approve')
                period.click('post')
        _pay(demo, periods, month, sent=index < MONTHS - 1)
