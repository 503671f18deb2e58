// login.test.mjs - the shell in a real browser: each role logs in and
// sees its own menu and only its scope's units; a wrong password shows
// the server's message; an ended session returns to the login page.
import test from 'node:test';
import assert from 'node:assert/strict';
import { openPage, login, assertNoConsoleErrors, webArgs, Server, TIMEOUT,
  startBrowserWorld, stopBrowserWorld } from './lib.mjs';

let world, browser;

test.before(async () => {
  ({ world, browser } = await startBrowserWorld());
}, { timeout: TIMEOUT });

test.after(() => stopBrowserWorld(world, browser));

test('a wrong password shows the server\'s message and stays on the login page', async () => {
  const page = await openPage(browser, world);
  await page.goto(`${page.base}/`);
  await page.locator('#login input[name=name]').fill('zx-town');
  await page.locator('#login input[name=password]').fill('not the password');
  await page.locator('#login button[type=submit]').click();
  await assert.doesNotReject(page.locator('#login-error', { hasText: '用户名或密码错误' }).waitFor());
  assert.equal(await page.locator('#app-view').isHidden(), true);
  assertNoConsoleErrors(page);
  await page.context().close();
});

const MENUS = {
  admin: ['总览', '任务督办', '学校', '教师', '结对帮扶', '教师培训', '队伍建设', '编制核定', '教师调配', '交流轮岗', '代课教师', '走教安排', '公用经费', '教师补贴', '数据填报', '审核', '导入', '机制参数', '审计日志', '用户管理'],
  town: ['总览', '任务督办', '学校', '教师', '结对帮扶', '教师培训', '队伍建设', '编制核定', '教师调配', '交流轮岗', '代课教师', '走教安排', '公用经费', '教师补贴', '数据填报', '审核', '导入'],
  school: ['总览', '任务督办', '学校', '教师', '结对帮扶', '教师培训', '队伍建设', '编制核定', '教师调配', '交流轮岗', '代课教师', '走教安排', '公用经费', '教师补贴', '数据填报', '导入'],
  inspector: ['总览', '任务督办', '学校', '教师', '结对帮扶', '教师培训', '队伍建设', '编制核定', '教师调配', '交流轮岗', '代课教师', '走教安排', '公用经费', '教师补贴'],
  leader: ['总览', '任务督办', '学校', '教师', '结对帮扶', '教师培训', '队伍建设', '编制核定', '教师调配', '交流轮岗', '代课教师', '走教安排', '公用经费', '教师补贴', '机制参数'],
};

for (const [key, menu] of Object.entries(MENUS)) {
  test(`${key} logs in, sees its menu, and the schools page lists only its scope`, async () => {
    const page = await openPage(browser, world);
    await login(page, world, key);
    assert.deepEqual(await page.locator('#menu a').allTextContents(), menu);
    assert.match(await page.locator('#who').textContent(), new RegExp(world.accounts[key].name));
    await page.goto(`${page.base}/#/schools`);
    await page.locator('table.grid tbody tr').first().waitFor();
    const text = await page.locator('main').textContent();
    const f = world.facts;
    if (key === 'town' || key === 'school' || key === 'inspector')
      assert.ok(!text.includes(f.schoolB1.name), `${key} sees ${f.schoolB1.name} of another town`);
    if (key === 'school') {
      const others = f.schoolsOf(f.townA).filter((s) => s.id !== f.schoolA1.id);
      for (const s of others) assert.ok(!text.includes(s.name), `the clerk sees ${s.name}`);
    }
    assert.ok(text.includes(key === 'leader' || key === 'admin' ? f.schoolB1.name : f.schoolA1.name));
    assertNoConsoleErrors(page);
    await page.context().close();
  });
}

test('an ended session returns to the login page with a message', async () => {
  // a second server on the same database whose sessions end after 4 s idle
  const server = await Server.start(world.db, world.dir,
    { args: [...webArgs(), '--session-idle', '4'] });
  try {
    const page = await openPage(browser, { server });
    await login(page, world, 'town');
    await page.waitForTimeout(5500);
    await page.locator('#menu a', { hasText: '任务督办' }).click();
    await page.locator('#login-view').waitFor({ state: 'visible' });
    assert.match(await page.locator('#login-error').textContent(), /登录已过期/);
    assertNoConsoleErrors(page);
    await page.context().close();
  } finally {
    await server.stop();
  }
});
