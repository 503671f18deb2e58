// rotation.test.mjs - teacher rotation and substitute teachers over HTTP
// (api_rotation.c, clauses 3.4.3-T7 and T9) on their happy paths: the
// demo's accepted year, a proposal accepted moving the quota table, the
// lists as workbooks, a town's view of its own schools, the substitute
// trajectory and a snapshot.  Who may reach what is the authorization
// matrix's (matrix.test.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { startWorld, stopWorld, assertError, TIMEOUT } from './lib.mjs';

let w;
let F;

before(async () => {
  w = await startWorld();
  F = w.facts;
}, { timeout: TIMEOUT });
after(async () => { await stopWorld(w); }, { timeout: TIMEOUT });

// The entries of a zip (an XLSX), by name, through its central directory.
function unzip(buf) {
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
  return out;
}

// A workbook answer: its data sheet's row count (header included) and
// the text of its shared strings.
function workbook(r, what) {
  assert.equal(r.status, 200, `${what}: ${r.text.slice(0, 300)}`);
  assert.match(r.headers['content-type'], /spreadsheetml/, what);
  const z = unzip(r.buf);
  const rows = (z['xl/worksheets/sheet1.xml'].match(/<row /g) || []).length;
  return { rows, text: z['xl/sharedStrings.xml'] || '' };
}

const fileName = (r) => decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(r.headers['content-disposition'] || '')[1]);
const sum = (items, key) => items.reduce((a, x) => a + x[key], 0);
const inTownA = (code) => F.schoolsOf(F.townA).some((s) => s.code === code);

test('the demo\'s 2020 rotations are accepted and counted against the quotas', async () => {
  const r = await w.admin.get('/api/rotation/quota', { query: { year: 2020 } });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.length > 0);
  assert.ok(r.json.totals.done > 0, 'rotations done in 2020');
  assert.equal(r.json.totals.done, sum(r.json.items, 'done'));
  assert.equal(r.json.totals.meeting, r.json.items.filter((x) => x.meets).length);
  for (const s of r.json.items) {
    // quota = ceil(10% x eligible), backbone quota = ceil(20% x quota) capped
    assert.equal(s.quota, Math.ceil(s.eligible / 10), `${s.code} quota`);
    assert.equal(s.backbone_quota, Math.min(Math.ceil(s.quota / 5), s.backbone), `${s.code} backbone quota`);
    assert.equal(s.meets, s.done >= s.quota && s.done_backbone >= s.backbone_quota);
  }
  const list = await w.admin.get('/api/rotation', { query: { year: 2020 } });
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.counts.accepted, r.json.totals.done);
  assert.ok(list.json.items.every((x) => x.status === 'accepted' && x.reason.includes('满 6 年')));
});

