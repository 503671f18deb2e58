// pairing.test.mjs - 结对帮扶, 教师培训 and 队伍建设 in a real browser
// (issue 6): the office runs the 学科带头人 (青蓝结对) programme end to end -
// fills the pools, generates the proposal, reads each pair's cost terms
// (which add up to the total shown), accepts it all, sees the pairs
// accepted and the coverage move, and logs an activity on one pair; the
// training accounting and the gap lists show their tables and drill
// down; a school's clerk sees only its own school's gaps and none of the
// office's tools on the pairing page.
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
// "−13.5" / "1,234.5" as the page writes a cost, back to a number
const num = (text) => Number(String(text).trim().replace(/−/g, '-').replace(/[,+\s]/g, ''));

test('the office fills, proposes and accepts the 学科带头人 pairing, then logs an activity', async () => {
  const page = await openPage(browser, world);
  await login(page, world, 'admin');
  await page.goto(`${page.base}/#/pairing/subject_leaders`);
  await page.locator('.pr-stats').waitFor();
  assert.equal(await page.locator('#menu a.active').textContent(), '结对帮扶');
  assert.equal(await page.locator('.pr-programmes a').count(), 4);
  assert.equal(await page.locator('.pr-programmes a.active').getAttribute('data-programme'), 'subject_leaders');
  const coverage = () => page.locator('.pr-stats .pr-coverage dd .v').textContent();
  const coverage0 = await coverage();

  // 填充名单: the pools' sizes appear
  await button(page, '填充名单').click();
  await page.locator('.pr-result.ok', { hasText: '名单已按' }).waitFor({ timeout: TIMEOUT });
  const mentors = Number(await page.locator('.pr-pool-mentors strong').textContent());
  const mentees = Number(await page.locator('.pr-pool-mentees strong').textContent());
  assert.ok(mentors > 0, 'the mentor pool is filled');
  assert.ok(mentees > 0, 'the mentee pool is filled');

  // the settings: a same-group pair now takes 25 off its cost
  const group = page.locator('.pr-settings input[name=weight-group]');
  assert.equal(await group.inputValue(), '20');
  await group.fill('25');
  await button(page, '保存设置').click();
  await page.locator('.pr-settings .tch-result.ok').waitFor();
  const settings = await world.admin.get('/api/pairing/subject_leaders/settings');
  assert.equal(settings.json.settings.weights.group, 25);

  // 生成方案: the proposal, pair by pair with its cost terms
  await button(page, '生成方案').click();
  await page.locator('.pr-result.ok', { hasText: '对待确认' }).waitFor({ timeout: TIMEOUT });
  const rows = page.locator('.pr-proposed table.grid tbody tr[data-pair]');
  await rows.first().waitFor();
  // the heading counts every pair proposed; the table shows a page of them
  const n = num((await page.locator('.pr-proposed h3 .n').textContent()).replace(/对.*/, ''));
  assert.ok(n > 0 && n <= Math.min(mentors, mentees), `${n} pairs of ${mentors} mentors and ${mentees} mentees`);
  assert.equal(await rows.count(), Math.min(n, 50));
  const pairs = await rows.evaluateAll((trs) => trs.map((tr) => ({
    id: tr.dataset.pair,
    total: tr.querySelector('.tch-cost').textContent,
    totalCost: Number(tr.querySelector('.tch-cost').dataset.cost),
    terms: [...tr.querySelectorAll('.tch-terms li')].map((li) => ({
      id: li.dataset.term, cost: Number(li.dataset.cost), text: li.textContent,
      shown: li.querySelector('.v') ? li.querySelector('.v').textContent : null,
    })),
    explain: (tr.querySelector('.tch-explain') || {}).textContent || '',
  })));
  for (const p of pairs) {
    assert.ok(p.terms.length >= 2, `pair ${p.id} has its terms`);
    const sum = p.terms.reduce((a, t) => a + t.cost, 0);
    assert.ok(Math.abs(sum - num(p.total)) < 0.011, `pair ${p.id}: terms ${sum} vs total shown ${p.total}`);
    assert.ok(Math.abs(sum - p.totalCost) < 1e-6, `pair ${p.id}: terms ${sum} vs cost ${p.totalCost}`);
    for (const t of p.terms) {
      // a zero term is a label alone (同学科 ✓); others show their signed value
      if (t.cost === 0) assert.equal(t.shown, null, `pair ${p.id} term ${t.id}`);
      else assert.ok(Math.abs(num(t.shown) - t.cost) < 0.011, `pair ${p.id} term ${t.id}: ${t.shown} vs ${t.cost}`);
    }
    assert.ok(p.terms.some((t) => t.id === 'subject' && /同学科 ✓/.test(t.text)), `pair ${p.id}: 同学科 ✓`);
    assert.ok(p.explain.length > 0, `pair ${p.id} explains itself`);
  }
  assert.ok(pairs.some((p) => p.terms.some((t) => t.id === 'group' && t.cost === -25 && /同集团/.test(t.text)
    && t.shown === '−25')), 'the new group weight counts');
  assert.ok(pairs.some((p) => p.terms.some((t) => t.id === 'distance' && /距离 [\d.]+ km/.test(t.text) && t.cost > 0)),
    'some pair has a distance term');
  await page.screenshot({ path: join(OUT, 'pairing-proposal.png') });
  assert.equal(await page.locator('.pr-accepted table.grid tbody tr[data-pair]').count(), 0);
  assertNoConsoleErrors(page);

  // 全部采纳: every pair accepted, the coverage moves
  await button(page, '全部采纳').click();
  const accepted = page.locator('.pr-accepted table.grid tbody tr[data-status=accepted]');
  await accepted.first().waitFor();
  await page.locator('.pr-proposed table.grid td.empty').waitFor();
  const shown = await page.locator('.pr-accepted h3 .n').textContent();
  assert.equal(num(shown.replace('对', '')), n, `accepted: ${shown}`);
  const coverage1 = await coverage();
  assert.notEqual(coverage1, coverage0, 'the coverage figure changed');
  assert.match(coverage1, /%$/);
  const api = await world.admin.get('/api/pairing');
  assert.equal(api.status, 200, api.text);
  const list = Array.isArray(api.json) ? api.json : api.json.programmes || api.json.items;
  const sl = list.find((p) => p.id === 'subject_leaders');
  assert.equal(sl.stats.accepted, n);
  assert.equal(sl.stats.proposed, 0);
  assert.match(await page.locator('.pr-programmes a.active').textContent(), new RegExp(coverage1.replace('.', '\\.')));

  // an activity on the first pair: 听评课 today with a note
  const first = accepted.first();
  const pairId = await first.getAttribute('data-pair');
  assert.equal(await first.locator('.pr-activities').textContent(), '0');
  await first.locator('button.pr-log').click();
  const form = page.locator('.pr-activity-row form');
  await form.locator('select[name=kind]').selectOption({ label: '听评课' });
  await form.locator('textarea[name=note]').fill('师傅听评课：《认识钟表》，课后交流教学设计');
  await form.getByRole('button', { name: '保存活动' }).click();
  const row = page.locator(`.pr-accepted tr[data-pair="${pairId}"]`);
  await row.locator('.pr-activities', { hasText: '1' }).waitFor();
  assert.match(await row.textContent(), /最近 \d{4}-\d\d-\d\d/);
  assert.equal(await page.locator('.pr-activity-row').count(), 0, 'the form closes once saved');

  // the form opens and closes again under its row
  await row.locator('button.pr-log').click();
  await page.locator('.pr-activity-row').waitFor();
  await row.locator('button.pr-log').click();
  assert.equal(await page.locator('.pr-activity-row').count(), 0);
  assert.doesNotMatch(await page.locator('main').textContent(), /null|undefined|NaN/);
  await page.screenshot({ path: join(OUT, 'pairing-accepted.png') });

  // 导出 Excel: every pair of the programme as a workbook
  const [download] = await Promise.all([page.waitForEvent('download'), button(page, '导出 Excel').click()]);
  assert.match(download.suggestedFilename(), /^结对帮扶_学科带头人_\d{4}年\.xlsx$/);
  const file = readFileSync(await download.path());
  assert.equal(file.subarray(0, 2).toString(), 'PK', 'the download is a zip (xlsx)');
  assertNoConsoleErrors(page);
  await page.context().close();
});

