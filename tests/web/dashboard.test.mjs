// dashboard.test.mjs - the dashboard (总览) and an indicator's page in a
// real browser, on a one-city demo: the three goals and status counts
// agree with GET /api/indicators; the cards paint within a second of
// navigation; clicks drill down city → town → school and city → group →
// school with breadcrumbs; an indicator's page shows its table and
// charts, sorts, and exports a real .xlsx; print media hides the menu and
// fits the charts to A4; an inspector's overview shows its schools.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPage, login, assertNoConsoleErrors, OUT, TIMEOUT,
  startBrowserWorld, stopBrowserWorld } from './lib.mjs';
import { SLOW } from '../api/lib.mjs';

// the sanitized build answers several times slower
const FIRST_PAINT_MS = SLOW ? 3000 : 1000;
// the printable width of A4 with print.css's margins (186 mm) in CSS px
const A4_CONTENT_PX = Math.round((186 / 25.4) * 96);

let world, browser, F;

test.before(async () => {
  ({ world, browser } = await startBrowserWorld());
  F = world.facts;
}, { timeout: TIMEOUT });

test.after(() => stopBrowserWorld(world, browser));

// The API's answer for a unit (the caller's own by default) and year.
async function indicators(key, query = {}) {
  const c = await world.as(key);
  const r = await c.get('/api/indicators', { query });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// The counts the summary shows (达标, 按期推进, 滞后, 无数据) of the
// results of one unit (code), or of every result (an inspector's schools)
// when code is null.
function countsOf(answer, code) {
  const counts = { met: 0, on_track: 0, behind: 0, no_data: 0 };
  for (const ind of answer.indicators)
    for (const r of ind.results) if ((code === null || r.code === code) && r.status in counts) counts[r.status] += 1;
  return counts;
}

async function pageCounts(page) {
  const out = {};
  for (const s of ['met', 'on_track', 'behind', 'no_data']) {
    out[s] = Number(await page.locator(`.dash-summary .sum[data-status=${s}] .n`).textContent());
  }
  return out;
}

// Prints the page, as far as a test can: with print media the menu and
// the buttons are gone and every chart is redrawn to the width of its box
// in the printed layout; at the printable width of A4 nothing sticks out.
async function printsOnA4(page) {
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('#menu').isHidden(), true, 'the menu prints');
  assert.equal(await page.locator('button:visible').count(), 0, 'a button prints');
  await page.waitForFunction(() => [...document.querySelectorAll('.chart, .spark')].every((box) => {
    const c = box.querySelector('canvas, svg');
    return !c || Math.abs(c.getBoundingClientRect().width - box.clientWidth) <= 2;
  }));
  const size = page.viewportSize();
  await page.setViewportSize({ width: A4_CONTENT_PX, height: size.height });
  await page.waitForFunction((max) => document.documentElement.scrollWidth <= max
    && [...document.querySelectorAll('.chart canvas, .spark svg')].every((c) => c.getBoundingClientRect().right <= max),
  A4_CONTENT_PX);
  await page.setViewportSize(size);
  await page.emulateMedia({ media: 'screen' });
}

// The page's heading, once it names what is expected.
async function heading(page, text) {
  await page.locator('main h2', { hasText: text }).waitFor();
}

