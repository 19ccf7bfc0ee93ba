# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class Address(metaclass=PoolMeta):
    __name__ = 'party.address'

    @classmethod
    def default_country(cls):
        "The country of the company, else the Netherlands"
        pool = Pool()
        Company = pool.get('company.company')
        Country = pool.get('country.country')
        company_id = Transaction().context.get('company')
        if company_id is not None and company_id >= 0:
            address = Company(company_id).party.address_get()
            if address and address.country:
                return address.country.id
        countries = Country.search([('code', '=', 'NL')], limit=1)
        if countries:
            country, = countries
            return country.id
