# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from collections import namedtuple

from trytond.pool import Pool
from trytond.transaction import Transaction

# One party's signature block: on behalf of organisation, the name and
# function of who signs, the place and date of signing and whether it is
# signed already (then the name and date are those of the signature) or
# still to sign (then the template gives lines to write on).
# A person who signs for him- or herself has no organisation but a role
# ("the participant").
Signatory = namedtuple('Signatory', [
        'organisation', 'name', 'function', 'place', 'date', 'signed',
        'role'])


class DocumentMixin:
    """The house style of the cooperative's documents.

    Every template shows the company's header (its logo, name, address, KvK
    number, IBAN and website, as the company's header text says) and footer,
    the document's title, reference and date and "page X of Y"; a document
    of a record that is not final is marked DRAFT in its header and across
    its pages.  Documents that parties sign end with one signature block per
    party, from get_signatories, in the same table layout in every template.
    """
    __slots__ = ()
    # The states in which a record's document is a draft.
    _draft_states = {'draft'}

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        ActionReport = pool.get('ir.action.report')
        Company = pool.get('company.company')
        Date = pool.get('ir.date')
        context = super().get_context(records, header, data)
        if not context.get('company'):
            company_id = Transaction().context.get('company')
            context['company'] = Company(company_id) if company_id else None
        action_reports = ActionReport.search([
                ('report_name', '=', cls.__name__),
                ], order=[('id', 'ASC')], limit=1)
        context['document_title'] = (
            action_reports[0].name if action_reports else '')
        context['document_reference'] = (
            records[0].rec_name if len(records) == 1 else '')
        context['document_date'] = Date.today()
        context['is_draft'] = cls.is_draft
        context['any_draft'] = any(cls.is_draft(r) for r in records)
        context['signatories'] = cls.get_signatories
        context['month_name'] = cls.month_name
        context['local_datetime'] = cls.local_datetime
        return context

    @classmethod
    def is_draft(cls, record):
        "Whether the document of record is not final"
        return getattr(record, 'state', None) in cls._draft_states

    @classmethod
    def get_signatories(cls, record):
        "Return the Signatory of each party that signs the document of record"
        return []

    @classmethod
    def signatory(cls, party, name=None, function=None, date=None,
            signed=False, role=None):
        """Return the Signatory of party

        The place is the city of the party's address. A party that has not
        signed gets no date, so that each party writes its own. With a role
        the party signs for itself, not on behalf of an organisation."""
        place = None
        if party:
            address = party.address_get()
            place = address.city if address and address.city else None
        return Signatory(
            organisation=party.rec_name if party and not role else None,
            name=name or None,
            function=function or None,
            place=place,
            date=date if signed else None,
            signed=bool(signed),
            role=role)

    @classmethod
    def company_signatory(cls, company, **kwargs):
        "Return the Signatory of the cooperative"
        return cls.signatory(company.party if company else None, **kwargs)

    @staticmethod
    def month_name(date):
        "Return the month of date as a reader names it: oktober 2026"
        pool = Pool()
        Lang = pool.get('ir.lang')
        if not date:
            return ''
        lang = Lang.get()
        month = lang.strftime(date, '%B')
        if lang.code.split('_')[0] not in {'en', 'de'}:
            # Most languages write the months in lower case
            month = month.lower()
        return '%s %s' % (month, date.year)

    @classmethod
    def local_datetime(cls, value, company=None):
        """Return value, a date and time in UTC as Tryton stores it, in the
        timezone of the company: 02-12-2026 22:15"""
        pool = Pool()
        Lang = pool.get('ir.lang')
        if not value:
            return ''
        lang = Lang.get()
        timezone = company.timezone if company else None
        return cls.format_datetime(
            value, lang, lang.date + ' %H:%M', timezone or None)
