// The plan, its indicators and the values of its data elements over the
// API: GET /api/plan (goals, indicators with the ids of the shared
// indicator list and of the built-in plan file), GET /api/indicators for
// the city, a town and a school (levels; a share rolls up as numerator
// over denominator, never an average), PUT /api/values seen at once by
// the next GET /api/indicators on every server thread (the per-thread
// answer cache must not serve a stale answer), value validation (422 with
// details, nothing written), PUT /api/plan with a broken file (422 with
// line and column, nothing changed) and with a good one (in force at once);
// accepted-only indicators after an accept and a reopen; concurrent
// writes; a task's evidence file up by multipart and back byte for byte.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes, createHash } from 'node:crypto';
import { join } from 'node:path';
import { startWorld, stopWorld, assertError, zx, ROOT, TIMEOUT } from './lib.mjs';

let w;
before(async () => { w = await startWorld(); }, { timeout: TIMEOUT });
after(async () => { await stopWorld(w); }, { timeout: TIMEOUT });

const PLAN_FILE = join(ROOT, 'plans', 'haimen-2020-2022.yaml');
const SHARED = join(ROOT, '..', 'shared', 'indicators.md');

// The ids of the indicators of the built-in plan file.
function planFileIndicatorIds() {
  const text = readFileSync(PLAN_FILE, 'utf8');
  const start = text.search(/^indicators:\s*$/m);
  assert.ok(start >= 0, 'no indicators: section in the plan file');
  const rest = text.slice(start).split(/\n(?=[a-z_]+:)/)[0];
  return [...rest.matchAll(/^ {2}- id: *"?([a-z0-9-]+)"?\s*$/gm)].map((m) => m[1]);
}

// The ids of the shared indicator list (../shared/indicators.md), if any.
function sharedIndicatorIds() {
  if (!existsSync(SHARED)) return [];
  return [...readFileSync(SHARED, 'utf8').matchAll(/^\| ([a-z0-9]+(?:-[a-z0-9]+)*) \| [0-9.]+-[A-Z0-9]+ \|/gm)]
    .map((m) => m[1]);
}

const close = (a, b) => Math.abs(a - b) < 1e-3;

test('GET /api/plan: the plan in force, with its goals and the indicators of the plan file and the shared list', async () => {
  const c = await w.as('school');
  const r = await c.get('/api/plan');
  assert.equal(r.status, 200, r.text);
  const p = r.json;
  assert.equal(p.id, 'haimen-2020-2022');
  assert.match(p.name, /海门市乡村教育振兴三年行动计划/);
  assert.deepEqual(p.years, [2020, 2021, 2022]);
  assert.equal(p.baseline, 2019);
  assert.ok(p.goals.length >= 1);
  for (const g of p.goals) {
    assert.equal(typeof g.id, 'string');
    assert.equal(typeof g.clause, 'string');
    assert.match(g.name, /[\u4e00-\u9fff]/);
  }
  const byId = new Map(p.indicators.map((i) => [i.id, i]));
  const fileIds = planFileIndicatorIds();
  assert.ok(fileIds.length >= 37, `only ${fileIds.length} indicators read from the plan file`);
  assert.deepEqual(p.indicators.map((i) => i.id), fileIds, 'the indicators differ from the plan file');
  const shared = sharedIndicatorIds();
  for (const id of shared) assert.ok(byId.has(id), `indicator ${id} of the shared list is missing`);
  for (const id of ['drinking-water', 'counselling-room', 'seed-teachers', 'renrentong', 'substitutes'])
    assert.ok(byId.has(id), `indicator ${id} is missing`);
  const dw = byId.get('drinking-water');
  assert.equal(dw.kind, 'share');
  assert.equal(dw.over, 'schools');
  assert.equal(dw.target, 100);
  assert.equal(dw.unit, '%');
  assert.deepEqual(dw.levels, ['city', 'town', 'group']);
  assert.deepEqual(Object.keys(dw.milestones).sort(), ['2020', '2021', '2022']);
  assert.equal(byId.get('substitutes').lower_is_better, true);
  assert.ok(p.elements.some((e) => e.id === 'drinking_water' && e.type === 'bool' && e.level === 'school'));
  assert.ok(p.tasks.length > 0);
  // the text of the plan in force is the built-in plan file
  const t = await c.get('/api/plan/text');
  assert.equal(t.status, 200);
  assert.match(t.headers['content-type'], /yaml/);
  assert.equal(t.text, readFileSync(PLAN_FILE, 'utf8'));
});