test('the city dashboard paints its cards within a second, under the three goals, with the API\'s counts', async () => {
  const page = await openPage(browser, world);
  await login(page, world, 'admin');
  // a navigation from nothing: the shell, ECharts, the page module and
  // the data all load
  await page.goto('about:blank');
  const t0 = Date.now();
  await page.goto(`${page.base}/#/dashboard`);
  await page.locator('.ind-card').first().waitFor({ state: 'visible' });
  const firstPaint = Date.now() - t0;
  console.log(`dashboard first paint: ${firstPaint} ms`);
  assert.ok(firstPaint < FIRST_PAINT_MS, `first paint took ${firstPaint} ms (limit ${FIRST_PAINT_MS})`);

  const plan = (await (await world.as('admin')).get('/api/plan')).json;
  const api = await indicators('admin');
  const goals = await page.locator('.goal h3').allTextContents();
  assert.equal(plan.goals.length, 3);
  plan.goals.forEach((g, i) => assert.ok(goals[i].startsWith(`${g.clause} ${g.name}`), `goal ${i}: ${goals[i]}`));
  assert.deepEqual(await pageCounts(page), countsOf(api, F.city.code));
  const cityResults = api.indicators.filter((i) => i.results.some((r) => r.code === F.city.code));
  assert.equal(await page.locator('.ind-card').count(), cityResults.length);
  // each card sits under its goal
  for (const g of plan.goals) {
    const ids = await page.locator(`.goal[data-goal="${g.id}"] .ind-card`).evaluateAll((els) => els.map((e) => e.dataset.id));
    const want = plan.indicators.filter((i) => i.goal === g.id && cityResults.some((x) => x.id === i.id)).map((i) => i.id);
    assert.deepEqual(ids, want, `the cards of goal ${g.id}`);
  }
  // the ranking lists every town the API gives
  const towns = new Set(api.indicators.flatMap((i) => i.results.filter((r) => r.level === 'town').map((r) => r.code)));
  assert.equal(await page.locator('table.rank tbody tr').count(), towns.size);

  // the sparklines come after the first paint, one per card
  const sparklines = () => page.waitForFunction(() => document.querySelectorAll('.spark svg').length
    === document.querySelectorAll('.ind-card').length);
  await sparklines();

  // another year through the selector: the counts follow (2021, the last
  // year the demo fills, shows every status)
  await page.locator('.page-head select[name=year]').selectOption('2021');
  await heading(page, '2021 年');
  assert.deepEqual(await pageCounts(page), countsOf(await indicators('admin', { year: 2021 }), F.city.code));
  await sparklines();
  await page.screenshot({ path: join(OUT, 'dashboard.png'), fullPage: false });

  // a status count filters the cards to that status
  await page.locator('.dash-summary .sum[data-status=behind]').click();
  await page.locator('.dash-summary .sum.active[data-status=behind]').waitFor();
  const shown = await page.locator('.ind-card').evaluateAll((els) => els.map((e) => e.dataset.status));
  assert.ok(shown.length > 0 && shown.every((s) => s === 'behind'), `filtered cards: ${shown}`);

  await printsOnA4(page);
  assertNoConsoleErrors(page);
  await page.context().close();
});

test('clicks drill down city → town → school and city → group → school, with breadcrumbs', async () => {
  const page = await openPage(browser, world);
  await login(page, world, 'admin');
  await page.goto(`${page.base}/#/dashboard?year=2021`);
  await page.locator('.ind-card').first().waitFor();

  await page.locator(`table.rank tr[data-code="${F.townA.code}"] a.drill`).click();
  await heading(page, F.townA.name);
  assert.deepEqual(await page.locator('nav.crumbs').innerText(), `${F.city.name} › ${F.townA.name}`);
  assert.deepEqual(await pageCounts(page), countsOf(await indicators('admin', { unit: F.townA.code, year: 2021 }), F.townA.code));
  // a town ranks its schools, and only its own
  const codes = await page.locator('table.rank tbody tr').evaluateAll((els) => els.map((e) => e.dataset.code));
  const own = new Set(F.schoolsOf(F.townA).map((s) => s.code));
  assert.ok(codes.length > 0 && codes.every((c) => own.has(c)), `the town ranks ${codes}`);

  await page.locator(`table.rank tr[data-code="${F.schoolA1.code}"] a.drill`).click();
  await heading(page, F.schoolA1.name);
  await page.locator('nav.crumbs a', { hasText: F.townA.name }).waitFor();
  assert.equal(await page.locator('nav.crumbs').innerText(), `${F.city.name} › ${F.townA.name} › ${F.schoolA1.name}`);
  assert.deepEqual(await pageCounts(page), countsOf(await indicators('admin', { unit: F.schoolA1.code, year: 2021 }), F.schoolA1.code));
  assert.equal(await page.locator('table.rank').count(), 0, 'a school has nothing below it to rank');

  // back up by the crumbs, then down through a group
  await page.locator('nav.crumbs a', { hasText: F.city.name }).click();
  await heading(page, F.city.name);
  await page.locator('.rank-tabs a', { hasText: '集团' }).click();
  await page.locator(`table.rank tr[data-code="${F.groupB.code}"]`).waitFor();
  await page.locator(`table.rank tr[data-code="${F.groupB.code}"] a.drill`).click();
  await heading(page, F.groupB.name);
  const member = await page.locator('table.rank tbody tr').first().getAttribute('data-code');
  const school = F.schools.find((s) => s.code === member);
  assert.equal(school.group_id, F.groupB.id, 'a group ranks its member schools');
  await page.locator('table.rank tbody tr').first().locator('a.drill').click();
  await heading(page, school.name);
  await page.locator('nav.crumbs a', { hasText: F.groupB.name }).waitFor();
  assert.equal(await page.locator('nav.crumbs').innerText(), `${F.city.name} › ${F.groupB.name} › ${school.name}`);
  assertNoConsoleErrors(page);
  await page.context().close();
});

