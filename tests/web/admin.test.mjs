// admin.test.mjs - the pages of task supervision (任务督办), the audit
// log (审计日志) and the accounts (用户管理) in a real browser: a town
// officer sees and reports on its own units' tasks, evidence goes up and
// comes back, the administrator finds the change in the audit log and
// manages accounts, and the other roles see no more than they may.
//
// The tests run in order and build on each other: the change the town
// officer makes is the one the audit page must show.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openPage, assertNoConsoleErrors, TIMEOUT, startBrowserWorld,
  stopBrowserWorld } from './lib.mjs';

let world, browser;
// the row the town officer changes: {task, unit, recorded} (test 2 on)
let changed;
const NOTE = `已完成校舍排查，整改清单见附件（${Date.now()}）`;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

test.before(async () => {
  ({ world, browser } = await startBrowserWorld());
}, { timeout: TIMEOUT });

test.after(() => stopBrowserWorld(world, browser));

// Logs in as world.accounts[key] on the page at hash, so that the first
// screen after logging in is the one under test.
async function loginTo(page, key, hash) {
  const a = world.accounts[key];
  await page.goto(`${page.base}/${hash}`);
  await page.locator('#login input[name=name]').fill(a.name);
  await page.locator('#login input[name=password]').fill(a.password);
  await page.locator('#login button[type=submit]').click();
  await page.locator('#menu a').first().waitFor();
}

// Waits until the listing shows rows and every one has the data-
// attributes of want ({task, unit, status}): the rows of the filter just
// asked for, not those of the screen before it.
async function waitRows(page, want) {
  await page.waitForFunction((w) => {
    const trs = [...document.querySelectorAll('main table.grid tbody tr[data-unit]')];
    return trs.length > 0 && trs.every((tr) => Object.entries(w).every(([k, v]) => tr.dataset[k] === v));
  }, want);
}

// The listing's rows as drawn: unit, task and status id of each.
function rows(page) {
  return page.locator('main table.grid tbody tr[data-unit]').evaluateAll((trs) =>
    trs.map((tr) => ({ unit: tr.dataset.unit, task: tr.dataset.task, status: tr.dataset.status })));
}

// Every task row the town officer sees, through the API.
async function townRows() {
  const c = await world.as('town');
  const all = [];
  for (let page = 1; ; page++) {
    const r = await c.get('/api/tasks', { query: { size: 500, page } });
    assert.equal(r.status, 200, r.text);
    all.push(...r.json.items);
    if (all.length >= r.json.total) return all;
  }
}

function assertOverdueFirst(list) {
  const firstOther = list.findIndex((r) => r.status !== 'overdue');
  if (firstOther >= 0)
    assert.ok(list.slice(firstOther).every((r) => r.status !== 'overdue'),
      `an overdue row after a row that is not: ${JSON.stringify(list)}`);
}

test('the town officer sees only its town\'s task rows, overdue first, by status', { timeout: TIMEOUT }, async () => {
  const f = world.facts;
  const mine = new Set([f.townA.name, ...f.schoolsOf(f.townA).map((s) => s.name)]);
  const all = await townRows();
  const page = await openPage(browser, world);
  await loginTo(page, 'town', '#/tasks');
  await page.locator('main table.grid tbody tr[data-unit]').first().waitFor();

  const first = await rows(page);
  assert.ok(first.length > 0);
  for (const r of first) assert.ok(mine.has(r.unit), `the town officer sees ${r.unit}`);
  assert.equal(first[0].status, all[0].status);
  assertOverdueFirst(first);
  assert.match(await page.locator('.pager').textContent(), new RegExp(`共 ${all.length} 条`));

  // a task with rows overdue and rows not: the overdue ones come first
  const byTask = new Map();
  for (const r of all) byTask.set(r.task, [...(byTask.get(r.task) || []), r]);
  const [task] = [...byTask].find(([, rs]) => rs.some((r) => r.overdue) && rs.some((r) => !r.overdue)) || [];
  assert.ok(task, 'the demo should have a task with overdue and other rows in the town');
  await page.locator('main select[name=task]').selectOption(task);
  await page.locator('main form.toolbar button[type=submit]').click();
  await waitRows(page, { task });
  const ofTask = await rows(page);
  assert.equal(ofTask.length, byTask.get(task).length);
  assert.ok(ofTask.every((r) => r.task === task && mine.has(r.unit)));
  assertOverdueFirst(ofTask);

  // the status tabs carry the counts, and one shows only its status
  const done = all.filter((r) => r.status === 'done').length;
  const tab = page.locator('.task-tabs button[data-status=done]');
  assert.match(await tab.textContent(), new RegExp(`已完成\\s*${byTask.get(task).filter((r) => r.status === 'done').length}`));
  await page.locator('main form.toolbar button[type=button]').click();   // 清除条件
  await page.locator('.pager', { hasText: `共 ${all.length} 条` }).waitFor();
  await tab.click();
  await page.locator('.pager', { hasText: `共 ${done} 条` }).waitFor();
  await waitRows(page, { status: 'done' });
  assert.match(await tab.textContent(), new RegExp(`已完成\\s*${done}`));
  assertNoConsoleErrors(page);
  await page.context().close();
});

