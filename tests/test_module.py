# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import io

import polib

from trytond.modules.company.tests import CompanyTestMixin
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction


class BuurtwerkkamerTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Buurtwerkkamer module"
    module = 'buurtwerkkamer'

    @with_transaction()
    def test_dutch_translation_complete(self):
        "Every user-visible string of the module reads in Dutch"
        pool = Pool()
        Lang = pool.get('ir.lang')
        Translation = pool.get('ir.translation')
        TranslationSet = pool.get('ir.translation.set', type='wizard')
        TranslationUpdate = pool.get(
            'ir.translation.update', type='wizard')

        dutch, = Lang.search([('code', '=', 'nl')])
        Lang.load_translations([dutch])
        session_id, _, _ = TranslationSet.create()
        TranslationSet.execute(session_id, {}, 'set_')
        TranslationSet.delete(session_id)
        # Add the strings missing from nl.po, empty, as the export does.
        session_id, _, _ = TranslationUpdate.create()
        TranslationUpdate.execute(session_id, {
                'start': {'language': dutch.id},
                }, 'update')
        TranslationUpdate.delete(session_id)

        content = Translation.translation_export('nl', self.module)
        entries = polib.pofile(io.BytesIO(content).read().decode('utf-8'))
        untranslated = [
            '%s %r' % (e.msgctxt, e.msgid) for e in entries
            if not e.msgstr or 'fuzzy' in e.flags]
        self.assertFalse(
            untranslated, msg="Not translated in locale/nl.po:\n"
            + '\n'.join(untranslated))
        self.assertGreater(len(entries), 100)


del ModuleTestCase
