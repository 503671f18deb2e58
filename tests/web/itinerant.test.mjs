// itinerant.test.mjs - 走教安排 in a real browser (3.4.3-T10): the office
// fills the pool and plans the week; every teacher's week grid holds at
// most one school a day; the needs chart is drawn and the timetable
// exports as a workbook; a school's clerk sees only its own school's
// week and none of the office's tools.
//
// The demo's first school of town A (the school account's) is a
// kindergarten without itinerant needs, so the test gives it one: 4
// lessons of 数学 (a subject nobody else lacks) and, in the pool, the
// nearest 数学 teacher of another school of its town.
import test from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sql } from '../api/lib.mjs';
import { openPage, login, assertNoConsoleErrors, OUT, TIMEOUT,
  startBrowserWorld, stopBrowserWorld } from './lib.mjs';

let world, browser, teacher;

test.before(async () => {
  ({ world, browser } = await startBrowserWorld());
  const F = world.facts;
  sql(world.db, `INSERT INTO itinerant_need(school_id, year, subject, hours_lacking)
    VALUES (${F.schoolA1.id}, 2021, 14, 4)`);
  [teacher] = sql(world.db, `SELECT t.teacher_no FROM teacher t
    JOIN school s ON s.unit_id = t.school_id JOIN org_unit u ON u.id = t.school_id,
    school a WHERE a.unit_id = ${F.schoolA1.id} AND t.subject = 14
    AND u.parent_id = ${F.townA.id} AND t.school_id <> a.unit_id
    ORDER BY (s.lon - a.lon) * (s.lon - a.lon) + (s.lat - a.lat) * (s.lat - a.lat), t.teacher_no LIMIT 1`);
  assert.ok(teacher, 'a 数学 teacher in town A');
  const r = await world.admin.post('/api/itinerant/pool', { action: 'add', teacher_no: teacher.teacher_no, year: 2021 });
  assert.equal(r.status, 200, r.text);
}, { timeout: TIMEOUT });

test.after(() => stopBrowserWorld(world, browser));

const button = (page, name) => page.getByRole('button', { name, exact: true });

test('the office plans the week; each teacher has at most one school a day', async () => {
  const page = await openPage(browser, world);
  await login(page, world, 'admin');
  await page.goto(`${page.base}/#/itinerant?year=2021`);
  await page.locator('.it-summary').waitFor();
  assert.equal(await page.locator('#menu a.active').textContent(), '走教安排');
  await page.locator('.it-chart canvas, .it-chart svg').first().waitFor();

  await button(page, '生成走教名单').click();
  await page.locator('.it-result.ok', { hasText: '走教名单已按规则生成' }).waitFor({ timeout: TIMEOUT });
  await button(page, '排出走教安排').click();
  await page.locator('.it-result.ok', { hasText: '已排出 2021 年走教安排' }).waitFor({ timeout: TIMEOUT });
  // the page shows the new plan once it has loaded again
  const shown = await page.locator('.it-summary').elementHandle();
  await page.waitForFunction((e) => !e.isConnected, shown);
  await page.locator('.it-teacher-grid').waitFor();
  await page.screenshot({ path: join(OUT, 'itinerant-admin.png'), fullPage: true });

  // the 数学 teacher now goes to the school account's school
  const r = await world.admin.get('/api/itinerant/timetable', { query: { year: 2021, teacher: teacher.teacher_no } });
  assert.deepEqual(r.json.items.map((d) => [d.school_code, d.hours]), [[world.facts.schoolA1.code, 4]]);

  // the grid of each of the first teachers: five days, one school at most
  const options = await page.locator('.it-picker select option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(options.length > 1);
  for (const v of options.slice(0, 12)) {
    await page.locator('.it-picker select').selectOption(v);
    const perDay = await page.locator('.it-teacher-grid td.it-day').evaluateAll((tds) => tds.map((td) => td.querySelectorAll('.it-school').length));
    assert.equal(perDay.length, 5);
    assert.ok(perDay.every((n) => n <= 1), `${v}: ${perDay}`);
    assert.ok(perDay.some((n) => n === 1), `${v}: an empty week`);
  }

  const [dl] = await Promise.all([page.waitForEvent('download'), button(page, '导出课表 Excel').click()]);
  assert.match(dl.suggestedFilename(), /走教课表_2021年\.xlsx$/);
  assertNoConsoleErrors(page);
  await page.context().close();
});

test('a school clerk sees only its own school\'s week', async () => {
  const page = await openPage(browser, world);
  await login(page, world, 'school');
  await page.goto(`${page.base}/#/itinerant?year=2021&view=school`);
  await page.locator('.it-school-grid').waitFor();
  assert.equal(await page.locator('.it-tools').count(), 0, 'no office tools');
  const schools = await page.locator('.it-picker select option').allTextContents();
  assert.deepEqual(schools, [world.facts.schoolA1.name]);
  assert.equal(await page.locator('.it-school-grid .it-visit').count(), 1);
  // by teacher: the one teacher who comes, at this school only
  await button(page, '按教师').click();
  const at = await page.locator('.it-teacher-grid .it-visit').evaluateAll((ds) => ds.map((d) => d.dataset.school));
  assert.deepEqual(at, [world.facts.schoolA1.code]);
  assertNoConsoleErrors(page);
  await page.context().close();
});
