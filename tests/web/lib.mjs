// tests/web/lib.mjs - what the browser tests share: the world of the API
// tests (a real server on a fresh demo database, one account per role),
// Debian's chromium driven by playwright-core, and a page that records
// every console error so that each test can assert there was none.
//
// Console errors: uncaught exceptions and console.error always count.
// Chromium also logs "Failed to load resource" for every HTTP answer of
// 4xx; for /api/ those are the API answering as designed (a wrong
// password is 401, an upload with errors 422) and do not count.  Any 5xx,
// and any failure to load a page's own file (/js, /css, /vendor), does.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, startWorld, stopWorld, Server, TIMEOUT } from '../api/lib.mjs';

export { ROOT, startWorld, stopWorld, Server, TIMEOUT };
export const OUT = join(ROOT, 'test-output');
mkdirSync(OUT, { recursive: true });

export const VIEWPORT = { width: 1366, height: 768 };

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// A new browser context (own cookies) and page on the world's server.
// page.consoleErrors collects what counts as a console error (above).
export async function openPage(browser, world, { viewport = VIEWPORT } = {}) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT / 2);
  page.consoleErrors = [];
  page.on('pageerror', (e) => page.consoleErrors.push(`uncaught: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const url = (m.location() && m.location().url) || '';
    const status = /status of (\d{3})/.exec(m.text());
    if (status && url.includes('/api/') && status[1][0] === '4') return;
    page.consoleErrors.push(`${m.text()} (${url})`);
  });
  page.base = world.server.base;
  return page;
}

export function assertNoConsoleErrors(page) {
  assert.deepEqual(page.consoleErrors, [], `console errors:\n${page.consoleErrors.join('\n')}`);
}

// Logs in through the login form as world.accounts[key] and waits for
// the app's menu.
export async function login(page, world, key) {
  const a = world.accounts[key];
  await page.goto(`${page.base}/`);
  await page.locator('#login input[name=name]').fill(a.name);
  await page.locator('#login input[name=password]').fill(a.password);
  await page.locator('#login button[type=submit]').click();
  await page.locator('#menu a').first().waitFor();
}

// The server of a world started for browser tests serves this tree's web/
// and node_modules/ whatever the working directory.
export function webArgs() {
  return ['--web', join(ROOT, 'web'), '--vendor', join(ROOT, 'node_modules')];
}

// The world of a browser test file: a server serving this tree's UI on a
// fresh demo database, and one browser.
export async function startBrowserWorld() {
  const world = await startWorld({ serverArgs: webArgs() });
  return { world, browser: await launch() };
}

export async function stopBrowserWorld(world, browser) {
  if (browser) await browser.close();
  await stopWorld(world);
}
