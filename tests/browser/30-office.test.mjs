// This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The office starts a new room in the Tryton web client (sao) and walks its
// start-up path to an operational room without the help of an
// administrator: members, a signed letter of intent, a chosen location, a
// granted funding application, a signed covenant, and on the way the team
// leader (a new employee with a new party) and the team leader's business
// bank account.  Started by run.py against a fresh demo database.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {
    assertNoErrorDialog, idle, launch, login, newPage, openMenu, screenshot,
} from './sao.mjs';

let browser;

before(async () => {
    browser = await launch();
});

after(async () => {
    await browser?.close();
});

const ROOM = 'Buurtwerkkamer Tuinwijk';

// The tab on top; a form's notebook pages are tab panes too.
function activeTab(page) {
    return page.locator('#tabcontent > .tab-pane.active').first();
}

function form(page) {
    return activeTab(page).locator('.form').first();
}

// The dialog sao shows on top of the others.
function dialog(page) {
    return page.locator('.modal-dialog:visible').last();
}

async function save(page) {
    await activeTab(page).locator('button#save').click();
    await idle(page, 1000);
    await assertNoErrorDialog(page);
}

// Type into a Many2One (or the entry of a Many2Many) and pick the record
// named `text` from the completion; with `create` a new record is made
// with the completion's "Maak ..." and `fill` fills its form.
async function many2one(page, scope, name, text, {create, fill} = {}) {
    const input = typeof name === 'string' ?
        scope.locator(`input[name="${name}"]`).first() : name;
    await input.waitFor();
    await idle(page);
    const menu = input.locator('xpath=..').locator('ul.dropdown-completion');
    const entry = create ?
        menu.locator('li.action-create a') :
        menu.locator('li.completion').filter({hasText: text}).first();
    for (let i = 0; i < 5; i++) {
        await input.click();
        await input.fill(text);
        try {
            await entry.waitFor({timeout: 5000});
            break;
        } catch {
            // the form was redrawn while typing
        }
    }
    await entry.click();
    await idle(page);
    if (create) {
        const created = dialog(page);
        await created.locator('input').first().waitFor();
        await page.waitForTimeout(500);
        await fill(created);
        await created.getByRole('button', {name: /^(OK|Opslaan)$/})
            .click();
        await idle(page);
    }
    await assertNoErrorDialog(page);
    if (typeof name === 'string') {
        for (let i = 0; i < 25 && !(await input.inputValue()); i++) {
            await page.waitForTimeout(200);
        }
        assert.ok(await input.inputValue(), `${name} is empty`);
    }
}

// The input of a field of a form.
function field(scope, name) {
    return scope.locator(
        `input[name="${name}"]:visible, textarea[name="${name}"]:visible`)
        .first();
}

// Type a value into a field and check it stayed: sao redraws a new record
// once its defaults arrive.
async function type(page, input, text) {
    await input.waitFor();
    for (let i = 0; i < 5; i++) {
        await input.fill(text);
        await page.waitForTimeout(300);
        if (await input.inputValue() === text) {
            break;
        }
    }
    assert.equal(await input.inputValue(), text);
}

async function selection(scope, name, label) {
    await scope.locator(`select[name="${name}"]`).first()
        .selectOption({label});
}

async function clickButton(page, scope, label) {
    const button = (await scope.evaluate((el) => el.tagName)) === 'BUTTON' ?
        scope : scope.getByRole('button', {name: label, exact: true}).first();
    await button.scrollIntoViewIfNeeded();
    assert.equal(await button.isDisabled(), false, `${label} is disabled`);
    await button.click();
    await idle(page);
    // A confirmation is answered with OK.
    const confirm = page.locator('.modal-dialog:visible')
        .filter({has: page.getByRole('button', {name: 'OK', exact: true})});
    if (await confirm.count()) {
        await confirm.last().getByRole('button', {name: 'OK', exact: true})
            .click();
        await idle(page);
    }
    await assertNoErrorDialog(page);
}

async function state(page, scope = form(page)) {
    return (await scope.locator('select[name="state"]').first()
        .evaluate((el) => el.options[el.selectedIndex]?.text || '')).trim();
}