test('GET /api/indicators for the city: city and towns, each share its numerator over its denominator, the city the sum of the towns', async () => {
  const plan = (await w.admin.get('/api/plan')).json;
  const kind = new Map(plan.indicators.map((i) => [i.id, i]));
  const r = await w.admin.get('/api/indicators', { query: { year: 2021 } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.year, 2021);
  assert.equal(r.json.accepted_only, false);
  let checked = 0;
  for (const ind of r.json.indicators) {
    const def = kind.get(ind.id);
    assert.ok(def, `unknown indicator ${ind.id}`);
    for (const res of ind.results) {
      assert.ok(['city', 'town'].includes(res.level), `${ind.id}: a ${res.level} result by default`);
      assert.ok(def.levels.includes(res.level), `${ind.id}: a ${res.level} result, not among its levels`);
      assert.ok(['met', 'on_track', 'behind', 'no_data', 'info'].includes(res.status) || typeof res.status === 'string');
      assert.match(res.status_name, /[\u4e00-\u9fff]/);
    }
    const city = ind.results.filter((x) => x.level === 'city');
    const towns = ind.results.filter((x) => x.level === 'town');
    if (!def.levels.includes('city')) continue;
    assert.equal(city.length, 1, `${ind.id}: one city result`);
    assert.equal(city[0].code, w.facts.city.code);
    if (def.kind !== 'share' || !def.levels.includes('town')) continue;
    // a town with nothing in scope (no rural school, say) may be left out,
    // all of them when the indicator has no data yet
    if (towns.length === 0) continue;
    assert.ok(towns.length <= w.facts.towns.length, `${ind.id}: ${towns.length} towns`);
    assert.equal(new Set(towns.map((x) => x.code)).size, towns.length, `${ind.id}: a town twice`);
    const num = towns.reduce((s, x) => s + x.numerator, 0);
    const den = towns.reduce((s, x) => s + x.denominator, 0);
    assert.equal(city[0].numerator, num, `${ind.id}: city numerator`);
    assert.equal(city[0].denominator, den, `${ind.id}: city denominator`);
    for (const x of [...city, ...towns])
      if (x.denominator > 0)
        assert.ok(close(x.value, (100 * x.numerator) / x.denominator), `${ind.id} ${x.name}: ${x.value} is not ${x.numerator}/${x.denominator}`);
    checked++;
  }
  assert.ok(checked >= 10, `only ${checked} shares checked`);
  // one indicator, all levels
  const one = await w.admin.get('/api/indicators', { query: { id: 'drinking-water', level: 'all', year: 2021 } });
  assert.equal(one.status, 200, one.text);
  assert.equal(one.json.indicators.length, 1);
  const levels = new Set(one.json.indicators[0].results.map((x) => x.level));
  assert.deepEqual([...levels].sort(), ['city', 'group', 'town']);
  assertError(await w.admin.get('/api/indicators', { query: { id: 'no-such-indicator' } }), 404, 'not_found');
  assertError(await w.admin.get('/api/indicators', { query: { level: 'teacher' } }), 400, 'bad_parameter');
  assertError(await w.admin.get('/api/indicators', { query: { year: 'next' } }), 400, 'bad_parameter');
});

test('GET /api/indicators for a town (by code or name) and its schools: the town is the sum of its schools', async () => {
  const c = await w.as('town');
  const r = await c.get('/api/indicators', { query: { year: 2021 } });
  assert.equal(r.status, 200, r.text);
  const byName = await c.get('/api/indicators', { query: { year: 2021, unit: w.facts.townA.name } });
  assert.equal(byName.status, 200, byName.text);
  assert.deepEqual(byName.json, r.json, 'by name and by default differ');
  const schools = new Set(w.facts.schoolsOf(w.facts.townA).map((s) => s.code));
  let rolled = 0;
  for (const ind of r.json.indicators) {
    const town = ind.results.filter((x) => x.level === 'town');
    const sch = ind.results.filter((x) => x.level === 'school');
    for (const x of town) assert.equal(x.code, w.facts.townA.code);
    for (const x of sch) assert.ok(schools.has(x.code), `${ind.id}: school ${x.code} ${x.name} is not of ${w.facts.townA.name}`);
    assert.ok(ind.results.every((x) => x.level === 'town' || x.level === 'school'), `${ind.id}: other levels by default`);
    if (town.length === 1 && sch.length > 0 && town[0].denominator != null) {
      assert.equal(town[0].numerator, sch.reduce((s, x) => s + x.numerator, 0), `${ind.id}: town numerator`);
      assert.equal(town[0].denominator, sch.reduce((s, x) => s + x.denominator, 0), `${ind.id}: town denominator`);
      rolled++;
    }
  }
  assert.ok(rolled >= 2, `only ${rolled} indicators rolled up from schools`);
  // the admin asking for the town sees the same figures
  const adm = await w.admin.get('/api/indicators', { query: { year: 2021, unit: w.facts.townA.code } });
  assert.deepEqual(adm.json, r.json);
});

test('GET /api/indicators for a school: only that school, at school level', async () => {
  const c = await w.as('school');
  const r = await c.get('/api/indicators', { query: { year: 2021 } });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.indicators.length > 0);
  for (const ind of r.json.indicators)
    for (const x of ind.results) {
      assert.equal(x.level, 'school');
      assert.equal(x.code, w.facts.schoolA1.code);
      assert.equal(x.name, w.facts.schoolA1.name);
    }
  const ren = r.json.indicators.find((i) => i.id === 'renrentong');
  assert.ok(ren, 'no renrentong result for the school');
  const x = ren.results[0];
  assert.ok(x.denominator > 0);
  assert.ok(close(x.value, (100 * x.numerator) / x.denominator));
  const adm = await w.admin.get('/api/indicators', { query: { year: 2021, unit: w.facts.schoolA1.code } });
  assert.deepEqual(adm.json, r.json);
});

