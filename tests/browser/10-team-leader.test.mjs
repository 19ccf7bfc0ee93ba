// This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// A team leader does the handgeld of his room in the web client (sao): he
// opens the open month of his room, adds an expense with its receipt by
// typing it in the month's list, sees what is left to spend, is refused when
// a receipt is missing, declares it lost and submits the month.
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
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

// A small PNG photo of a receipt.
function receiptPng() {
    const crc = (buffer) => {
        let c, crc = 0xffffffff;
        for (const byte of buffer) {
            c = (crc ^ byte) & 0xff;
            for (let k = 0; k < 8; k++) {
                c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
            }
            crc = (crc >>> 8) ^ c;
        }
        return (crc ^ 0xffffffff) >>> 0;
    };
    const chunk = (kind, data) => {
        const length = Buffer.alloc(4);
        length.writeUInt32BE(data.length);
        const body = Buffer.concat([Buffer.from(kind, 'latin1'), data]);
        const sum = Buffer.alloc(4);
        sum.writeUInt32BE(crc(body));
        return Buffer.concat([length, body, sum]);
    };
    const [width, height] = [8, 12];
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header.set([8, 2, 0, 0, 0], 8);
    const rows = [];
    for (let y = 0; y < height; y++) {
        rows.push(Buffer.from([0]), Buffer.alloc(width * 3, y % 3 ? 255 : 96));
    }
    return Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        chunk('IHDR', header),
        chunk('tEXt', Buffer.from(`Comment\0Bon ${Date.now()}`, 'latin1')),
        chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
        chunk('IEND', Buffer.alloc(0)),
    ]);
}

// Today in the cooperative's time zone, as typed in Dutch and as the month
// of the handgeld list.
function today() {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('nl-NL', {
        timeZone: 'Europe/Amsterdam',
        day: '2-digit', month: '2-digit', year: 'numeric',
    }).formatToParts(new Date()).map((p) => [p.type, p.value]));
    return {
        typed: `${parts.day}-${parts.month}-${parts.year}`,
        month: `${parts.year}-${parts.month}`,
    };
}

// The cents shown by a money field of the form, e.g. "1.234,56" → 123456
async function cents(form, name) {
    const input = form.locator(`input[name="${name}"][type="text"]`).first();
    const text = await input.inputValue();
    assert.match(text, /^-?[\d.]+,\d\d$/);
    return Number(text.replace(/[^\d-]/g, ''));
}

// The state of the month as shown
async function state(form) {
    return form.locator('select[name="state"]').first().evaluate(
        (select) => select.options[select.selectedIndex]?.text || '');
}

// The line of the month's list that shows text, also while it is edited
async function lineRow(tab, text) {
    const rows = tab.locator('.form-one2many table.table tbody tr');
    for (let i = 0; i < await rows.count(); i++) {
        if ((await rowText(rows.nth(i))).includes(text)) {
            return rows.nth(i);
        }
    }
    assert.fail(`no line ${text}`);
}

async function rowText(row) {
    return row.evaluate((tr) => [...tr.querySelectorAll('td')].map(
        (td) => [td.innerText, ...[...td.querySelectorAll('input')].filter(
            (i) => i.type == 'text' && i.offsetParent).map((i) => i.value)]
            .join(' ')).join(' | '));
}

// Type a new line of the month's list, one cell after the other, as the
// team leader does.
async function addLine(page, tab, {date, category, description, amount}) {
    const lines = tab.locator('.form-one2many').first();
    await lines.locator('button[title="Nieuw"]').first().click();
    await idle(page);
    const editing = lines.locator('table.table tbody tr.selected').first();
    await editing.locator('td.edited').first().waitFor();
    const cell = (name) => editing.locator(`input[name="${name}"]`).first();

    await cell('date').click();
    await cell('date').press('Control+a');
    await page.keyboard.type(date);
    await page.keyboard.press('Tab');
    await idle(page, 200);
    await cell('category').click();
    await page.keyboard.type(category);
    await page.keyboard.press('Tab');
    // sao asks to pick the category found
    const search = page.locator('.modal.in').filter({
        has: page.locator('.modal-title', {hasText: 'Zoek'})});
    await search.waitFor();
    await search.locator('tbody tr').filter({hasText: category}).first()
        .click();
    await search.locator('button.btn-primary').click();
    await search.waitFor({state: 'detached'}).catch(() => {});
    await search.waitFor({state: 'hidden'});
    await idle(page);
    await cell('description').click();
    await page.keyboard.type(description);
    await page.keyboard.press('Tab');
    await idle(page, 200);
    // The amount shows as text and is typed in a number field
    const number = editing.locator('input[name="amount"][type="number"]');
    if (!(await number.isVisible())) {
        await editing.locator('input[name="amount"][type="text"]').click();
    }
    await number.waitFor();
    await number.click();
    await page.keyboard.type(amount);
    await page.keyboard.press('Tab');
    await idle(page);
    return editing;
}

