// The authorization matrix: every route of the server's route tables
// (read from src/server/api_*.c at test time) for every role (管理员;
// 区镇; 学校; 督学 with two assigned schools; 领导 of the city; 领导 of a
// town).
//
//  - every route has an entry in MATRIX below, and every entry a route,
//    so a new endpoint without an entry fails here;
//  - every route is served: without a session 401 (login excepted), a
//    non-GET without the CSRF token 403 "csrf", a role the table does not
//    allow 403 "forbidden";
//  - for each role the table allows, the entry tries the route inside and
//    outside the role's scope, with the ids of other towns' schools,
//    teachers and units and of the role's own town's other schools: out
//    of scope must be 404, answered exactly like an id that does not
//    exist; lists hold only units in scope (and count only those);
//  - no answer to any role holds the code or name of a unit it does not
//    see, or the number of a teacher of such a unit (a leak check run on
//    every answer of the tests below).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import {
  startWorld, stopWorld, readRoutes, scopeOf, assertError, TIMEOUT,
} from './lib.mjs';

const ROUTES = readRoutes();
const ROLES = ['admin', 'town', 'school', 'inspector', 'leader', 'tleader'];
const ROLE_NAME = {
  admin: '管理员', town: '区镇', school: '学校', inspector: '督学', leader: '领导', tleader: '领导',
};
const CITY_WIDE = new Set(['admin', 'leader']);
const MISSING = {
  school: '3206849999', town: '320684T999', group: '320684G999', city: '3206849999',
  teacher: 'T9999999', name: '不存在的单位甲',
};
const TASK = 'party-organisation';     // 各区镇 + 各学校 + an office
const OFFICE = '市委教育工委';

let w;
let F;          // facts
let PROBES;     // units tried for every route taking a unit
let TEACHERS;   // teacher numbers tried: [{no, school}]
let EVIDENCE;   // [{unit (a unit or the office name), sha}]

before(async () => {
  w = await startWorld();
  F = w.facts;
  PROBES = [F.city, F.townA, F.townB, F.schoolA1, F.schoolA2, F.schoolA3, F.schoolB1, F.groupB];
  const teacherOf = (s) => ({ no: F.teachersOf.get(s.id)[0], school: s });
  TEACHERS = [F.schoolA1, F.schoolA2, F.schoolB1].map(teacherOf);
  // evidence files on rows of units of every kind, attached by the admin
  EVIDENCE = [];
  for (const [unit, name] of [[F.townA, F.townA.name], [F.townB, F.townB.name],
    [F.schoolA1, F.schoolA1.name], [F.schoolB1, F.schoolB1.name], [null, OFFICE]]) {
    const r = await w.admin.multipart('POST', `/api/tasks/${TASK}/evidence`, [
      { name: 'unit', value: name },
      { name: 'file', filename: 'evidence.txt', type: 'text/plain', content: `佐证材料 ${name} ${Math.random()}\n` },
    ]);
    assert.equal(r.status, 200, `attach to ${name}: ${r.text}`);
    EVIDENCE.push({ unit, name, sha: r.json.file.sha256 });
  }
  await teachingSetup();
}, { timeout: TIMEOUT });
// Pairs to look at, made by the admin: both pools of two programmes
// filled, proposed and accepted; a forbid naming members outside town A;
// an elective that has not started, for enrolments.
let ALLPAIRS;   // every accepted pair: {id, programme, mentor, mentee (units or null), mentorKey, menteeKey}
let PAIRS;      // a few of them, around town A and school A1
const PROGRAMMES = ['subject_leaders', 'cadres'];
const COURSE = 'MX-1';
async function teachingSetup() {
  const inA = (u) => u && (u.id === F.townA.id || u.parent_id === F.townA.id);
  for (const p of PROGRAMMES) {
    let r = await w.admin.post(`/api/pairing/${p}/pools/fill`, { year: 2022 });
    assert.equal(r.status, 200, `${p} fill: ${r.text}`);
    if (p === 'cadres') {
      // pairs around town A whatever the costs: the probe schools pinned
      // to mentors (one of town A when there is one), matches not required
      const pools = (await w.admin.get(`/api/pairing/${p}/pools`)).json;
      const mentees = new Set(pools.mentees.map((m) => m.key));
      const mentors = [...pools.mentors].sort((a, b) => inA(F.units.find((u) => u.code === b.unit.code))
        - inA(F.units.find((u) => u.code === a.unit.code)));
      const pins = [F.schoolB1, F.schoolA1, F.schoolA2].filter((s) => mentees.has(s.code)).map((s, i) => [mentors[i].key, s.code]);
      const doc = (await w.admin.get(`/api/pairing/${p}/settings`)).json.settings;
      r = await w.admin.put(`/api/pairing/${p}/settings`, { ...doc, require: { subject: false, stage: false }, pins });
      assert.equal(r.status, 200, `${p} pins: ${r.text}`);
    }
    for (const [path, body] of [['propose', { year: 2022 }], ['accept', { all: true }]]) {
      r = await w.admin.post(`/api/pairing/${p}/${path}`, body);
      assert.equal(r.status, 200, `${p} ${path}: ${r.text}`);
    }
  }
  const unitOf = (m) => (m.unit ? F.units.find((u) => u.code === m.unit.code) : null);
  ALLPAIRS = [];
  for (const p of PROGRAMMES) {
    const r = await w.admin.get(`/api/pairing/${p}/pairs`, { query: { status: 'accepted', size: 500 } });
    assert.equal(r.status, 200, r.text);
    for (const x of r.json.items)
      ALLPAIRS.push({ id: x.id, programme: p, mentor: unitOf(x.mentor), mentee: unitOf(x.mentee), mentorKey: x.mentor.key, menteeKey: x.mentee.key });
  }
  const inB = (u) => u && (u.id === F.townB.id || u.parent_id === F.townB.id);
  PAIRS = [...new Set([
    ALLPAIRS.find((x) => x.mentee?.id === F.schoolA1.id),
    ALLPAIRS.find((x) => inA(x.mentee) && x.mentee.id !== F.schoolA1.id),
    ALLPAIRS.find((x) => inA(x.mentor) && !inA(x.mentee)),
    ALLPAIRS.find((x) => inB(x.mentee)),
    ALLPAIRS.find((x) => !inA(x.mentee) && !inA(x.mentor)),
  ].filter(Boolean))];
  assert.ok(PAIRS.length >= 3, `too few pairs to try: ${JSON.stringify(PAIRS)}`);
  const far = ALLPAIRS.find((x) => x.programme === 'subject_leaders' && !inA(x.mentee) && !inA(x.mentor));
  let r = await w.admin.get('/api/pairing/subject_leaders/settings');
  const doc = r.json.settings;
  doc.forbids = [[far.mentorKey, far.menteeKey]];
  r = await w.admin.put('/api/pairing/subject_leaders/settings', doc);
  assert.equal(r.status, 200, r.text);
  const start = new Date(Date.now() + 30 * 864e5).toISOString().slice(0, 10);
  r = await w.admin.post('/api/training/courses', { code: COURSE, name: '矩阵测试选修课', hours: 10, starts_on: start, ends_on: start, capacity: 50 });
  assert.equal(r.status, 200, r.text);
  // teacher moves between towns to look at (3.4.3-T8)
  r = await w.admin.post('/api/redistribution/propose', { year: 2022 });
  assert.equal(r.status, 200, r.text);
}
after(async () => { await stopWorld(w); }, { timeout: TIMEOUT });

// ---- who sees what ------------------------------------------------------------

const scopes = {};
function scope(role) {
  if (!scopes[role]) scopes[role] = scopeOf(w, role);
  return scopes[role];
}
const sees = (role, unit) => scope(role).has(unit.id);
const seesName = (role, name) => {
  const u = F.units.find((x) => x.name === name);
  return u ? sees(role, u) : CITY_WIDE.has(role);       // an office is the city's
};

