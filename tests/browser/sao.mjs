// This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// What every browser scenario needs of the Tryton web client (sao): a
// Chromium in Dutch, logging in as a role, opening a menu entry by its
// Dutch path, and failing on any error dialog the person would see.
// run.py serves a fresh demo database and passes BASE_URL, DATABASE,
// PASSWORD, CHROMIUM and SCREENSHOTS.
import assert from 'node:assert/strict';
import {chromium} from 'playwright-core';

export const BASE_URL = process.env.BASE_URL;
export const DATABASE = process.env.DATABASE;
export const PASSWORD = process.env.PASSWORD;
export const SCREENSHOTS = process.env.SCREENSHOTS;

// The dialogs sao shows for a server error, a user error or warning and a
// concurrency conflict.
const ERROR_DIALOGS = [
    '.error-dialog', '.warning-dialog', '.user-warning-dialog',
    '.ask-dialog'].map((name) => `.modal${name}:visible`).join(', ');

export async function launch() {
    return chromium.launch({
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        args: [
            '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
            '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync',
            '--lang=nl-NL',
            // Number fields read a decimal comma by the language of the
            // page (sao sets it to the user's), as a Dutch browser does
            '--enable-blink-features=LangAttributeAwareFormControlUI'],
    });
}

// A page of a new browser context in Dutch, 1366×768 (the smallest screen
// the cooperative's staff work on), that records script errors.
export async function newPage(browser, options = {}) {
    const context = await browser.newContext({
        locale: 'nl-NL',
        timezoneId: 'Europe/Amsterdam',
        viewport: {width: 1366, height: 768},
        acceptDownloads: true,
        ...options,
    });
    const page = await context.newPage();
    page.scriptErrors = [];
    page.on('pageerror', (error) => {
        console.log('page error:', error.message);
        page.scriptErrors.push(error.message);
    });
    return page;
}

export async function login(page, user, password = PASSWORD) {
    // A busy server may miss the first try: reload and try once more.
    for (let attempt = 1; ; attempt++) {
        try {
            await page.goto(`${BASE_URL}/#${DATABASE}`);
            const name = page.locator('#login');
            await name.waitFor({timeout: 60000});
            await name.fill(user);
            await name.press('Enter');
            const secret = page.locator('input[type="password"]');
            await secret.waitFor({timeout: 60000});
            await secret.fill(password);
            await secret.press('Enter');
            await page.locator('#menu').getByText('Buurtwerkkamers').first()
                .waitFor({timeout: 60000});
            return;
        } catch (error) {
            if (attempt >= 2) {
                throw error;
            }
            console.log(`login of ${user} retried: ${error.message}`);
        }
    }
}

// Open a menu entry by its Dutch path, e.g. ['Buurtwerkkamers', 'Handgeld',
// 'Handgeldmaanden']: every entry but the last is expanded, the last one
// opened.  Returns the active tab.
export async function openMenu(page, path) {
    const menu = page.locator('#menu');
    const seen = {};
    for (const [index, name] of path.entries()) {
        const nth = seen[name] || 0;
        seen[name] = nth + 1;
        const entry = menu.getByText(name, {exact: true}).nth(nth);
        await entry.waitFor();
        if (index < path.length - 1) {
            await entry.click();
        } else {
            await entry.dblclick();
        }
    }
    const tab = activeTab(page);
    await tab.waitFor();
    await idle(page);
    return tab;
}

// The tab of the window in front (not the active page of a notebook inside
// a form, which is a .tab-pane.active too).
export function activeTab(page) {
    return page.locator('#tabcontent > .tab-pane.active');
}

// Wait until sao has no request running.
export async function idle(page, settle = 300) {
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(settle);
}

// Fail with the dialog's text when sao shows an error, warning or
// concurrency dialog, or when a script error occurred.
export async function assertNoErrorDialog(page) {
    const dialogs = page.locator(ERROR_DIALOGS);
    if (await dialogs.count()) {
        const text = await dialogs.first().innerText();
        assert.fail(`error dialog: ${text}`);
    }
    assert.deepEqual(page.scriptErrors || [], [], 'script errors');
}

// Wait until the form shows the state (the selection's text).
export async function stateIs(page, form, state) {
    const select = form.locator('select[name="state"]').first();
    await page.waitForFunction(
        ([el, text]) => el.selectedIndex >= 0
            && el.options[el.selectedIndex].text === text,
        [await select.elementHandle(), state], {timeout: 30000});
}

export async function screenshot(page, name) {
    if (SCREENSHOTS) {
        await page.screenshot({path: `${SCREENSHOTS}/${name}.png`});
    }
}
