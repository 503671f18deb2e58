// mechanisms.test.mjs - 公用经费, 教师补贴 and 机制参数 in a real browser
// (issue 7, clauses 3.3-F1..F3): the office reads the year's funds with
// the towns' chart, runs a what-if that raises the primary level and
// sees every primary school's change, downloads the workbook and writes
// the year; sets the village subsidy in 机制参数 and sees the roster's
// amounts follow; a town officer sees its own town's schools only and
// none of the office's buttons.
import test from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { openPage, login, assertNoConsoleErrors, OUT, TIMEOUT,
  startBrowserWorld, stopBrowserWorld } from './lib.mjs';

let world, browser;

test.before(async () => {
  ({ world, browser } = await startBrowserWorld());
}, { timeout: TIMEOUT });

test.after(() => stopBrowserWorld(world, browser));

const button = (page, name) => page.getByRole('button', { name, exact: true });
const num = (text) => Number(String(text).trim().replace(/[,+\s元]/g, ''));

test('the office reads the funds, runs a what-if, exports and saves the year', async () => {
  const page = await openPage(browser, world);
  await login(page, world, 'admin');
  await page.goto(`${page.base}/#/funding?year=2021`);
  await page.locator('.page-funding .fund-chart canvas').waitFor();
  const rows = page.locator('.page-funding tr[data-school]');
  const n = await rows.count();
  assert.equal(n, world.facts.schools.length, 'every school of the city');
  // a rural compulsory school under 500 students is funded as 500
  const floorRows = await page.locator('.page-funding tr[data-school] td strong[title]').count();
  const api = (await world.admin.get('/api/funding', { query: { year: 2021 } })).json;
  assert.equal(floorRows, api.schools.filter((s) => s.funded > s.students).length);
  assert.ok(floorRows > 0, 'the demo has small rural schools');

  // what-if: primary 650 -> 700 yuan; a primary school gains 50 per funded student x its tilt
  await page.locator('.page-funding details.section summary').click();
  await page.locator('.mech-whatif input[name="per_student.primary"]').fill('700');
  await button(page, '测算').click();
  await page.locator('.page-funding th', { hasText: '变化(元)' }).first().waitFor();
  const prim = api.schools.find((s) => s.type_code === 211 && s.coefficient === 1 && !s.special);
  const cells = page.locator(`.page-funding tr[data-school="${prim.code}"] td`);
  const last = await cells.last().textContent();
  assert.equal(num(last), 50 * prim.funded, `change of ${prim.name}`);
  assert.ok((await page.locator('.page-funding h2').textContent()).includes('测算'));

  // the workbook of the what-if, with its chart
  const [dl] = await Promise.all([page.waitForEvent('download'), button(page, '导出 Excel').click()]);
  assert.match(dl.suggestedFilename(), /生均公用经费_2021年_测算\.xlsx$/);
  const bytes = readFileSync(await dl.path());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  assert.ok(bytes.includes(Buffer.from('xl/charts/chart1.xml')), 'a native chart in the workbook');

  // back to the year's rules, and write the year
  await button(page, '恢复当年规则').click();
  await button(page, '写入经费表').click();
  await page.locator('.toast', { hasText: '已写入 2021 年' }).waitFor();
  await page.screenshot({ path: join(OUT, 'funding.png'), fullPage: false });
  assertNoConsoleErrors(page);
});

test('the office sets the village subsidy in 机制参数 and the roster follows', async () => {
  const page = await openPage(browser, world);
  await login(page, world, 'admin');
  await page.goto(`${page.base}/#/rules?kind=subsidy&year=2021`);
  const row = page.locator('.page-rules tr[data-key="amount.village"]');
  await row.locator('input[type=number]').fill('1200');
  await row.locator('input[type=text]').fill('海教〔2021〕1号');
  await row.getByRole('button', { name: '保存' }).click();
  await page.locator('.page-rules tr[data-key="amount.village"] .tag.warn').waitFor();
  // out of range: the message shows beside the field
  const seat = page.locator('.page-rules tr[data-key="amount.seat"]');
  await seat.locator('input[type=number]').fill('-5');
  await seat.getByRole('button', { name: '保存' }).click();
  await seat.locator('.mech-err', { hasText: '取值应在' }).waitFor();

  await page.goto(`${page.base}/#/subsidy?year=2021`);
  await page.locator('.page-subsidy .sub-roster tr[data-teacher]').first().waitFor();
  const s = (await world.admin.get('/api/subsidy', { query: { year: 2021 } })).json;
  const village = s.roster.items.find((t) => t.eligible && t.location === '乡村');
  assert.ok(village, 'an eligible village teacher on the first page');
  assert.equal(village.amount, 1200 + 0, 'village amount + no service extra');
  const total = num(await page.locator('.page-subsidy .mech-stats div:nth-child(3) dd').evaluate((e) => e.firstChild.textContent));
  assert.ok(Math.abs(total - s.total) < 0.01);
  // the audit log has the rule change with its note
  const audit = (await world.admin.get('/api/audit', { query: { table: 'rule' } })).json;
  assert.ok(JSON.stringify(audit).includes('海教〔2021〕1号'));
  assertNoConsoleErrors(page);
});

test('a town officer sees its own town\'s funds and none of the office\'s buttons', async () => {
  const page = await openPage(browser, world);
  await login(page, world, 'town');
  await page.goto(`${page.base}/#/funding?year=2021`);
  await page.locator('.page-funding tr[data-school]').first().waitFor();
  const codes = await page.locator('.page-funding tr[data-school]').evaluateAll((trs) => trs.map((t) => t.dataset.school));
  const mine = new Set(world.facts.schoolsOf(world.facts.townA).map((s) => s.code));
  assert.ok(codes.length > 0 && codes.every((c) => mine.has(c)), 'only the town\'s schools');
  assert.equal(await page.locator('.page-funding tr[data-town]').count(), 1);
  assert.equal(await button(page, '写入经费表').count(), 0);
  assert.equal(await page.locator('#menu a', { hasText: '机制参数' }).count(), 0);
  await page.goto(`${page.base}/#/subsidy?year=2021`);
  await page.locator('.page-subsidy .sub-roster').waitFor();
  assert.equal(await button(page, '生成名册').count(), 0);
  assertNoConsoleErrors(page);
});
