# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond.pool import Pool
from trytond.transaction import Transaction


class DocumentMixin:
    """The house style of the cooperative's documents.

    Every template shows the company's header (its logo, name, address, KvK
    number, IBAN and website, as the company's header text says) and footer,
    the document's title, reference and date and "page X of Y"; a document
    of a record that is not final is marked DRAFT in its header and across
    its pages.
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
        return context

    @classmethod
    def is_draft(cls, record):
        "Whether the document of record is not final"
        return getattr(record, 'state', None) in cls._draft_states