// What must never appear in an answer to role: the codes and names of the
// units it does not see, except those it may know anyway (the city, the
// town and group of a school it sees: its own record names them), and
// any text part of what it sees (the city's name is part of every school's).
const forbidden = {};
function forbiddenOf(role) {
  if (forbidden[role]) return forbidden[role];
  const s = scope(role);
  const known = new Set([F.city.id]);
  for (const id of s) {
    known.add(id);
    const u = F.byId.get(id);
    if (u.kind === 'school') {
      known.add(u.parent_id);
      if (u.group_id) known.add(u.group_id);
    }
  }
  const seen = [...known].map((id) => F.byId.get(id));
  const tokens = [];
  for (const u of F.units) {
    if (known.has(u.id)) continue;
    for (const tok of [u.code, u.name])
      if (tok.length >= 3 && !seen.some((x) => x.code.includes(tok) || x.name.includes(tok)))
        tokens.push(tok);
  }
  const teachers = new Set();
  for (const t of F.teachers) if (!s.has(t.school_id)) teachers.add(t.teacher_no);
  forbidden[role] = { tokens, teachers };
  return forbidden[role];
}

function assertNoLeak(role, res, request, what) {
  if (CITY_WIDE.has(role)) return;
  if (!/json|text|yaml/.test(res.headers['content-type'] || '')) return;
  const { tokens, teachers } = forbiddenOf(role);
  const text = res.text;
  const leaked = tokens.filter((t) => text.includes(t) && !request.includes(t));
  for (const m of text.matchAll(/[A-Za-z0-9_-]{4,32}/g))
    if (teachers.has(m[0]) && !request.includes(m[0])) leaked.push(m[0]);
  assert.deepEqual(leaked, [], `${what}: the answer to ${role} names what it does not see: ${text.slice(0, 400)}`);
}

// ---- one role's view of the server ----------------------------------------------

// The calls of one role, each checked for leaks.
function view(role, c) {
  const v = {
    role, c,
    stats: { inside: 0, hidden: 0 },
    sees: (u) => sees(role, u),
    async req(method, path, opts = {}) {
      const res = await c.request(method, path, opts);
      const request = `${path} ${JSON.stringify(opts.query || {})} ${JSON.stringify(opts.json || '')}`
        + (opts.body ? opts.body.toString() : '');
      // the plan is one public document, which names a few schools
      if (!/^\/api\/plan/.test(path)) assertNoLeak(role, res, request, `${method} ${path}`);
      assert.ok(res.status < 500, `${method} ${path} ${JSON.stringify(opts.query || {})}: ${res.status} ${res.text.slice(0, 300)}`);
      return res;
    },
    get(path, query) { return v.req('GET', path, { query }); },
    async multipart(path, fields) {
      const res = await c.multipart('POST', path, fields);
      assertNoLeak(role, res, JSON.stringify(fields), `POST ${path}`);
      assert.ok(res.status < 500, `POST ${path}: ${res.status} ${res.text.slice(0, 300)}`);
      return res;
    },
    ok(res, what, status = 200) {
      v.stats.inside++;
      assert.equal(res.status, status, `${role} ${what}: ${res.status} ${res.text.slice(0, 400)}`);
    },
    // out is answered 404, exactly as missing, the same request for an id
    // that does not exist (outTok and missTok: the two ids as typed)
    hidden(out, missing, outTok, missTok, what) {
      v.stats.hidden++;
      assertError(out, 404, 'not_found', `${role} ${what} (out of scope):`);
      assert.equal(missing.status, 404, `${role} ${what} (missing): ${missing.status} ${missing.text.slice(0, 300)}`);
      assert.equal(out.text.split(outTok).join('@'), missing.text.split(missTok).join('@'),
        `${role} ${what}: out of scope and missing are answered differently`);
    },
    codesInScope(codes, what) {
      const bad = codes.filter((code) => {
        const u = F.units.find((x) => x.code === code);
        return !u || !sees(role, u);
      });
      assert.deepEqual([...new Set(bad)], [], `${role} ${what}: units out of scope listed`);
    },
    // Tries build(code) for every probe unit of the kinds given (and a
    // missing one of the same kind): status okStatus inside, hidden
    // outside; then(res, unit) for a further look at the answers inside.
    async units(kinds, build, what, { okStatus = 200, then, byName = false } = {}) {
      const missing = {};
      for (const u of PROBES) {
        if (!kinds.includes(u.kind)) continue;
        const key = byName ? u.name : u.code;
        const r = await v.req(...build(key, u));
        if (v.sees(u)) {
          const want = typeof okStatus === 'function' ? okStatus(u) : okStatus;
          v.ok(r, `${what} ${u.kind} ${key}`, want);
          if (then) await then(r, u);
        } else {
          const mk = byName ? MISSING.name : MISSING[u.kind];
          missing[u.kind] ??= await v.req(...build(mk, null));
          v.hidden(r, missing[u.kind], key, mk, `${what} ${u.kind} ${key}`);
        }
      }
    },
    async teachers(build, what, { then } = {}) {
      const missing = await v.req(...build(MISSING.teacher));
      for (const t of TEACHERS) {
        const r = await v.req(...build(t.no));
        if (v.sees(t.school)) {
          v.ok(r, `${what} teacher ${t.no}`);
          if (then) await then(r, t);
        } else {
          v.hidden(r, missing, t.no, MISSING.teacher, `${what} teacher ${t.no}`);
        }
      }
    },
  };
  return v;
}

// the number of in-scope schools, and units, of a role
const inScope = (role, kind) => F.units.filter((u) => (!kind || u.kind === kind) && sees(role, u)).length;

// ---- the matrix ------------------------------------------------------------------

