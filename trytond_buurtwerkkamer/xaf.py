# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The XML Auditfile Financieel 3.2 (XAF) of a fiscal year.

The file is written element by element to a temporary file while the posted
move lines are read in batches of moves, so a year of many lines is never
held in memory as records or as an XML tree.
"""
import datetime as dt
import tempfile
from decimal import Decimal
from itertools import groupby
from xml.sax.saxutils import XMLGenerator

from sql import Null
from sql.aggregate import Count, Max, Min, Sum
from sql.conditionals import Case, Coalesce

from trytond import __version__ as trytond_version
from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.model.fields import SQL_OPERATORS
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction
from trytond.wizard import Button, StateView, Wizard


NAMESPACE = 'http://www.auditfiles.nl/XAF/3.2'
SOFTWARE = 'Tryton buurtwerkkamer'
# Tryton's journal types as XAF journal types: S sales, P purchases,
# B bank, O opening balance, M memorial.
JOURNAL_TYPES = {
    'revenue': 'S',
    'expense': 'P',
    'cash': 'B',
    'situation': 'O',
    }
# Tryton's statements as XAF account types: B balance sheet, P profit and
# loss, M memorandum.
ACCOUNT_TYPES = {
    'balance': 'B',
    'income': 'P',
    'off-balance': 'M',
    }
MOVE_BATCH = 500
PARTY_BATCH = 1000
CENT = Decimal('0.01')


def _amount(value):
    return str((value or Decimal(0)).quantize(CENT))


def _cut(value, size):
    return value[:size] if value else value


class _Writer:
    "Write XML elements one after the other to a binary file."

    def __init__(self, fp):
        self._generator = XMLGenerator(
            fp, encoding='utf-8', short_empty_elements=True)
        self._generator.startDocument()

    def start(self, tag, attrs=None):
        self._generator.startElement(tag, attrs or {})
        self._generator.ignorableWhitespace('\n')

    def end(self, tag):
        self._generator.endElement(tag)
        self._generator.ignorableWhitespace('\n')

    def field(self, tag, value, required=False):
        """Write a text element, or nothing when there is no value and the
        element is not required."""
        if value is None or value == '':
            if not required:
                return
            value = ''
        if isinstance(value, (dt.date, Decimal, int)):
            value = str(value)
        self._generator.startElement(tag, {})
        self._generator.characters(value.replace('\x00', ''))
        self._generator.endElement(tag)
        self._generator.ignorableWhitespace('\n')

    def close(self):
        self._generator.endDocument()


class AuditFileStart(ModelView):
    __name__ = 'buurtwerkkamer.xaf.start'

    company = fields.Many2One(
        'company.company', "Company", required=True)
    fiscalyear = fields.Many2One(
        'account.fiscalyear', "Fiscal Year", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    start_period = fields.Many2One(
        'account.period', "Start Period",
        domain=[
            ('fiscalyear', '=', Eval('fiscalyear', -1)),
            ],
        help="Leave empty to start at the beginning of the fiscal year.")
    end_period = fields.Many2One(
        'account.period', "End Period",
        domain=[
            ('fiscalyear', '=', Eval('fiscalyear', -1)),
            ],
        help="Leave empty to end at the end of the fiscal year.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_fiscalyear(cls):
        pool = Pool()
        FiscalYear = pool.get('account.fiscalyear')
        company = cls.default_company()
        if company is None:
            return None
        try:
            fiscalyear = FiscalYear.find(company, test_state=False)
        except Exception:
            return None
        return fiscalyear.id if fiscalyear else None

    @fields.depends('fiscalyear', 'start_period', 'end_period')
    def on_change_fiscalyear(self):
        if self.start_period and self.start_period.fiscalyear != self.fiscalyear:
            self.start_period = None
        if self.end_period and self.end_period.fiscalyear != self.fiscalyear:
            self.end_period = None


class AuditFileResult(ModelView):
    __name__ = 'buurtwerkkamer.xaf.result'

    file = fields.Binary("Audit File", filename='filename', readonly=True)
    filename = fields.Char("File Name", readonly=True)


class AuditFile(Wizard):
    __name__ = 'buurtwerkkamer.xaf'

    start = StateView(
        'buurtwerkkamer.xaf.start',
        'buurtwerkkamer.xaf_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Export", 'result', 'tryton-ok', default=True),
            ])
    result = StateView(
        'buurtwerkkamer.xaf.result',
        'buurtwerkkamer.xaf_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_result(self, fields):
        fiscalyear = self.start.fiscalyear
        periods = self.periods()
        with tempfile.TemporaryFile() as fp:
            write_audit_file(fp, self.start.company, fiscalyear, periods)
            fp.seek(0)
            data = fp.read()
        return {
            'file': data,
            'filename': 'auditfile-%s-%s.xaf' % (
                fiscalyear.name.replace(' ', '_'),
                dt.date.today().strftime('%Y%m%d')),
            }

    def periods(self):
        "The periods of the fiscal year from the start to the end period."
        start, end = self.start.start_period, self.start.end_period
        periods = sorted(
            self.start.fiscalyear.periods, key=lambda p: (p.start_date, p.id))
        if start and end and start.start_date > end.start_date:
            raise UserError(gettext(
                    'buurtwerkkamer.msg_xaf_period_order',
                    start=start.rec_name, end=end.rec_name))
        return [p for p in periods
            if (not start or p.start_date >= start.start_date)
            and (not end or p.start_date <= end.start_date)]


def write_audit_file(fp, company, fiscalyear, periods):
    """Write the XAF 3.2 audit file of the posted moves of periods (of
    fiscalyear) of company to the binary file fp."""
    pool = Pool()
    ModelAccess = pool.get('ir.model.access')
    User = pool.get('res.user')

    # The file reads the ledger in SQL: check what a read would check.
    for model in ['account.move', 'account.move.line', 'account.account',
            'party.party']:
        ModelAccess.check(model, 'read')
    if Transaction().user and company.id not in User.get_companies():
        raise AccessError(gettext(
                'buurtwerkkamer.msg_xaf_company', company=company.rec_name))

    writer = _Writer(fp)
    writer.start('auditfile', {'xmlns': NAMESPACE})
    _write_header(writer, company, fiscalyear, periods)
    writer.start('company')
    _write_company(writer, company)
    period_ids = [p.id for p in periods]
    _write_customers_suppliers(writer, company, period_ids)
    _write_general_ledger(writer, company)
    _write_vat_codes(writer, company)
    numbers = _write_periods(writer, fiscalyear)
    _write_opening_balance(writer, company, fiscalyear)
    _write_transactions(writer, company, period_ids, numbers)
    writer.end('company')
    writer.end('auditfile')
    writer.close()


def _write_header(writer, company, fiscalyear, periods):
    writer.start('header')
    start = min((p.start_date for p in periods), default=fiscalyear.start_date)
    end = max((p.end_date for p in periods), default=fiscalyear.end_date)
    writer.field('fiscalYear', _cut(fiscalyear.name, 9))
    writer.field('startDate', start)
    writer.field('endDate', end)
    writer.field('curCode', company.currency.code.upper())
    writer.field('dateCreated', dt.date.today())
    writer.field('softwareDesc', SOFTWARE)
    writer.field('softwareVersion', trytond_version)
    writer.end('header')


def _identifier(party, *types):
    for identifier in party.identifiers:
        if identifier.type in types:
            return identifier.code


def _write_address(writer, tag, address):
    writer.start(tag)
    writer.field('streetname', _cut(address.street_single_line, 999))
    writer.field('city', _cut(address.city, 50))
    writer.field('postalCode', _cut(address.postal_code, 10))
    if address.country:
        writer.field('country', address.country.code)
    writer.end(tag)


def _write_company(writer, company):
    party = company.party
    writer.field('companyIdent', _cut(party.code, 35))
    writer.field('companyName', _cut(party.name, 999))
    address = party.address_get()
    country = address.country.code if address and address.country else 'NL'
    writer.field('taxRegistrationCountry', country)
    writer.field('taxRegIdent',
        _cut(_identifier(party, 'nl_btw', 'eu_vat'), 30), required=True)
    if address:
        _write_address(writer, 'streetAddress', address)


def _write_customers_suppliers(writer, company, period_ids):
    "The parties of the lines of the periods, with their role in them."
    pool = Pool()
    Party = pool.get('party.party')
    Line = pool.get('account.move.line')
    Move = pool.get('account.move')
    Account = pool.get('account.account')
    AccountType = pool.get('account.account.type')
    line, move = Line.__table__(), Move.__table__()
    account, type_ = Account.__table__(), AccountType.__table__()
    cursor = Transaction().connection.cursor()

    roles = {}
    for sub_ids in grouped_slice(period_ids, 1000):
        cursor.execute(*line
            .join(move, condition=line.move == move.id)
            .join(account, condition=line.account == account.id)
            .join(type_, condition=account.type == type_.id)
            .select(
                line.party,
                Max(Case((type_.receivable, 1), else_=0)),
                Max(Case((type_.payable, 1), else_=0)),
                where=(line.party != Null)
                & (move.state == 'posted')
                & (move.company == company.id)
                & SQL_OPERATORS['in'](move.period, sub_ids),
                group_by=[line.party]))
        for party_id, receivable, payable in cursor:
            old = roles.get(party_id, (0, 0))
            roles[party_id] = (
                max(old[0], receivable), max(old[1], payable))
    if not roles:
        return
    writer.start('customersSuppliers')
    for sub_ids in grouped_slice(sorted(roles), PARTY_BATCH):
        for party in Party.browse(sub_ids):
            receivable, payable = roles[party.id]
            writer.start('customerSupplier')
            writer.field('custSupID', _party_id(party))
            writer.field('custSupName', _cut(party.name, 50))
            vat = _identifier(party, 'nl_btw', 'eu_vat')
            if vat:
                writer.field('taxRegIdent', _cut(vat, 30))
            writer.field('custSupTp', {
                    (1, 1): 'B', (1, 0): 'C', (0, 1): 'S',
                    }.get((receivable, payable), 'O'))
            address = party.address_get()
            if address:
                _write_address(writer, 'streetAddress', address)
            for bank_account in party.bank_accounts:
                number = bank_account.iban or (
                    bank_account.numbers[0].number
                    if bank_account.numbers else None)
                if number:
                    writer.start('bankAccount')
                    writer.field('bankAccNr', _cut(number, 35))
                    if bank_account.bank and bank_account.bank.bic:
                        writer.field('bankIdCd', bank_account.bank.bic)
                    writer.end('bankAccount')
            writer.end('customerSupplier')
    writer.end('customersSuppliers')


def _party_id(party):
    return _cut(party.code or str(party.id), 35)


def _account_id(code, id_):
    return _cut(code or str(id_), 35)


def _write_general_ledger(writer, company):
    pool = Pool()
    Account = pool.get('account.account')
    accounts = Account.search([
            ('company', '=', company.id),
            ('type', '!=', None),
            ], order=[('code', 'ASC'), ('id', 'ASC')])
    writer.start('generalLedger')
    for account in accounts:
        writer.start('ledgerAccount')
        writer.field('accID', _account_id(account.code, account.id))
        writer.field('accDesc', _cut(account.name, 999))
        writer.field('accTp', ACCOUNT_TYPES.get(account.type.statement, 'M'))
        writer.field('leadCode', account.rgs_code)
        writer.end('ledgerAccount')
    writer.end('generalLedger')


def _write_vat_codes(writer, company):
    pool = Pool()
    Tax = pool.get('account.tax')
    taxes = Tax.search([
            ('company', '=', company.id),
            ('parent', '=', None),
            ], order=[('id', 'ASC')])
    if not taxes:
        return
    writer.start('vatCodes')
    for tax in taxes:
        writer.start('vatCode')
        writer.field('vatID', str(tax.id))
        writer.field('vatDesc', _cut(tax.name, 999))
        if tax.invoice_account:
            writer.field('vatToPayAccID', _account_id(
                    tax.invoice_account.code, tax.invoice_account.id))
        if tax.credit_note_account:
            writer.field('vatToClaimAccID', _account_id(
                    tax.credit_note_account.code, tax.credit_note_account.id))
        writer.end('vatCode')
    writer.end('vatCodes')


def _write_periods(writer, fiscalyear):
    "Number every period of the fiscal year in date order."
    periods = sorted(fiscalyear.periods, key=lambda p: (p.start_date, p.id))
    numbers = {}
    writer.start('periods')
    for number, period in enumerate(periods, 1):
        numbers[period.id] = number
        writer.start('period')
        writer.field('periodNumber', number)
        writer.field('periodDesc', _cut(period.name, 50))
        writer.field('startDatePeriod', period.start_date)
        writer.field('endDatePeriod', period.end_date)
        writer.end('period')
    writer.end('periods')
    return numbers


def _write_opening_balance(writer, company, fiscalyear):
    "The balance of every balance sheet account before the fiscal year."
    pool = Pool()
    Line = pool.get('account.move.line')
    Move = pool.get('account.move')
    Account = pool.get('account.account')
    AccountType = pool.get('account.account.type')
    line, move = Line.__table__(), Move.__table__()
    account, type_ = Account.__table__(), AccountType.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*line
        .join(move, condition=line.move == move.id)
        .join(account, condition=line.account == account.id)
        .join(type_, condition=account.type == type_.id)
        .select(
            account.id, account.code,
            Sum(Coalesce(line.debit, 0) - Coalesce(line.credit, 0)),
            where=(move.state == 'posted')
            & (move.company == company.id)
            & (move.date < fiscalyear.start_date)
            & (type_.statement == 'balance'),
            group_by=[account.id, account.code],
            order_by=[account.code, account.id]))
    balances = [(id_, code, Decimal(str(balance or 0)))
        for id_, code, balance in cursor]
    balances = [b for b in balances if b[2]]
    writer.start('openingBalance')
    writer.field('opBalDate', fiscalyear.start_date)
    writer.field('linesCount', len(balances))
    writer.field('totalDebit', _amount(
            sum((b for _, _, b in balances if b > 0), Decimal(0))))
    writer.field('totalCredit', _amount(
            -sum((b for _, _, b in balances if b < 0), Decimal(0))))
    for number, (id_, code, balance) in enumerate(balances, 1):
        writer.start('obLine')
        writer.field('nr', number)
        writer.field('accID', _account_id(code, id_))
        writer.field('amnt', _amount(abs(balance)))
        writer.field('amntTp', 'D' if balance > 0 else 'C')
        writer.end('obLine')
    writer.end('openingBalance')


def _write_transactions(writer, company, period_ids, period_numbers):
    pool = Pool()
    Line = pool.get('account.move.line')
    Move = pool.get('account.move')
    Journal = pool.get('account.journal')
    line, move = Line.__table__(), Move.__table__()
    cursor = Transaction().connection.cursor()

    def moves_where(sub_ids):
        return ((move.state == 'posted')
            & (move.company == company.id)
            & SQL_OPERATORS['in'](move.period, sub_ids))

    count, debit, credit = 0, Decimal(0), Decimal(0)
    move_ids = []
    for sub_ids in grouped_slice(period_ids, 1000):
        sub_ids = list(sub_ids)
        cursor.execute(*line
            .join(move, condition=line.move == move.id)
            .select(
                Count(line.id),
                Sum(Coalesce(line.debit, 0)), Sum(Coalesce(line.credit, 0)),
                where=moves_where(sub_ids)))
        sub_count, sub_debit, sub_credit = cursor.fetchone()
        count += sub_count or 0
        debit += Decimal(str(sub_debit or 0))
        credit += Decimal(str(sub_credit or 0))
        cursor.execute(*move.select(
                move.id, move.journal, move.date, move.number,
                where=moves_where(sub_ids)))
        move_ids.extend(cursor)
    # One journal after the other, each in the order of its entries.
    move_ids.sort(key=lambda m: (m[1], m[2], m[3] or '', m[0]))

    writer.start('transactions')
    writer.field('linesCount', count)
    writer.field('totalDebit', _amount(debit))
    writer.field('totalCredit', _amount(credit))
    for journal_id, moves in groupby(move_ids, key=lambda m: m[1]):
        journal = Journal(journal_id)
        writer.start('journal')
        writer.field('jrnID', _cut(journal.code or str(journal.id), 35))
        writer.field('desc', journal.name)
        writer.field('jrnTp', JOURNAL_TYPES.get(journal.type, 'M'))
        ids = [m[0] for m in moves]
        for batch in (ids[i:i + MOVE_BATCH]
                for i in range(0, len(ids), MOVE_BATCH)):
            _write_moves(writer, batch, period_numbers)
        writer.end('journal')
    writer.end('transactions')


def _write_moves(writer, move_ids, period_numbers):
    "Write the moves of move_ids, in that order, with their lines."
    pool = Pool()
    Line = pool.get('account.move.line')
    Move = pool.get('account.move')
    Account = pool.get('account.account')
    Party = pool.get('party.party')
    Currency = pool.get('currency.currency')
    AnalyticLine = pool.get('analytic_account.line')
    AnalyticAccount = pool.get('analytic_account.account')
    line, move = Line.__table__(), Move.__table__()
    account, party = Account.__table__(), Party.__table__()
    currency = Currency.__table__()
    analytic_line = AnalyticLine.__table__()
    analytic_account = AnalyticAccount.__table__()
    cursor = Transaction().connection.cursor()

    # The first analytic account of each line: the room it belongs to.
    analytic = (analytic_line
        .join(analytic_account,
            condition=analytic_line.account == analytic_account.id)
        .select(
            analytic_line.move_line.as_('move_line'),
            Min(Coalesce(analytic_account.code, analytic_account.name)
                ).as_('code'),
            group_by=[analytic_line.move_line]))
    order = {id_: i for i, id_ in enumerate(move_ids)}
    cursor.execute(*line
        .join(move, condition=line.move == move.id)
        .join(account, condition=line.account == account.id)
        .join(party, 'LEFT', condition=line.party == party.id)
        .join(currency, 'LEFT', condition=line.second_currency == currency.id)
        .join(analytic, 'LEFT', condition=analytic.move_line == line.id)
        .select(
            move.id, move.number, move.description, move.period, move.date,
            line.id, account.id, account.code, line.description,
            line.debit, line.credit, party.id, party.code,
            currency.code, line.amount_second_currency, analytic.code,
            where=SQL_OPERATORS['in'](move.id, move_ids),
            order_by=[line.id]))
    rows = sorted(cursor, key=lambda r: (order[r[0]], r[5]))
    for move_id, lines in groupby(rows, key=lambda r: r[0]):
        lines = list(lines)
        _, number, description, period_id, date = lines[0][:5]
        writer.start('transaction')
        writer.field('nr', _cut(number or str(move_id), 35))
        writer.field('desc', description)
        writer.field('periodNumber', period_numbers[period_id])
        writer.field('trDt', _date(date))
        for (_, _, _, _, _, line_id, account_id, account_code, line_desc,
                debit, credit, party_id, party_code, currency_code,
                second_amount, analytic_code) in lines:
            debit = Decimal(str(debit or 0))
            credit = Decimal(str(credit or 0))
            writer.start('trLine')
            writer.field('nr', line_id)
            writer.field('accID', _account_id(account_code, account_id))
            writer.field('docRef', _cut(number or str(move_id), 999))
            writer.field('effDate', _date(date))
            writer.field('desc', line_desc or description)
            writer.field('amnt', _amount(abs(debit - credit)))
            writer.field('amntTp', 'D' if debit >= credit else 'C')
            if party_id:
                writer.field('custSupID', _cut(party_code or str(party_id), 35))
            if analytic_code:
                writer.field('costID', _cut(analytic_code, 35))
            if currency_code and second_amount is not None:
                writer.start('currency')
                writer.field('curCode', currency_code.upper())
                writer.field('curAmnt', _amount(
                        abs(Decimal(str(second_amount)))))
                writer.end('currency')
            writer.end('trLine')
        writer.end('transaction')


def _date(value):
    # SQLite returns dates as text.
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value
