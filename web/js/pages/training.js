// training.js - 教师培训 (#/training): the accounting of the 180 hours of
// special training every rural teacher completes over the plan's years
// (training.h): per unit, the rural teachers, how many have completed the
// target and how many are on track for the year's milestone, from the
// caller's unit down (a town or group opens its schools); the teachers
// behind with their shortfall, page by page; and the course catalogue.
//
// The unit, year and page live in the hash's query, so that a reload or
// the back button shows the same rows again.
import { api, download } from '../api.js';
import { h, fmt, table, pager, pageHead, notice, loadCss, yearSelect, routeHash } from '../ui.js';

const LEVEL_NAME = { city: '全市', town: '区镇', group: '集团', school: '学校' };
const LEVEL_ORDER = ['city', 'town', 'group', 'school'];

const hashOf = (query) => routeHash('/training', query);

// The rows of a list answer, whether a bare array or {items} / {units}.
const rowsOf = (r, key) => (Array.isArray(r) ? r : (r && (r[key] || r.items)) || []);

// A level as the API gives it: "town" or a Chinese name.
function levelOf(u) {
  const l = u.level || u.kind || '';
  if (LEVEL_NAME[l]) return l;
  return Object.keys(LEVEL_NAME).find((k) => LEVEL_NAME[k] === l) || 'school';
}

const pct1 = (v) => (v === null || v === undefined ? '—' : `${fmt(Math.round(Number(v) * 10) / 10)}%`);

// A percentage with a bar; a share under half of what is due is red.
function share(value, low) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const pct = Math.max(0, Math.min(100, Number(value)));
  return h(`span.tch-share${low ? '.low' : ''}`, h('span.bar', h('i', { style: `width:${pct}%` })),
    pct1(value));
}