// For each route, check(v) is run for every role the table allows, as
// that role.  A route whose handler cannot be run without changing what
// other checks rely on is run with a request it refuses for its content
// (which still proves the role and scope checks let it through).
const MATRIX = {
  // -- auth
  'POST /api/login': { public: true },        // auth.test.mjs
  'POST /api/logout': {
    async check(v) {
      // a session of its own, so that the role's session lives on
      const c = w.client();
      const a = w.accounts[v.role];
      assert.equal((await c.login(a.name, a.password)).status, 200);
      const r = await c.post('/api/logout', {});
      v.ok(r, 'logout');
      assertError(await c.get('/api/me'), 401, 'unauthenticated');
      v.ok(await v.get('/api/me'), 'me after another session logged out');
    },
  },
  'GET /api/me': {
    async check(v) {
      const r = await v.get('/api/me');
      v.ok(r, 'me');
      assert.equal(r.json.unit.code, w.accounts[v.role].unit.code);
    },
  },
  'POST /api/me/password': {
    async check(v) {
      assertError(await v.req('POST', '/api/me/password', { json: { old: 'wrong-old-password', new: 'Whatever-passw0rd' } }),
        403, 'bad_password', v.role);
    },
  },
  'GET /api/users': {
    async check(v) {
      const r = await v.get('/api/users', { size: 500 });
      v.ok(r, 'users');
      assert.ok(r.json.items.some((u) => u.name === 'zx-insp'));
    },
  },
  'POST /api/users': {
    async check(v) { assertError(await v.req('POST', '/api/users', { json: { role: '领导' } }), 400, 'invalid', v.role); },
  },
  'PATCH /api/users/:name': {
    async check(v) { assertError(await v.req('PATCH', '/api/users/no-such-user', { json: { disabled: false } }), 404, 'not_found'); },
  },
  'PUT /api/users/:name/schools': {
    async check(v) {
      const r = await v.req('PUT', '/api/users/zx-insp/schools', { json: { schools: w.inspectorSchools.map((s) => s.code) } });
      v.ok(r, 'reassign the same schools');
    },
  },

  // -- plan
  'GET /api/plan': { async check(v) { v.ok(await v.get('/api/plan'), 'plan'); } },
  'GET /api/plan/text': { async check(v) { v.ok(await v.get('/api/plan/text'), 'plan text'); } },
  'PUT /api/plan': {
    async check(v) {
      assertError(await v.req('PUT', '/api/plan', { body: 'plan: [', contentType: 'text/yaml' }), 422, 'invalid_plan');
    },
  },
  'GET /api/indicators': {
    async check(v) {
      const codes = (r) => r.json.indicators.flatMap((i) => i.results.map((x) => x.code));
      for (const level of [undefined, 'all']) {
        const r = await v.get('/api/indicators', { year: 2021, ...(level ? { level } : {}) });
        v.ok(r, 'indicators');
        v.codesInScope(codes(r), `indicators level=${level}`);
      }
      await v.units(['city', 'town', 'group', 'school'],
        (code) => ['GET', '/api/indicators', { query: { unit: code, year: 2021, level: 'all' } }], 'indicators?unit=',
        { then: (r) => v.codesInScope(codes(r), 'indicators?unit=') });
      await v.units(['town'], (name) => ['GET', '/api/indicators', { query: { unit: name, year: 2021 } }],
        'indicators?unit=NAME', { byName: true, then: (r) => v.codesInScope(codes(r), 'indicators?unit=NAME') });
    },
  },
  'GET /api/indicators/export': {
    async check(v) {
      // The strings of the workbook (xl/sharedStrings.xml, found through
      // the zip's central directory): what the leak check reads in JSON.
      const workbookText = (buf) => {
        const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
        let at = buf.readUInt32LE(end + 16);
        for (let i = buf.readUInt16LE(end + 10); i > 0; i--) {
          const [nameLen, extraLen, commentLen] = [28, 30, 32].map((o) => buf.readUInt16LE(at + o));
          if (buf.toString('utf8', at + 46, at + 46 + nameLen) === 'xl/sharedStrings.xml') {
            const local = buf.readUInt32LE(at + 42);
            const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
            const data = buf.subarray(start, start + buf.readUInt32LE(at + 20));
            return (buf.readUInt16LE(at + 10) === 8 ? inflateRawSync(data) : data).toString('utf8');
          }
          at += 46 + nameLen + extraLen + commentLen;
        }
        return '';
      };
      // the same rows as GET /api/indicators with the same arguments
      const sameAsJson = async (r, query, what) => {
        v.ok(r, what);
        assert.match(r.headers['content-type'], /spreadsheetml/, what);
        assert.equal(r.buf.subarray(0, 2).toString(), 'PK', what);
        const text = workbookText(r.buf);
        assertNoLeak(v.role, { headers: { 'content-type': 'text/xml' }, text }, JSON.stringify(query), what);
        const codes = [...text.matchAll(/<t>([^<]*)<\/t>/g)].map((m) => m[1]).filter((t) => F.units.some((u) => u.code === t));
        v.codesInScope(codes, what);
        const json = await v.get('/api/indicators', query);
        const want = new Set(json.json.indicators.flatMap((i) => i.results.map((x) => x.code)));
        assert.deepEqual(new Set(codes), want, `${v.role} ${what}: the workbook's units differ from /api/indicators`);
      };
      const all = { year: 2021 };
      await sameAsJson(await v.get('/api/indicators/export', all), all, 'indicators export');
      await v.units(['city', 'town', 'group', 'school'],
        (code) => ['GET', '/api/indicators/export', { query: { unit: code, id: 'subsidy-paid', year: 2021, level: 'all' } }],
        'indicators export?unit=', {
          then: (r, u) => sameAsJson(r, { unit: u.code, id: 'subsidy-paid', year: 2021, level: 'all' }, `indicators export?unit=${u.code}`),
        });
      assertError(await v.get('/api/indicators/export', { id: 'no-such-indicator' }), 404, 'not_found');
    },
  },
  'GET /api/values': {
    async check(v) {
      await v.units(['city', 'town', 'group', 'school'],
        (code) => ['GET', '/api/values', { query: { unit: code, year: 2021 } }], 'values?unit=');
      await v.teachers((no) => ['GET', '/api/values', { query: { unit: no, year: 2021 } }], 'values?unit=');
    },
  },
  'PUT /api/values': {
    async check(v) {
      await v.units(['city', 'town', 'group', 'school'],
        (code) => ['PUT', '/api/values', { json: { unit: code, year: 2021, values: {} } }], 'PUT values');
      await v.teachers((no) => ['PUT', '/api/values', { json: { unit: no, year: 2021, values: {} } }], 'PUT values');
    },
  },

  // -- audit
  'GET /api/audit': { async check(v) { v.ok(await v.get('/api/audit'), 'audit'); } },
  'GET /api/audit/verify': { async check(v) { v.ok(await v.get('/api/audit/verify'), 'audit verify'); } },

  // -- tasks
  'GET /api/tasks': {
    async check(v) {
      const r = await v.get('/api/tasks', { size: 500, task: TASK });
      v.ok(r, 'tasks');
      const names = r.json.items.map((x) => x.unit);
      assert.deepEqual(names.filter((n) => !seesName(v.role, n)), [], `${v.role}: task rows out of scope`);
      const want = PROBES.filter((u) => (u.kind === 'town' || u.kind === 'school') && v.sees(u)).map((u) => u.name);
      for (const n of want) assert.ok(names.includes(n), `${v.role}: the row of ${n} is missing`);
      const all = await v.get('/api/tasks', { size: 500 });
      assert.deepEqual([...new Set(all.json.items.map((x) => x.unit))].filter((n) => !seesName(v.role, n)), [],
        `${v.role}: task rows out of scope`);
      // a unit filter out of scope is answered as one for a unit that does not exist
      const missing = await v.get('/api/tasks', { unit: MISSING.name });
      for (const u of PROBES.filter((x) => x.kind === 'town' || x.kind === 'school')) {
        const f = await v.get('/api/tasks', { unit: u.name });
        v.ok(f, `tasks?unit=${u.name}`);
        if (v.sees(u)) assert.ok(f.json.items.length > 0 && f.json.items.every((x) => x.unit === u.name));
        else assert.deepEqual(f.json, missing.json, `${v.role} tasks?unit=${u.name}: not answered as a missing unit`);
      }
    },
  },
  'GET /api/tasks/:id': {
    async check(v) {
      const r = await v.get(`/api/tasks/${TASK}`);
      v.ok(r, 'task');
      const names = r.json.units.map((x) => x.unit);
      assert.deepEqual(names.filter((n) => !seesName(v.role, n)), [], `${v.role}: units out of scope`);
      assert.equal(names.includes(OFFICE), CITY_WIDE.has(v.role), `${v.role}: the office row`);
      await v.units(['town', 'school'], (name) => ['GET', `/api/tasks/${TASK}`, { query: { unit: name } }], 'task?unit=',
        { byName: true, then: (res, u) => assert.deepEqual(res.json.units.map((x) => x.unit), [u.name]) });
      assertError(await v.get('/api/tasks/no-such-task'), 404, 'not_found');
    },
  },
  'POST /api/tasks/:id/progress': {
    async check(v) {
      await v.units(['town', 'school'],
        (name) => ['POST', `/api/tasks/${TASK}/progress`, { json: { unit: name, note: `matrix ${v.role}` } }],
        'progress', { byName: true });
      const office = await v.req('POST', `/api/tasks/${TASK}/progress`, { json: { unit: OFFICE, note: 'x' } });
      if (v.role === 'admin') v.ok(office, 'progress of an office');
      else assert.ok(office.status === 404 || office.status === 403, `${v.role} writes an office's row: ${office.status}`);
    },
  },
  'POST /api/tasks/:id/evidence': {
    async check(v) {
      const fields = (name) => [{ name: 'unit', value: name },
        { name: 'file', filename: 'note.txt', type: 'text/plain', content: `matrix ${v.role} ${name}\n` }];
      const missing = await v.multipart(`/api/tasks/${TASK}/evidence`, fields(MISSING.name));
      for (const u of PROBES.filter((x) => x.kind === 'town' || x.kind === 'school')) {
        const r = await v.multipart(`/api/tasks/${TASK}/evidence`, fields(u.name));
        if (v.sees(u)) v.ok(r, `evidence for ${u.name}`);
        else v.hidden(r, missing, u.name, MISSING.name, `evidence for ${u.name}`);
      }
    },
  },
  'GET /api/evidence/:sha': {
    async check(v) {
      const missing = await v.get(`/api/evidence/${'0'.repeat(64)}`);
      for (const e of EVIDENCE) {
        const r = await v.get(`/api/evidence/${e.sha}`);
        const visible = e.unit ? v.sees(e.unit) : CITY_WIDE.has(v.role);
        if (visible) {
          v.ok(r, `evidence of ${e.name}`);
          assert.match(r.text, new RegExp(e.name));
        } else {
          v.hidden(r, missing, e.sha, '0'.repeat(64), `evidence of ${e.name}`);
        }
      }
    },
  },

  // -- registry
  'GET /api/units': {
    async check(v) {
      const r = await v.get('/api/units', { size: 500 });
      v.ok(r, 'units');
      v.codesInScope(r.json.items.map((x) => x.code), 'units');
      assert.equal(r.json.total, inScope(v.role), `${v.role}: units total`);
      await v.units(['city', 'town', 'group'], (code) => ['GET', '/api/units', { query: { parent: code, size: 500 } }],
        'units?parent=', { then: (res) => v.codesInScope(res.json.items.map((x) => x.code), 'units?parent=') });
    },
  },
  'GET /api/schools': {
    async check(v) {
      const r = await v.get('/api/schools', { size: 500 });
      v.ok(r, 'schools');
      v.codesInScope(r.json.items.map((x) => x.school_code), 'schools');
      assert.equal(r.json.total, inScope(v.role, 'school'), `${v.role}: schools total`);
      await v.units(['town'], (code) => ['GET', '/api/schools', { query: { town: code, size: 500 } }], 'schools?town=',
        { then: (res) => v.codesInScope(res.json.items.map((x) => x.school_code), 'schools?town=') });
      await v.units(['group'], (code) => ['GET', '/api/schools', { query: { group: code, size: 500 } }], 'schools?group=',
        { then: (res) => v.codesInScope(res.json.items.map((x) => x.school_code), 'schools?group=') });
      for (const q of [{ q: F.schoolB1.name }, { q: F.schoolB1.code }, { rural: 1 }, { type: 'compulsory' }]) {
        const s = await v.get('/api/schools', { ...q, size: 500 });
        v.ok(s, `schools?${JSON.stringify(q)}`);
        v.codesInScope(s.json.items.map((x) => x.school_code), `schools?${JSON.stringify(q)}`);
      }
    },
  },
  'GET /api/schools/:code': {
    async check(v) {
      await v.units(['school'], (code) => ['GET', `/api/schools/${code}`, {}], 'school',
        { then: (res, u) => assert.equal(res.json.school_code, u.code) });
      // another kind of unit is no school
      const t = await v.get(`/api/schools/${F.townA.code}`);
      assertError(t, 404, 'not_found');
    },
  },
  'PUT /api/schools/:code': {
    async check(v) {
      await v.units(['school'], (code) => ['PUT', `/api/schools/${code}`, { json: {} }], 'PUT school',
        { then: (res) => assert.equal(res.json.changed, false) });
    },
  },
  'GET /api/teachers': {
    async check(v) {
      const r = await v.get('/api/teachers', { size: 500 });
      v.ok(r, 'teachers');
      const schools = r.json.items.map((x) => x.school_code);
      v.codesInScope(schools, 'teachers');
      if (!CITY_WIDE.has(v.role)) {
        const want = F.teachers.filter((t) => scope(v.role).has(t.school_id)).length;
        assert.equal(r.json.total, want, `${v.role}: teachers total`);
      }
      await v.units(['school'], (code) => ['GET', '/api/teachers', { query: { school: code, size: 500 } }], 'teachers?school=',
        { then: (res) => v.codesInScope(res.json.items.map((x) => x.school_code), 'teachers?school=') });
      await v.units(['town'], (code) => ['GET', '/api/teachers', { query: { town: code, size: 500 } }], 'teachers?town=',
        { then: (res) => v.codesInScope(res.json.items.map((x) => x.school_code), 'teachers?town=') });
      for (const t of TEACHERS) {
        const s = await v.get('/api/teachers', { q: t.no });
        v.ok(s, 'teachers?q=');
        assert.equal(s.json.total, v.sees(t.school) ? 1 : 0, `${v.role} teachers?q=${t.no}`);
      }
    },
  },
  'GET /api/teachers/:no': {
    async check(v) {
      await v.teachers((no) => ['GET', `/api/teachers/${no}`, {}], 'teacher',
        { then: (res, t) => assert.equal(res.json.school_code, t.school.code) });
    },
  },
  'PUT /api/teachers/:no': {
    async check(v) {
      await v.teachers((no) => ['PUT', `/api/teachers/${no}`, { json: {} }], 'PUT teacher');
      // a move to a school out of scope is refused as a move to no school
      const own = TEACHERS.find((t) => v.sees(t.school));
      const missing = await v.req('PUT', `/api/teachers/${own.no}`, { json: { school_code: MISSING.school } });
      assertError(missing, 422, 'invalid_data');
      for (const s of [F.schoolA1, F.schoolA2, F.schoolB1].filter((x) => !v.sees(x))) {
        const r = await v.req('PUT', `/api/teachers/${own.no}`, { json: { school_code: s.code } });
        assert.equal(r.text.split(s.code).join('@'), missing.text.split(MISSING.school).join('@'),
          `${v.role}: a move to ${s.code} is answered unlike a move to no school`);
      }
    },
  },
  'GET /api/enrolment': {
    async check(v) {
      const r = await v.get('/api/enrolment', { size: 500 });
      v.ok(r, 'enrolment');
      v.codesInScope(r.json.items.map((x) => x.school_code), 'enrolment');
      await v.units(['school'], (code) => ['GET', '/api/enrolment', { query: { school: code } }], 'enrolment?school=',
        { then: (res) => v.codesInScope(res.json.items.map((x) => x.school_code), 'enrolment?school=') });
      await v.units(['town'], (code) => ['GET', '/api/enrolment', { query: { town: code } }], 'enrolment?town=');
    },
  },
  'POST /api/import/:kind': {
    async check(v) {
      const csv = (code) => `学校标识码,年度,drinking_water\n${code},2021,是\n`;
      const up = (code) => v.multipart('/api/import/values', [{ name: 'file', filename: 'values.csv', type: 'text/csv', content: csv(code) }]);
      const missing = await up(MISSING.school);
      assertError(missing, 422, 'invalid_data');
      for (const s of [F.schoolA1, F.schoolA2, F.schoolA3, F.schoolB1]) {
        const r = await up(s.code);
        if (v.sees(s)) {
          v.ok(r, `import values of ${s.code}`);
          assert.equal(r.json.dry_run, true);
        } else {
          assert.equal(r.status, 422, `${v.role} import values of ${s.code}: ${r.status} ${r.text}`);
          assert.equal(r.text.split(s.code).join('@'), missing.text.split(MISSING.school).join('@'),
            `${v.role}: a row of ${s.code} is answered unlike a row of no school`);
        }
      }
      // the registry sheets are the admin's
      const sheet = await v.multipart('/api/import/schools', [{ name: 'file', filename: 'schools.csv', type: 'text/csv', content: '学校标识码\n' }]);
      if (v.role === 'admin') assert.ok(sheet.status === 200 || sheet.status === 422, `admin import schools: ${sheet.status}`);
      else assertError(sheet, 403, 'forbidden', `${v.role} import schools:`);
    },
  },
  'GET /api/export/:kind': {
    async check(v) {
      const r = await v.get('/api/export/schools', { format: 'json' });
      if (CITY_WIDE.has(v.role)) {
        v.ok(r, 'export');
        assert.equal(r.json.rows.length, F.schools.length);
      } else {
        assertError(r, 403, 'forbidden', `${v.role} export:`);
      }
    },
  },
  'GET /api/templates/:kind': {
    async check(v) {
      const r = await v.get('/api/templates/schools');
      v.ok(r, 'template');
      assert.match(r.headers['content-type'], /spreadsheetml/);
      const vals = await v.get('/api/templates/values-school');
      if (v.role === 'admin') v.ok(vals, 'values template');
      else assertError(vals, 403, 'forbidden', `${v.role} values template:`);
    },
  },

  // -- review
  'GET /api/review': {
    async check(v) {
      for (const level of ['school', 'town']) {
        const r = await v.get('/api/review', { level, year: 2021, size: 500 });
        v.ok(r, `review level=${level}`);
        v.codesInScope(r.json.items.map((x) => x.code), `review level=${level}`);
        assert.equal(r.json.total, inScope(v.role, level), `${v.role}: review total of ${level}s`);
      }
      await v.units(['city', 'town', 'group', 'school'], (code) => ['GET', '/api/review', { query: { within: code, year: 2021 } }],
        'review?within=', { then: (res) => v.codesInScope(res.json.items.map((x) => x.code), 'review?within=') });
    },
  },
  'GET /api/review/:unit': {
    async check(v) {
      await v.units(['city', 'town', 'group', 'school'], (code) => ['GET', `/api/review/${code}`, { query: { year: 2021 } }],
        'review of', { okStatus: (u) => (u.kind === 'school' || u.kind === 'town' ? 200 : 400) });
    },
  },
  'POST /api/review/:action': {
    async check(v) {
      // approve: refused for its state or the role (409) when in scope,
      // 404 as for no unit when out of it; nothing changes either way
      await v.units(['city', 'town', 'group', 'school'],
        (code) => ['POST', '/api/review/approve', { json: { units: [code], year: 2021 } }], 'review approve',
        { okStatus: 409 });
      const codes = PROBES.map((u) => u.code);
      const r = await v.req('POST', '/api/review/approve', { json: { units: [...codes, MISSING.school], year: 2021 } });
      v.ok(r, 'bulk approve');
      const miss = r.json.outcomes.at(-1);
      PROBES.forEach((u, i) => {
        const o = r.json.outcomes[i];
        assert.equal(o.ok, false);
        if (!v.sees(u)) assert.deepEqual({ ...o, unit: '@' }, { ...miss, unit: '@' }, `${v.role} bulk outcome of ${u.code}`);
        else assert.notEqual(o.why, miss.why, `${v.role} bulk outcome of ${u.code}: as if missing`);
      });
      assertError(await v.req('POST', '/api/review/no-such-action', { json: { units: [codes[0]] } }), 404, 'not_found');
    },
  },
  // -- teaching
  'GET /api/gaps': {
    async check(v) {
      const r = await v.get('/api/gaps', { size: 500 });
      v.ok(r, 'gaps');
      v.codesInScope(r.json.items.map((x) => x.unit), 'gaps');
      const sum = Object.values(r.json.counts).reduce((a, c) => a + c.gap + c.over, 0);
      assert.equal(sum, r.json.total, `${v.role}: gap counts against the total`);
      await v.units(['city', 'town', 'group', 'school'],
        (code) => ['GET', '/api/gaps', { query: { unit: code, check: 'seed,model,mentor', size: 500 } }], 'gaps?unit=',
        { then: (res) => v.codesInScope(res.json.items.map((x) => x.unit), 'gaps?unit=') });
      assertError(await v.get('/api/gaps', { check: 'nothing' }), 400, 'bad_parameter');
    },
  },
  'GET /api/training/units': {
    async check(v) {
      const r = await v.get('/api/training/units', { year: 2022 });
      v.ok(r, 'training units');
      assert.ok(r.json.items.length > 0, `${v.role}: no units`);
      v.codesInScope(r.json.items.map((x) => x.code), 'training units');
      await v.units(['city', 'town', 'group', 'school'],
        (code) => ['GET', '/api/training/units', { query: { unit: code, year: 2022 } }], 'training units?unit=',
        { then: (res) => v.codesInScope(res.json.items.map((x) => x.code), 'training units?unit=') });
    },
  },
  'GET /api/training/teachers': {
    async check(v) {
      const r = await v.get('/api/training/teachers', { year: 2022, size: 500 });
      v.ok(r, 'training teachers');
      assert.ok(r.json.total > 0, `${v.role}: no teachers`);
      v.codesInScope(r.json.items.map((x) => x.school_code), 'training teachers');
      await v.units(['town', 'school'],
        (code) => ['GET', '/api/training/teachers', { query: { unit: code, behind: 1, size: 500 } }], 'training teachers?unit=',
        { then: (res) => v.codesInScope(res.json.items.map((x) => x.school_code), 'training teachers?unit=') });
    },
  },
  'GET /api/training/courses': {
    async check(v) {
      // the catalogue is the city's public list, bases' names included:
      // everything else in it is checked for leaks
      const r = await v.c.get('/api/training/courses');
      v.ok(r, 'courses');
      assert.ok(r.json.courses.some((c) => c.code === COURSE));
      v.codesInScope(r.json.bases.filter((b) => b.school_code).map((b) => b.school_code), 'bases');
      const rest = { courses: r.json.courses.map(({ base, ...c }) => c), bases: r.json.bases.map(({ name, ...b }) => b) };
      assertNoLeak(v.role, { headers: { 'content-type': 'application/json' }, text: JSON.stringify(rest) }, '', 'GET /api/training/courses');
    },
  },
  'POST /api/training/courses': {
    async check(v) {
      const cur = (await v.get('/api/training/courses')).json.courses.find((c) => c.code === COURSE);
      const r = await v.req('POST', '/api/training/courses', { json: {
        code: COURSE, name: cur.name, hours: cur.hours, starts_on: cur.starts_on, ends_on: cur.ends_on, capacity: cur.capacity,
      } });
      v.ok(r, 'course unchanged');
      assert.equal(r.json.change, 'unchanged');
      assertError(await v.req('POST', '/api/training/courses', { json: { code: 'MX-2', name: '坏日期', hours: 10, starts_on: '2022-13-01', ends_on: '2022-12-01' } }),
        422, 'invalid_data');
      assertError(await v.req('POST', '/api/training/courses', { json: { code: 'MX-2' } }), 400, 'invalid');
    },
  },
  'POST /api/training/enrol': { check: (v) => enrolCycle(v, 'enrol') },
  'POST /api/training/withdraw': { check: (v) => enrolCycle(v, 'withdraw') },
  'POST /api/training/records': {
    async check(v) {
      const body = (no) => ({ teacher: no, name: `矩阵 ${v.role}`, hours: 1, date: '2021-05-01', special: false });
      await v.teachers((no) => ['POST', '/api/training/records', { json: body(no) }], 'training record',
        { then: (res, t) => assert.equal(res.json.hours.teacher_no, t.no) });
    },
  },
  'GET /api/pairing': {
    async check(v) {
      const r = await v.get('/api/pairing');
      v.ok(r, 'pairing');
      assert.deepEqual(r.json.items.map((x) => x.id), ['leaders', 'studios', 'subject_leaders', 'cadres']);
      assert.ok(r.json.items[2].stats.accepted > 0);
    },
  },
  'GET /api/pairing/:programme/settings': {
    async check(v) {
      const r = await v.get('/api/pairing/subject_leaders/settings');
      v.ok(r, 'pairing settings');
      assert.equal(r.json.settings.forbids.length, CITY_WIDE.has(v.role) ? 1 : 0, `${v.role}: forbids outside its sight`);
      assertError(await v.get('/api/pairing/nothing/settings'), 404, 'not_found');
    },
  },
  'PUT /api/pairing/:programme/settings': {
    async check(v) {
      const doc = (await v.get('/api/pairing/subject_leaders/settings')).json.settings;
      v.ok(await v.req('PUT', '/api/pairing/subject_leaders/settings', { json: doc }), 'the same settings');
      assertError(await v.req('PUT', '/api/pairing/subject_leaders/settings', { json: { ...doc, weights: 'heavy' } }), 422, 'invalid_data');
    },
  },
  'GET /api/pairing/:programme/pools': {
    async check(v) {
      for (const p of PROGRAMMES) {
        const r = await v.get(`/api/pairing/${p}/pools`);
        v.ok(r, `${p} pools`);
        const members = [...r.json.mentors, ...r.json.mentees];
        assert.ok(members.length > 0 && members.every((m) => !m.hidden && m.unit), `${v.role} ${p} pools`);
        v.codesInScope(members.map((m) => m.unit.code), `${p} pools`);
      }
    },
  },
  'POST /api/pairing/:programme/pools/fill': {
    async check(v) {
      const r = await v.req('POST', '/api/pairing/subject_leaders/pools/fill', { json: { year: 2022 } });
      v.ok(r, 'fill again');
      assert.equal(r.json.removed, 0);
      assertError(await v.req('POST', '/api/pairing/subject_leaders/pools/fill', { json: { year: 'x' } }), 400, 'bad_parameter');
    },
  },
  'POST /api/pairing/:programme/propose': {
    async check(v) {
      const r = await v.req('POST', '/api/pairing/cadres/propose', { json: { year: 2022 } });
      v.ok(r, 'propose');
      for (const p of r.json.pairs) {
        assert.equal(p.status, 'proposed');
        assert.ok(Math.abs(p.terms.reduce((a, t) => a + t.cost, 0) - p.cost) < 1e-6, `terms of ${p.explain}`);
      }
      assertError(await v.req('POST', '/api/pairing/nothing/propose', { json: {} }), 404, 'not_found');
    },
  },
  'GET /api/pairing/:programme/pairs': {
    async check(v) {
      for (const p of PROGRAMMES) {
        const r = await v.get(`/api/pairing/${p}/pairs`, { status: 'accepted', size: 500 });
        v.ok(r, `${p} pairs`);
        const want = ALLPAIRS.filter((x) => x.programme === p && pairSeen(v, x)).length;
        assert.equal(r.json.counts.accepted, want, `${v.role} ${p}: accepted pairs in sight`);
        assert.equal(r.json.items.length, want);
        for (const x of r.json.items) {
          assert.ok(!x.mentor.hidden || !x.mentee.hidden, `${v.role}: a pair of which it sees neither side`);
          for (const m of [x.mentor, x.mentee]) {
            if (m.hidden) assert.deepEqual([m.key, m.unit, m.school], [null, null, null]);
            else v.codesInScope([m.unit.code], `${p} pairs`);
          }
        }
      }
      assertError(await v.get('/api/pairing/subject_leaders/pairs', { status: 'done' }), 400, 'bad_parameter');
    },
  },
  'POST /api/pairing/:programme/accept': {
    async check(v) {
      // refusals only: later roles count the accepted pairs
      const acc = ALLPAIRS.find((x) => x.programme === 'subject_leaders');
      assertError(await v.req('POST', '/api/pairing/subject_leaders/accept', { json: { pairs: [999999999] } }), 404, 'not_found');
      assertError(await v.req('POST', '/api/pairing/subject_leaders/accept', { json: { pairs: [acc.id] } }), 422, 'invalid_data');
      assertError(await v.req('POST', '/api/pairing/subject_leaders/accept', { json: {} }), 400, 'invalid');
    },
  },
  'PATCH /api/pairing/pairs/:id': {
    async check(v) {
      const acc = ALLPAIRS[0];
      assertError(await v.req('PATCH', `/api/pairing/pairs/${acc.id}`, { json: { mentor: acc.mentorKey } }), 422, 'invalid_data');
      assertError(await v.req('PATCH', `/api/pairing/pairs/${acc.id}`, { json: {} }), 400, 'invalid');
      assertError(await v.req('PATCH', '/api/pairing/pairs/999999999', { json: { mentor: acc.mentorKey } }), 404, 'not_found');
    },
  },
  'POST /api/pairing/pairs/:id/activities': {
    async check(v) {
      const act = { kind: 'visit', date: '2022-03-01', note: `矩阵 ${v.role}` };
      const missing = await v.req('POST', '/api/pairing/pairs/999999999/activities', { json: act });
      for (const x of PAIRS) {
        const r = await v.req('POST', `/api/pairing/pairs/${x.id}/activities`, { json: act });
        if (!pairSeen(v, x)) v.hidden(r, missing, String(x.id), '999999999', `activity of pair ${x.id}`);
        else if (x.mentee && v.sees(x.mentee)) v.ok(r, `activity of pair ${x.id}`);
        else assertError(r, 403, 'forbidden', `${v.role} activity of pair ${x.id} (the mentor's side only):`);
      }
    },
  },
  // -- money mechanisms (api_funding.c)
  'GET /api/funding': {
    async check(v) {
      const r = await v.get('/api/funding', { year: 2021 });
      v.ok(r, 'funding');
      assert.ok(r.json.schools.length > 0 && r.json.schools.length === inScope(v.role, 'school'),
        `${v.role}: ${r.json.schools.length} schools funded`);
      v.codesInScope(r.json.schools.map((x) => x.code), 'funding');
      const sum = r.json.schools.reduce((a, x) => a + x.total, 0);
      assert.ok(Math.abs(sum - r.json.total) < 0.02, `${v.role}: the total is not the sum of the schools in sight`);
      const wi = await v.get('/api/funding', { year: 2021, what_if: 'per_student.primary=700' });
      v.ok(wi, 'funding what-if');
      v.codesInScope(wi.json.schools.map((x) => x.code), 'funding what-if');
      assert.ok(wi.json.schools.every((x) => typeof x.change === 'number'));
      assertError(await v.get('/api/funding', { what_if: 'no.such=1' }), 400, 'bad_parameter');
    },
  },
  'POST /api/funding/save': {
    async check(v) {
      const r = await v.req('POST', '/api/funding/save', { json: { year: 2021 } });
      v.ok(r, 'funding save');
      assert.equal(r.json.year, 2021);
      assertError(await v.req('POST', '/api/funding/save', { json: { year: 'x' } }), 400, 'bad_parameter');
    },
  },
  'GET /api/subsidy': {
    async check(v) {
      const r = await v.get('/api/subsidy', { year: 2021, size: 500 });
      v.ok(r, 'subsidy');
      v.codesInScope(r.json.schools.map((x) => x.code), 'subsidy schools');
      v.codesInScope(r.json.roster.items.map((x) => x.school), 'subsidy roster');
      const listed = new Set((await w.admin.get('/api/subsidy', { query: { year: 2021, size: 1 } })).json.schools.map((x) => x.code));
      await v.units(['school'], (code) => ['GET', '/api/subsidy', { query: { year: 2021, school: code } }], 'subsidy?school=',
        { okStatus: (u) => (listed.has(u.code) ? 200 : 404) });
    },
  },
  'POST /api/subsidy/save': {
    async check(v) {
      const r = await v.req('POST', '/api/subsidy/save', { json: { year: 2021 } });
      v.ok(r, 'subsidy save');
      assertError(await v.req('POST', '/api/subsidy/save', { json: { year: 2021, paid: 'yes' } }), 400, 'invalid');
    },
  },
  'GET /api/rules': {
    async check(v) {
      const r = await v.get('/api/rules', { year: 2021 });
      v.ok(r, 'rules');
      assert.ok(r.json.kinds.includes('funding') && r.json.items.some((x) => x.key === 'floor'));
      assertError(await v.get('/api/rules', { kind: 'nothing' }), 400, 'bad_parameter');
    },
  },
  'PUT /api/rules/:kind/:key': {
    async check(v) {
      const cur = (await v.get('/api/rules', { kind: 'funding', year: 2021 })).json.items.find((x) => x.key === 'boarder');
      v.ok(await v.req('PUT', '/api/rules/funding/boarder', { json: { year: 2021, value: cur.value } }), 'rule unchanged');
      assertError(await v.req('PUT', '/api/rules/funding/boarder', { json: { year: 2021, value: -1 } }), 422, 'out_of_range');
      assertError(await v.req('PUT', '/api/rules/funding/nothing', { json: { year: 2021, value: 1 } }), 404, 'not_found');
    },
  },
  // -- mechanisms: rotation and substitutes
  'GET /api/rotation/eligible': {
    async check(v) {
      const r = await v.get('/api/rotation/eligible', { year: 2020, size: 500 });
      v.ok(r, 'rotation eligible');
      v.codesInScope(r.json.items.map((x) => x.school), 'rotation eligible');
      await v.units(['school'],
        (code) => ['GET', '/api/rotation/eligible', { query: { school: code, year: 2020, size: 500 } }], 'rotation eligible?school=',
        { then: (res, u) => assert.ok(res.json.items.every((x) => x.school === u.code)) });
    },
  },
  'GET /api/rotation/quota': {
    async check(v) {
      const r = await v.get('/api/rotation/quota', { year: 2020 });
      v.ok(r, 'rotation quota');
      v.codesInScope(r.json.items.map((x) => x.code), 'rotation quota');
      assert.equal(r.json.totals.eligible, r.json.items.reduce((a, x) => a + x.eligible, 0), `${v.role}: totals over its schools`);
    },
  },
  'GET /api/rotation': {
    async check(v) {
      const r = await v.get('/api/rotation', { year: 2020 });
      v.ok(r, 'rotations');
      v.codesInScope(r.json.items.flatMap((x) => [x.from, x.to]).filter(Boolean), 'rotations');
      assert.ok(r.json.items.every((x) => x.from || x.to), `${v.role}: a rotation of neither side listed`);
    },
  },
  'POST /api/rotation/propose': {
    async check(v) {
      const r = await v.req('POST', '/api/rotation/propose', { json: { year: 2021 } });
      v.ok(r, 'rotation propose');
      assert.ok(r.json.proposed > 0);
    },
  },
  'POST /api/rotation/accept': {
    async check(v) {
      assertError(await v.req('POST', '/api/rotation/accept', { json: { year: 2021, ids: [999999999] } }), 404, 'not_found');
      const r = await v.req('POST', '/api/rotation/accept', { json: { year: 2019 } });
      v.ok(r, 'rotation accept (none open)');
      assert.equal(r.json.accepted, 0);
    },
  },
  'GET /api/substitutes': {
    async check(v) {
      const r = await v.get('/api/substitutes', { year: 2021 });
      v.ok(r, 'substitutes');
      v.codesInScope(r.json.schools.map((x) => x.code), 'substitutes');
      assert.equal(r.json.baseline, r.json.schools.reduce((a, x) => a + x.baseline, 0), `${v.role}: baseline over its schools`);
    },
  },
  'POST /api/substitutes/snapshot': {
    async check(v) {
      const r = await v.req('POST', '/api/substitutes/snapshot', { json: { year: 2022 } });
      v.ok(r, 'substitutes snapshot');
      assert.ok(r.json.schools > 0);
    },
  },
  // -- itinerant teaching (the demo filled the 2021 pool and planned it)
  'GET /api/itinerant/needs': {
    async check(v) {
      const r = await v.get('/api/itinerant/needs', { year: 2021 });
      v.ok(r, 'itinerant needs');
      if (CITY_WIDE.has(v.role)) assert.ok(r.json.items.length > 0, 'no itinerant needs in the demo');
      v.codesInScope(r.json.items.map((x) => x.school_code), 'itinerant needs');
      v.ok(await v.get('/api/itinerant/needs', { year: 2021, format: 'xlsx' }), 'itinerant needs xlsx');
    },
  },
  'GET /api/itinerant/pool': {
    async check(v) {
      const r = await v.get('/api/itinerant/pool', { year: 2021 });
      v.ok(r, 'itinerant pool');
      if (CITY_WIDE.has(v.role)) assert.ok(r.json.items.length > 0, 'no itinerant pool in the demo');
      v.codesInScope(r.json.items.map((x) => x.school_code), 'itinerant pool');
    },
  },
  'POST /api/itinerant/pool': {
    async check(v) {
      const r = await v.req('POST', '/api/itinerant/pool', { json: { action: 'fill', year: 2021 } });
      v.ok(r, 'fill the pool again');
      assert.equal(r.json.added, 0);
      assertError(await v.req('POST', '/api/itinerant/pool', { json: { action: 'remove', teacher_no: MISSING.teacher, year: 2021 } }), 404, 'not_found');
      assertError(await v.req('POST', '/api/itinerant/pool', { json: { action: 'swap' } }), 400, 'bad_parameter');
    },
  },
  'POST /api/itinerant/plan': {
    async check(v) {
      // the same pool and needs plan the same week again
      const r = await v.req('POST', '/api/itinerant/plan', { json: { year: 2021 } });
      v.ok(r, 'plan again');
      assert.ok(r.json.covered > 0 && r.json.covered <= r.json.lacking, r.text);
      assertError(await v.req('POST', '/api/itinerant/plan', { json: { year: 'x' } }), 400, 'bad_parameter');
    },
  },
  'GET /api/itinerant/timetable': {
    async check(v) {
      const r = await v.get('/api/itinerant/timetable', { year: 2021 });
      v.ok(r, 'timetable');
      if (CITY_WIDE.has(v.role)) assert.ok(r.json.items.length > 0, 'no timetable in the demo');
      v.codesInScope(r.json.items.map((x) => x.school_code), 'timetable');
      v.codesInScope(r.json.items.filter((x) => x.home_code).map((x) => x.home_code), 'timetable: teachers\' schools');
      await v.units(['school'], (code) => ['GET', '/api/itinerant/timetable', { query: { school: code, year: 2021 } }], 'timetable?school=',
        { then: (res, u) => assert.ok(res.json.items.every((x) => x.school_code === u.code)) });
      await v.teachers((no) => ['GET', '/api/itinerant/timetable', { query: { teacher: no, year: 2021 } }], 'timetable?teacher=',
        { then: (res, t) => assert.ok(res.json.items.every((x) => x.teacher_no === t.no)) });
      v.ok(await v.get('/api/itinerant/timetable', { year: 2021, format: 'xlsx' }), 'timetable xlsx');
    },
  },
  // -- staffing and redistribution
  'GET /api/staffing': {
    async check(v) {
      const r = await v.get('/api/staffing', { year: 2022 });
      v.ok(r, 'staffing');
      assert.ok(r.json.schools.length > 0, `${v.role}: no schools`);
      v.codesInScope(r.json.schools.map((x) => x.code), 'staffing');
      assert.equal(r.json.totals.actual, r.json.schools.reduce((a, x) => a + x.actual, 0), `${v.role}: totals of the schools in sight`);
      await v.units(['city', 'town', 'group', 'school'],
        (code) => ['GET', '/api/staffing', { query: { unit: code, year: 2022 } }], 'staffing?unit=',
        { then: (res) => v.codesInScope(res.json.schools.map((x) => x.code), 'staffing?unit=') });
    },
  },
  'GET /api/staffing/subjects': {
    async check(v) {
      const r = await v.get('/api/staffing/subjects', { year: 2022, short: 1 });
      v.ok(r, 'staffing subjects');
      v.codesInScope(r.json.items.map((x) => x.code), 'staffing subjects');
      assert.ok(r.json.items.every((x) => x.diff < 0), `${v.role}: short=1 lists shortages only`);
      await v.units(['town', 'school'],
        (code) => ['GET', '/api/staffing/subjects', { query: { unit: code, year: 2022 } }], 'staffing subjects?unit=',
        { then: (res) => v.codesInScope(res.json.items.map((x) => x.code), 'staffing subjects?unit=') });
    },
  },
  'POST /api/staffing/save': {
    async check(v) {
      const r = await v.req('POST', '/api/staffing/save', { json: { year: 2022 } });
      v.ok(r, 'staffing save');
      assert.ok(r.json.schools > 0);
      assertError(await v.req('POST', '/api/staffing/save', { json: { year: 'x' } }), 400, 'bad_parameter');
    },
  },
  'GET /api/redistribution': {
    async check(v) {
      const r = await v.get('/api/redistribution', { year: 2022 });
      v.ok(r, 'redistribution');
      for (const m of r.json.moves) {
        const shown = [m.from, m.to].filter((x) => x.code);
        assert.ok(shown.length > 0, `${v.role}: a move of which it sees neither school`);
        v.codesInScope(shown.map((x) => x.code), 'redistribution');
        for (const x of [m.from, m.to]) if (!x.code) assert.deepEqual([x.name, x.town], ['辖区外学校', null]);
        if (!m.from.code) assert.equal(m.teacher_no, null);
      }
      if (CITY_WIDE.has(v.role)) assert.ok(r.json.moves.length > 0, 'the demo proposes moves');
      assertError(await v.get('/api/redistribution', { status: 'done' }), 400, 'bad_parameter');
    },
  },
  'POST /api/redistribution/propose': {
    async check(v) {
      const r = await v.req('POST', '/api/redistribution/propose', { json: { year: 2022 } });
      v.ok(r, 'redistribution propose');
      assert.equal(r.json.outcome.moves + r.json.outcome.kept, r.json.moves.length);
      assert.ok(r.json.moves.every((m) => m.reason.includes('→')));
      assertError(await v.req('POST', '/api/redistribution/propose', { json: { year: 'x' } }), 400, 'bad_parameter');
    },
  },
  'POST /api/redistribution/accept': {
    async check(v) {
      // refusals only: the moves stay proposed for the other roles
      assertError(await v.req('POST', '/api/redistribution/accept', { json: { year: 2022, ids: [999999999] } }), 404, 'not_found');
      assertError(await v.req('POST', '/api/redistribution/accept', { json: { year: 2022 } }), 400, 'invalid');
    },
  },
};

