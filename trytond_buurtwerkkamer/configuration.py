# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond.i18n import gettext
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.modules.company.model import (
    CompanyMultiValueMixin, CompanyValueMixin)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .access import RecordAccessMixin

VAT_POSITIONS = [
    ('exempt', "Exempt"),
    ('not_liable', "Not Liable"),
    ('liable', "Liable"),
    ]


class Configuration(RecordAccessMixin,
        ModelSingleton, ModelSQL, ModelView, CompanyMultiValueMixin):
    __name__ = 'buurtwerkkamer.configuration'

    analytic_root = fields.MultiValue(fields.Many2One(
            'analytic_account.account', "Analytic Root",
            domain=[
                ('type', '=', 'root'),
                ('company', '=', Eval('context', {}).get('company', -1)),
                ],
            help="The analytic root under which every room gets its own "
            "analytic account.\n"
            "Created as \"Buurtwerkkamers\" with the first room "
            "when left empty."))
    vat_position = fields.MultiValue(fields.Selection(
            VAT_POSITIONS, "VAT Position", required=True,
            help="How the cooperative stands towards VAT "
            "(omzetbelasting):\n"
            "Exempt: its services are exempt, it charges no VAT and cannot "
            "deduct the VAT it pays, which becomes cost.\n"
            "Not Liable: it is no entrepreneur for VAT, its income is "
            "outside the scope of VAT.\n"
            "Liable: it charges VAT and deducts the VAT it pays."))
    vat_exempt_notice = fields.MultiValue(fields.Text(
            "VAT Exemption Notice",
            states={
                'invisible': Eval('vat_position') != 'exempt',
                },
            help="The legal ground of the exemption, printed on the "
            "invoices of the yearly agreements and on the agreements."))

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field == 'analytic_root':
            return pool.get('buurtwerkkamer.configuration.analytic')
        if field in {'vat_position', 'vat_exempt_notice'}:
            return pool.get('buurtwerkkamer.configuration.vat')
        return super().multivalue_model(field)

    @classmethod
    def default_vat_position(cls, **pattern):
        return cls.multivalue_model('vat_position').default_vat_position()

    @classmethod
    def default_vat_exempt_notice(cls, **pattern):
        return cls.multivalue_model(
            'vat_exempt_notice').default_vat_exempt_notice()

    def get_vat_notice(self, company):
        """Return the text about VAT that the documents of the company
        print, or None"""
        position = self.get_multivalue('vat_position', company=company.id)
        if position == 'exempt':
            return (self.get_multivalue(
                    'vat_exempt_notice', company=company.id)
                or self.default_vat_exempt_notice())

    def get_analytic_root(self, company):
        "Return the analytic root of the company, created when missing"
        pool = Pool()
        Account = pool.get('analytic_account.account')
        root = self.get_multivalue('analytic_root', company=company.id)
        if not root:
            with without_check_access(), \
                    Transaction().set_context(company=company.id):
                root = Account(
                    name="Buurtwerkkamers", code='BWK', type='root',
                    company=company, state='opened')
                root.save()
                self.set_multivalue(
                    'analytic_root', root, company=company.id)
        return root


class ConfigurationAnalytic(RecordAccessMixin, ModelSQL, CompanyValueMixin):
    __name__ = 'buurtwerkkamer.configuration.analytic'

    analytic_root = fields.Many2One(
        'analytic_account.account', "Analytic Root",
        domain=[
            ('type', '=', 'root'),
            ('company', '=', Eval('company', -1)),
            ])


class ConfigurationVat(RecordAccessMixin, ModelSQL, CompanyValueMixin):
    __name__ = 'buurtwerkkamer.configuration.vat'

    vat_position = fields.Selection(
        VAT_POSITIONS, "VAT Position", required=True)
    vat_exempt_notice = fields.Text("VAT Exemption Notice")

    @classmethod
    def default_vat_position(cls):
        return 'exempt'

    @classmethod
    def default_vat_exempt_notice(cls):
        return gettext('buurtwerkkamer.msg_vat_exempt_notice')
