// staffing.test.mjs - staffing norms and the redistribution of surplus
// teachers (api_staffing.c) on their happy paths: the demo city's
// 超编 and 缺编 schools, a town's own schools and totals, the subjects
// short, saving for the indicator, a proposal with its reasons, accepting
// one move, and the workbooks.  Who may reach what is the authorization
// matrix's (matrix.test.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorld, stopWorld, assertError, sql, TIMEOUT } from './lib.mjs';

let w;
let F;

before(async () => {
  w = await startWorld();
  F = w.facts;
}, { timeout: TIMEOUT });
after(async () => { await stopWorld(w); }, { timeout: TIMEOUT });

// A workbook answer's first bytes and type; its file name.
function isWorkbook(r, what) {
  assert.equal(r.status, 200, `${what}: ${r.text.slice(0, 300)}`);
  assert.match(r.headers['content-type'], /spreadsheetml/, what);
  assert.equal(r.buf.subarray(0, 2).toString(), 'PK', what);
}
const fileName = (r) => decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(r.headers['content-disposition'] || '')[1]);

test('staffing of the demo city: over- and under-staffed schools, a town\'s own totals', async () => {
  const r = await w.admin.get('/api/staffing', { query: { year: 2021 } });
  assert.equal(r.status, 200, r.text);
  const st = new Set(r.json.schools.map((s) => s.status));
  assert.ok(st.has('超编') && st.has('缺编'), [...st].join());
  assert.equal(r.json.overstaffed_ratio, 1.1);
  for (const s of r.json.schools) {
    assert.ok(Math.abs(s.diff - (s.actual - s.norm)) < 0.011, `${s.code}: diff`);
    if (s.serious) assert.ok(s.actual > s.norm * 1.1, `${s.code}: serious`);
  }
  assert.equal(r.json.totals.over, r.json.schools.filter((s) => s.status === '超编').length);

  const town = await w.as('town');
  const t = await town.get('/api/staffing', { query: { year: 2021 } });
  assert.equal(t.status, 200, t.text);
  const mine = new Set(F.schoolsOf(F.townA).map((s) => s.code));
  assert.ok(t.json.schools.length > 0 && t.json.schools.every((s) => mine.has(s.code)));
  assert.deepEqual(t.json.towns.map((x) => x.town), [F.townA.name]);
  const all = r.json.towns.find((x) => x.town === F.townA.name);
  assert.equal(t.json.towns[0].actual, all.actual, 'the town sees all its schools');
  assertError(await town.get('/api/staffing', { query: { unit: F.schoolB1.code } }), 404, 'not_found');

  const school = await w.as('school');
  const s = await school.get('/api/staffing', { query: { year: 2021 } });
  assert.deepEqual(s.json.schools.map((x) => x.code), [F.schoolA1.code]);
  assert.equal(s.json.totals.actual, s.json.schools[0].actual, 'totals of its own school only');
});

test('subjects short, saved for the indicator and the itinerant needs', async () => {
  const r = await w.admin.get('/api/staffing/subjects', { query: { year: 2021, short: 1 } });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.length > 0 && r.json.items.every((x) => x.diff < 0));
  const music = r.json.subjects.find((x) => x.subject === 24);
  assert.ok(music && music.schools > 0 && music.short > 0, 'music is short somewhere');
  const one = await w.admin.get('/api/staffing/subjects', { query: { year: 2021, unit: F.schoolA1.code } });
  assert.ok(one.json.items.every((x) => x.code === F.schoolA1.code));

  const saved = await w.admin.post('/api/staffing/save', { year: 2021 });
  assert.equal(saved.status, 200, saved.text);
  const one_ = (q) => sql(w.db, q)[0].n;
  assert.equal(saved.json.schools, one_('SELECT count(*) AS n FROM staffing WHERE year = 2021'));
  assert.ok(one_('SELECT count(*) AS n FROM itinerant_need WHERE year = 2021 AND hours_lacking > 0') > 0);
  assert.ok(one_("SELECT count(*) AS n FROM audit WHERE tbl = 'staffing' AND key = '2021'") >= 1);
  const ind = await w.admin.get('/api/indicators', { query: { year: 2021, id: 'overstaffed' } });
  assert.equal(ind.status, 200, ind.text);
  const city = ind.json.indicators[0].results.find((x) => x.level === 'city');
  assert.notEqual(city.status, 'no_data', 'the indicator reads the saved staffing');
  assertError(await (await w.as('town')).post('/api/staffing/save', { year: 2021 }), 403, 'forbidden');
});

