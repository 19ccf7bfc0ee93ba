# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The cooperative's bank in the books.

The bank statements (CAMT.053) are imported with Tryton's
``account_statement_sepa`` and matched by the rules of
``account_statement_rule``; this module only lets a rule find a SEPA payment
by the EndToEndId the bank reports back, and writes CAMT.053 files (for the
demo and the tests) the way a bank does.
"""
import datetime as dt
from decimal import Decimal

from lxml import etree
from stdnum import iso11649

from trytond.pool import Pool, PoolMeta

CAMT_053 = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.02'


class StatementRule(metaclass=PoolMeta):
    __name__ = 'account.statement.rule'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.description.help += "\n'end_to_end_id'"


class StatementRuleInformation(metaclass=PoolMeta):
    __name__ = 'account.statement.rule.information'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.char.help += (
            "\nend_to_end_id: the EndToEndId of a payment; "
            "the line is made only when the payment is found.")


class StatementRuleLine(metaclass=PoolMeta):
    __name__ = 'account.statement.rule.line'

    def get_line(self, origin, keywords, **context):
        line = super().get_line(origin, keywords, **context)
        # A transfer reported by its EndToEndId is booked only on its
        # payment, else the treasurer looks at it
        if (line and keywords.get('end_to_end_id')
                and not getattr(line, 'related_to', None)):
            return
        return line

    def _get_invoice(self, origin, keywords, party=None, amount=0):
        # The payment reference is searched without the spaces with which
        # the invoice shows it
        if keywords.get('payment_reference'):
            keywords = keywords.copy()
            keywords['payment_reference'] = iso11649.compact(
                keywords['payment_reference'])
        return super()._get_invoice(
            origin, keywords, party=party, amount=amount)

    def _get_related_to(self, origin, keywords, party=None, amount=0):
        return super()._get_related_to(
            origin, keywords, party=party, amount=amount) | {
            self._get_payment_end_to_end(
                origin, keywords, party=party, amount=amount),
            }

    @classmethod
    def _get_payment_end_to_end_domain(cls, end_to_end_id, origin):
        return [
            ('sepa_end_to_end_id', '=', end_to_end_id),
            ('company', '=', origin.company.id),
            ('currency', '=', origin.currency.id),
            ('state', 'in', ['processing', 'succeeded', 'failed']),
            ('clearing_reconciled', '!=', True),
            ]

    def _get_payment_end_to_end(self, origin, keywords, party=None, amount=0):
        "Return the SEPA payment of which the bank reports the EndToEndId"
        pool = Pool()
        Payment = pool.get('account.payment')
        end_to_end_id = keywords.get('end_to_end_id')
        if not end_to_end_id:
            return
        domain = self._get_payment_end_to_end_domain(end_to_end_id, origin)
        if party:
            domain.append(('party', '=', party.id))
        if amount > 0:
            domain.append(('kind', '=', 'receivable'))
        elif amount < 0:
            domain.append(('kind', '=', 'payable'))
        payments = Payment.search(domain)
        if len(payments) == 1:
            payment, = payments
            if payment.amount == abs(amount):
                return payment


def _amount(value):
    return '%.2f' % abs(value)


def _sub(parent, tag, text=None, **attrib):
    element = etree.SubElement(parent, '{%s}%s' % (CAMT_053, tag), attrib)
    if text is not None:
        element.text = str(text)
    return element


def _balance(parent, code, amount, date, currency):
    balance = _sub(parent, 'Bal')
    _sub(_sub(_sub(balance, 'Tp'), 'CdOrPrtry'), 'Cd', code)
    _sub(balance, 'Amt', _amount(amount), Ccy=currency)
    _sub(balance, 'CdtDbtInd', 'CRDT' if amount >= 0 else 'DBIT')
    _sub(_sub(balance, 'Dt'), 'Dt', date.isoformat())


def write_camt053(
        message_id, iban, statements, currency='EUR', bic=None,
        owner=None, created=None):
    """Return a bank-to-customer statement (camt.053.001.02) as bytes.

    statements is a list of dict with:
        id: the identification of the statement,
        date: the date of the statement (its closing balance),
        opening: the opening balance (signed),
        entries: a list of dict with date, amount (signed, negative for a
            debit), and optionally end_to_end_id, remittance (unstructured
            remittance information), name and iban of the counterparty,
            reference (the bank's reference of the entry) and description.
    The closing balance of each statement is its opening balance plus its
    entries."""
    if created is None:
        created = dt.datetime.now().replace(microsecond=0)
    root = etree.Element('{%s}Document' % CAMT_053, nsmap={None: CAMT_053})
    message = _sub(root, 'BkToCstmrStmt')
    header = _sub(message, 'GrpHdr')
    _sub(header, 'MsgId', message_id)
    _sub(header, 'CreDtTm', created.isoformat())
    for number, values in enumerate(statements, 1):
        entries = values['entries']
        opening = values['opening']
        closing = opening + sum(
            (e['amount'] for e in entries), Decimal(0))
        first = min([values['date']] + [e['date'] for e in entries])
        statement = _sub(message, 'Stmt')
        _sub(statement, 'Id', values['id'])
        _sub(statement, 'ElctrncSeqNb', number)
        _sub(statement, 'CreDtTm', dt.datetime.combine(
                values['date'], dt.time(23, 0)).isoformat())
        period = _sub(statement, 'FrToDt')
        _sub(period, 'FrDtTm', dt.datetime.combine(
                first, dt.time(0, 0)).isoformat())
        _sub(period, 'ToDtTm', dt.datetime.combine(
                values['date'], dt.time(23, 59, 59)).isoformat())
        account = _sub(statement, 'Acct')
        _sub(_sub(account, 'Id'), 'IBAN', iban)
        _sub(account, 'Ccy', currency)
        if owner:
            _sub(_sub(account, 'Ownr'), 'Nm', owner)
        if bic:
            _sub(_sub(_sub(account, 'Svcr'), 'FinInstnId'), 'BIC', bic)
        _balance(statement, 'OPBD', opening, first, currency)
        _balance(statement, 'CLBD', closing, values['date'], currency)
        summary = _sub(statement, 'TxsSummry')
        totals = _sub(summary, 'TtlNtries')
        _sub(totals, 'NbOfNtries', len(entries))
        _sub(totals, 'Sum', _amount(sum(
                    (abs(e['amount']) for e in entries), Decimal(0))))
        net = closing - opening
        _sub(totals, 'TtlNetNtryAmt', _amount(net))
        _sub(totals, 'CdtDbtInd', 'CRDT' if net >= 0 else 'DBIT')
        for index, entry in enumerate(entries, 1):
            _entry(statement, entry, currency,
                '%s-%s' % (values['id'], index))
    return etree.tostring(
        root, xml_declaration=True, encoding='UTF-8', pretty_print=True)


def _entry(statement, values, currency, reference):
    amount = values['amount']
    credit = amount >= 0
    indicator = 'CRDT' if credit else 'DBIT'
    entry = _sub(statement, 'Ntry')
    _sub(entry, 'NtryRef', values.get('reference') or reference)
    _sub(entry, 'Amt', _amount(amount), Ccy=currency)
    _sub(entry, 'CdtDbtInd', indicator)
    _sub(entry, 'Sts', 'BOOK')
    _sub(_sub(entry, 'BookgDt'), 'Dt', values['date'].isoformat())
    _sub(_sub(entry, 'ValDt'), 'Dt', values['date'].isoformat())
    _sub(entry, 'AcctSvcrRef', values.get('reference') or reference)
    code = _sub(_sub(entry, 'BkTxCd'), 'Domn')
    _sub(code, 'Cd', 'PMNT')
    family = _sub(code, 'Fmly')
    _sub(family, 'Cd', 'RCDT' if credit else 'ICDT')
    _sub(family, 'SubFmlyCd', 'ESCT')
    details = _sub(_sub(entry, 'NtryDtls'), 'TxDtls')
    refs = _sub(details, 'Refs')
    _sub(refs, 'AcctSvcrRef', values.get('reference') or reference)
    _sub(refs, 'EndToEndId', values.get('end_to_end_id') or 'NOTPROVIDED')
    tx_amount = _sub(_sub(details, 'AmtDtls'), 'TxAmt')
    _sub(tx_amount, 'Amt', _amount(amount), Ccy=currency)
    if values.get('name') or values.get('iban'):
        parties = _sub(details, 'RltdPties')
        role = 'Dbtr' if credit else 'Cdtr'
        if values.get('name'):
            _sub(_sub(parties, role), 'Nm', values['name'])
        if values.get('iban'):
            _sub(_sub(_sub(parties, role + 'Acct'), 'Id'), 'IBAN',
                values['iban'])
    if values.get('remittance'):
        _sub(_sub(details, 'RmtInf'), 'Ustrd', values['remittance'][:140])
    if values.get('description'):
        _sub(entry, 'AddtlNtryInf', values['description'][:500])
