// This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The accountant reaches the annual reports through the menu, opens a report
// the kascommissie has checked, prints the kascommissie's working paper and
// approves the report; it reads Goedgekeurd afterwards.
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

test('the accountant approves a checked annual report', async () => {
    const page = await newPage(browser);
    await login(page, 'accountant');
    const tab = await openMenu(
        page, ['Buurtwerkkamers', 'Verantwoording', 'Jaarverslagen']);

    // The reports the kascommissie has checked
    await tab.getByText('Goed te keuren', {exact: false}).first().click();
    await idle(page);
    const row = tab.locator('table.table tbody tr').first();
    await row.waitFor();
    // A link cell opens the linked record: open the report on its result.
    await row.locator('td').filter({hasText: '€'}).first().dblclick();
    const form = activeTab(page).locator('.form').first();
    await form.waitFor();
    await stateIs(page, form, 'Gecontroleerd');

    // The form fits the screen: nothing sticks out on the right.
    const overflow = await activeTab(page).evaluate(
        (el) => el.scrollWidth - el.clientWidth);
    assert.ok(overflow <= 1, `the form is ${overflow}px too wide`);

    // What the kascommissie recorded
    await form.locator('.nav-tabs a').filter({hasText: 'Kascommissie'})
        .first().click();
    await idle(page);
    const samples = form.locator('.form-many2many table.table tbody tr');
    await samples.first().waitFor();
    assert.doesNotMatch(
        await form.locator('.form-many2many').first().innerText(), /#FOUT/);

    // The kascommissie's working paper is printed
    await activeTab(page).locator('button[title="Rapport afdrukken"]')
        .first().click();
    const download = page.waitForEvent('download', {timeout: 60000});
    await page.locator('.dropdown-menu:visible')
        .getByText('Werkdocument kascommissie', {exact: true}).click();
    const file = await download;
    assert.match(file.suggestedFilename(), /\.(odt|pdf)$/);
    await idle(page);
    await assertNoErrorDialog(page);

    // The accountant approves the report
    await form.getByRole('button', {name: 'Goedkeuren'}).click();
    const wizard = page.locator('.modal:visible')
        .filter({hasText: 'Jaarverslag goedkeuren'}).last();
    await wizard.locator('textarea').first().waitFor();
    await idle(page);
    const firm = wizard.locator('input[name="accountant"]').first();
    await firm.fill('Accountantskantoor');
    await firm.press('Tab');
    await idle(page, 1000);
    // The web client lets the person pick among the matching parties.
    const search = page.locator('.modal:visible')
        .filter({hasText: 'Zoek Accountant'});
    if (await search.count()) {
        await search.locator('table.table tbody tr')
            .filter({hasText: 'De Graaf & Partners'}).first().dblclick();
        await idle(page);
    }
    assert.match(await firm.inputValue(), /De Graaf & Partners/);
    await wizard.locator('textarea').first().fill(
        'Wij hebben de financiële verantwoording beoordeeld en '
        + 'goedgekeurd.');
    await wizard.getByRole('button', {name: 'Goedkeuren'}).click();
    await idle(page, 1000);
    await assertNoErrorDialog(page);

    await stateIs(page, form, 'Goedgekeurd');
    await form.locator('.nav-tabs a').filter({hasText: 'Accountant'})
        .first().click();
    await idle(page);
    assert.equal(
        await form.locator('input[name="accountant"]').first().inputValue(),
        'Accountantskantoor De Graaf & Partners');
    await screenshot(page, 'accountant-annual-report');
    await assertNoErrorDialog(page);
    await page.close();
});