async function save(page, tab) {
    await tab.locator('button#save').first().click();
    await idle(page, 800);
}

async function clickButton(page, tab, label) {
    await tab.locator('.form button').filter({hasText: label}).first().click();
}

test('a team leader records the handgeld of his room and submits it',
    async () => {
        const page = await newPage(browser);
        await login(page, 'henk');
        const {typed, month} = today();

        const tab = await openMenu(
            page, ['Buurtwerkkamers', 'Handgeld', 'Handgeldmaanden']);
        await tab.locator('table.table tbody tr').first().waitFor();
        const row = tab.locator('table.table tbody tr')
            .filter({hasText: 'Zuilen'}).filter({hasText: month}).first();
        // The month's cell, not the team leader's link
        await row.locator('td').filter({hasText: month}).first().dblclick();
        const form = tab.locator('.form').first();
        await form.locator('.form-one2many').first().waitFor();
        await idle(page, 800);
        assert.equal(await state(form), 'Open');
        const spentBefore = await cents(form, 'spent');
        const remainingBefore = await cents(form, 'remaining');

        // A coffee receipt, typed with a Dutch decimal comma, with its photo
        const editing = await addLine(page, tab, {
            date: typed, category: 'Koffie', description: 'Koffie en melk',
            amount: '12,50'});
        await editing.locator('input[type="file"]').first().setInputFiles({
            name: 'bon-koffie.png', mimeType: 'image/png',
            buffer: receiptPng()});
        await idle(page);
        await save(page, tab);
        await assertNoErrorDialog(page);

        const coffee = await lineRow(tab, 'Koffie en melk');
        const coffeeText = await rowText(coffee);
        assert.match(coffeeText, /12,50/);
        assert.match(coffeeText, /bon-koffie\.png/);
        assert.equal(await cents(form, 'spent'), spentBefore + 1250);
        assert.equal(await cents(form, 'remaining'), remainingBefore - 1250);
        await screenshot(page, 'team-leader-expense');

        // A parking ticket without its receipt
        await addLine(page, tab, {
            date: typed, category: 'Reis',
            description: 'Parkeerkaartje wijkbureau', amount: '3,10'});
        await save(page, tab);
        await assertNoErrorDialog(page);
        assert.equal(await cents(form, 'spent'), spentBefore + 1560);

        // Submitting asks first, then refuses the month without the receipt
        await clickButton(page, tab, 'Indienen');
        const confirm = page.locator('.modal.confirmation-dialog:visible');
        await confirm.waitFor();
        assert.match(await confirm.innerText(), /penningmeester/);
        await confirm.locator('button.btn-primary').click();
        const refusal = page.locator('.modal.warning-dialog:visible');
        await refusal.waitFor();
        const message = await refusal.innerText();
        assert.match(message, /niet indienen/);
        assert.match(message, /Parkeerkaartje wijkbureau/);
        assert.doesNotMatch(message, /Koffie en melk/);
        await refusal.locator('button.btn-primary').click();
        await idle(page);
        assert.equal(await state(form), 'Open');

        // The ticket went through the wash: declared lost, with the reason
        const parking = await lineRow(tab, 'Parkeerkaartje wijkbureau');
        // The first click selects the line, the second edits it
        const described = parking.locator('td[data-title="Omschrijving: "]');
        await described.click();
        await idle(page, 300);
        await described.click();
        await idle(page, 300);
        const lost = parking.locator('input[name="receipt_lost"]');
        await lost.check();
        await idle(page, 300);
        const reason = parking.locator('input[name="receipt_lost_reason"]');
        await reason.waitFor();
        await reason.click();
        await page.keyboard.type('Parkeerkaartje in de was beland');
        await page.keyboard.press('Tab');
        await idle(page);
        await save(page, tab);
        await assertNoErrorDialog(page);
        await screenshot(page, 'team-leader-handgeld');

        await clickButton(page, tab, 'Indienen');
        await confirm.waitFor();
        await confirm.locator('button.btn-primary').click();
        await idle(page, 800);
        await assertNoErrorDialog(page);
        assert.equal(await state(form), 'Ingediend');
        await page.close();
    });
