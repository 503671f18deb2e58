// itinerant.test.mjs - the itinerant-teaching routes (api_itinerant.c,
// clauses 3.4.3-T10 and 3.5.2-R4) on their happy paths: the demo's 2021
// needs, pool and week; planning again; a teacher's week one school a
// day within the caps; the pool changed by hand; the timetables as
// workbooks; what a town and a school see.  Who may reach what is the
// authorization matrix's (matrix.test.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { startWorld, stopWorld, assertError, sql, TIMEOUT } from './lib.mjs';

let w;
let F;

before(async () => {
  w = await startWorld();
  F = w.facts;
}, { timeout: TIMEOUT });
after(async () => { await stopWorld(w); }, { timeout: TIMEOUT });

// The names of the sheets of a workbook answer, and the shared strings.
function workbook(r, what) {
  assert.equal(r.status, 200, `${what}: ${r.text.slice(0, 300)}`);
  assert.match(r.headers['content-type'], /spreadsheetml/, what);
  const buf = r.buf;
  const out = {};
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = buf.readUInt32LE(end + 16);
  for (let i = buf.readUInt16LE(end + 10); i > 0; i--) {
    const [nameLen, extraLen, commentLen] = [28, 30, 32].map((o) => buf.readUInt16LE(at + o));
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const local = buf.readUInt32LE(at + 42);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + buf.readUInt32LE(at + 20));
    out[name] = (buf.readUInt16LE(at + 10) === 8 ? inflateRawSync(data) : data).toString('utf8');
    at += 46 + nameLen + extraLen + commentLen;
  }
  const sheets = [...out['xl/workbook.xml'].matchAll(/<sheet name="([^"]*)"/g)].map((m) => m[1]);
  return { sheets, strings: out['xl/sharedStrings.xml'] || '' };
}

const RULES = { day: 6, week: 16, schools: 3, travel: 30 };    // rules.c defaults

test('the demo planned 2021: needs, coverage, and each teacher\'s week within the rules', async () => {
  const needs = await w.admin.get('/api/itinerant/needs', { query: { year: 2021 } });
  assert.equal(needs.status, 200, needs.text);
  assert.ok(needs.json.items.length > 0);
  assert.ok(needs.json.covered > 0 && needs.json.covered <= needs.json.lacking);
  for (const n of needs.json.items) assert.ok(n.covered <= n.lacking, `${n.school_code} ${n.subject}`);
  // what the saved needs say is what the database holds
  const [db] = sql(w.db, 'SELECT total(hours_covered) AS c FROM itinerant_need WHERE year = 2021');
  assert.ok(Math.abs(db.c - needs.json.covered) < 1e-9);

  const pool = await w.admin.get('/api/itinerant/pool', { query: { year: 2021 } });
  assert.equal(pool.status, 200);
  const busy = pool.json.items.filter((t) => t.assigned > 0);
  assert.ok(busy.length > 0);
  const week = await w.admin.get('/api/itinerant/timetable', { query: { year: 2021 } });
  assert.equal(week.status, 200);
  const byTeacher = new Map();
  for (const d of week.json.items) {
    if (!byTeacher.has(d.teacher_no)) byTeacher.set(d.teacher_no, []);
    byTeacher.get(d.teacher_no).push(d);
  }
  for (const t of pool.json.items) {
    const days = byTeacher.get(t.teacher_no) || [];
    assert.equal(new Set(days.map((d) => d.day)).size, days.length, `${t.teacher_no}: two schools on one day`);
    assert.ok(days.every((d) => d.day >= 1 && d.day <= 5 && d.hours <= RULES.day && d.travel_min <= RULES.travel + 1e-9));
    assert.ok(days.every((d) => d.subject === t.subject), `${t.teacher_no}: another subject`);
    assert.ok(days.every((d) => d.school_code !== t.school_code), `${t.teacher_no}: at their own school`);
    assert.equal(days.reduce((a, d) => a + d.hours, 0), t.assigned);
    assert.ok(t.assigned <= t.max_hours);
    assert.ok(new Set(days.map((d) => d.school_code)).size <= RULES.schools);
  }
});

test('planning again gives the same week, audited', async () => {
  const before = (await w.admin.get('/api/itinerant/timetable', { query: { year: 2021 } })).json.items;
  const r = await w.admin.post('/api/itinerant/plan', { year: 2021 });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.covered > 0 && r.json.share > 0 && r.json.share <= 100);
  assert.equal(r.json.days, before.length);
  const after = (await w.admin.get('/api/itinerant/timetable', { query: { year: 2021 } })).json.items;
  assert.deepEqual(after, before);
  const [a] = sql(w.db, "SELECT actor FROM audit WHERE tbl = 'itinerant' ORDER BY id DESC LIMIT 1");
  assert.equal(a.actor, 'user:admin');
});