test('the town officer sets a status and adds a note, and a reload shows both', { timeout: TIMEOUT }, async () => {
  const f = world.facts;
  const schools = new Set(f.schoolsOf(f.townA).map((s) => s.name));
  // a row with a status recorded before, so that the audit log has an old
  // value to show beside the new one
  const row = (await townRows()).find((r) => r.overdue && r.writable && r.updated_at && schools.has(r.unit));
  assert.ok(row, 'the demo should have an overdue row of a school of the town, with a status');
  changed = { task: row.task, unit: row.unit, recorded: row.recorded_status_name };

  const page = await openPage(browser, world);
  await loginTo(page, 'town', '#/tasks?status=overdue');
  await page.locator('main input[name=unit]').fill(row.unit);
  await page.locator('main select[name=task]').selectOption(row.task);
  await page.locator('main form.toolbar button[type=submit]').click();
  await waitRows(page, { unit: row.unit, task: row.task });
  await page.locator('main tr[data-unit] a').click();
  const card = page.locator(`.task-unit[data-unit="${row.unit}"]`);
  await card.waitFor();
  assert.match(await card.locator('header').textContent(), /逾期/);

  await card.locator('form.progress select[name=status]').selectOption('已完成');
  await card.locator('form.progress textarea[name=note]').fill(NOTE);
  await card.locator('form.progress button[type=submit]').click();
  await card.locator('.notes li', { hasText: NOTE }).waitFor();

  await page.reload();
  await card.locator('.notes li', { hasText: NOTE }).waitFor();
  const head = await card.locator('header').textContent();
  assert.match(head, /已完成/);
  assert.doesNotMatch(head, /逾期/);
  assert.match(head, /zx-town/);

  // the listing shows the row done, with its newest note
  await page.goto(`${page.base}/#/tasks?${new URLSearchParams({ task: row.task, unit: row.unit })}`);
  const tr = page.locator(`main tr[data-unit="${row.unit}"]`);
  await tr.waitFor();
  assert.equal(await tr.getAttribute('data-status'), 'done');
  assert.match(await tr.textContent(), new RegExp(NOTE.slice(0, 10)));
  assertNoConsoleErrors(page);
  await page.context().close();
});

test('a PDF goes up as evidence and comes back; a refused type shows the server\'s message', { timeout: TIMEOUT }, async () => {
  const page = await openPage(browser, world);
  await loginTo(page, 'town', `#/task/${changed.task}?${new URLSearchParams({ unit: changed.unit })}`);
  const card = page.locator(`.task-unit[data-unit="${changed.unit}"]`);
  const form = card.locator('form.evidence');
  await form.locator('input[type=file]').setInputFiles({ name: '整改报告.pdf', mimeType: 'application/pdf', buffer: PDF });
  await form.locator('button[type=submit]').click();
  const link = card.locator('.files a', { hasText: '整改报告.pdf' });
  await link.waitFor();

  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), '整改报告.pdf');
  assert.deepEqual(readFileSync(await download.path()), PDF);

  // an executable named as a document is judged by its bytes and refused
  await form.locator('input[type=file]').setInputFiles({
    name: '名单.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00'),
  });
  await form.locator('button[type=submit]').click();
  const error = form.locator('.field-error');
  await error.filter({ hasText: '类型不被接受' }).waitFor();
  assert.match(await error.textContent(), /名单\.pdf/);
  assert.equal(await card.locator('.files a', { hasText: '名单.pdf' }).count(), 0);
  assertNoConsoleErrors(page);
  await page.context().close();
});

test('read-only roles see a task\'s units but no forms', { timeout: TIMEOUT }, async () => {
  const c = await world.as('inspector');
  const r = await c.get('/api/tasks', { query: { size: 1 } });
  assert.equal(r.status, 200, r.text);
  const [row] = r.json.items;
  const page = await openPage(browser, world);
  await loginTo(page, 'inspector', `#/task/${row.task}`);
  await page.locator(`.task-unit[data-unit="${row.unit}"]`).waitFor();
  assert.equal(await page.locator('main form').count(), 0);
  assert.equal(await page.locator('main .task-edit').count(), 0);
  assertNoConsoleErrors(page);
  await page.context().close();
});