// The drinking-water result of town A for 2021, through a new connection
// (so, likely, another server thread) unless keep is set.
async function townDrinkingWater(c, fresh = true) {
  const r = await c.get('/api/indicators', {
    query: { id: 'drinking-water', unit: w.facts.townA.code, level: 'town', year: 2021 }, fresh,
  });
  assert.equal(r.status, 200, r.text);
  return r.json.indicators[0].results[0];
}

async function schoolValue(c, code, element, year = 2021) {
  const r = await c.get('/api/values', { query: { unit: code, year } });
  assert.equal(r.status, 200, r.text);
  const e = r.json.elements.find((x) => x.id === element);
  assert.ok(e, `no element ${element} for ${code}`);
  return e.value;
}

test('PUT /api/values is seen by the very next GET /api/indicators, on every server thread', async () => {
  const c = await w.as('town');
  const s = w.facts.schoolA1;
  const READS = 12;   // several per server thread (--threads 4)
  for (let round = 0; round < 3; round++) {
    // every thread has the answer cached, and the keep-alive one too
    const before = await townDrinkingWater(c, false);
    for (let i = 0; i < READS; i++)
      assert.deepEqual(await townDrinkingWater(c), before);
    const v = await schoolValue(c, s.code, 'drinking_water');
    const was = v ? v.text === '是' : false;
    const put = await c.put('/api/values', { unit: s.code, year: 2021, values: { drinking_water: was ? '否' : '是' } });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.json, { ok: true, changes: { drinking_water: v ? 'updated' : 'inserted' } });
    const want = before.numerator + (was ? -1 : 1);
    const same = await townDrinkingWater(c, false);
    assert.equal(same.numerator, want, `round ${round}: a stale answer on the same connection`);
    assert.equal(same.denominator, before.denominator);
    for (let i = 0; i < READS; i++) {
      const x = await townDrinkingWater(c);
      assert.equal(x.numerator, want, `round ${round}, read ${i}: a stale answer on a new connection`);
    }
    // and another account (its own cache entries) sees it too
    const adm = await w.admin.get('/api/indicators', { query: { id: 'drinking-water', year: 2021, level: 'city,town' }, fresh: true });
    assert.equal(adm.json.indicators[0].results.find((x) => x.code === w.facts.townA.code).numerator, want);
  }
  // the value itself, with who entered it
  const v = await schoolValue(w.admin, s.code, 'drinking_water');
  assert.equal(v.entered_by, 'user:zx-town');
});