test('propose and accept move the quota table; an accepted proposal stays', async () => {
  const before0 = (await w.admin.get('/api/rotation/quota', { query: { year: 2022 } })).json;
  assert.equal(before0.totals.done, 0);
  let r = await w.admin.post('/api/rotation/propose', { year: 2022 });
  assert.equal(r.status, 200, r.text);
  const proposed = r.json.proposed;
  assert.ok(proposed > 0);
  const list = (await w.admin.get('/api/rotation', { query: { year: 2022 } })).json;
  assert.equal(list.counts.proposed, proposed);
  const first = list.items[0];
  assert.ok(first.reason.length > 10 && ['轮岗', '支教', '挂职'].includes(first.kind));
  r = await w.admin.post('/api/rotation/accept', { year: 2022, ids: [first.id] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.accepted, 1);
  // a second proposal replaces the open ones and keeps the accepted one
  r = await w.admin.post('/api/rotation/propose', { year: 2022 });
  assert.equal(r.status, 200, r.text);
  const again = (await w.admin.get('/api/rotation', { query: { year: 2022 } })).json;
  assert.equal(again.counts.accepted, 1);
  assert.ok(again.items.some((x) => x.id === first.id && x.status === 'accepted'));
  r = await w.admin.post('/api/rotation/accept', { year: 2022 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.accepted, again.counts.proposed);
  const after0 = (await w.admin.get('/api/rotation/quota', { query: { year: 2022 } })).json;
  assert.ok(after0.totals.done > 0, 'the quota table moved');
  assert.equal(after0.totals.proposed, 0);
  assertError(await w.admin.post('/api/rotation/accept', { year: 2022, ids: [first.id] }), 404, 'not_found');
  assertError(await w.admin.post('/api/rotation/accept', { year: 2022, ids: 'all' }), 400, 'invalid');
});

test('the lists as workbooks', async () => {
  const json = (await w.admin.get('/api/rotation/quota', { query: { year: 2020 } })).json;
  let r = await w.admin.get('/api/rotation/quota', { query: { year: 2020, format: 'xlsx' } });
  let wb = workbook(r, 'quota');
  assert.equal(fileName(r), '交流轮岗指标_2020年.xlsx');
  assert.equal(wb.rows, json.items.length + 1);
  assert.ok(wb.text.includes('骨干指标'));
  const el = (await w.admin.get('/api/rotation/eligible', { query: { year: 2020, size: 1 } })).json;
  r = await w.admin.get('/api/rotation/eligible', { query: { year: 2020, format: 'xlsx' } });
  wb = workbook(r, 'eligible');
  assert.equal(wb.rows, el.total + 1, 'every teacher, not one page');
  r = await w.admin.get('/api/rotation', { query: { year: 2020, format: 'xlsx' } });
  wb = workbook(r, 'rotations');
  assert.ok(wb.text.includes('理由'));
  r = await w.admin.get('/api/substitutes', { query: { year: 2021, format: 'xlsx' } });
  wb = workbook(r, 'substitutes');
  assert.ok(wb.text.includes('应减人数'));
  assertError(await w.admin.get('/api/rotation/quota', { query: { format: 'pdf' } }), 400, 'bad_parameter');
});

test('a town sees its own schools, and the other side of a rotation only as 其他学校', async () => {
  const town = await w.as('town');
  const q = (await town.get('/api/rotation/quota', { query: { year: 2020 } })).json;
  assert.ok(q.items.every((x) => inTownA(x.code)));
  assert.equal(q.totals.eligible, sum(q.items, 'eligible'));
  const el = (await town.get('/api/rotation/eligible', { query: { year: 2020, size: 500 } })).json;
  assert.ok(el.items.every((x) => inTownA(x.school)));
  assertError(await town.get('/api/rotation/eligible', { query: { school: F.schoolB1.code } }), 404, 'not_found');
  const list = (await town.get('/api/rotation', { query: { year: 2020 } })).json;
  for (const x of list.items) {
    assert.ok(inTownA(x.from) || inTownA(x.to), JSON.stringify(x));
    if (!inTownA(x.to)) assert.equal(x.to_name, '其他学校');
    if (!inTownA(x.from)) assert.deepEqual([x.from_name, x.teacher_no, x.reason], ['其他学校', '', '']);
  }
  assertError(await town.post('/api/rotation/propose', { year: 2022 }), 403, 'forbidden');
  assertError(await town.post('/api/rotation/accept', { year: 2022 }), 403, 'forbidden');
});

test('substitutes: the trajectory to zero, schools behind it, a town\'s own', async () => {
  const r = await w.admin.get('/api/substitutes', { query: { year: 2021 } });
  assert.equal(r.status, 200, r.text);
  const s = r.json;
  assert.deepEqual(s.points.map((p) => p.year), [2019, 2020, 2021, 2022, 2023, 2024]);
  assert.equal(s.points[0].allowance, s.baseline);
  assert.equal(s.points[5].allowance, 0);
  // baseline x (2024 - 2021) / 5
  assert.ok(Math.abs(s.allowance - s.baseline * 0.6) < 1e-9);
  assert.ok(s.points[0].actual > s.points[2].actual, 'declining');
  assert.ok(s.behind > 0, 'some schools behind');
  for (const x of s.schools) {
    assert.equal(x.allowance, Math.ceil(x.baseline * 3 / 5), x.code);
    assert.equal(x.behind, x.actual > x.allowance);
  }
  const town = await w.as('town');
  const t = (await town.get('/api/substitutes', { query: { year: 2021 } })).json;
  assert.ok(t.schools.length > 0 && t.schools.every((x) => inTownA(x.code)));
  assert.equal(t.baseline, sum(t.schools, 'baseline'));
  assert.equal(t.towns.length, 1);
  assertError(await town.post('/api/substitutes/snapshot', { year: 2022 }), 403, 'forbidden');
  const snap = await w.admin.post('/api/substitutes/snapshot', { year: 2022 });
  assert.equal(snap.status, 200, snap.text);
  assert.equal(snap.json.total, s.points[2].actual, 'the registry holds 2021\'s count');
  const s22 = (await w.admin.get('/api/substitutes', { query: { year: 2022 } })).json;
  assert.equal(s22.actual, snap.json.total);
});
