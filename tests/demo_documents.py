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
# and, optionally, the suffix of the picture
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
    ('buurtwerkkamer.annual_report', 'buurtwerkkamer.annual_report',
        None, [('room', '=', None)], '_company'),
    ('buurtwerkkamer.annual_report.working_paper',
        'buurtwerkkamer.annual_report',
        [('state', 'in', ['checked', 'approved', 'sent'])],
        [('state', 'in', ['draft', 'computed'])]),
    ]
# A Dutch amount: € 1.234,56 or −€ 1.416,91 / € -1.416,91
AMOUNT = re.compile(r'€\s?[−-]?\d{1,3}(\.\d{3})*,\d\d')
WRONG_AMOUNT = re.compile(r'€\s?\d{1,3}( \d{3})+,\d\d|\d,\d\d-')
# An amount broken over two lines: "€ 450," then "00"
BROKEN_AMOUNT = re.compile(r'€\s?[−-]?[\d.]+,\s*$', re.MULTILINE)
# Words of the column headings and the demo that once broke mid-word
WORDS = ['Boodschappen', 'Deelnemers', 'Kosten', 'Boeking', 'Bedrag',
    'Kantoorbenodigdheden', 'Vrijwilligersacademie']
MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli',
    'augustus', 'september', 'oktober', 'november', 'december']
CLAUSES = ['1. Duur en werktijden', '2. Vergoeding of uitkering',
    '3. Verzekering', '4. Ziekmelding', '5. Geheimhouding',
    '6. Beëindiging']


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
            for report_name, model, final, draft, *suffix in DOCUMENTS:
                suffix = suffix[0] if suffix else ''

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
                    label = '%s (%s%s)' % (report_name, kind, suffix)
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
                    check(not BROKEN_AMOUNT.search(text),
                        "%s: no amount broken over two lines" % label)
                    broken = [w for w in WORDS if broken_word(w, text)]
                    check(not broken,
                        "%s: no word broken mid-word %s" % (label, broken))
                    check(not re.search(
                            r'(?i)buurtwerkkamer\s+buurtwerkkamer', text),
                        "%s: no doubled word" % label)
                    content_checks(
                        report_name, kind, record, text, company, check,
                        label)
                    if pictures:
                        picture(content, os.path.join(
                                PICTURES, report_name.replace(
                                    'buurtwerkkamer.', '').replace(
                                    '.', '_')
                                + suffix
                                + ('_draft' if kind == 'draft' else '')
                                + '.png'))
    print('documents: %s passed, %s failed' % (passed, failed))
    return 1 if failed else 0


def broken_word(word, text):
    """Whether word shows only broken in two: its head and its tail each
    a word of its own (in a table cell the tail is on the next line)"""
    if re.search(r'\b%s\b' % re.escape(word), text):
        return False
    for i in range(3, len(word)):
        head, tail = word[:i], word[i:]
        if (re.search(r'\b%s(?!\w)' % re.escape(head), text)
                and re.search(r'(?<!\w)%s\b' % re.escape(tail), text)):
            return True
    return False


def lines_with(text, *words):
    "The lines of text that hold all words"
    return [l for l in text.splitlines() if all(w in l for w in words)]


def function_apart(text, name, function):
    "Whether text shows the function on its own line, not run into the name"
    return (bool(re.search(r'Functie: %s\s' % re.escape(function), text))
        and not lines_with(text, '%s %s' % (name, function)))


