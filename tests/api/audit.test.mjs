// The audit log over the API: every change made through the API is in
// GET /api/audit with actor "user:NAME", the client's address and the old
// and new values; the filters (table, actor, unit, since, until) and the
// pages work; GET /api/audit/verify says the chain is intact; then one
// entry is edited behind the server's back with the sqlite3 shell, and
// both `zhenxing audit verify` (exit 1, naming the entry) and
// GET /api/audit/verify report it (and a cut-off newest entry too).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorld, stopWorld, assertError, zx, sql, PASSWORD, TIMEOUT } from './lib.mjs';

let w;
let town;          // the 区镇 account's client, from its own address
const ADDR = '127.0.7.9';
before(async () => {
  w = await startWorld();
  town = w.client({ localAddress: ADDR });
  const r = await town.login('zx-town', PASSWORD);
  assert.equal(r.status, 200, r.text);
}, { timeout: TIMEOUT });
after(async () => { await stopWorld(w); }, { timeout: TIMEOUT });

const today = () => new Date().toISOString().slice(0, 10);
// the day (YYYY-MM-DD) days after day
const shift = (day, days) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86400e3).toISOString().slice(0, 10);

async function audit(query) {
  const r = await w.admin.get('/api/audit', { query: { size: 500, ...query } });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// The changes the tests below look for, made once.
let made;
async function changes() {
  if (made) return made;
  const s = w.facts.schoolA1;
  const before = (await town.get('/api/values', { query: { unit: s.code, year: 2021 } })).json
    .elements.find((e) => e.id === 'renrentong_accounts').value;
  const put = await town.put('/api/values', { unit: s.code, year: 2021, values: { renrentong_accounts: 4321 } });
  assert.equal(put.status, 200, put.text);
  const teacher = w.facts.teacherA1;
  const tput = await town.put('/api/values', { unit: teacher, year: 2021, values: { online_research_count: 7 } });
  assert.equal(tput.status, 200, tput.text);
  const add = await w.admin.post('/api/users', { name: 'audit-new', role: '学校', unit: w.facts.schoolB1.code, password: PASSWORD });
  assert.equal(add.status, 201, add.text);
  const dis = await w.admin.patch('/api/users/audit-new', { disabled: true });
  assert.equal(dis.status, 200, dis.text);
  made = { school: s, oldValue: before ? before.num : null, teacher };
  return made;
}

test('a value written through the API is logged with the user, the address, the old and the new value', async () => {
  const m = await changes();
  const j = await audit({ table: 'data_value', actor: 'user:zx-town' });
  const e = j.items.find((x) => x.key === `renrentong_accounts/${m.school.code}/2021`);
  assert.ok(e, `no entry for the value: ${JSON.stringify(j.items)}`);
  assert.equal(e.actor, 'user:zx-town');
  assert.equal(e.addr, ADDR);
  assert.equal(e.table, 'data_value');
  assert.equal(e.action, m.oldValue == null ? 'insert' : 'update');
  assert.deepEqual(e.new, { value: 4321 });
  if (m.oldValue != null) assert.deepEqual(e.old, { value: m.oldValue });
  assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  assert.ok([today(), shift(today(), -1)].includes(e.at.slice(0, 10)), e.at);
  const t = j.items.find((x) => x.key.startsWith('online_research_count/'));
  assert.ok(t, 'no entry for the teacher value');
  assert.equal(t.addr, ADDR);
  assert.deepEqual(t.new, { value: 7 });
});

test('account changes through the API are logged with the admin as actor, and no password', async () => {
  await changes();
  const j = await audit({ table: 'account', actor: 'user:admin' });
  const add = j.items.find((x) => x.key === 'audit-new' && x.action === 'insert');
  assert.ok(add, `no insert entry: ${JSON.stringify(j.items)}`);
  assert.equal(add.addr, '127.0.0.1');
  assert.equal(add.old, null);
  assert.equal(add.new.role, '学校');
  assert.equal(add.new.unit, w.facts.schoolB1.code);
  const dis = j.items.find((x) => x.key === 'audit-new' && x.action === 'update');
  assert.ok(dis, 'no update entry');
  assert.deepEqual(dis.old, { disabled: false });
  assert.deepEqual(dis.new, { disabled: true });
  assert.ok(!JSON.stringify(j).includes(PASSWORD), 'a password is in the audit log');
  assert.ok(!/\$argon2/.test(JSON.stringify(j)), 'a password hash is in the audit log');
  // the inspector assignment of the set-up too
  const asg = j.items.find((x) => x.key === 'zx-insp' && x.action === 'assign');
  assert.ok(asg, 'no assignment entry');
  assert.deepEqual(asg.new.schools.sort(), w.inspectorSchools.map((s) => s.code).sort());
});

// The newest entries after fn ran, oldest first.
async function entriesOf(fn) {
  const top = (await audit({ size: 1 })).items[0].id;
  await fn();
  const j = await audit({ size: 100 });
  return j.items.filter((x) => x.id > top).reverse();
}

test('every kind of change through the API is logged with the user, the address, old and new values', async () => {
  const f = w.facts;
  const s = f.schoolA1;
  const check = (entries, table, what) => {
    const e = entries.find((x) => x.table === table);
    assert.ok(e, `${what}: no ${table} entry in ${JSON.stringify(entries)}`);
    assert.equal(e.actor, 'user:zx-town', what);
    assert.equal(e.addr, ADDR, what);
    return e;
  };
  let e = check(await entriesOf(async () => {
    assert.equal((await town.put(`/api/schools/${s.code}`, { name: `${s.name}（改）` })).status, 200);
  }), 'school', 'PUT /api/schools');
  assert.deepEqual(e.old, { name: s.name });
  assert.deepEqual(e.new, { name: `${s.name}（改）` });
  assert.equal((await town.put(`/api/schools/${s.code}`, { name: s.name })).status, 200);
  const no = f.teacherA1;
  const before = (await town.get(`/api/teachers/${no}`)).json;
  e = check(await entriesOf(async () => {
    assert.equal((await town.put(`/api/teachers/${no}`, { name: '测试改名' })).status, 200);
  }), 'teacher', 'PUT /api/teachers');
  assert.deepEqual(e.old, { name: before.name });
  assert.deepEqual(e.new, { name: '测试改名' });
  const progress = await entriesOf(async () => {
    const r = await town.post('/api/tasks/party-organisation/progress', { unit: f.townA.name, status: '推进中', note: '审计测试说明' });
    assert.equal(r.status, 200, r.text);
  });
  e = check(progress, 'task_note', 'progress note');
  assert.equal(e.new.text, '审计测试说明');
  check(progress, 'task_progress', 'progress status');
  e = check(await entriesOf(async () => {
    const r = await town.multipart('POST', '/api/tasks/party-organisation/evidence', [
      { name: 'unit', value: f.townA.name }, { name: 'file', filename: '佐证.txt', type: 'text/plain', content: '审计测试佐证\n' }]);
    assert.equal(r.status, 200, r.text);
  }), 'task_evidence', 'evidence');
  assert.equal(e.new.name, '佐证.txt');
  const review = await entriesOf(async () => {
    assert.equal((await town.post('/api/review/submit', { units: [f.schoolA2.code], year: 2021 })).status, 200);
    assert.equal((await town.post('/api/review/return', { units: [f.schoolA2.code], year: 2021, comment: '退回测试' })).status, 200);
  });
  const sub = review.filter((x) => x.table === 'submission');
  assert.equal(sub.length, 2, JSON.stringify(review));
  for (const x of sub) {
    assert.equal(x.actor, 'user:zx-town');
    assert.equal(x.addr, ADDR);
    assert.equal(x.key, `${f.schoolA2.code}/2021`);
  }
  assert.equal(sub[0].old, null);
  assert.equal(sub[1].new.comment, '退回测试');
  const imp = await entriesOf(async () => {
    const r = await town.multipart('POST', '/api/import/values', [
      { name: 'file', filename: 'v.csv', type: 'text/csv', content: `学校标识码,年度,renrentong_accounts\n${f.schoolA2.code},2021,777\n` },
      { name: 'dry_run', value: '0' }]);
    assert.equal(r.status, 200, r.text);
  });
  e = check(imp, 'data_value', 'values import');
  assert.deepEqual(e.new, { value: 777 });
  check(imp, 'values', 'values import batch');
});

test('rows an import changes are logged with the client\'s address, like the import itself', async () => {
  const a = w.client({ localAddress: '127.0.7.10' });
  assert.equal((await a.login('admin', w.accounts.admin.password)).status, 200);
  const t = (await a.get(`/api/teachers/${w.facts.teacherB1}`)).json;
  const cols = ['teacher_no', 'name', 'gender', 'birth', 'school_code', 'stage', 'subject', 'title', 'employment', 'post', 'since_year', 'political'];
  const csv = `${cols.join(',')}\n${cols.map((c) => (c === 'name' ? '导入改名' : t[c] ?? '')).join(',')}\n`;
  const entries = await entriesOf(async () => {
    const r = await a.multipart('POST', '/api/import/teachers', [
      { name: 'file', filename: 'teachers.csv', type: 'text/csv', content: csv }, { name: 'dry_run', value: '0' }]);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.updated, 1, r.text);
  });
  const batch = entries.find((x) => x.table === 'teachers');
  assert.equal(batch.addr, '127.0.7.10');
  const row = entries.find((x) => x.table === 'teacher' && x.key === t.teacher_no);
  assert.ok(row, JSON.stringify(entries));
  assert.equal(row.actor, 'user:admin');
  assert.deepEqual(row.new, { name: '导入改名' });
  assert.equal(row.addr, '127.0.7.10', 'the changed row of an import has no address (written on the registry\'s writer thread)');
});