test('the pool by hand: add with a cap, remove, and a teacher out of the pool planned no more', async () => {
  const no = F.teacherA1;
  let r = await w.admin.post('/api/itinerant/pool', { action: 'add', teacher_no: no, max_hours: 10, year: 2022 });
  assert.equal(r.status, 200, r.text);
  let pool = (await w.admin.get('/api/itinerant/pool', { query: { year: 2022 } })).json.items;
  assert.deepEqual(pool.map((t) => [t.teacher_no, t.max_hours]), [[no, 10]]);
  r = await w.admin.post('/api/itinerant/pool', { action: 'remove', teacher_no: no, year: 2022 });
  assert.equal(r.status, 200, r.text);
  assertError(await w.admin.post('/api/itinerant/pool', { action: 'remove', teacher_no: no, year: 2022 }), 404, 'not_found');
  assertError(await w.admin.post('/api/itinerant/pool', { action: 'add', year: 2022 }), 400, 'bad_parameter');
  pool = (await w.admin.get('/api/itinerant/pool', { query: { year: 2022 } })).json.items;
  assert.deepEqual(pool, []);
  // 2022 has no needs in the demo and now no pool: nothing planned
  r = await w.admin.post('/api/itinerant/plan', { year: 2022 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.visits, 0);
  assert.equal(r.json.share, null);
});

test('timetables as workbooks: one sheet per teacher, or per school', async () => {
  const items = (await w.admin.get('/api/itinerant/timetable', { query: { year: 2021 } })).json.items;
  const d = items[0];
  let r = await w.admin.get('/api/itinerant/timetable', { query: { year: 2021, teacher: d.teacher_no, format: 'xlsx' } });
  let book = workbook(r, 'teacher workbook');
  assert.equal(book.sheets[0], '总表');
  assert.ok(book.sheets[1].startsWith(d.teacher_no), book.sheets.join(','));
  assert.match(book.strings, /星期一/);
  assert.equal(r.headers['x-zhenxing-synthetic'], '1');
  r = await w.admin.get('/api/itinerant/timetable', { query: { year: 2021, school: d.school_code, format: 'xlsx' } });
  book = workbook(r, 'school workbook');
  assert.deepEqual(book.sheets.slice(0, 2), ['总表', `${d.school_code} ${d.school_name}`.slice(0, 31)]);
  r = await w.admin.get('/api/itinerant/needs', { query: { year: 2021, format: 'xlsx' } });
  book = workbook(r, 'needs workbook');
  assert.match(book.strings, /每周缺口课时/);
  assertError(await w.admin.get('/api/itinerant/timetable', { query: { teacher: d.teacher_no, school: d.school_code } }), 400, 'bad_parameter');
});

test('a town sees its schools\' needs and days, and of a teacher from elsewhere only the name', async () => {
  const town = await w.as('town');
  const inTown = new Set(F.schoolsOf(F.townA).map((s) => s.code));
  const needs = (await town.get('/api/itinerant/needs', { query: { year: 2021 } })).json.items;
  assert.ok(needs.every((n) => inTown.has(n.school_code)));
  const all = (await w.admin.get('/api/itinerant/timetable', { query: { year: 2021 } })).json.items;
  const want = all.filter((d) => inTown.has(d.school_code));
  const got = (await town.get('/api/itinerant/timetable', { query: { year: 2021 } })).json.items;
  assert.equal(got.length, want.length);
  for (const d of got) {
    assert.ok(inTown.has(d.school_code));
    if (d.home_code === null) assert.equal(d.teacher_no, null);
    else assert.ok(inTown.has(d.home_code));
  }
  // a school of another town: 404 as one that does not exist
  assertError(await town.get('/api/itinerant/timetable', { query: { school: F.schoolB1.code } }), 404, 'not_found');
});

test('a school clerk sees only its own school\'s timetable', async () => {
  const school = await w.as('school');
  const own = await school.get('/api/itinerant/timetable', { query: { year: 2021, school: F.schoolA1.code } });
  assert.equal(own.status, 200, own.text);
  assert.ok(own.json.items.every((d) => d.school_code === F.schoolA1.code));
  const all = await school.get('/api/itinerant/timetable', { query: { year: 2021 } });
  assert.ok(all.json.items.every((d) => d.school_code === F.schoolA1.code));
  for (const other of [F.schoolA2, F.schoolB1])
    assertError(await school.get('/api/itinerant/timetable', { query: { school: other.code } }), 404, 'not_found');
  const needs = (await school.get('/api/itinerant/needs', { query: { year: 2021 } })).json.items;
  assert.ok(needs.every((n) => n.school_code === F.schoolA1.code));
  assertError(await school.post('/api/itinerant/plan', { year: 2021 }), 403, 'forbidden');
});