// A pair is in sight when its mentor's or its mentee's unit is.
function pairSeen(v, x) {
  return (x.mentor && v.sees(x.mentor)) || (x.mentee && v.sees(x.mentee));
}

// Enrols each probe teacher in COURSE and withdraws it again, so that
// every role finds the course as it was; out of scope, the route named
// (enrol or withdraw) is answered as for a teacher that does not exist.
async function enrolCycle(v, route) {
  const body = (no) => ({ course: COURSE, teacher: no });
  const missing = await v.req('POST', `/api/training/${route}`, { json: body(MISSING.teacher) });
  for (const t of TEACHERS) {
    if (!v.sees(t.school)) {
      const r = await v.req('POST', `/api/training/${route}`, { json: body(t.no) });
      v.hidden(r, missing, t.no, MISSING.teacher, `${route} ${t.no}`);
      continue;
    }
    const r = await v.req('POST', '/api/training/enrol', { json: body(t.no) });
    // a teacher who is not rural (the post 其他) may not enrol
    if (r.status === 422) {
      v.stats.inside++;
      continue;
    }
    v.ok(r, `enrol ${t.no}`);
    v.ok(await v.req('POST', '/api/training/withdraw', { json: body(t.no) }), `withdraw ${t.no}`);
  }
}

const key = (r) => `${r.method} ${r.pattern}`;
const sample = (pattern) => pattern.replace(/:\w+/g, 'x');