test('filters: table, actor, unit, since and until each keep only the matching entries', async () => {
  const m = await changes();
  const all = await audit({});
  assert.ok(all.total >= all.items.length && all.items.length > 5);
  const byTable = await audit({ table: 'account' });
  assert.ok(byTable.items.length > 0 && byTable.items.every((x) => x.table === 'account'));
  const byActor = await audit({ actor: 'user:zx-town' });
  assert.ok(byActor.items.length >= 2 && byActor.items.every((x) => x.actor === 'user:zx-town'));
  assert.equal(byActor.total, byActor.items.length);
  assert.equal((await audit({ actor: 'user:nobody' })).total, 0);
  // by unit: the school's own values, nothing of another school
  const byUnit = await audit({ unit: m.school.code });
  const keys = byUnit.items.map((x) => x.key);
  assert.ok(keys.includes(`renrentong_accounts/${m.school.code}/2021`), `unit filter: ${keys}`);
  assert.ok(byUnit.items.every((x) => x.key.includes(m.school.code) ||
    x.key.includes(m.teacher) || x.table !== 'data_value'));
  const other = await audit({ unit: w.facts.schoolB1.code, table: 'data_value' });
  assert.ok(!other.items.some((x) => x.actor === 'user:zx-town'), 'another school has the town user\'s entries');
  // a town: its own entry (made by the demo), not another town's
  const byTown = await audit({ unit: w.facts.townA.code, table: 'org_unit' });
  const codes = byTown.items.map((x) => x.key);
  assert.ok(codes.includes(w.facts.townA.code), `the town filter misses the town: ${codes}`);
  assert.ok(!codes.includes(w.facts.townB.code), 'the town filter has another town');
  // dates
  // the days of the town user's entries (one, unless the tests ran over midnight)
  const days = byActor.items.map((x) => x.at.slice(0, 10)).sort();
  const first = days[0], last = days.at(-1);
  assert.equal((await audit({ since: shift(last, 1) })).total, 0, 'since the day after');
  assert.equal((await audit({ until: shift(first, -1), actor: 'user:zx-town' })).total, 0, 'until the day before');
  const whole = await audit({ since: first, until: last, actor: 'user:zx-town' });
  assert.equal(whole.total, byActor.total, 'since and until the same days (until takes the whole day)');
  const combined = await audit({ since: first, table: 'data_value', actor: 'user:zx-town', unit: m.school.code });
  assert.ok(combined.items.length >= 1 && combined.items.every((x) => x.table === 'data_value' && x.actor === 'user:zx-town'));
});

