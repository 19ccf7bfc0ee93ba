// This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The kascommissie opens an annual report that waits for its check, picks
// two entries of the ledger as its sample, writes down what it found and
// advises the general meeting; the report reads Gecontroleerd afterwards.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {
    activeTab, assertNoErrorDialog, idle, launch, login, newPage, openMenu,
    screenshot, stateIs,
} from './sao.mjs';

let browser;

before(async () => {
    browser = await launch();
});

after(async () => {
    await browser?.close();
});

test('the kascommissie checks an annual report', async () => {
    const page = await newPage(browser);
    await login(page, 'kascommissie');
    const tab = await openMenu(
        page, ['Buurtwerkkamers', 'Verantwoording', 'Jaarverslagen']);

    // The reports that wait for the check
    await tab.getByText('Te controleren', {exact: false}).first().click();
    await idle(page);
    const row = tab.locator('table.table tbody tr').first();
    await row.waitFor();
    // A link cell opens the linked record: open the report on its result.
    await row.locator('td').filter({hasText: '€'}).first().dblclick();
    const form = activeTab(page).locator('.form').first();
    await form.waitFor();
    await idle(page);
    assert.match(await form.innerText(), /Totalen/);

    // The form fits the screen: nothing sticks out on the right.
    const overflow = await activeTab(page).evaluate(
        (el) => el.scrollWidth - el.clientWidth);
    assert.ok(overflow <= 1, `the form is ${overflow}px too wide`);

    await form.getByRole('button', {name: 'Controle vastleggen'}).click();
    const wizard = page.locator('.modal:visible').last();
    await wizard.locator('textarea').first().waitFor();
    await idle(page);
    await wizard.locator('textarea').nth(0).fill(
        'Truus Mulder, Wim de Jong');

    // Two entries of the ledger as the sample
    await wizard.locator('.form-many2many button[title="Toevoegen"]')
        .first().click();
    const search = page.locator('.modal:visible').last();
    await search.locator('table.table tbody tr').first().waitFor();
    await idle(page);
    const header = await search.locator('table.table thead').first()
        .innerText();
    assert.match(header, /datum/i);
    assert.match(header, /Omschrijving/);
    assert.match(header, /Bedrag/);
    assert.match(header, /rekening/i);
    const offered = search.locator('table.table tbody tr');
    const first = await offered.nth(0).innerText();
    assert.match(first, /€/);
    assert.doesNotMatch(first, /#FOUT|@/);
    await offered.nth(0).click();
    await offered.nth(1).click({modifiers: ['Control']});
    await search.getByRole('button', {name: 'OK'}).click();
    await idle(page);

    const samples = wizard.locator('.form-many2many table.table tbody tr');
    await samples.nth(1).waitFor();
    assert.equal(await samples.count(), 2);
    const text = await wizard.locator('.form-many2many').first().innerText();
    assert.doesNotMatch(text, /#FOUT/);
    assert.match(text, /€/);

    await wizard.locator('textarea').nth(1).fill(
        'De bonnen van de steekproef komen overeen met de boekingen.');
    await wizard.locator('textarea').nth(2).fill(
        'De kascommissie adviseert het bestuur decharge te verlenen.');
    await screenshot(page, 'kascommissie-check');
    await wizard.getByRole('button', {name: 'Controle vastleggen'}).click();
    await idle(page, 1000);

    // When the ledger changed since the report was computed, the
    // kascommissie is told by how much before it records the check.
    const warning = page.locator('.modal.user-warning-dialog:visible');
    await warning.waitFor({timeout: 5000}).catch(() => {});
    if (await warning.count()) {
        assert.match(await warning.innerText(), /wijken €\s?[\d.,]+ af/);
        await warning.getByRole('button', {name: 'Ja'}).click();
        await warning.waitFor({state: 'hidden'});
        await idle(page, 1000);
    }
    await assertNoErrorDialog(page);

    await stateIs(page, form, 'Gecontroleerd');
    await form.locator('.nav-tabs a').filter({hasText: 'Kascommissie'})
        .first().click();
    await idle(page);
    const recorded = form.locator('.form-many2many table.table tbody tr');
    assert.equal(await recorded.count(), 2);
    await assertNoErrorDialog(page);
    await page.close();
});
