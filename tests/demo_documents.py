#!/usr/bin/env python3
# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Print every document of a demo database to PDF and read it back.

Run by tests/browser/run.py on the demo database it serves.  Every document
is printed through its "(PDF)" action, that is Tryton's conversion with
LibreOffice on the server, for a final record and, where the demo has one,
a draft.  The text of each PDF is read with pdftotext and checked: no
"None", Dutch amounts, the letterhead, page numbers and CONCEPT on drafts
only.  The first page of each document is saved as a PNG in
doc/documents/ (with _draft for the draft).  Skipped with a message where soffice or pdftotext is
missing.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PICTURES = os.path.join(ROOT, 'doc', 'documents')

# report name, model, domain of a final record, domain of a draft one
DOCUMENTS = [
    ('buurtwerkkamer.intent', 'buurtwerkkamer.intent',
        [('state', '=', 'signed')], [('state', '=', 'draft')]),
    ('buurtwerkkamer.covenant', 'buurtwerkkamer.covenant',
        [('state', 'in', ['signed', 'active'])], [('state', '=', 'draft')]),
    ('buurtwerkkamer.agreement', 'buurtwerkkamer.agreement',
        [('state', 'in', ['signed', 'evaluated'])],
        [('state', '=', 'draft')]),
    ('buurtwerkkamer.placement.agreement', 'buurtwerkkamer.placement',
        [('state', 'in', ['contracted', 'active'])],
        [('state', 'in', ['candidate', 'interview', 'selected'])]),
    ('buurtwerkkamer.placement.signal_report',
        'buurtwerkkamer.placement.signal',
        [('state', 'in', ['reported', 'resolved'])],
        [('state', '=', 'open')]),
    ('buurtwerkkamer.room.house_rules', 'buurtwerkkamer.room',
        [('house_rules', '!=', None)], None),
    ('buurtwerkkamer.learning_plan', 'buurtwerkkamer.learning_plan',
        [], None),
    ('buurtwerkkamer.handgeld.statement', 'buurtwerkkamer.handgeld.period',
        [('state', '=', 'posted')], [('state', '=', 'open')]),
    ('buurtwerkkamer.annual_report', 'buurtwerkkamer.annual_report',
        [('state', 'in', ['checked', 'approved', 'sent'])],
        [('state', 'in', ['draft', 'computed'])]),
    ('buurtwerkkamer.annual_report.working_paper',
        'buurtwerkkamer.annual_report',
        [('state', 'in', ['checked', 'approved', 'sent'])],
        [('state', 'in', ['draft', 'computed'])]),
    ]
# A Dutch amount: € 1.234,56 or −€ 1.416,91 / € -1.416,91
AMOUNT = re.compile(r'€\s?[−-]?\d{1,3}(\.\d{3})*,\d\d')
WRONG_AMOUNT = re.compile(r'€\s?\d{1,3}( \d{3})+,\d\d|\d,\d\d-')


def main(config_file, database, pictures=True):
    if not shutil.which('soffice') or not shutil.which('pdftotext'):
        print("Documents skipped: soffice or pdftotext is missing "
            "(apt-get install libreoffice-writer-nogui poppler-utils).")
        return 0
    from trytond import config
    config.update_etc(config_file)
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    passed, failed = 0, 0

    def check(ok, text):
        nonlocal passed, failed
        print('%s %s' % ('ok  ' if ok else 'FAIL', text))
        if ok:
            passed += 1
        else:
            failed += 1

    Pool.start()
    pool = Pool(database)
    pool.init()
    os.makedirs(PICTURES, exist_ok=True)
    with Transaction().start(database, 0, readonly=True) as transaction:
        User = pool.get('res.user')
        ActionReport = pool.get('ir.action.report')
        admin, = User.search([('login', '=', 'admin')])
        with transaction.set_user(admin.id):
            context = User.get_preferences(context_only=True)
        with transaction.set_user(admin.id), \
                transaction.set_context(context, language='nl'):
            company = pool.get('company.company')(context['company'])
            for report_name, model, final, draft in DOCUMENTS:
                Model = pool.get(model)
                Report = pool.get(report_name, type='report')
                action, = ActionReport.search([
                        ('report_name', '=', report_name),
                        ('extension', '=', 'pdf'),
                        ])
                for kind, domain in [('final', final), ('draft', draft)]:
                    if domain is None:
                        continue
                    records = Model.search(domain, order=[('id', 'ASC')],
                        limit=1)
                    label = '%s (%s)' % (report_name, kind)
                    if not records:
                        check(kind == 'draft',
                            "%s: the demo has such a record" % label)
                        continue
                    record, = records
                    ext, content, _, _ = Report.execute([record.id], {
                            'model': model,
                            'id': record.id,
                            'ids': [record.id],
                            'action_id': action.id,
                            })
                    check(ext == 'pdf' and content[:4] == b'%PDF',
                        "%s: printed as PDF" % label)
                    if content[:4] != b'%PDF':
                        continue
                    text = pdf_text(content)
                    check('None' not in text, "%s: no None" % label)
                    check(bool(re.search(r'[Pp]agina 1 van \d', text)),
                        "%s: page numbers" % label)
                    check(company.party.name in text,
                        "%s: letterhead" % label)
                    check(('CONCEPT' in text) == (kind == 'draft'),
                        "%s: CONCEPT %s" % (label,
                            'shown' if kind == 'draft' else 'absent'))
                    wrong = WRONG_AMOUNT.findall(text)
                    check(not wrong and (
                            '€' not in text or AMOUNT.search(text)),
                        "%s: Dutch amounts" % label)
                    if pictures:
                        picture(content, os.path.join(
                                PICTURES, report_name.replace(
                                    'buurtwerkkamer.', '').replace(
                                    '.', '_')
                                + ('_draft' if kind == 'draft' else '')
                                + '.png'))
    print('documents: %s passed, %s failed' % (passed, failed))
    return 1 if failed else 0


def pdf_text(content):
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, 'document.pdf')
        with open(path, 'wb') as fp:
            fp.write(content)
        return subprocess.run(['pdftotext', '-layout', path, '-'],
            check=True, capture_output=True, text=True).stdout


def picture(content, path):
    "Save the first page of the PDF as a PNG"
    if not shutil.which('pdftoppm'):
        return
    with tempfile.TemporaryDirectory() as directory:
        pdf = os.path.join(directory, 'document.pdf')
        with open(pdf, 'wb') as fp:
            fp.write(content)
        subprocess.run(['pdftoppm', '-png', '-r', '60', '-f', '1', '-l', '1',
                '-singlefile', pdf, path[:-len('.png')]], check=True)


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('-c', '--config', dest='config_file', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--no-pictures', dest='pictures',
        action='store_false')
    args = parser.parse_args()
    sys.exit(main(args.config_file, args.database, args.pictures))