// ---- the tests ---------------------------------------------------------------------

test('the route tables are read, and every route has a matrix entry (and every entry a route)', () => {
  assert.ok(ROUTES.length >= 16, `only ${ROUTES.length} routes read`);
  const keys = ROUTES.map(key);
  assert.equal(new Set(keys).size, keys.length, 'a route twice');
  assert.deepEqual(keys.filter((k) => !MATRIX[k]), [], 'routes without a matrix entry: add them to MATRIX');
  assert.deepEqual(Object.keys(MATRIX).filter((k) => !keys.includes(k)), [], 'matrix entries of no route');
});

test('every route is served, and without a session is 401 (login excepted)', async () => {
  const anon = w.client();
  for (const r of ROUTES) {
    if (r.roles === 'public') continue;
    const res = await anon.request(r.method, sample(r.pattern), { json: {} });
    assert.notEqual(res.json?.error?.code, 'not_found', `${key(r)} is in ${r.file} but not served (is its table in server.c?)`);
    assertError(res, 401, 'unauthenticated', `${key(r)}:`);
    // a session token that does not exist is no better
    const bad = await anon.request(r.method, sample(r.pattern), { json: {}, cookie: 'a'.repeat(64), csrf: 'b'.repeat(64) });
    assertError(bad, 401, 'unauthenticated', `${key(r)} with a forged cookie:`);
  }
});