// Wait until the form shows the state, then check it.
async function expectState(page, expected, scope = form(page)) {
    for (let i = 0; i < 50; i++) {
        if (await state(page, scope) === expected) {
            break;
        }
        await page.waitForTimeout(200);
    }
    assert.equal(await state(page, scope), expected);
    await assertNoErrorDialog(page);
}

// Open the room's records of a start-up step in their own tab through the
// link on the room's start-up page, create one and return its form.
async function openStep(page, link) {
    const room = form(page);
    await room.getByRole('tab', {name: 'Opstart'}).click();
    await room.locator('button.form-link').filter({hasText: link}).click();
    await idle(page);
    await page.locator('#tablist li.active').filter({hasText: link})
        .first().waitFor();
    await clickUntil(page, activeTab(page).locator('button#new_'),
        form(page).locator('select[name="state"]'));
    return form(page);
}

// Click until `shown` appears: a click while sao still redraws the form
// after a save is lost.
async function clickUntil(page, button, shown) {
    for (let i = 0; i < 5; i++) {
        await idle(page);
        await button.click();
        try {
            await shown.waitFor({timeout: 5000});
            return;
        } catch {
            // clicked during a redraw
        }
    }
    await shown.waitFor();
}

async function closeTab(page) {
    await page.locator('#tablist li.active button').first().click();
    await idle(page);
}

test('the office starts a room from initiative to operational', async () => {
    const page = await newPage(browser);
    try {
        await startRoom(page);
    } catch (error) {
        if (process.env.FAILURE_SHOT) {
            await page.screenshot({path: process.env.FAILURE_SHOT});
        }
        throw error;
    }
});

