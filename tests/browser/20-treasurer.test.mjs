// This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The treasurer handles the handgeld of the month in the web client: he
// approves and posts a month that a team leader submitted, opens its entry
// from the month, and sends the transfers that the office approved as a SEPA
// credit transfer file.  Uses the month of Overvecht that the demo leaves
// submitted and the transfers of the current month that the demo leaves
// approved.
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import {after, before, test} from 'node:test';
import {
    assertNoErrorDialog, idle, launch, login, newPage, openMenu,
    screenshot,
} from './sao.mjs';

let browser;

before(async () => {
    browser = await launch();
});

after(async () => {
    await browser?.close();
});

// The tab in front (the notebook pages inside the tabs are tab panes too)
function currentTab(page) {
    return page.locator('#tabcontent > .tab-pane.active');
}

// Wait until the tab in front is the one named
async function waitForTab(page, name) {
    await currentTab(page).locator('.panel-heading .title')
        .filter({hasText: name}).first().waitFor();
    await idle(page);
    return currentTab(page);
}

function activeForm(page) {
    return currentTab(page).locator('.form').first();
}

// Click a button of the active form (not of its lists) by its label and
// accept the confirmation sao asks for.
function formButton(page, label) {
    return activeForm(page).locator('button:not(.btn-sm)')
        .filter({hasText: new RegExp(`^\\s*${label}\\s*$`, 'i')});
}

async function clickButton(page, label, {confirm = false} = {}) {
    await formButton(page, label).click();
    if (confirm) {
        const dialog = page.locator('.modal.in:visible, .modal.show:visible')
            .last();
        await dialog.waitFor();
        await dialog.locator('.modal-footer .btn-primary').click();
    }
    await idle(page, 1000);
    await assertNoErrorDialog(page);
}