test('a redistribution proposed, one move accepted, the rest kept proposed', async () => {
  const p = await w.admin.post('/api/redistribution/propose', { year: 2021 });
  assert.equal(p.status, 200, p.text);
  assert.ok(p.json.outcome.moves > 0, 'the demo city has moves to propose');
  const m = p.json.moves[0];
  assert.match(m.reason, /^超编(比较严重)?学校 .+超 [\d.]+ 人 → .+缺 [\d.]+ 人，距离 [\d.]+ km/);
  assert.equal(new Set(p.json.moves.map((x) => x.teacher_no)).size, p.json.moves.length, 'a teacher moves once');

  const a = await w.admin.post('/api/redistribution/accept', { year: 2021, ids: [m.id] });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.accepted, 1);
  assertError(await w.admin.post('/api/redistribution/accept', { year: 2021, ids: [m.id] }), 404, 'not_found');
  // the registry is unchanged: the teacher is still at the old school
  assert.equal(sql(w.db, `SELECT u.code FROM teacher t JOIN org_unit u ON u.id = t.school_id WHERE t.teacher_no = '${m.teacher_no}'`)[0].code, m.from.code);
  const again = await w.admin.post('/api/redistribution/propose', { year: 2021 });
  assert.equal(again.json.outcome.kept, 1);
  const l = await w.admin.get('/api/redistribution', { query: { year: 2021, status: 'accepted' } });
  assert.deepEqual(l.json.moves.map((x) => x.id), [m.id]);
  assert.equal(l.json.counts.accepted, 1);

  // a town sees the moves touching its schools, the other side redacted
  const town = await w.as('town');
  const t = await town.get('/api/redistribution', { query: { year: 2021 } });
  assert.equal(t.status, 200, t.text);
  const mine = new Set(F.schoolsOf(F.townA).map((s) => s.code));
  const full = new Map(again.json.moves.map((x) => [x.id, x]));
  assert.ok(t.json.moves.length > 0, 'town A has moves');
  for (const x of t.json.moves) {
    assert.ok(mine.has(x.from.code) || mine.has(x.to.code));
    for (const side of ['from', 'to']) if (!mine.has(full.get(x.id)[side].code)) {
      assert.deepEqual(x[side], { code: null, name: '辖区外学校', town: null });
      assert.ok(!x.reason.includes(full.get(x.id)[side].name), x.reason);
    }
  }
});

test('the workbooks: staffing, subjects, moves', async () => {
  const r = await w.admin.get('/api/staffing', { query: { year: 2021, format: 'xlsx' } });
  isWorkbook(r, 'staffing');
  assert.equal(fileName(r), '编制核定_2021年.xlsx');
  const s = await w.admin.get('/api/staffing/subjects', { query: { year: 2021, format: 'xlsx', unit: F.schoolA1.code } });
  isWorkbook(s, 'subjects');
  assert.equal(fileName(s), `${F.schoolA1.name}_分学科编制_2021年.xlsx`);
  const m = await w.admin.get('/api/redistribution', { query: { year: 2021, format: 'xlsx' } });
  isWorkbook(m, 'moves');
  assert.equal(fileName(m), '教师调配_2021年.xlsx');
  isWorkbook(await (await w.as('town')).get('/api/staffing', { query: { year: 2021, format: 'xlsx' } }), 'town staffing');
  assertError(await w.admin.get('/api/staffing', { query: { format: 'pdf' } }), 400, 'bad_parameter');
});
