// This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// Every role logs in and lands on its start page ("Mijn werk"): the lists of
// what needs attention, each with a count.  Every entry of the module's menu
// the role sees opens, with every tab, without an error dialog.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {
    activeTab, assertNoErrorDialog, idle, launch, login, newPage, screenshot,
} from './sao.mjs';

let browser;

before(async () => {
    browser = await launch();
});

after(async () => {
    await browser?.close();
});

// The rows of the menu: name, depth and whether they can be expanded.
async function menuRows(page) {
    return page.locator('#menu tbody tr').evaluateAll((rows) => rows.map(
        (row, index) => {
            const expander = row.querySelector('.expander');
            const img = expander && expander.querySelector('img');
            const name = row.querySelector('.column-char');
            return {
                index,
                name: name ? name.getAttribute('title') : '',
                depth: img ? parseFloat(img.style.marginLeft || '0') : 0,
                expandable: Boolean(expander)
                    && expander.style.visibility !== 'hidden',
            };
        }));
}

// Expand the module's menu fully and return its entries (not folders).
async function moduleEntries(page) {
    const menu = page.locator('#menu');
    const expanded = new Set();
    for (;;) {
        const rows = await menuRows(page);
        const root = rows.findIndex(
            (r) => r.depth === 0 && r.name === 'Buurtwerkkamers');
        assert.ok(root >= 0, 'no Buurtwerkkamers menu');
        let end = rows.findIndex((r, i) => i > root && r.depth === 0);
        if (end < 0) {
            end = rows.length;
        }
        const inside = rows.slice(root, end);
        const next = inside.find((r) => r.expandable
            && !expanded.has(`${r.depth}/${r.name}/${r.index}`));
        if (!next) {
            return inside.filter((r) => !r.expandable && r.depth > 0);
        }
        expanded.add(`${next.depth}/${next.name}/${next.index}`);
        await menu.locator('tbody tr').nth(next.index)
            .locator('.expander').click();
        // Wait for the children to show
        await page.waitForFunction(
            (count) => document.querySelectorAll('#menu tbody tr').length
                > count, rows.length, {timeout: 10000}).catch(() => {});
        await idle(page, 300);
    }
}

async function closeWizard(page) {
    let closed = false;
    for (let i = 0; i < 10; i++) {
        const clicked = await page.evaluate(() => {
            const buttons = [...document.querySelectorAll(
                '.modal.wizard-dialog.in .modal-footer button')].filter(
                (button) => /annuleren/i.test(button.textContent)
                    && button.offsetParent !== null);
            buttons.forEach((button) => button.click());
            return buttons.length;
        });
        if (!clicked) {
            break;
        }
        closed = true;
        await idle(page, 700);
    }
    return closed;
}

// Open every entry of the module's menu and every tab of its list.
async function openEveryEntry(page) {
    await page.evaluate(() => {
        window.domainTabs = () => {
            const pane = document.querySelector(
                '#tabs .tab-content .tab-pane.active');
            return [...pane.querySelectorAll('a[role="tab"]')].filter(
                (a) => a.offsetParent !== null && !a.closest('.board'));
        };
    });
    const entries = await moduleEntries(page);
    assert.ok(entries.length > 0, 'no menu entries');
    const opened = [];
    for (const entry of entries) {
        // A wizard may open late
        await closeWizard(page);
        const row = page.locator('#menu tbody tr').nth(entry.index);
        await row.dblclick();
        await idle(page, 1000);
        await page.waitForSelector('.modal.wizard-dialog.in', {timeout: 1500})
            .catch(() => {});
        await assertNoErrorDialog(page);
        if (await closeWizard(page)) {
            opened.push(`${entry.name} (wizard)`);
            continue;
        }
        // The domain tabs of the list just opened (not of a board)
        const count = await page.evaluate(() => domainTabs().length);
        for (let i = 0; i < count; i++) {
            await page.evaluate((index) => domainTabs()[index]?.click(), i);
            await idle(page, 200);
            await assertNoErrorDialog(page);
        }
        opened.push(entry.name);
    }
    await closeWizard(page);
    return opened;
}

// login, role, a list of the start page, whether to open every menu entry
// (the office's menu is the whole module: its lists have their own
// scenarios)
const ROLES = [
    ['henk', 'team-leader', /In te dienen handgeldmaanden/, true],
    ['penningmeester', 'treasurer', /Af te handelen handgeldmaanden/, true],
    ['bureau', 'office', /Te ondertekenen jaarafspraken/, false],
    ['plaatsing', 'placement-officer', /Te melden signalen/, true],
    ['kascommissie', 'kascommissie', /Te controleren jaarverslagen/, true],
    ['accountant', 'accountant', /Goed te keuren jaarverslagen/, true],
    ];

for (const [login_, role, list, everyEntry] of ROLES) {
    test(`${login_} lands on the start page of the ${role}`, async () => {
        const page = await newPage(browser);
        try {
            await login(page, login_);
        } catch (error) {
            // A busy server may miss the first login of a new session
            console.log(`login of ${login_} retried: ${error.message}`);
            await login(page, login_);
        }
        const board = activeTab(page).locator('.board');
        await board.waitFor({timeout: 60000});
        await idle(page, 1000);
        assert.match(
            await page.locator('#tablist li.active').innerText(),
            /Mijn werk/);
        assert.match(await board.innerText(), list);
        // The tabs of the lists show how many records need attention.
        await page.waitForFunction(() => [
            ...document.querySelectorAll('.tab-pane.active .board .badge')]
            .some((badge) => /^\d+\+?$/.test(badge.textContent.trim())
                && getComputedStyle(badge).visibility !== 'hidden'));
        const numbers = (await board.locator('.badge').allInnerTexts())
            .filter((text) => /^\d+\+?$/.test(text.trim()));
        assert.ok(numbers.length > 0, 'no count on the start page');
        await assertNoErrorDialog(page);
        await screenshot(page, `start-page-${role}`);

        if (everyEntry) {
            const opened = await openEveryEntry(page);
            assert.ok(opened.length > 0);
            await assertNoErrorDialog(page);
        }
        await page.context().close();
    });
}