test('PUT /api/values seen at once by a reader that keeps polling on other connections while it is written', async () => {
  const c = await w.as('school');
  const s = w.facts.schoolA1;
  const read = async () => (await c.get('/api/values', { query: { unit: s.code, year: 2021 }, fresh: true }))
    .json.elements.find((e) => e.id === 'renrentong_accounts').value?.num;
  for (const n of [111, 222, 333]) {
    const put = await c.put('/api/values', { unit: s.code, year: 2021, values: { renrentong_accounts: n } });
    assert.equal(put.status, 200, put.text);
    const got = await Promise.all(Array.from({ length: 8 }, read));
    assert.deepEqual(got, Array(8).fill(n));
    const ind = await c.get('/api/indicators', { query: { id: 'renrentong', year: 2021 }, fresh: true });
    assert.equal(ind.json.indicators[0].results[0].numerator, n, 'renrentong numerator after the write');
  }
});

test('concurrent writes from many connections all succeed, and are all seen', async () => {
  const c = await w.as('town');
  const schools = w.facts.schoolsOf(w.facts.townA);
  const n = 24;
  const res = await Promise.all(Array.from({ length: n }, (_, i) => c.put('/api/values', {
    unit: schools[i % schools.length].code, year: 2020, values: { renrentong_accounts: 1000 + i },
  }, { fresh: true })));
  assert.deepEqual(res.map((r) => r.status), Array(n).fill(200), res.map((r) => r.text).join('\n'));
  // each school holds one of the values written to it (they raced)
  for (let k = 0; k < schools.length; k++) {
    const r = await c.get('/api/values', { query: { unit: schools[k].code, year: 2020 }, fresh: true });
    const v = r.json.elements.find((e) => e.id === 'renrentong_accounts').value;
    assert.ok(v && Array.from({ length: n }, (_, i) => i).some((i) => i % schools.length === k && v.num === 1000 + i),
      `${schools[k].code}: ${JSON.stringify(v)}`);
  }
});

test('accepted-only indicators follow an accept and a reopen at once, on every thread', async () => {
  const s = w.facts.schoolA2;
  const read = async (fresh) => (await w.admin.get('/api/indicators', {
    query: { id: 'drinking-water', unit: w.facts.townA.code, level: 'town', year: 2021, accepted: 1 }, fresh,
  })).json;
  assert.equal((await w.admin.put('/api/values', { unit: s.code, year: 2021, values: { drinking_water: '是' } })).status, 200);
  const before = await read(false);
  assert.equal(before.accepted_only, true);
  const n0 = before.indicators[0].results[0].numerator;
  for (let i = 0; i < 8; i++) await read(true);
  for (const action of ['submit', 'approve', 'accept']) {
    const r = await w.admin.post(`/api/review/${action}`, { units: [s.code], year: 2021 });
    assert.equal(r.status, 200, `${action}: ${r.text}`);
  }
  assert.equal((await read(false)).indicators[0].results[0].numerator, n0 + 1, 'after accept, same connection');
  for (let i = 0; i < 8; i++)
    assert.equal((await read(true)).indicators[0].results[0].numerator, n0 + 1, `after accept, read ${i}`);
  // accepted data cannot change until reopened
  assertError(await w.admin.put('/api/values', { unit: s.code, year: 2021, values: { drinking_water: '否' } }), 422, 'invalid_data');
  const r = await w.admin.post('/api/review/reopen', { units: [s.code], year: 2021, comment: '测试重新打开' });
  assert.equal(r.status, 200, r.text);
  assert.equal((await read(false)).indicators[0].results[0].numerator, n0, 'after reopen, same connection');
  for (let i = 0; i < 8; i++)
    assert.equal((await read(true)).indicators[0].results[0].numerator, n0, `after reopen, read ${i}`);
  // and its values can change again
  assert.equal((await w.admin.put('/api/values', { unit: s.code, year: 2021, values: { drinking_water: '否' } })).status, 200);
});