test('the audit log shows the town officer\'s change, and its chain verifies', { timeout: TIMEOUT }, async () => {
  const page = await openPage(browser, world);
  await loginTo(page, 'admin', '#/audit');
  await page.locator('main table.grid tbody tr[data-id]').first().waitFor();
  await page.locator('main input[name=actor]').fill('user:zx-town');
  await page.locator('main input[name=table]').fill('task_progress');
  await page.locator('main form.toolbar button[type=submit]').click();
  // the filtered list: every row of that actor and table
  await page.waitForFunction(() => {
    const trs = [...document.querySelectorAll('main tr[data-id]')];
    return trs.length > 0 && trs.every((tr) => tr.cells[1].textContent === 'user:zx-town' &&
      tr.cells[4].textContent === '任务进展');
  });
  const tr = page.locator('main tr[data-id]', { hasText: changed.unit });
  const text = await tr.textContent();
  assert.match(text, /user:zx-town/);
  assert.match(text, /任务进展/);
  assert.match(text, new RegExp(`状态（status）\\s*${changed.recorded}\\s*→\\s*已完成`));

  await page.locator('main button', { hasText: '校验哈希链' }).click();
  await page.locator('.audit-verdict', { hasText: '完好' }).waitFor();
  assertNoConsoleErrors(page);
  await page.context().close();
});

test('the admin adds an account with a generated password; it logs in, and once disabled it cannot', { timeout: TIMEOUT }, async () => {
  const f = world.facts;
  const page = await openPage(browser, world);
  await loginTo(page, 'admin', '#/users');
  const form = page.locator('form.user-add');
  await form.waitFor();
  await form.locator('input[name=name]').fill('zx-new');
  await form.locator('select[name=role]').selectOption('学校');
  // a wrong code: the server's message beside the field
  await form.locator('input[name=unit]').fill('0000000000');
  await form.locator('button[type=submit]').click();
  await form.locator('.field.invalid', { hasText: '没有编码为“0000000000”的单位' }).locator('input[name=unit]').waitFor();

  await form.locator('input[name=unit]').fill(f.schoolA2.code);
  await form.locator('button[type=submit]').click();
  const shown = page.locator('.one-time .password');
  await shown.waitFor();
  const password = (await shown.textContent()).trim();
  assert.match(password, /^[A-Za-z0-9]{14}$/);
  await page.locator('main tr[data-name="zx-new"]').waitFor();
  assert.equal(await form.locator('.field.invalid').count(), 0);
  // shown once: the page drawn again has it no more
  await page.reload();
  await page.locator('main tr[data-name="zx-new"]').waitFor();
  assert.equal(await page.locator('.one-time').count(), 0);
  assert.ok(!(await page.locator('main').textContent()).includes(password));

  world.accounts.newbie = { name: 'zx-new', password };
  const newbie = await openPage(browser, world);
  await loginTo(newbie, 'newbie', '#/tasks');
  assert.match(await newbie.locator('#who').textContent(), new RegExp(f.schoolA2.name));
  await newbie.locator('main table.grid').waitFor();

  const row = page.locator('main tr[data-name="zx-new"]');
  await row.locator('button', { hasText: '停用' }).click();
  await row.locator('.badge', { hasText: '已停用' }).waitFor();
  await row.locator('button', { hasText: '启用' }).waitFor();

  // the open session has ended ...
  await newbie.locator('.task-tabs button[data-status=done]').click();
  await newbie.locator('#login-view').waitFor({ state: 'visible' });
  assert.match(await newbie.locator('#login-error').textContent(), /登录已过期/);
  assertNoConsoleErrors(newbie);
  await newbie.context().close();
  // ... and a new login is refused with the server's message
  const again = await openPage(browser, world);
  await again.goto(`${again.base}/`);
  await again.locator('#login input[name=name]').fill('zx-new');
  await again.locator('#login input[name=password]').fill(password);
  await again.locator('#login button[type=submit]').click();
  await again.locator('#login-error', { hasText: '用户名或密码错误' }).waitFor();
  assert.equal(await again.locator('#app-view').isHidden(), true);
  assertNoConsoleErrors(again);
  await again.context().close();

  assertNoConsoleErrors(page);
  await page.context().close();
});

test('the school clerk has no audit or users menu, and the pages show the refusal', { timeout: TIMEOUT }, async () => {
  const page = await openPage(browser, world);
  await loginTo(page, 'school', '#/tasks');
  await page.locator('main table.grid').waitFor();
  const menu = await page.locator('#menu a').allTextContents();
  assert.ok(!menu.includes('审计日志') && !menu.includes('用户管理'), menu.join());
  for (const hash of ['#/audit', '#/users']) {
    const refused = page.waitForResponse((r) => r.url().includes(`/api/${hash.slice(2)}`));
    await page.goto(`${page.base}/${hash}`);
    assert.equal((await refused).status(), 403);
    await page.locator('main .notice.error', { hasText: '无权' }).waitFor();
    assert.equal(await page.locator('main table').count(), 0);
  }
  assertNoConsoleErrors(page);
  await page.context().close();
});
