#!/usr/bin/env python3
# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import io
import os
import re

from setuptools import find_packages, setup

MODULE = 'buurtwerkkamer'
PACKAGE = 'trytond_buurtwerkkamer'


def read(fname):
    with io.open(
            os.path.join(os.path.dirname(__file__), fname),
            'r', encoding='utf-8') as fp:
        return fp.read()


def get_version():
    init = read(os.path.join(PACKAGE, 'tryton.cfg'))
    return re.search(r'^version=([\w.]+)', init, re.M).group(1)


version = get_version()
major_version, minor_version, _ = version.split('.', 2)
series = '%s.%s' % (major_version, minor_version)
next_series = '%s.%s' % (major_version, int(minor_version) + 1)

requires = ['relatorio >= 0.7', 'python-sql >= 1.3', 'Pillow']
for dep in [
        'company', 'party', 'bank', 'currency', 'account', 'account_invoice',
        'analytic_account', 'analytic_budget', 'analytic_invoice',
        'account_budget',
        'account_payment', 'account_payment_clearing',
        'account_payment_sepa', 'account_statement',
        'account_statement_rule', 'account_statement_sepa',
        'account_tax_non_deductible', 'document_incoming']:
    requires.append('trytond_%s >= %s, < %s' % (dep, series, next_series))
requires.append('trytond >= %s, < %s' % (series, next_series))

tests_require = ['proteus >= %s, < %s' % (series, next_series)]

setup(
    name=PACKAGE,
    version=version,
    description="Neighbourhood rooms of the BuurtWerkKamer Coöperatie "
    "for Tryton",
    long_description=read('README.md'),
    long_description_content_type='text/markdown',
    license='GPL-3.0-or-later',
    python_requires='>=3.9',
    packages=find_packages(include=[PACKAGE, PACKAGE + '.*']),
    package_data={
        PACKAGE: [
            'tryton.cfg', '*.xml', 'locale/*.po',
            'view/*.xml', 'report/*.fodt'],
        },
    include_package_data=True,
    install_requires=requires,
    extras_require={
        'postgresql': ['trytond[postgresql] >= %s, < %s' % (
                series, next_series)],
        'test': tests_require,
        'load': ['gunicorn'],
        },
    zip_safe=False,
    entry_points={
        'trytond.modules': ['%s = %s' % (MODULE, PACKAGE)],
        },
    )
