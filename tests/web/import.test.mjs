// import.test.mjs - the registry pages in a real browser: 管理员 uploads
// a teachers sheet with errors (every problem listed by row and column,
// nothing written), then a clean one (dry run, 确认导入, the teacher on
// the teachers page), and downloads a template; a school's clerk is
// offered only the values import, sees the server's objection beside the
// field it edited, saves a good edit, and lists only its own school.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openPage, login, assertNoConsoleErrors, TIMEOUT, startBrowserWorld,
  stopBrowserWorld } from './lib.mjs';
import { sql } from '../api/lib.mjs';

let world, browser;

test.before(async () => {
  ({ world, browser } = await startBrowserWorld());
}, { timeout: TIMEOUT });

test.after(() => stopBrowserWorld(world, browser));

const teacherCount = () => sql(world.db, 'SELECT count(*) AS n FROM teacher')[0].n;

const HEADER = '教师编号,姓名,性别,出生年月,学校标识码,任教学段,任教学科,职称,用工类型,岗位,本校任职起始年份,政治面貌';
const row = (no, name, birth, school) =>
  `${no},${name},女,${birth},${school},小学,语文,一级教师,在编,专任教师,2012,群众`;

// Picks kind, attaches a CSV of lines and asks for the dry run.
async function upload(page, kind, filename, lines) {
  await page.locator('select[name=kind]').selectOption(kind);
  await page.locator('input[name=file]').setInputFiles({
    name: filename, mimeType: 'text/csv', buffer: Buffer.from(`${lines.join('\n')}\n`),
  });
  await page.getByRole('button', { name: '检查文件' }).click();
}

const figure = (page, label) =>
  page.locator('.import-result .figure', { hasText: label }).locator('.n').textContent();

test('管理员: a teachers sheet with errors lists each by row and column and writes nothing', async () => {
  const school = world.facts.schoolA1.code;
  const before = teacherCount();
  const page = await openPage(browser, world);
  await login(page, world, 'admin');
  await page.goto(`${page.base}/#/import`);
  await upload(page, 'teachers', '教师.csv', [
    HEADER,
    row('W0000001', '张丽', '1985-13', school),          // no such month
    row('W0000002', '李娟', '1990-01', '9999999999'),    // no such school
    row('W0000003', '', '1990-01', school),              // a required cell blank
  ]);
  const rows = page.locator('.import-result table.grid tbody tr');
  await rows.nth(2).waitFor();
  const cells = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
  assert.deepEqual(cells.map((c) => c.slice(0, 3)),
    [['教师.csv', '2', 'D'], ['教师.csv', '3', 'E'], ['教师.csv', '4', 'B']]);
  assert.match(cells[0][3], /出生年月/);
  assert.match(cells[1][3], /9999999999/);
  assert.match(cells[2][3], /姓名.*不能为空/);
  assert.match(await page.locator('.import-result h3').textContent(), /发现 3 处问题，数据库未做任何修改/);
  assert.equal(await page.getByRole('button', { name: '确认导入' }).count(), 0);
  assert.equal(teacherCount(), before);
  assertNoConsoleErrors(page);
  await page.context().close();
});

test('管理员: a clean sheet is checked, then imported on 确认导入, and the teacher is listed', async () => {
  const school = world.facts.schoolA1;
  const before = teacherCount();
  const page = await openPage(browser, world);
  await login(page, world, 'admin');
  await page.goto(`${page.base}/#/import`);
  await upload(page, 'teachers', 'new-teacher.csv', [HEADER, row('W0000009', '顾新苗', '1995-09', school.code)]);
  await page.locator('.import-result h3', { hasText: '检查通过' }).waitFor();
  assert.equal(await figure(page, '数据行'), '1');
  assert.equal(await figure(page, '新增'), '1');
  assert.equal(teacherCount(), before, 'a dry run writes nothing');

  await page.getByRole('button', { name: '确认导入' }).click();
  await page.locator('.import-result h3', { hasText: '导入完成' }).waitFor();
  assert.equal(await figure(page, '新增'), '1');
  assert.equal(teacherCount(), before + 1);
  assertNoConsoleErrors(page);

  await page.locator('#menu a[href="#/teachers"]').click();
  await page.locator('table.grid tbody tr').first().waitFor();
  await page.locator('input[name=q]').fill('W0000009');
  const found = page.locator('table.grid tbody tr', { hasText: '顾新苗' });
  await found.waitFor();
  assert.equal(await page.locator('table.grid tbody tr').count(), 1);
  assert.match(await found.textContent(), new RegExp(school.name));
  await found.getByRole('link', { name: '顾新苗' }).click();
  await page.locator('h2', { hasText: '顾新苗（W0000009）' }).waitFor();
  assert.match(await page.locator('main').textContent(), /1995-09/);
  assertNoConsoleErrors(page);
  await page.context().close();
});

test('管理员 downloads a template under the server\'s file name', async () => {
  const page = await openPage(browser, world);
  await login(page, world, 'admin');
  await page.goto(`${page.base}/#/import`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '教师导入模板.xlsx' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), '教师导入模板.xlsx');
  const bytes = readFileSync(await download.path());
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
  assertNoConsoleErrors(page);
  await page.context().close();
});

test('学校: only the values import; an edit\'s error beside its field; only its own school', async () => {
  const school = world.facts.schoolA1;
  const page = await openPage(browser, world);
  await login(page, world, 'school');

  await page.goto(`${page.base}/#/import`);
  await page.locator('select[name=kind]').waitFor();
  assert.deepEqual(await page.locator('select[name=kind] option').allTextContents(), ['数据项填报']);
  assert.equal(await page.locator('.templates button').count(), 0);
  assertNoConsoleErrors(page);

  await page.goto(`${page.base}/#/school/${school.code}`);
  await page.getByRole('button', { name: '修改信息' }).click();
  assert.equal(await page.locator('form input[name=town]').isDisabled(), true);
  const stored = sql(world.db, `SELECT lon, lat FROM school WHERE unit_id = ${school.id}`)[0];
  await page.locator('form input[name=lon]').fill('500');
  await page.locator('form input[name=lat]').fill('31.9');
  await page.getByRole('button', { name: '保存' }).click();
  const lon = page.locator('label.field.invalid', { has: page.locator('input[name=lon]') });
  await lon.waitFor();
  assert.match(await lon.locator('.field-error').textContent(), /“经度”为 500，超出允许范围/);
  assert.equal(await page.locator('label.field.invalid').count(), 1, 'only the longitude is wrong');
  assert.deepEqual(sql(world.db, `SELECT lon, lat FROM school WHERE unit_id = ${school.id}`)[0], stored);

  await page.locator('form input[name=lon]').fill('121.3');
  await page.getByRole('button', { name: '保存' }).click();
  await page.locator('dd', { hasText: '121.3, 31.9' }).waitFor();
  assert.deepEqual(sql(world.db, `SELECT lon, lat FROM school WHERE unit_id = ${school.id}`)[0],
    { lon: 121.3, lat: 31.9 });
  assertNoConsoleErrors(page);

  await page.locator('#menu a', { hasText: '学校' }).click();
  await page.locator('table.grid tbody tr').first().waitFor();
  const names = await page.locator('table.grid tbody tr td:nth-child(2)').allTextContents();
  assert.deepEqual(names, [school.name]);
  assertNoConsoleErrors(page);
  await page.context().close();
});