test('an indicator\'s page: description, table, charts, sorting, an .xlsx export, and print', async () => {
  const page = await openPage(browser, world);
  await login(page, world, 'admin');
  await page.goto(`${page.base}/#/dashboard?year=2021`);
  const id = 'drinking-water';
  await page.locator(`.ind-card[data-id="${id}"]`).click();
  await page.waitForFunction((x) => location.hash.startsWith(`#/indicator/${x}`), id);

  const plan = (await (await world.as('admin')).get('/api/plan')).json;
  const ind = plan.indicators.find((i) => i.id === id);
  await heading(page, `${ind.clause} ${ind.name}`);
  assert.match(await page.locator('.ind-about').innerText(), new RegExp(ind.description.slice(0, 12)));
  const api = await indicators('admin', { id, year: 2021 });
  const towns = api.indicators[0].results.filter((r) => r.level === 'town');
  const rows = page.locator('.ind-table table tbody tr');
  assert.equal(await rows.count(), towns.length);
  assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.dataset.code)), towns.map((t) => t.code));
  await page.locator('.chart-bars canvas').first().waitFor();
  await page.locator('.chart-trend canvas').first().waitFor();

  // sorted by value, largest first, then the other way
  const valueCol = await page.locator('.ind-table th').evaluateAll((els) => els.findIndex((e) => e.textContent === '值'));
  const values = async () => (await rows.evaluateAll((els, i) => els.map((e) => e.children[i].textContent), valueCol))
    .map((t) => (t === '—' ? null : parseFloat(t.replace(/,/g, ''))));
  await page.locator('.ind-table th', { hasText: /^值$/ }).click();
  const desc = (await values()).filter((v) => v !== null);
  assert.deepEqual(desc, [...desc].sort((a, b) => b - a));
  await page.locator('.ind-table th', { hasText: /^值$/ }).click();
  const asc = (await values()).filter((v) => v !== null);
  assert.deepEqual(asc, [...asc].sort((a, b) => a - b));
  await page.screenshot({ path: join(OUT, 'indicator.png'), fullPage: false });

  // the table as Excel: a real workbook, named after the indicator
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('button', { hasText: '导出 Excel' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /\.xlsx$/);
  assert.ok(download.suggestedFilename().includes(ind.name), download.suggestedFilename());
  const file = readFileSync(await download.path());
  assert.equal(file.subarray(0, 2).toString(), 'PK');

  // the groups instead of the towns
  await page.locator('.page-head select[name=by]').selectOption('group');
  await page.waitForFunction(() => /by=group/.test(location.hash));
  const groups = (await indicators('admin', { id, year: 2021, level: 'group' })).indicators[0].results;
  await page.waitForFunction((n) => document.querySelectorAll('.ind-table tbody tr').length === n, groups.length);

  await printsOnA4(page);
  assertNoConsoleErrors(page);
  await page.context().close();
});

test('an inspector\'s overview shows its schools side by side; a town account starts at its town', async () => {
  const page = await openPage(browser, world);
  await login(page, world, 'inspector');
  await page.goto(`${page.base}/#/dashboard?year=2021`);
  await page.locator('.ind-card').first().waitFor();
  const names = world.inspectorSchools.map((s) => s.name);
  const ranked = await page.locator('table.rank tbody tr').evaluateAll((els) => els.map((e) => e.dataset.code));
  assert.deepEqual(ranked.sort(), world.inspectorSchools.map((s) => s.code).sort());
  const lines = await page.locator('.ind-card .ind-units .u').allTextContents();
  assert.ok(lines.length > 0 && lines.every((n) => names.includes(n)), `card lines: ${lines}`);
  assert.deepEqual(await pageCounts(page), countsOf(await indicators('inspector', { year: 2021 }), null));
  await page.locator(`table.rank tr[data-code="${world.inspectorSchools[0].code}"] a.drill`).click();
  await heading(page, world.inspectorSchools[0].name);
  assert.equal(await page.locator('nav.crumbs').innerText(), `督导学校 › ${world.inspectorSchools[0].name}`);
  assertNoConsoleErrors(page);
  await page.context().close();

  const town = await openPage(browser, world);
  await login(town, world, 'town');
  await town.goto(`${town.base}/#/dashboard`);
  await heading(town, F.townA.name);
  assert.equal(await town.locator('nav.crumbs').innerText(), F.townA.name);
  assert.deepEqual(await pageCounts(town), countsOf(await indicators('town'), F.townA.code));
  const codes = await town.locator('table.rank tbody tr').evaluateAll((els) => els.map((e) => e.dataset.code));
  assert.ok(codes.length > 0 && codes.every((c) => F.schoolsOf(F.townA).some((s) => s.code === c)));
  assertNoConsoleErrors(town);
  await town.context().close();
});