def content_checks(report_name, kind, record, text, company, check, label):
    "Check what the document of record says, beyond the house style"
    from trytond.pool import Pool
    pool = Pool()
    if report_name in {'buurtwerkkamer.intent', 'buurtwerkkamer.agreement'}:
        check('Namens %s' % record.partner.name in text
            and 'Namens %s' % company.party.name in text,
            "%s: a signature block for the partner and the cooperative"
            % label)
        if record.signatory:
            check(bool(re.search(r'Naam: %s\b' % re.escape(
                            record.signatory), text)),
                "%s: the partner's signatory named" % label)
        if record.signatory_function:
            check(function_apart(
                    text, record.signatory, record.signatory_function),
                "%s: the partner's function %s apart from the name" % (
                    label, record.signatory_function))
        check('Handtekening:' in text,
            "%s: lines to sign on for who has not signed" % label)
        check('Namens %s: Namens' % record.partner.name not in text,
            "%s: the organisation not repeated as the name" % label)
    elif report_name == 'buurtwerkkamer.covenant':
        for signature in record.signatures:
            check(bool(re.search(r'Naam: %s\s' % re.escape(
                            signature.signatory), text)),
                "%s: signatory %s named apart" % (
                    label, signature.signatory))
            if signature.function:
                check(function_apart(
                        text, signature.signatory, signature.function),
                    "%s: function %s apart from the name" % (
                        label, signature.function))
        dates = re.findall(r'Ondertekend op (\S+)', text)
        check(len(dates) == len(record.signatures)
            and len(set(dates)) == len(
                {s.date for s in record.signatures}),
            "%s: each signature with its own date %s" % (label, dates))
        for line in record.partners:
            check('Namens %s' % line.party.name in text,
                "%s: a signature block for %s" % (label, line.party.name))
    elif report_name == 'buurtwerkkamer.placement.agreement':
        check('De deelnemer' in text
            and 'Namens %s' % company.party.name in text
            and (not record.benefits_agency
                or 'Namens %s' % record.benefits_agency.name in text),
            "%s: the participant, the cooperative and the agency sign"
            % label)
        missing = [c for c in CLAUSES if c not in text]
        check(not missing, "%s: the clauses %s" % (label, missing or ''))
    elif report_name == 'buurtwerkkamer.placement.signal_report':
        agency = record.placement.benefits_agency
        if record.report_to_agency:
            check('Signaal aan de uitkeringsinstantie' in text,
                "%s: addressed to the agency" % label)
        else:
            check('Interne notitie' in text
                and (not agency or agency.name not in text),
                "%s: an internal note without the agency" % label)
    elif report_name == 'buurtwerkkamer.handgeld.statement':
        check(bool(re.search(r'Maand\s+(%s) %s' % (
                        '|'.join(MONTHS), record.date.year), text)),
            "%s: the month by name" % label)
        receipts = len([e for e in record.expenses
                if e.receipt_id and not e.receipt_lost])
        check('Aantal bonnen: %s' % receipts in text,
            "%s: %s receipts counted" % (label, receipts))
    elif report_name in {'buurtwerkkamer.annual_report',
            'buurtwerkkamer.annual_report.working_paper'}:
        members = [m.strip() for m in (record.check_members or '').replace(
                ',', '\n').splitlines() if m.strip()]
        check(len(members) < 2 or (
                all(m in text for m in members)
                and not lines_with(text, *members)),
            "%s: the kascommissie members one per line" % label)
        if report_name == 'buurtwerkkamer.annual_report':
            if record.computed_date:
                Report = pool.get(report_name, type='report')
                local = Report.local_datetime(
                    record.computed_date, company).replace('\xa0', ' ')
                check('vastgelegd op: %s' % local in text,
                    "%s: the freeze time in the company's timezone %s" % (
                        label, local))
            check('positief is beter dan begroot' in text,
                "%s: the sign of the differences explained" % label)
            if not record.room:
                rooms = [r.name for r in pool.get(
                        'buurtwerkkamer.room').search([])]
                unnamed = [l.name for l in record.content_lines
                    if l.indicator in {'training', 'evaluation',
                        'obligation', 'meeting', 'placement'}
                    and not any(r in l.name for r in rooms)]
                check(not unnamed,
                    "%s: the room named on every line %s" % (
                        label, unnamed))
        else:
            samples = [l for l in text.splitlines()
                if re.match(r'\d\d-\d\d-\d{4}\s', l)]
            check(not record.check_samples or all(
                    re.search(r'€ \d', l) and not re.search(r'€ [−-]', l)
                    for l in samples),
                "%s: the sampled amounts positive" % label)
            check(not re.search(r'\S @ \d', text),
                "%s: receipts named without technical names" % label)
            Report = pool.get(report_name, type='report')
            for line in record.check_samples:
                party = Report.sample_party(line)
                check(bool(party) and party.split()[0] in text,
                    "%s: the party of entry %s" % (
                        label, line.move.rec_name))


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