test('PUT /api/values with a year that is not an integer is refused, not written to the current year', async () => {
  const s = w.facts.schoolB1;
  const value = async (year) => (await w.admin.get('/api/values', { query: { unit: s.code, year } }))
    .json.elements.find((e) => e.id === 'renrentong_accounts').value;
  const before = await value(2022);
  const r = await w.admin.put('/api/values', { unit: s.code, year: '2021', values: { renrentong_accounts: 4242 } });
  const after = await value(2022);
  assert.deepEqual(after, before, `{"year": "2021"} wrote ${JSON.stringify(after)} into 2022`);
  assert.ok(r.status === 400 || r.status === 422 || (await value(2021))?.num === 4242, `${r.status} ${r.text}`);
});

test('POST /api/review/:action with a year that is not an integer is refused, not applied to the current year', async () => {
  const s = w.facts.schoolB1;
  const state = async () => (await w.admin.get(`/api/review/${s.code}`, { query: { year: 2022 }, fresh: true })).json.state;
  assert.equal(await state(), 'draft');
  const r = await w.admin.post('/api/review/submit', { units: [s.code], year: '2021' });
  const now = await state();
  if (now !== 'draft')   // undo, for the other tests
    await w.admin.post('/api/review/return', { units: [s.code], year: 2022, comment: '撤销测试' });
  assert.equal(now, 'draft', `{"year": "2021"} submitted ${s.code}'s 2022 data (${r.status} ${r.text})`);
});

test('the answer cache tells apart query strings that differ only in escaping', async () => {
  // ?q=海门%26town%3DT is one argument, q = "海门&town=T"; ?q=海门&town=T
  // is two.  The cache keys both as "q=海门&town=T" (unescaped), so on the
  // same connection (same thread) the second gets the first's answer.
  const c = await w.as('leader');
  const town = w.facts.townA.code;
  const literal = await c.request('GET', `/api/schools?q=${encodeURIComponent(`海门&town=${town}`)}`);
  assert.equal(literal.status, 200, literal.text);
  assert.equal(literal.json.total, 0);
  const real = await c.request('GET', `/api/schools?q=${encodeURIComponent('海门')}&town=${town}`);
  assert.equal(real.status, 200, real.text);
  assert.equal(real.json.total, w.facts.schoolsOf(w.facts.townA).length,
    'GET /api/schools?q=海门&town=CODE answered from the cache entry of ?q=海门%26town%3DCODE');
});