test('a method a path does not have is 405, an unknown /api path 404, both before any session check', async () => {
  const anon = w.client();
  const paths = new Map();
  for (const r of ROUTES) {
    const p = sample(r.pattern);
    if (!paths.has(p)) paths.set(p, new Set());
    paths.get(p).add(r.method);
  }
  for (const [p, methods] of paths) {
    for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      if (methods.has(m)) continue;
      // another route's pattern may match this sample path with that method
      if (ROUTES.some((r) => r.method === m && new RegExp(`^${r.pattern.replace(/:\w+/g, '[^/]+')}$`).test(p))) continue;
      assertError(await anon.request(m, p, { json: {} }), 405, 'method_not_allowed', `${m} ${p}:`);
    }
  }
  for (const p of ['/api/nothing', '/api/schools/x/y/z', '/api', '/api/'])
    assertError(await anon.get(p), 404, 'not_found', p);
});

test('every non-GET route without the CSRF token, or with a wrong one, is 403 "csrf" for every role', async () => {
  for (const role of ROLES) {
    const c = await w.as(role);
    for (const r of ROUTES) {
      if (r.roles === 'public' || r.method === 'GET') continue;
      assertError(await c.request(r.method, sample(r.pattern), { json: {}, csrf: false }), 403, 'csrf', `${role} ${key(r)}:`);
      assertError(await c.request(r.method, sample(r.pattern), { json: {}, csrf: 'c'.repeat(64) }), 403, 'csrf', `${role} ${key(r)} wrong token:`);
    }
  }
});