export async function render(main, { query, me, go }) {
  loadCss('teaching');
  const plan = await api.get('/api/plan');
  const year = plan.years.includes(Number(query.year)) ? Number(query.year) : plan.current_year;
  const page = Number(query.page) > 0 ? Number(query.page) : 1;
  const unit = query.unit || '';
  const to = (change) => go(hashOf({ unit, year, page: '', ...change }));

  const [unitsAns, behind, courses] = await Promise.all([
    api.get('/api/training/units', { unit, year }),
    api.get('/api/training/teachers', { unit, year, behind: 1, page, size: 20 }),
    api.get('/api/training/courses'),
  ]);
  const units = rowsOf(unitsAns, 'units');
  // the unit looked at heads the rows; without one (an inspector, who
  // sees some schools only) the rows are those schools alone
  const top = unit || (unitsAns && unitsAns.unit) || '';
  const self = top ? units.find((u) => u.code === top) : null;

  const yearSel = yearSelect(plan.years, year, (y) => to({ year: y }));

  // the way back up from a unit the caller drilled into
  const crumbs = unit && me.unit && unit !== me.unit.code
    ? h('div.crumbs', h('a', { href: hashOf({ year }) }, me.unit.name), ' › ', self ? self.name : unit)
    : null;

  // the tables shown, every row of them, as workbooks
  const args = (more) => Object.fromEntries(Object.entries({ unit, year, ...more, format: 'xlsx' })
    .filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const exportUnits = h('button', {
    type: 'button', class: 'tr-export', onclick: () => download('/api/training/units', args({})),
  }, '导出 Excel');
  const exportBehind = h('button.link.tr-export-behind', {
    type: 'button', 'aria-label': '导出未达节点教师 Excel',
    onclick: () => download('/api/training/teachers', args({ behind: 1 })),
  }, '导出 Excel');

  main.replaceChildren(h('div.page-teaching.page-training',
    crumbs,
    pageHead(`教师培训${self ? ` · ${self.name}` : ''}`, yearSel, units.length ? exportUnits : null),
    self ? summaryCard(self, year) : null,
    !units.length ? notice('所选范围内没有乡村教师') : null,
    unitSections(units, self, year),
    h('div.section.tr-behind',
      h('div.page-head', h('h3', '未达到进度节点的教师', h('span.n', `${behind.total} 人`)),
        h('div.actions', behind.total ? exportBehind : null)),
      behindTable(behind),
      pager(behind, (p) => to({ page: p > 1 ? String(p) : '' }))),
    h('div.section.tr-courses',
      h('h3', '选学课程目录', h('span.n', `${rowsOf(courses, 'courses').length} 门`)),
      courseTable(rowsOf(courses, 'courses')))));
}

function summaryCard(u, year) {
  const stat = (label, value, small) => h('div', h('dt', label), h('dd', value, small ? h('small', small) : null));
  return h('div.card.tr-summary', h('dl.tch-stats',
    stat('乡村教师', fmt(u.teachers), '人'),
    stat(`已完成${fmt(u.target)}学时`, fmt(u.complete), `人 · ${pct1(u.complete_share)}`),
    stat(`达到 ${year} 年节点（${fmt(u.milestone)} 学时）`, fmt(u.on_track), `人 · ${pct1(u.on_track_share)}`)));
}

// The units under the one looked at, level by level: towns and groups
// open at once; a city's long list of schools waits behind its summary.
function unitSections(units, self, year) {
  if (!units.length) return null;
  const selfLevel = self ? levelOf(self) : '';
  const byLevel = new Map();
  for (const u of units.filter((x) => x !== self)) {
    const l = levelOf(u);
    if (!byLevel.has(l)) byLevel.set(l, []);
    byLevel.get(l).push(u);
  }
  const sections = [];
  // the unit looked at heads the first level below it
  const below = LEVEL_ORDER.slice(LEVEL_ORDER.indexOf(selfLevel) + 1).find((l) => byLevel.has(l));
  for (const l of LEVEL_ORDER) {
    const rows = byLevel.get(l);
    if (!rows) continue;
    const first = self && l === below;
    const grid = unitTable(first ? [self, ...rows] : rows, self, year);
    const title = `${LEVEL_NAME[l]}（${rows.length}）`;
    sections.push(selfLevel === 'city' && l === 'school'
      ? h('details.section.tr-units', { dataset: { level: l } }, h('summary', h('strong', title)), grid)
      : h('div.section.tr-units', { dataset: { level: l } }, h('h3', title), grid));
  }
  return sections.length || !self ? sections : h('div.section.tr-units', unitTable([self], self, year));
}

function unitTable(rows, self, year) {
  const drill = (u) => (u === self || levelOf(u) === 'school'
    ? u.name
    : h('a', { href: hashOf({ unit: u.code, year }), title: '查看下属学校' }, u.name));
  return table([
    { title: '层级', get: (u) => LEVEL_NAME[levelOf(u)] },
    { title: '单位', get: (u) => drill(u) },
    { title: '乡村教师', num: true, get: (u) => fmt(u.teachers) },
    { title: '已完成180学时', num: true, get: (u) => fmt(u.complete) },
    { title: '完成率', get: (u) => share(u.complete_share, false) },
    { title: '达到节点', num: true, get: (u) => fmt(u.on_track) },
    { title: '按期率', get: (u) => share(u.on_track_share, Number(u.on_track_share) < 50) },
  ], rows, {
    empty: '没有乡村教师',
    rowAttrs: (u) => ({ class: u === self ? 'self' : null, dataset: { unit: u.code, level: levelOf(u) } }),
  });
}

function behindTable(list) {
  return table([
    { title: '教师', get: (t) => h('a', { href: `#/teacher/${encodeURIComponent(t.teacher_no)}` }, t.name || t.teacher_no) },
    { title: '教师编号', get: (t) => t.teacher_no },
    { title: '学校', get: (t) => (t.school_code
      ? h('a', { href: `#/school/${encodeURIComponent(t.school_code)}` }, t.school_name || t.school_code) : t.school_name) },
    { title: '区镇', get: (t) => t.town_name || t.town || '—' },
    { title: '专项学时', num: true, get: (t) => fmt(t.special ?? t.hours) },
    { title: '继续教育学时', num: true, get: (t) => fmt(t.continuing) },
    { title: '当年节点', num: true, get: (t) => fmt(t.milestone) },
    { title: '差额', num: true, get: (t) => h('span.tch-shortfall', fmt(t.shortfall)) },
  ], list.items || [], {
    empty: '所有乡村教师都达到了当年的进度节点',
    rowAttrs: (t) => ({ dataset: { teacher: t.teacher_no } }),
  });
}

function courseTable(rows) {
  const any = (v) => (v === null || v === undefined || v === '' || v === 0 ? '不限' : v);
  return table([
    { title: '编号', get: (c) => c.code },
    { title: '课程名称', get: (c) => c.name },
    { title: '学时', num: true, get: (c) => fmt(c.hours) },
    { title: '学科', get: (c) => any(c.subject_name ?? c.subject) },
    { title: '学段', get: (c) => any(c.stage_name ?? c.stage) },
    { title: '类别', get: (c) => (c.required ? h('span.tag.warn', '必修') : h('span.tag', '选修')) },
    { title: '性质', get: (c) => (c.special ? '专项培训' : '继续教育') },
    { title: '已选/名额', num: true, get: (c) => (c.required ? '—'
      : `${fmt(c.enrolled)}/${c.capacity ? fmt(c.capacity) : '不限'}`) },
    { title: '结业', num: true, get: (c) => fmt(c.completed) },
    { title: '起止日期', get: (c) => h('span.nowrap', `${c.starts_on || ''}～${c.ends_on || ''}`) },
    { title: '培训基地', get: (c) => c.base || '—' },
  ], rows, { empty: '课程目录为空', rowAttrs: (c) => ({ dataset: { course: c.code } }) });
}