test('教师培训 and 队伍建设 show their tables and drill down', async () => {
  const page = await openPage(browser, world);
  await login(page, world, 'admin');

  // training: the city, its towns, then a town's schools
  await page.goto(`${page.base}/#/training`);
  const units = page.locator('.tr-units table.grid tbody tr[data-unit]');
  await units.first().waitFor();
  assert.equal(await page.locator('.tr-units tr.self').first().getAttribute('data-level'), 'city');
  assert.ok(await page.locator('.tr-units tr[data-level=town]').count() > 0);
  assert.match(await page.locator('.tr-summary').textContent(), /乡村教师/);
  const behind = page.locator('.tr-behind table.grid tbody tr[data-teacher]');
  await behind.first().waitFor();
  assert.match(await page.locator('.tr-behind .pager').textContent(), /共 \d+ 条/);
  assert.ok(await page.locator('.tr-courses table.grid tbody tr[data-course]').count() > 0);
  const town = world.facts.townA;
  await page.locator(`.tr-units tr[data-unit="${town.code}"] a`).click();
  await page.locator(`.tr-units tr.self[data-unit="${town.code}"]`).waitFor();
  assert.ok(await page.locator('.tr-units tr[data-level=school]').count() > 0);
  assert.match(await page.locator('.crumbs').textContent(), new RegExp(town.name));
  assert.equal(await page.locator('.page-training .tr-export').count(), 1, 'the accounting offers 导出 Excel');
  assertNoConsoleErrors(page);

  // gaps: every check with its count; one check's rows only
  await page.goto(`${page.base}/#/gaps`);
  const rows = page.locator('.page-gaps table.grid tbody tr[data-check]');
  await rows.first().waitFor();
  assert.equal(await page.locator('.gap-checks button').count(), 7);
  await page.locator('.gap-checks button[data-check=seed]').click();
  await page.locator('.gap-checks button.active[data-check=seed]').waitFor();
  await rows.first().waitFor();
  const checks = await rows.evaluateAll((trs) => [...new Set(trs.map((tr) => tr.dataset.check))]);
  assert.deepEqual(checks, ['seed']);
  assert.equal(await button(page, '导出 Excel').count(), 1, 'the gap list offers 导出 Excel');
  // every tab keeps its count while one check is shown
  assert.equal(await page.locator('.gap-checks button .n').count(), 7);
  const count = num(await page.locator('.gap-checks button[data-check=seed] .n').textContent());
  assert.match(await page.locator('.page-gaps .pager').textContent(), new RegExp(`共 ${count} 条`));
  await page.screenshot({ path: join(OUT, 'gaps.png') });
  assertNoConsoleErrors(page);
  await page.context().close();
});

