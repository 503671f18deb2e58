// teaching.test.mjs - the teacher-development routes (api_training.c, api_pairing.c) on
// their happy paths: the gap lists and their scope, a training record
// moving a teacher's hours, an enrolment refused for want of places, a
// completion import refused whole with its row's problem, and a pairing
// programme from settings to figures.  Who may reach what is the
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

// A date n days from today, local time (the server's clock), YYYY-MM-DD.
function day(n = 0) {
  const d = new Date(Date.now() + n * 864e5);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

// ---- workbooks (?format=xlsx) ----

// The entries of a zip, by name, through its central directory.
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

const unxml = (t) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
  .replace(/&apos;/g, "'").replace(/&amp;/g, '&');

// A workbook answer: checks it is one, and reads its sheets as rows of
// cells (strings, numbers as numbers, null for an empty cell).
function workbook(r, what) {
  assert.equal(r.status, 200, `${what}: ${r.text.slice(0, 300)}`);
  assert.match(r.headers['content-type'], /spreadsheetml/, what);
  assert.equal(r.buf.subarray(0, 2).toString(), 'PK', what);
  const z = unzip(r.buf);
  const sst = [...(z['xl/sharedStrings.xml'] || '').matchAll(/<si>([\s\S]*?)<\/si>/g)]
    .map((m) => unxml([...m[1].matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((x) => x[1]).join('')));
  const col = (ref) => [...ref.replace(/\d+/g, '')].reduce((a, ch) => a * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  const sheets = Object.keys(z).filter((k) => /^xl\/worksheets\/sheet\d+\.xml$/.test(k)).sort().map((k) => {
    const xml = z[k];
    const rows = [];
    for (const m of xml.matchAll(/<row r="(\d+)"[^>]*>([\s\S]*?)<\/row>/g)) {
      const row = [];
      for (const c of m[2].matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const v = /<v>([^<]*)<\/v>/.exec(c[3] || '');
        if (!v) continue;
        row[col(c[1])] = / t="s"/.test(c[2]) ? sst[Number(v[1])] : / t="str"/.test(c[2]) ? unxml(v[1]) : Number(v[1]);
      }
      rows[Number(m[1]) - 1] = Array.from(row, (x) => (x === undefined ? null : x));
    }
    return { xml, rows };
  });
  const [data] = sheets;
  assert.match(data.xml, /<pane [^>]*state="frozen"/, `${what}: the header row is frozen`);
  return { sheets, head: data.rows[0], rows: data.rows.slice(1).filter(Boolean), text: sst.join('\n'), xml: data.xml };
}

// The Content-Disposition's UTF-8 file name.
const fileName = (r) => decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(r.headers['content-disposition'] || '')[1]);

// The names of schools outside town t that no school of t has inside its own name.
function otherSchools(t) {
  const own = F.schoolsOf(t);
  return F.schools.filter((s) => s.parent_id !== t.id && !own.some((o) => o.name.includes(s.name)));
}

function assertNoOtherTown(wb, what) {
  for (const s of otherSchools(F.townA)) {
    assert.ok(!wb.text.includes(s.name), `${what}: ${s.name} of another town in the workbook`);
    assert.ok(!wb.text.includes(s.code), `${what}: ${s.code} of another town in the workbook`);
  }
}

// Rural teachers of school s (the accounting's population), by number.
async function ruralTeachers(s) {
  const r = await w.admin.get('/api/training/teachers', { query: { unit: s.code, year: 2022, size: 500 } });
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

test('gaps: rows with what is missing, counts per check, and only the schools in sight', async () => {
  const r = await w.admin.get('/api/gaps', { query: { check: 'seed,model', year: 2022, size: 500 } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.json.counts).sort(), ['model', 'seed']);
  assert.ok(r.json.items.length > 0);
  const row = r.json.items[0];
  for (const k of ['check', 'check_name', 'clause', 'kind', 'unit', 'unit_name', 'town', 'what', 'have', 'need'])
    assert.ok(k in row, `gap row without ${k}: ${JSON.stringify(row)}`);
  assert.ok(r.json.items.every((x) => ['seed', 'model'].includes(x.check)));
  assert.equal(r.json.counts.seed.gap + r.json.counts.seed.over + r.json.counts.model.gap + r.json.counts.model.over, r.json.total);
  const school = await w.as('school');
  const own = await school.get('/api/gaps', { query: { year: 2022, size: 500 } });
  assert.equal(own.status, 200, own.text);
  assert.ok(own.json.items.every((x) => x.unit === F.schoolA1.code), 'a school sees its own rows only');
  const mine = await w.admin.get('/api/gaps', { query: { year: 2022, unit: F.schoolA1.code, size: 500 } });
  assert.equal(own.json.total, mine.json.total, 'the school sees every row of its own');
  assertError(await school.get('/api/gaps', { query: { unit: F.schoolB1.code } }), 404, 'not_found');
});

test('a training record moves the teacher\'s special hours', async () => {
  const [t] = await ruralTeachers(F.schoolA1);
  assert.ok(t, 'school A1 has a rural teacher');
  const town = await w.as('town');
  const r = await town.post('/api/training/records', {
    teacher: t.teacher_no, name: '接口测试专项研修', hours: 12.5, date: '2021-06-01', special: true,
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.hours.teacher_no, t.teacher_no);
  assert.equal(r.json.hours.special, t.special + 12.5);
  const after = (await ruralTeachers(F.schoolA1)).find((x) => x.teacher_no === t.teacher_no);
  assert.equal(after.special, t.special + 12.5, 'the listing shows the new hours');
  // the same teacher, course and day again is one record
  const again = await town.post('/api/training/records', {
    teacher: t.teacher_no, name: '接口测试专项研修', hours: 12.5, date: '2021-06-01', special: true,
  });
  assertError(again, 409, 'conflict');
});

test('an elective full is refused with a message that says so', async () => {
  const start = day(30);
  let r = await w.admin.post('/api/training/courses', {
    code: 'API-1', name: '接口测试选修课', hours: 8, starts_on: start, ends_on: start, capacity: 1,
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.change, 'inserted');
  assert.equal(r.json.course.places_left, 1);
  const [a, b] = await ruralTeachers(F.schoolA1);
  assert.ok(a && b, 'two rural teachers in school A1');
  r = await w.admin.post('/api/training/enrol', { course: 'API-1', teacher: a.teacher_no });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.course.places_left, 0);
  r = await w.admin.post('/api/training/enrol', { course: 'API-1', teacher: b.teacher_no });
  assertError(r, 422, 'invalid_data');
  assert.match(r.json.error.message, /名额/);
  const list = await w.admin.get('/api/training/courses');
  assert.equal(list.json.courses.find((c) => c.code === 'API-1').enrolled, 1);
});

test('a completion import with a bad row is refused whole, with the row\'s problem', async () => {
  const [t] = await ruralTeachers(F.schoolA1);
  const before = sql(w.db, 'SELECT count(*) AS n FROM training_record')[0].n;
  const csv = '教师编号,课程编号,课程名称,学时,完成日期,专项培训\n'
    + `${t.teacher_no},,导入测试研修,6,2021-07-01,是\n`
    + 'T9999999,,导入测试研修,6,2021-07-01,是\n';
  const r = await w.admin.multipart('POST', '/api/import/training', [
    { name: 'file', filename: '结业记录.csv', type: 'text/csv', content: csv },
    { name: 'dry_run', value: '0' },
  ]);
  assertError(r, 422, 'invalid_data');
  const d = r.json.error.details;
  assert.ok(d.length >= 1 && d.every((x) => x.file === '结业记录.csv' && x.row === 3), JSON.stringify(d));
  assert.equal(sql(w.db, 'SELECT count(*) AS n FROM training_record')[0].n, before, 'nothing written');
  // without the bad row: a dry run first, then the import
  const good = csv.split('\n').slice(0, 2).join('\n') + '\n';
  const dry = await w.admin.multipart('POST', '/api/import/training', [
    { name: 'file', filename: '结业记录.csv', type: 'text/csv', content: good },
  ]);
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual([dry.json.dry_run, dry.json.rows, dry.json.inserted], [true, 1, 1]);
  assert.equal(sql(w.db, 'SELECT count(*) AS n FROM training_record')[0].n, before);
  const town = await w.as('town');
  assertError(await town.multipart('POST', '/api/import/training', [
    { name: 'file', filename: '结业记录.csv', type: 'text/csv', content: good },
  ]), 403, 'forbidden');
});

test('a pairing programme: settings, pools, proposal, acceptance, activity, figures', async () => {
  const P = '/api/pairing/studios';
  let r = await w.admin.get(`${P}/settings`);
  assert.equal(r.status, 200, r.text);
  const doc = r.json.settings;
  r = await w.admin.put(`${P}/settings`, { ...doc, weights: { ...doc.weights, distance: 2 } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.settings.weights.distance, 2);
  r = await w.admin.put(`${P}/settings`, { ...doc, weights: { ...doc.weights, distance: 'far' } });
  assertError(r, 422, 'invalid_data');

  r = await w.admin.post(`${P}/pools/fill`, { year: 2022 });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.added > 0);
  const pools = (await w.admin.get(`${P}/pools`)).json;
  assert.ok(pools.mentors.length > 0 && pools.mentees.length > 0);

  r = await w.admin.post(`${P}/propose`, { year: 2022 });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.outcome.pairs > 0);
  assert.equal(r.json.pairs.length, r.json.outcome.pairs);
  let total = 0;
  for (const p of r.json.pairs) {
    const sum = p.terms.reduce((a, t) => a + t.cost, 0);
    assert.ok(Math.abs(sum - p.cost) < 1e-6, `terms add up to the cost: ${p.explain}`);
    assert.ok(p.mentor.name && p.mentee.name && p.mentee.unit.code && p.explain.includes('合计'));
    total += p.cost;
  }
  assert.ok(Math.abs(total - r.json.outcome.total) < 1e-6);

  const first = r.json.pairs[0];
  const proposed = r.json.outcome.pairs;
  r = await w.admin.post(`${P}/accept`, { pairs: [first.id] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.accepted, 1);
  r = await w.admin.get(`${P}/pairs`, { query: { status: 'accepted' } });
  assert.deepEqual(r.json.items.map((p) => p.id), [first.id]);
  assert.deepEqual(r.json.counts, { proposed: proposed - 1, accepted: 1 });

  r = await w.admin.post(`/api/pairing/pairs/${first.id}/activities`, { kind: 'lesson', date: day(), note: '听评课一次' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.kind, '听评课');

  r = await w.admin.get('/api/pairing');
  const s = r.json.items.find((x) => x.id === 'studios').stats;
  assert.equal(s.accepted, 1);
  assert.equal(s.active, 1);
  assert.equal(s.active_share, 1);
  assert.ok(Math.abs(s.coverage - 1 / s.mentees) < 1e-4, `coverage ${s.coverage} of ${s.mentees} mentees`);
});

test('gaps as a workbook: the JSON rows of every page, Chinese headers, numbers as numbers, the caller\'s scope only', async () => {
  const query = { check: 'seed,model,mentor', year: 2022 };
  const json = await w.admin.get('/api/gaps', { query: { ...query, size: 500 } });
  assert.equal(json.status, 200, json.text);
  assert.ok(json.json.total > json.json.items.length || json.json.total <= 500);
  const r = await w.admin.get('/api/gaps', { query: { ...query, format: 'xlsx', page: 2, size: 1 } });
  const wb = workbook(r, 'gaps');
  assert.equal(fileName(r), '队伍建设缺口_2022年.xlsx');
  assert.equal(r.headers['x-zhenxing-synthetic'], '1');
  assert.deepEqual(wb.head, ['检查项', '条款', '指标', '类别', '年度', '区镇', '学校代码', '学校', '学科',
    '教师编号', '教师', '现有', '应有', '说明']);
  assert.match(wb.xml, /<autoFilter ref="A1:N\d+"/);
  assert.equal(wb.rows.length, json.json.total, 'every page, not one');
  assert.deepEqual(wb.rows.slice(0, json.json.items.length).map((x) => [x[6], x[11], x[12], x[13]]),
    json.json.items.map((x) => [x.unit, x.have, x.need, x.what]));
  assert.ok(wb.rows.every((x) => typeof x[4] === 'number' && typeof x[11] === 'number' && typeof x[12] === 'number'));
  assert.ok(wb.sheets.length === 2 && wb.text.includes('合成数据'), 'the synthetic-data note');
  assertError(await w.admin.get('/api/gaps', { query: { format: 'pdf' } }), 400, 'bad_parameter');

  const town = await w.as('town');
  const own = await town.get('/api/gaps', { query: { year: 2022, format: 'xlsx' } });
  const twb = workbook(own, 'town gaps');
  const tj = await town.get('/api/gaps', { query: { year: 2022, size: 500 } });
  assert.equal(twb.rows.length, tj.json.total);
  assert.ok(twb.rows.every((x) => x[6] === null || F.schoolsOf(F.townA).some((s) => s.code === x[6])));
  assertNoOtherTown(twb, 'town gaps');
  const school = await w.as('school');
  const one = await school.get('/api/gaps', { query: { year: 2022, format: 'xlsx', unit: F.schoolA1.code } });
  const swb = workbook(one, 'school gaps');
  assert.equal(fileName(one), `${F.schoolA1.name}_队伍建设缺口_2022年.xlsx`);
  assert.ok(swb.rows.every((x) => x[6] === F.schoolA1.code));
  assertError(await school.get('/api/gaps', { query: { format: 'xlsx', unit: F.schoolB1.code } }), 404, 'not_found');
});

test('the training accounting as a workbook: the JSON units, a town\'s own', async () => {
  const town = await w.as('town');
  const json = await town.get('/api/training/units', { query: { year: 2021 } });
  assert.equal(json.status, 200, json.text);
  const r = await town.get('/api/training/units', { query: { year: 2021, format: 'xlsx' } });
  const wb = workbook(r, 'training units');
  assert.equal(fileName(r), `${F.townA.name}_教师培训_2021年.xlsx`);
  assert.deepEqual(wb.head, ['层级', '单位代码', '单位', '乡村教师', '已完成目标', '完成率（%）', '达到节点',
    '按期率（%）', '当年节点学时', '目标学时']);
  assert.deepEqual(wb.rows.map((x) => [x[1], x[3], x[4], x[6]]),
    json.json.items.map((u) => [u.code, u.teachers, u.complete, u.on_track]));
  assert.equal(wb.rows[0][1], F.townA.code);
  assertNoOtherTown(wb, 'town training units');
  const city = workbook(await w.admin.get('/api/training/units', { query: { year: 2021, format: 'xlsx' } }), 'city units');
  assert.ok(city.rows.some((x) => x[1] === F.townB.code), 'the city sees every town');
});

test('the teachers behind as a workbook: every page of them, a town\'s own', async () => {
  const town = await w.as('town');
  const json = await town.get('/api/training/teachers', { query: { year: 2022, behind: 1, size: 500 } });
  assert.equal(json.status, 200, json.text);
  assert.ok(json.json.total > 0);
  const r = await town.get('/api/training/teachers', { query: { year: 2022, behind: 1, format: 'xlsx', size: 5 } });
  const wb = workbook(r, 'training teachers');
  assert.equal(fileName(r), `${F.townA.name}_教师培训_未达节点教师_2022年.xlsx`);
  assert.deepEqual(wb.head, ['教师编号', '姓名', '学校代码', '学校', '区镇', '专项学时', '继续教育学时',
    '窗口外专项学时', '当年节点学时', '目标学时', '已完成目标', '达到节点', '差额学时']);
  assert.equal(wb.rows.length, json.json.total);
  assert.deepEqual(wb.rows.slice(0, json.json.items.length).map((x) => [x[0], x[5], x[12], x[11]]),
    json.json.items.map((t) => [t.teacher_no, t.special, t.shortfall, t.on_track ? '是' : '否']));
  assertNoOtherTown(wb, 'town training teachers');
});

test('the pairs as a workbook, with their cost breakdown; a town sees the far side by name only', async () => {
  const P = '/api/pairing/studios/pairs';
  const json = await w.admin.get(P, { query: { year: 2022, size: 500 } });
  assert.equal(json.status, 200, json.text);
  assert.ok(json.json.total > 0, 'the pairing test before made pairs');
  const r = await w.admin.get(P, { query: { year: 2022, format: 'xlsx' } });
  const wb = workbook(r, 'pairs');
  assert.equal(fileName(r), '结对帮扶_名师工作室_2022年.xlsx');
  assert.deepEqual(wb.head, ['编号', '状态', '确认日期', '指定结对', '带教方编号', '带教方', '带教方单位', '带教方学科',
    '受援方编号', '受援方', '受援方单位', '受援方学科', '代价', '同集团项', '距离项', '薄弱学校项', '代价构成',
    '活动次数', '最近活动']);
  assert.deepEqual(wb.rows.map((x) => [x[0], x[1], x[12], x[16]]),
    json.json.items.map((p) => [p.id, p.status === 'accepted' ? '已确认' : '待确认', p.cost, p.explain]));
  for (const [i, p] of json.json.items.entries()) {
    const cost = (id) => p.terms.filter((t) => t.id === id).reduce((a, t) => a + t.cost, 0);
    assert.deepEqual(wb.rows[i].slice(13, 16), [cost('group'), cost('distance'), cost('weak')], `pair ${p.id}`);
  }
  const accepted = workbook(await w.admin.get(P, { query: { year: 2022, status: 'accepted', format: 'xlsx' } }), 'accepted');
  assert.ok(accepted.rows.length >= 1 && accepted.rows.every((x) => x[1] === '已确认'));

  const town = await w.as('town');
  const tj = await town.get(P, { query: { year: 2022, size: 500 } });
  assert.ok(tj.json.total > 0 && tj.json.items.some((p) => p.mentor.hidden || p.mentee.hidden), 'the town sees pairs, some across towns');
  const tr = await town.get(P, { query: { year: 2022, format: 'xlsx' } });
  const twb = workbook(tr, 'town pairs');
  assert.deepEqual(twb.rows.map((x) => x[0]), tj.json.items.map((p) => p.id));
  for (const [i, p] of tj.json.items.entries()) {
    assert.equal(twb.rows[i][8], p.mentee.key, `pair ${p.id}: the mentee's key as the JSON shows it`);
    assert.equal(twb.rows[i][10], p.mentee.unit ? p.mentee.unit.name : null);
    assert.equal(twb.rows[i][6], p.mentor.unit ? p.mentor.unit.name : null);
  }
  assertNoOtherTown(twb, 'town pairs');
});