test('a role the table does not allow is 403 "forbidden", naming the role', async () => {
  let n = 0;
  for (const role of ROLES) {
    const c = await w.as(role);
    for (const r of ROUTES) {
      if (r.roles === 'public' || r.roles.has(role)) continue;
      const res = await c.request(r.method, sample(r.pattern), { json: {} });
      assertError(res, 403, 'forbidden', `${role} ${key(r)}:`);
      assert.ok(res.json.error.message.includes(ROLE_NAME[role]), `${role} ${key(r)}: ${res.json.error.message}`);
      n++;
    }
  }
  assert.ok(n > 10);
});

for (const role of ROLES) {
  test(`${role}: every route it may use, inside and outside its scope`, async (t) => {
    const v = view(role, await w.as(role));
    for (const r of ROUTES) {
      const m = MATRIX[key(r)];
      if (r.roles === 'public' || !r.roles.has(role)) continue;
      await t.test(key(r), async () => {
        assert.ok(m && m.check, `no matrix entry for ${key(r)}`);
        await m.check(v);
      });
    }
    // the checks did try both sides of the scope
    assert.ok(v.stats.inside > 30, `${role}: only ${v.stats.inside} answers inside the scope checked`);
    if (CITY_WIDE.has(role)) assert.equal(v.stats.hidden, 0, `${role} sees everything`);
    else assert.ok(v.stats.hidden > 30, `${role}: only ${v.stats.hidden} answers outside the scope checked`);
  });
}