test('a school clerk sees only its own school\'s gaps and none of the office\'s pairing tools', async () => {
  const page = await openPage(browser, world);
  await login(page, world, 'school');
  const { schoolA1: A1, schools } = world.facts;

  await page.goto(`${page.base}/#/gaps`);
  await page.locator('.page-gaps table.grid tbody tr').first().waitFor();
  const units = await page.locator('.page-gaps table.grid tbody tr[data-check]')
    .evaluateAll((trs) => [...new Set(trs.map((tr) => tr.dataset.unit))]);
  assert.ok(units.every((u) => u === A1.code), `the clerk sees ${units.join(', ')}`);
  const text = await page.locator('main').textContent();
  for (const s of schools.filter((x) => x.id !== A1.id && !A1.name.includes(x.name)))
    assert.ok(!text.includes(s.name), `the clerk sees ${s.name}`);
  assertNoConsoleErrors(page);

  await page.goto(`${page.base}/#/pairing/subject_leaders`);
  await page.locator('.pr-stats').waitFor();
  await page.locator('.pr-accepted h3').waitFor();
  assert.equal(await button(page, '生成方案').count(), 0);
  assert.equal(await button(page, '填充名单').count(), 0);
  assert.equal(await button(page, '全部采纳').count(), 0);
  assert.equal(await page.locator('.pr-settings').count(), 0);

  await page.goto(`${page.base}/#/training`);
  await page.locator('.tr-summary, .page-training .notice').first().waitFor();
  assertNoConsoleErrors(page);
  await page.context().close();
});