test('PUT /api/values with bad values: 422 with every problem in details, in Chinese, and nothing written', async () => {
  const c = await w.as('town');
  const s = w.facts.schoolA1;
  const before = await c.get('/api/values', { query: { unit: s.code, year: 2021 } });
  const r = await c.put('/api/values', {
    unit: s.code, year: 2021,
    values: { drinking_water: 'maybe', renrentong_accounts: -5, no_such_element: 1 },
  });
  assertError(r, 422, 'invalid_data');
  const d = r.json.error.details;
  assert.ok(Array.isArray(d) && d.length === 3, `details: ${JSON.stringify(d)}`);
  for (const x of d) assert.match(x.message, /[\u4e00-\u9fff]/);
  assert.ok(d.some((x) => x.message.includes('maybe')), 'the bad option is not named');
  assert.ok(d.some((x) => x.message.includes('-5')), 'the number out of range is not named');
  assert.ok(d.some((x) => x.message.includes('no_such_element')), 'the unknown element is not named');
  const afterRead = await c.get('/api/values', { query: { unit: s.code, year: 2021 } });
  assert.deepEqual(afterRead.json, before.json, 'a refused PUT changed values');
  // shape errors
  assertError(await c.put('/api/values', { values: { drinking_water: '是' } }), 400, 'invalid', 'no unit:');
  assertError(await c.put('/api/values', { unit: s.code }), 400, 'invalid', 'no values:');
  assertError(await c.request('PUT', '/api/values', { body: 'not json', contentType: 'application/json' }), 400, 'bad_json');
  const obj = await c.put('/api/values', { unit: s.code, year: 2021, values: { drinking_water: { x: 1 } } });
  assertError(obj, 422, 'invalid_data');
});

test('PUT /api/plan with a broken file: 422 with line and column of each problem, and the plan in force unchanged', async () => {
  const before = await w.admin.get('/api/plan/text');
  const planBefore = (await w.admin.get('/api/plan')).json;
  const good = before.text;
  // a YAML syntax error, and a plan whose values are wrong
  const broken = 'plan:\n  id: broken\n  name: [unclosed\nfoo: 1\n';
  const r1 = await w.admin.request('PUT', '/api/plan', { query: { name: 'broken.yaml' }, body: broken, contentType: 'text/yaml' });
  assertError(r1, 422, 'invalid_plan');
  assert.ok(r1.json.error.details.length >= 1);
  const d1 = r1.json.error.details[0];
  assert.equal(d1.file, 'broken.yaml');
  assert.ok(d1.row >= 3, `line ${d1.row}`);
  assert.match(d1.message, /[\u4e00-\u9fff]/);
  const lines = good.split('\n');
  const at = lines.findIndex((l) => /^\s+target: 100\s*$/.test(l));
  assert.ok(at > 0);
  lines[at] = lines[at].replace('100', 'abc');
  const bad = lines.join('\n');
  const r2 = await w.admin.request('PUT', '/api/plan', { query: { name: 'bad.yaml' }, body: bad, contentType: 'text/yaml' });
  assertError(r2, 422, 'invalid_plan');
  const d2 = r2.json.error.details.find((x) => x.row === at + 1);
  assert.ok(d2, `no problem reported at line ${at + 1}: ${JSON.stringify(r2.json.error.details)}`);
  assert.match(d2.message, /abc/);
  // nothing changed
  const after = await w.admin.get('/api/plan/text', { fresh: true });
  assert.equal(after.text, good, 'the plan text changed');
  const planAfter = (await w.admin.get('/api/plan', { fresh: true })).json;
  assert.deepEqual(planAfter, planBefore, 'the plan in force changed');
  const v = await w.admin.get('/api/audit', { query: { table: 'plan_version' } });
  assert.ok(v.json.items.every((x) => x.actor !== 'user:admin'), 'a refused plan was logged as loaded');
});

test('PUT /api/plan problems give the column as a number, as `zhenxing plan check` does', async () => {
  const lines = (await w.admin.get('/api/plan/text')).text.split('\n');
  const at = lines.findIndex((l) => /^\s+target: 100\s*$/.test(l));
  lines[at] = lines[at].replace('100', 'abc');
  const bad = lines.join('\n');
  const r = await w.admin.request('PUT', '/api/plan', { query: { name: 'bad.yaml' }, body: bad, contentType: 'text/yaml' });
  assertError(r, 422, 'invalid_plan');
  // the command line's FILE:LINE:COLUMN for the same file
  const file = join(w.dir, 'bad.yaml');
  writeFileSync(file, bad);
  const cli = zx(null, ['plan', 'check', file]);
  const m = new RegExp(`bad\\.yaml:${at + 1}:(\\d+):`).exec(cli.stdout + cli.stderr);
  assert.ok(m, `plan check did not report line ${at + 1}: ${cli.stdout}${cli.stderr}`);
  const d = r.json.error.details.find((x) => x.row === at + 1);
  assert.equal(String(d.column), m[1],
    `line ${at + 1}: column "${d.column}" where plan check says ${m[1]}`);
});

