# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
project = "Buurtwerkkamer Module"
copyright = "BuurtWerkKamer Coöperatie"
master_doc = 'index'
exclude_patterns = ['_build']
html_theme = 'alabaster'
