// This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// A team leader logs into the Tryton web client (sao), opens the rooms and
// sees only the room he leads, in Dutch.  Started by run.py, which serves a
// fresh demo database and passes BASE_URL, DATABASE and SCREENSHOTS.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {
    activeTab, assertNoErrorDialog, launch, login, newPage, screenshot,
} from './sao.mjs';

let browser;

before(async () => {
    browser = await launch();
});

after(async () => {
    await browser?.close();
});

async function openRooms(page) {
    const menu = page.locator('#menu');
    // Top entry, then its "Buurtwerkkamers" action.
    const entries = menu.getByText('Buurtwerkkamers', {exact: true});
    await entries.first().click();
    await entries.nth(1).waitFor();
    await entries.nth(1).dblclick();
    const tab = activeTab(page);
    await tab.locator('table.table thead').first().waitFor();
    // Show every room, not only the ones in start-up.
    await tab.getByText('Alle', {exact: false}).first().click();
    await tab.locator('table.table tbody tr').first().waitFor();
    await page.waitForTimeout(1000);
    return tab;
}

test('a team leader sees only the room he leads, in Dutch', async () => {
    const page = await newPage(browser);
    await login(page, 'henk');
    const tab = await openRooms(page);

    const header = await tab.locator('table.table thead').first().innerText();
    assert.match(header, /Teamleider/);
    assert.match(header, /Buurt/);
    assert.match(header, /Status/);

    const body = await tab.locator('table.table tbody').first().innerText();
    assert.match(body, /Buurtwerkkamer Zuilen/);
    assert.match(body, /Operationeel/);
    for (const other of ['Overvecht', 'Lunetten', 'Kanaleneiland',
            'Hoograven']) {
        assert.doesNotMatch(body, new RegExp(other));
    }
    await screenshot(page, 'team-leader-rooms');

    // The form of the own room reads in Dutch too.
    await tab.locator('table.table tbody tr')
        .filter({hasText: 'Zuilen'}).first().dblclick();
    const form = page.locator('.tab-content .tab-pane.active .form').first();
    await form.waitFor();
    const name = form.locator('input[name="name"]').first();
    await page.waitForFunction(
        (el) => el.value === 'Buurtwerkkamer Zuilen', await name.elementHandle());
    assert.equal(
        await form.locator('input[name="neighbourhood"]').first().inputValue(),
        'Zuilen');
    const text = await form.innerText();
    assert.match(text, /Zakelijke rekening/);
    assert.match(text, /Opstart/);
    await screenshot(page, 'team-leader-room');
    await assertNoErrorDialog(page);
    await page.close();
});

test('the administration sees every room', async () => {
    const page = await newPage(browser);
    await login(page, 'bureau');
    const tab = await openRooms(page);
    const body = await tab.locator('table.table tbody').first().innerText();
    for (const name of ['Zuilen', 'Overvecht', 'Lunetten', 'Kanaleneiland',
            'Hoograven']) {
        assert.match(body, new RegExp(name));
    }
    await screenshot(page, 'administration-rooms');
    await assertNoErrorDialog(page);
    await page.close();
});