test('the unit filter of a school includes its teachers\' data values (audit --help: 包括其教师的记录)', async () => {
  const m = await changes();
  const byUnit = await audit({ unit: m.school.code, table: 'data_value' });
  const keys = byUnit.items.map((x) => x.key);
  assert.ok(keys.includes(`online_research_count/${m.teacher}/2021`),
    `GET /api/audit?unit=${m.school.code} misses the value of its teacher ${m.teacher}: ${keys}`);
});

test('pages: newest first, disjoint, with the same total; bad page arguments are 400', async () => {
  const all = await audit({});
  const n = all.total;
  assert.ok(n > 10);
  const ids = all.items.map((x) => x.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'not newest first');
  const p1 = await audit({ size: 4, page: 1 });
  const p2 = await audit({ size: 4, page: 2 });
  assert.equal(p1.total, n);
  assert.equal(p2.total, n);
  assert.equal(p1.size, 4);
  assert.equal(p2.page, 2);
  assert.deepEqual([...p1.items, ...p2.items].map((x) => x.id), ids.slice(0, 8));
  const last = await audit({ size: 4, page: Math.ceil(n / 4) });
  assert.equal(last.items.length, n - 4 * (Math.ceil(n / 4) - 1));
  const beyond = await audit({ size: 4, page: Math.ceil(n / 4) + 1 });
  assert.deepEqual(beyond.items, []);
  for (const q of [{ size: 0 }, { size: 501 }, { page: 0 }, { page: 'one' }, { size: '5x' }])
    assertError(await w.admin.get('/api/audit', { query: q }), 400, 'bad_parameter', JSON.stringify(q));
});

