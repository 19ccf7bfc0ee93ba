// This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The placement officer opens the placements, the form of a candidate and
// records a selection interview, without an error dialog.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {
    activeTab, assertNoErrorDialog, idle, launch, login, newPage, openMenu,
    screenshot,
} from './sao.mjs';

let browser;

before(async () => {
    browser = await launch();
});

after(async () => {
    await browser?.close();
});

test('the placement officer records an interview with a candidate',
    async () => {
        const page = await newPage(browser);
        await login(page, 'plaatsing');
        const tab = await openMenu(
            page, ['Buurtwerkkamers', 'Plaatsingen', 'Plaatsingen']);
        await assertNoErrorDialog(page);
        // The recruitment tab lists the candidates
        // (wait for it: under load the start page is still in front for a
        // moment after the menu was opened)
        const rows = tab.locator('table.table tbody tr');
        await rows.filter({hasText: /Kandidaat|Gesprek|Geselecteerd/})
            .first().waitFor();
        const list = await tab.locator('table.table').first().innerText();
        assert.match(list, /Kandidaat|Gesprek|Geselecteerd/);
        // A candidate invited for an interview
        await rows.filter({hasText: /Gesprek|Kandidaat/}).first().dblclick();
        await idle(page, 1000);
        await assertNoErrorDialog(page);

        // The form of the candidate, with the page of the interviews
        const form = activeTab(page);
        await form.getByText('Selectiegesprekken', {exact: true}).first()
            .click();
        await idle(page);
        const page_ = form.locator('.tab-pane.active').last();
        const before_ = await page_.locator('table.table tbody tr').count();
        const create = page_.locator('button').filter({
            has: page.locator('img'),
        }).and(page_.locator('button[title*="ieuw"], '
            + 'button[aria-label*="ieuw"]')).first();
        await create.click();
        await idle(page, 1000);
        const dialog = page.locator('.modal.in').last();
        await dialog.locator('textarea').first().fill(
            'Kennismaking: gemotiveerd, start na de zomer.');
        await dialog.locator('.modal-footer button')
            .filter({hasText: /^\s*toevoegen\s*$/i}).first().click();
        await idle(page, 1000);
        await assertNoErrorDialog(page);
        // Save the placement
        await page.keyboard.press('Control+s');
        await idle(page, 1500);
        await assertNoErrorDialog(page);
        const after_ = await page_.locator('table.table tbody tr').count();
        assert.ok(after_ > before_, 'the interview is not listed');
        await screenshot(page, 'placement-officer-interview');
        await page.context().close();
    });
