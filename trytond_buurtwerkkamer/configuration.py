# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.modules.company.model import (
    CompanyMultiValueMixin, CompanyValueMixin)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .access import RecordAccessMixin


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

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field == 'analytic_root':
            return pool.get('buurtwerkkamer.configuration.analytic')
        return super().multivalue_model(field)

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