test('verify: intact, then one entry edited in the database file is caught by the command line and the API', async () => {
  const m = await changes();
  const v = await w.admin.get('/api/audit/verify');
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.intact, true, v.text);
  const count = sql(w.db, 'SELECT count(*) AS n FROM audit')[0].n;
  assert.equal(v.json.entries, count);
  assert.match(v.json.message, /[\u4e00-\u9fff]/);
  let cli = zx(w.db, ['audit', 'verify']);
  assert.equal(cli.status, 0, cli.stderr);
  // the newest entry cut off, then put back exactly as it was
  const newest = sql(w.db, `SELECT id, at, actor, addr, action, tbl, key, old, new, hex(hash) AS hash
      FROM audit ORDER BY id DESC LIMIT 1`)[0];
  sql(w.db, `DELETE FROM audit WHERE id = ${newest.id}`);
  cli = zx(w.db, ['audit', 'verify']);
  assert.equal(cli.status, 1, `a cut-off newest entry: audit verify exited ${cli.status}: ${cli.stdout}${cli.stderr}`);
  const cut = await w.admin.get('/api/audit/verify', { fresh: true });
  assert.equal(cut.json.intact, false, `a cut-off newest entry: ${cut.text}`);
  assert.equal(cut.json.first_bad, newest.id);
  const q = (v) => (v === null ? 'NULL' : `'${String(v).replace(/'/g, "''")}'`);
  sql(w.db, `INSERT INTO audit (id, at, actor, addr, action, tbl, key, old, new, hash) VALUES (${newest.id},
      ${q(newest.at)}, ${q(newest.actor)}, ${q(newest.addr)}, ${q(newest.action)}, ${q(newest.tbl)}, ${q(newest.key)},
      ${q(newest.old)}, ${q(newest.new)}, X'${newest.hash}')`);
  assert.equal(zx(w.db, ['audit', 'verify']).status, 0, 'the entry put back');
  assert.equal((await w.admin.get('/api/audit/verify', { fresh: true })).json.intact, true);
  // the value written by the town user: give it another new value
  const id = sql(w.db, `SELECT id FROM audit WHERE tbl = 'data_value'
      AND key = 'renrentong_accounts/${m.school.code}/2021' AND actor = 'user:zx-town'`)[0].id;
  sql(w.db, `UPDATE audit SET new = '{"value":1}' WHERE id = ${id}`);
  cli = zx(w.db, ['audit', 'verify']);
  assert.equal(cli.status, 1, `audit verify exited ${cli.status}: ${cli.stdout}${cli.stderr}`);
  assert.match(cli.stderr, new RegExp(`第 ${id} 条`), `the entry is not named: ${cli.stderr}`);
  // the API, over the kept connection and over new ones (other threads)
  for (const fresh of [false, true, true, true, true]) {
    const bad = await w.admin.get('/api/audit/verify', { fresh });
    assert.equal(bad.status, 200, bad.text);
    assert.equal(bad.json.intact, false, `fresh=${fresh}: ${bad.text}`);
    assert.equal(bad.json.first_bad, id);
    assert.equal(bad.json.entries, count);
    assert.match(bad.json.message, /[\u4e00-\u9fff]/);
  }
  // the log still reads, showing the forged value
  const j = await audit({ table: 'data_value', actor: 'user:zx-town' });
  assert.deepEqual(j.items.find((x) => x.id === id).new, { value: 1 });
});

test('the audit log is the admin\'s only', async () => {
  for (const key of ['town', 'school', 'inspector', 'leader', 'tleader']) {
    const c = await w.as(key);
    assertError(await c.get('/api/audit'), 403, 'forbidden', key);
    assertError(await c.get('/api/audit/verify'), 403, 'forbidden', key);
  }
  assertError(await w.client().get('/api/audit'), 401, 'unauthenticated');
});