// Wait until what the person sees matches, also on a slow machine
async function until(read, pattern, timeout = 60000) {
    const end = Date.now() + timeout;
    let value;
    for (;;) {
        value = await read();
        if (pattern.test(value) || Date.now() > end) {
            break;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.match(value, pattern);
    return value;
}

// Wait until a selection field shows the label
async function waitForSelected(page, container, name, label) {
    await page.waitForFunction(
        ([el, text]) => el.options[el.selectedIndex]?.text === text,
        [await container.locator(`select[name="${name}"]`).first()
            .elementHandle(), label]);
}

test('the treasurer approves and posts a month and sends its transfers',
    async () => {
        const page = await newPage(browser);
        await login(page, 'penningmeester');

        // The handgeld months, with what waits for the treasurer
        await openMenu(
            page, ['Buurtwerkkamers', 'Handgeld', 'Handgeldmaanden']);
        const months = await waitForTab(page, 'Handgeldmaanden');
        const toApprove = months.getByText('Te goedkeuren', {exact: false})
            .first();
        await toApprove.click();
        await idle(page, 1000);
        // A team leader may have submitted another month meanwhile
        const filters = await until(
            () => months.locator('.nav-tabs').first().innerText(),
            /Te goedkeuren\s*[1-9]/);
        assert.match(filters, /Te boeken/);
        const row = months.locator('table.table tbody tr')
            .filter({hasText: 'Overvecht'}).first();
        await row.waitFor();
        await until(() => row.innerText(), /Mieke Jansen/);
        await screenshot(page, 'treasurer-handgeld');

        // The month: approve, then post
        await row.locator('td').nth(3).dblclick();
        const form = activeForm(page);
        await form.waitFor();
        await idle(page, 1000);
        const month = await until(
            () => form.locator('input[name="month"]').first().inputValue(),
            /^\d{4}-\d\d$/);
        await waitForSelected(page, form, 'state', 'Ingediend');
        await clickButton(page, 'Goedkeuren');
        await waitForSelected(page, form, 'state', 'Goedgekeurd');
        await clickButton(page, 'Boeken', {confirm: true});
        await formButton(page, 'Corrigeren').waitFor();
        await waitForSelected(page, form, 'state', 'Geboekt');

        // Its expense entry opens from the month and shows the booked lines
        assert.notEqual(
            await form.locator('input[name="expense_move"]').inputValue(), '');
        await form.locator('.form-many2one')
            .filter({has: page.locator('input[name="expense_move"]')})
            .getByTitle('Open het record').click();
        const move = page.locator('.modal:visible').last();
        await move.locator('.form').first().waitFor();
        await idle(page, 1000);
        const moveText = await until(
            () => move.innerText(), /1150 - Handgeld bij teamleiders/);
        assert.match(moveText, /Uitgavenboeking/);
        await waitForSelected(page, move, 'state', 'Geboekt');
        assert.match(
            await move.locator('[name="description_used"]').inputValue(),
            new RegExp(`Handgelduitgaven .*Overvecht ${month}`));
        assert.match(
            moveText, /1150 - Handgeld bij teamleiders\s+Mieke Jansen/);
        assert.match(moveText, /4610 - Handgeld A/);
        await screenshot(page, 'treasurer-entry');
        await move.getByRole('button', {name: 'Sluiten'}).click();
        await idle(page);
        await assertNoErrorDialog(page);

        // The transfers of the month that the office approved
        await openMenu(page, ['Handgeldoverboekingen']);
        const transfers = await waitForTab(page, 'Handgeldoverboekingen');
        await transfers.getByText('Te verwerken', {exact: false}).first()
            .click();
        await idle(page, 1000);
        const list = await until(
            () => transfers.locator('table.table tbody').first().innerText(),
            /Mieke Jansen/);
        for (const name of ['Henk de Vries', 'Mieke Jansen', 'Ahmed Benali']) {
            assert.match(list, new RegExp(name));
        }
        // The transfer to Mieke Jansen goes to her business account
        await transfers.locator('table.table tbody tr')
            .filter({hasText: 'Mieke Jansen'}).first().locator('td').nth(3)
            .dblclick();
        const transfer = activeForm(page);
        await transfer.waitFor();
        await idle(page, 1000);
        const amount = await until(
            () => transfer.locator('input[name="amount"][type="number"]')
                .inputValue(),
            /^\d+\.\d\d$/);
        const iban = (await until(
            () => transfer.locator(
                'input[name="sepa_payable_bank_account_number"]')
                .inputValue(),
            /^NL\d\d/)).replace(/\s/g, '');
        assert.match(
            await transfer.locator('input[name="origin"]').inputValue(),
            /Overvecht/);
        await currentTab(page).getByTitle('Omschakelen').first().click();
        await idle(page, 1000);
        const boxes = transfers.locator(
            'table.table tbody tr td.selection-state input[type="checkbox"]');
        for (let i = 0; i < await boxes.count(); i++) {
            await boxes.nth(i).check();
        }
        await idle(page);
        const count = await boxes.count();
        assert.equal(
            await transfers.locator('table.table tbody tr')
                .filter({has: page.locator('input:checked')}).count(),
            count);
        await screenshot(page, 'treasurer-payments');

        // Process them into a payment group with its SEPA message
        await transfers.locator('button[name="process_wizard"]').click();
        const confirm = page.locator('.modal:visible').last();
        await confirm.waitFor();
        assert.match(await confirm.innerText(), /betalingen wilt uitvoeren/);
        await confirm.locator('.modal-footer .btn-primary').click();
        await idle(page, 2000);
        await assertNoErrorDialog(page);
        const group = await waitForTab(page, 'Betalingsgroepen');
        const groupRow = group.locator('table.table tbody tr').first();
        await groupRow.waitFor();
        const groupNumber = (await until(
            () => groupRow.locator('td').nth(3).innerText(), /\d/)).trim();
        await groupRow.locator('td').nth(3).dblclick();
        const groupForm = activeForm(page);
        await groupForm.waitFor();
        await idle(page, 1000);
        const messages = groupForm.locator('table.table tbody tr');
        await messages.first().waitFor();
        await messages.first().locator('td').nth(3).dblclick();
        await idle(page, 1000);
        const message = page.locator('.modal:visible').last();
        await message.locator('.form').first().waitFor();
        await waitForSelected(page, message, 'state', 'In afwachting');
        const [download] = await Promise.all([
            page.waitForEvent('download'),
            message.getByTitle('Opslaan als...').first().click(),
        ]);
        assert.equal(download.suggestedFilename(), `${groupNumber}.xml`);
        const xml = await readFile(await download.path(), 'utf-8');
        assert.match(xml, /pain\.001\.001\.03/);
        assert.match(xml, new RegExp(
            `<InstdAmt Ccy="EUR">${amount}</InstdAmt>`));
        assert.match(xml, new RegExp(`<IBAN>${iban}</IBAN>`));
        assert.match(xml, /<Nm>Mieke Jansen<\/Nm>/);
        assert.match(xml, new RegExp(`<NbOfTxs>${count}</NbOfTxs>`));
        await assertNoErrorDialog(page);
        await page.close();
        void month;
        await page.close();
    });
