// staffing.test.mjs - 编制核定 and 教师调配 in a real browser (issue 7
// items 3 and 5, clause 3.4.3-T8): the staffing list shows 超编 and 缺编
// schools highlighted, filters by status and exports a workbook, and
// opens a school's subjects; the office proposes a redistribution, reads
// each move's reason and accepts one move.
import test from 'node:test';
import assert from 'node:assert/strict';
import { openPage, login, assertNoConsoleErrors, TIMEOUT,
  startBrowserWorld, stopBrowserWorld } from './lib.mjs';

let world, browser;

test.before(async () => {
  ({ world, browser } = await startBrowserWorld());
}, { timeout: TIMEOUT });

test.after(() => stopBrowserWorld(world, browser));

const button = (page, name) => page.getByRole('button', { name, exact: true });

test('the staffing list shows 超编 and 缺编, filters, exports and opens a school', { timeout: TIMEOUT }, async () => {
  const page = await openPage(browser, world);
  await login(page, world, 'admin');
  await page.goto(`${page.base}/#/staffing?year=2021`);
  await page.locator('.page-staffing table.grid tbody tr').first().waitFor();
  assert.equal(await page.locator('#menu a.active').textContent(), '编制核定');
  assert.ok(await page.locator('tr.stf-over[data-status="超编"] .badge').count() > 0, 'over-staffed rows');
  assert.ok(await page.locator('tr.stf-under[data-status="缺编"] .badge').count() > 0, 'under-staffed rows');
  await page.locator('.stf-chart canvas').waitFor();

  await page.locator('select[name=status]').selectOption('缺编');
  await page.waitForFunction(() => location.hash.includes('status='));
  await page.locator('.page-staffing table.grid tbody tr').first().waitFor();
  const statuses = await page.locator('.page-staffing table.grid tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.status));
  assert.ok(statuses.length > 0 && statuses.every((s) => s === '缺编'), statuses.join());

  const [download] = await Promise.all([page.waitForEvent('download'), button(page, '导出 Excel').click()]);
  assert.equal(download.suggestedFilename(), '编制核定_2021年.xlsx');

  await page.locator('.page-staffing table.grid tbody tr a').first().click();
  await page.locator('.stf-school h2', { hasText: '分学科编制' }).waitFor();
  assert.ok(await page.locator('.stf-school table.grid tbody tr').count() >= 1);
  assertNoConsoleErrors(page);
  await page.context().close();
});

test('the office proposes a redistribution and accepts one move', { timeout: TIMEOUT }, async () => {
  const page = await openPage(browser, world);
  await login(page, world, 'admin');
  await page.goto(`${page.base}/#/redistribution?year=2021`);
  await page.locator('.page-redistribution .rd-summary').waitFor();
  await button(page, '提出调配方案').click();
  await page.locator('#toast', { hasText: '已提出 2021 年调配方案' }).waitFor({ timeout: TIMEOUT });
  const rows = page.locator('.page-redistribution table.grid tbody tr[data-status=proposed]');
  await rows.first().waitFor();
  const n = await rows.count();
  assert.ok(n > 0);
  const reason = await rows.first().locator('.rd-reason').textContent();
  assert.match(reason, /超编(比较严重)?学校 .+超 [\d.]+ 人 → .+缺 [\d.]+ 人，距离 [\d.]+ km/);

  const id = await rows.first().getAttribute('data-id');
  await rows.first().getByRole('button', { name: '确认', exact: true }).click();
  await page.locator(`.page-redistribution tr[data-id="${id}"][data-status=accepted]`).waitFor();
  assert.match(await page.locator('.rd-summary').textContent(), /已确认 1 人次/);
  const api = await world.admin.get('/api/redistribution', { query: { year: 2021, status: 'accepted' } });
  assert.deepEqual(api.json.moves.map((m) => String(m.id)), [id]);
  assertNoConsoleErrors(page);
  await page.context().close();
});