test('PUT /api/plan with a good file: in force at once, on every thread, for the plan and the indicators', async () => {
  const text = (await w.admin.get('/api/plan/text')).text;
  // warm every thread's cache
  for (let i = 0; i < 8; i++) {
    await w.admin.get('/api/plan', { fresh: true });
    await w.admin.get('/api/indicators', { query: { id: 'drinking-water', year: 2021 }, fresh: true });
  }
  const start = text.indexOf('  - id: drinking-water\n');
  const end = text.indexOf('\n  - id: ', start + 10);
  assert.ok(start > 0 && end > start);
  const block = text.slice(start, end).replace(/target: 100\b/, 'target: 90');
  const changed = (text.slice(0, start) + block + text.slice(end))
    .replace(/^( {2}name: )(.*)$/m, '$1$2（修订）');
  const r = await w.admin.request('PUT', '/api/plan', { query: { name: 'revised.yaml' }, body: changed, contentType: 'text/yaml' });
  assert.equal(r.status, 200, r.text);
  for (let i = 0; i < 8; i++) {
    const p = await w.admin.get('/api/plan', { fresh: true });
    assert.match(p.json.name, /（修订）$/, `read ${i}: the old plan`);
    assert.equal(p.json.indicators.find((x) => x.id === 'drinking-water').target, 90);
    const ind = await w.admin.get('/api/indicators', { query: { id: 'drinking-water', year: 2021 }, fresh: true });
    assert.equal(ind.json.indicators[0].results[0].target, 90, `read ${i}: the old target`);
  }
  const t = await (await w.as('leader')).get('/api/plan/text');
  assert.equal(t.text, changed);
  const audit = await w.admin.get('/api/audit', { query: { table: 'plan_version', actor: 'user:admin' } });
  assert.equal(audit.json.total, 1, 'the load is not in the audit log');
});

test('a task\'s evidence: a 5 MB binary file goes up as multipart and comes back byte for byte; over 20 MB is 413', async () => {
  const c = await w.as('town');
  const body = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(5 * 1024 * 1024),
    Buffer.from('\r\n------zxtest\r\n%%EOF\n')]);
  const sha = createHash('sha256').update(body).digest('hex');
  const r = await c.multipart('POST', '/api/tasks/party-organisation/evidence', [
    { name: 'unit', value: w.facts.townA.name },
    { name: 'file', filename: '督导报告.pdf', type: 'application/pdf', content: body }]);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.file.sha256, sha);
  assert.equal(r.json.file.size, body.length);
  assert.equal(r.json.file.name, '督导报告.pdf');
  const g = await c.get(r.json.file.url);
  assert.equal(g.status, 200);
  assert.match(g.headers['content-type'], /application\/pdf/);
  assert.match(g.headers['content-disposition'], /^attachment;.*filename\*=UTF-8''%E7%9D%A3/);
  assert.equal(g.buf.length, body.length);
  assert.equal(createHash('sha256').update(g.buf).digest('hex'), sha);
  const big = await c.multipart('POST', '/api/tasks/party-organisation/evidence', [
    { name: 'unit', value: w.facts.townA.name },
    { name: 'file', filename: 'big.pdf', type: 'application/pdf', content: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(21 * 1024 * 1024)]) }]);
  assertError(big, 413, 'too_large');
  const none = await c.multipart('POST', '/api/tasks/party-organisation/evidence', [{ name: 'unit', value: w.facts.townA.name }]);
  assertError(none, 400, 'invalid');
});
