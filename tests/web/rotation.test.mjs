// rotation.test.mjs - 交流轮岗 and 代课教师 in a real browser (issue 7,
// clauses 3.4.3-T7 and T9): the office generates the 2022 rotation
// proposal, accepts one row and then the rest, and the quota table moves
// (already rotated up, schools meeting their quota up); the substitute
// page draws its trajectory chart and lists the schools behind.
import test from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openPage, login, assertNoConsoleErrors, OUT, TIMEOUT,
  startBrowserWorld, stopBrowserWorld } from './lib.mjs';

let world, browser;

test.before(async () => {
  ({ world, browser } = await startBrowserWorld());
}, { timeout: TIMEOUT });

test.after(() => stopBrowserWorld(world, browser));

const button = (page, name) => page.getByRole('button', { name, exact: true });
const doneSum = (page) => page.locator('.rot-quota tbody .rot-done')
  .evaluateAll((els) => els.reduce((a, e) => a + Number(e.textContent.replace(/,/g, '')), 0));

test('the office proposes and accepts the year\'s rotation, and the quota table moves', async () => {
  const page = await openPage(browser, world);
  await login(page, world, 'admin');
  await page.goto(`${page.base}/#/rotation?year=2022`);
  await page.locator('.rot-quota table.grid').waitFor();
  assert.equal(await page.locator('#menu a.active').textContent(), '交流轮岗');
  assert.equal(await doneSum(page), 0, 'nothing rotated in 2022 yet');
  assert.ok(await page.locator('.rot-quota tbody tr.short').count() > 0);

  await button(page, '生成方案').click();
  const proposed = page.locator('.rot-entries tbody tr[data-status=proposed]');
  await proposed.first().waitFor({ timeout: TIMEOUT });
  const n = await proposed.count();
  assert.ok(n > 0);
  assert.match(await proposed.first().locator('.rot-reason').textContent(), /任教 \d+ 年/);
  await page.screenshot({ path: join(OUT, 'rotation-proposal.png') });

  // one row, then all the rest
  await proposed.first().locator('button.rot-accept').click();
  await page.locator('.rot-entries tbody tr[data-status=accepted]').first().waitFor();
  assert.equal(await doneSum(page), 1);
  await button(page, '全部确认').click();
  await page.waitForFunction(() => !document.querySelector('.rot-entries tbody tr[data-status=proposed]'));
  assert.equal(await doneSum(page), n, 'every proposal accepted is counted');
  assert.ok(await page.locator('.rot-quota tbody tr.meets').count() > 0, 'schools meet their quota');
  const api = await world.admin.get('/api/rotation/quota', { query: { year: 2022 } });
  assert.equal(api.json.totals.done, n);
  await page.screenshot({ path: join(OUT, 'rotation-accepted.png') });
  assertNoConsoleErrors(page);
});

test('代课教师: the trajectory chart and the schools behind it', async () => {
  const page = await openPage(browser, world);
  await login(page, world, 'admin');
  await page.goto(`${page.base}/#/substitutes?year=2021`);
  await page.locator('.sub-chart canvas').waitFor();
  assert.equal(await page.locator('#menu a.active').textContent(), '代课教师');
  const s = (await world.admin.get('/api/substitutes', { query: { year: 2021 } })).json;
  assert.ok(s.behind > 0);
  assert.equal(await page.locator('.sub-behind tbody tr[data-code]').count(), s.behind);
  assert.match(await page.locator('.sub-summary').textContent(), new RegExp(`进度落后的学校 ${s.behind} 所`));
  await page.screenshot({ path: join(OUT, 'substitutes.png') });
  assertNoConsoleErrors(page);
});