async function startRoom(page) {
    await login(page, 'bureau');
    const rooms = await openMenu(page, ['Buurtwerkkamers', 'Buurtwerkkamers']);

    // The new room.
    await rooms.locator('button#new_').click();
    await idle(page);
    let room = form(page);
    await type(page, field(room, 'name'), ROOM);
    await type(page, field(room, 'code'), 'TUI');
    await type(page, field(room, 'neighbourhood'), 'Tuinwijk');
    await save(page);
    await expectState(page, 'Initiatief');

    // The residents who take the initiative.
    const members = room.locator('.form-one2many')
        .filter({hasText: 'Leden'}).first();
    const member = members.locator('tbody tr')
        .filter({has: page.locator('input[name="party"]')}).first();
    await clickUntil(page,
        members.getByRole('button', {name: 'Nieuw', exact: true}), member);
    await many2one(page, member, 'party', 'Joke Verbeek', {
        create: true,
        fill: async (party) => {
            await type(page, field(party, 'name'), 'Joke Verbeek');
        },
    });
    await selection(member, 'role', 'Bewoner');
    await save(page);
    await clickButton(page, room, 'Gesprekken starten');
    await expectState(page, 'Verkenning');

    // A letter of intent of the housing corporation, signed at once.
    let record = await openStep(page, 'Intentieverklaringen');
    await many2one(page, record, 'partner', 'Woningcorporatie Mitros');
    await type(page, field(record, 'signatory'), 'Directeur wonen');
    await clickButton(page, record, 'Ondertekenen');
    await expectState(page, 'Ondertekend', record);
    await closeTab(page);
    room = form(page);
    await clickButton(page, room, 'Intenties verzamelen');
    await expectState(page, 'Intentie');
    await clickButton(page, room, 'Locatie zoeken');
    await expectState(page, 'Locatie zoeken');
    // The start-up path with the current step, and the links to its records.
    await room.locator('input[name="name"]').scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await screenshot(page, 'office-room-start');

    // A location, chosen at once.
    record = await openStep(page, 'Locatie-opties');
    await type(page, field(record, 'name'), 'Winkelpand Tuinwijkplein');
    await type(page, field(record, 'street'), 'Tuinwijkplein 12');
    await type(page, field(record, 'postal_code'), '3521 AB');
    await type(page, field(record, 'city'), 'Utrecht');
    await clickButton(page, record, 'Kiezen');
    await expectState(page, 'Gekozen', record);
    await closeTab(page);
    room = form(page);
    await clickButton(page, room, 'Financiering aanvragen');
    await expectState(page, 'Financiering');
    assert.match(
        await room.locator('input[name="address"]').first().inputValue(),
        /Tuinwijkplein 12/);

    // A funding application, submitted and granted.
    record = await openStep(page, 'Financieringsaanvragen');
    await many2one(page, record, 'funder', 'Oranje Fonds');
    await type(page, field(record, 'amount_requested'), '15000');
    await type(page, field(record, 'period_start'), '01-01-2027');
    await type(page, field(record, 'period_end'), '31-12-2027');
    await clickButton(page, record, 'Indienen');
    await expectState(page, 'Ingediend', record);
    await type(page, field(record, 'amount_granted'), '12000');
    await clickButton(page, record, 'Toekennen');
    await expectState(page, 'Toegekend', record);
    await closeTab(page);
    room = form(page);
    await clickButton(page, room, 'Afspraken maken');
    await expectState(page, 'Samenwerkingsafspraken');

    // The covenant with the fund, signed.
    await openMenu(page, ['Buurtwerkkamers', 'Makelen', 'Convenanten']);
    await page.locator('#tablist li.active').filter({hasText: 'Convenanten'})
        .waitFor();
    await activeTab(page).locator('table.table tbody tr').first().waitFor();
    record = form(page);
    await clickUntil(page, activeTab(page).locator('button#new_'),
        record.locator('input[name="name"]'));
    await type(page, field(record, 'name'), 'Samen in Tuinwijk');
    await type(page, field(record, 'start_date'), '01-01-2027');
    await type(page, field(record, 'end_date'), '31-12-2030');
    const partners = record.locator('.form-one2many')
        .filter({hasText: 'Partners'}).first();
    const partner = partners.locator('tbody tr')
        .filter({has: page.locator('input[name="party"]')}).first();
    await clickUntil(page,
        partners.getByRole('button', {name: 'Nieuw', exact: true}), partner);
    await many2one(page, partner, 'party', 'Oranje Fonds');
    await record.getByRole('tab', {name: 'Buurtwerkkamers'}).click();
    const covenantRooms = record.locator('.form-many2many')
        .filter({hasText: 'Buurtwerkkamers'}).first();
    await many2one(page, covenantRooms,
        covenantRooms.locator('input.form-control').first(), ROOM);
    await clickButton(page, record, 'Ondertekenen');
    await expectState(page, 'Ondertekend', record);
    await closeTab(page);
    room = form(page);
    await clickButton(page, room, 'Opstarten');
    await expectState(page, 'Opstarten');

    // The team leader, a new employee with a new party, and the business
    // bank account.
    await room.getByRole('tab', {name: 'Team'}).click();
    await many2one(page, room, 'team_leader', 'Karim Tuinwijk', {
        create: true,
        fill: async (employee) => {
            await many2one(page, employee, 'party', 'Karim Tuinwijk', {
                create: true,
                fill: async (party) => {
                    await type(page, field(party, 'name'), 'Karim Tuinwijk');
                },
            });
        },
    });
    await many2one(page, room, 'business_account', 'NL91ABNA0417164300', {
        create: true,
        fill: async (account) => {
            const numbers = account.locator('.form-one2many').first();
            await numbers.getByRole('button', {name: 'Nieuw', exact: true})
                .click();
            await idle(page);
            const number = dialog(page);
            await selection(number, 'type', 'IBAN');
            await type(page, field(number, 'number'), 'NL91ABNA0417164300');
            await number.getByRole('button', {name: 'Toevoegen', exact: true})
                .click();
            await idle(page);
        },
    });
    await save(page);
    // The room's button, not the "Openen" of the members' toolbar.
    await clickButton(page, room.locator('button[name="open"]'), 'Openen');
    await expectState(page, 'Operationeel');
    assert.match(
        await room.locator('input[name="start_up_progress"]').first()
            .inputValue(),
        /✓ Operationeel/);
    await screenshot(page, 'office-room-operational');
    await assertNoErrorDialog(page);
    await page.close();
}