test('a town leader reads its town but changes nothing', async () => {
  const c = await w.as('tleader');
  const me = (await c.get('/api/me')).json;
  assert.equal(me.writes, false);
  assert.equal(me.unit.code, F.townA.code);
  for (const r of ROUTES.filter((x) => x.method !== 'GET' && x.roles !== 'public' && !['/api/logout', '/api/me/password'].includes(x.pattern)))
    assert.ok(!r.roles.has('tleader'), `${key(r)} lets a leader change data`);
  const ok = await c.get('/api/values', { query: { unit: F.schoolA1.code, year: 2021 } });
  assert.equal(ok.status, 200);
});

test('an inspector reassigned sees its new schools at its next request, and no longer the old ones', async () => {
  const c = await w.as('inspector');
  const before = await c.get(`/api/schools/${F.schoolB1.code}`);
  assert.equal(before.status, 404);
  const mid = await c.get('/api/indicators', { query: { year: 2021 } });
  let r = await w.admin.put('/api/users/zx-insp/schools', { schools: [F.schoolB1.code] });
  assert.equal(r.status, 200, r.text);
  try {
    assert.equal((await c.get(`/api/schools/${F.schoolB1.code}`)).status, 200);
    assert.equal((await c.get(`/api/schools/${F.schoolA1.code}`)).status, 404);
    const ind = await c.get('/api/indicators', { query: { year: 2021 } });
    const codes = new Set(ind.json.indicators.flatMap((i) => i.results.map((x) => x.code)));
    assert.deepEqual([...codes], [F.schoolB1.code], 'the cached indicators of the old assignment');
    assert.notDeepEqual(ind.json, mid.json);
  } finally {
    r = await w.admin.put('/api/users/zx-insp/schools', { schools: w.inspectorSchools.map((s) => s.code) });
    assert.equal(r.status, 200, r.text);
  }
});

test('a school account cannot reach its own town\'s other schools by any route taking a code', async () => {
  const c = await w.as('school');
  for (const path of [`/api/schools/${F.schoolA2.code}`, `/api/review/${F.schoolA2.code}`,
    `/api/review/${F.townA.code}`, `/api/teachers/${F.teachersOf.get(F.schoolA2.id)[0]}`]) {
    const r = await c.get(path);
    assertError(r, 404, 'not_found', path);
    assert.ok(!r.text.includes(F.schoolA2.name) && !r.text.includes(F.townA.name), `${path}: ${r.text}`);
  }
  const u = await c.get('/api/indicators', { query: { unit: F.townA.name } });
  assertError(u, 404, 'not_found');
});
