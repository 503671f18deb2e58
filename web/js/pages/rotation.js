// rotation.js - 交流轮岗 (#/rotation, clause 3.4.3-T7): each source
// school's quota for a year (eligible teachers, quota, backbone quota,
// proposed, done, met or short), then the proposals and records with
// their reasons.  The city office generates a proposal and accepts it,
// all at once or row by row; everyone else reads their own schools (the
// server decides which).  Both tables download as workbooks.
import { api, download } from '../api.js';
import { h, fmt, table, pageHead, toast, loadCss, yearSelect } from '../ui.js';

const hashOf = (year) => `#/rotation?year=${year}`;

export async function render(main, { query, me, go }) {
  loadCss('teaching');
  const plan = await api.get('/api/plan');
  const year = plan.years.includes(Number(query.year)) ? Number(query.year) : plan.current_year;
  const admin = me.role === '管理员';
  const [quota, list] = await Promise.all([
    api.get('/api/rotation/quota', { year }),
    api.get('/api/rotation', { year }),
  ]);
  const reload = () => render(main, { query: { year }, me, go });

  const yearSel = yearSelect(plan.years, year, (y) => go(hashOf(y)));
  const t = quota.totals;
  const summary = h('p.sub.rot-summary',
    `${year} 年度：城镇学校和集团总校在同一学校任教满规定年限的在编教师 ${fmt(t.eligible)} 人，`
    + `应交流 ${fmt(t.quota)} 人（其中骨干 ${fmt(t.backbone_quota)} 人），已交流 ${fmt(t.done)} 人`
    + `（其中骨干 ${fmt(t.done_backbone)} 人），待确认 ${fmt(t.proposed)} 人；`
    + `达标学校 ${fmt(t.meeting)} / ${fmt(t.schools)} 所。`);

  const quotaGrid = table([
    { title: '学校', get: (s) => h('a', { href: `#/school/${encodeURIComponent(s.code)}` }, s.name) },
    { title: '区镇', get: (s) => s.town || '—' },
    { title: '类别', get: (s) => (s.rural ? '集团总校' : '城镇学校') },
    { title: '符合条件', num: true, get: (s) => fmt(s.eligible) },
    { title: '指标', num: true, get: (s) => fmt(s.quota) },
    { title: '骨干指标', num: true, get: (s) => fmt(s.backbone_quota) },
    { title: '已提议', num: true, get: (s) => fmt(s.proposed) },
    { title: '已交流', num: true, get: (s) => h('span.rot-done', fmt(s.done)) },
    { title: '其中骨干', num: true, get: (s) => fmt(s.done_backbone) },
    { title: '达标', get: (s) => h(`span.badge.${s.meets ? 'st-met' : 'st-behind'}`, s.meets ? '达标' : '未达标') },
  ], quota.items, {
    empty: '所选范围内没有需交流的学校',
    rowAttrs: (s) => ({ class: s.meets ? 'meets' : 'short', dataset: { code: s.code } }),
  });

  const result = h('p.tch-result.rot-result', { 'aria-live': 'polite' });
  const show = (cls, text) => { result.className = `tch-result rot-result ${cls}`; result.textContent = text; };
  const act = async (fn) => {
    try {
      await fn();
    } catch (e) {
      show('error', e.message);
    }
  };
  const tools = admin ? h('div.tch-buttons.rot-tools',
    h('button.primary', { type: 'button', onclick: () => act(async () => {
      const r = await api.post('/api/rotation/propose', { year });
      toast(`已生成方案：${fmt(r.proposed)} 人`);
      await reload();
    }) }, '生成方案'),
    h('button', { type: 'button', disabled: !list.counts.proposed, onclick: () => act(async () => {
      const r = await api.post('/api/rotation/accept', { year });
      toast(`已确认 ${fmt(r.accepted)} 条`);
      await reload();
    }) }, '全部确认')) : null;

  const accept = (x) => act(async () => {
    await api.post('/api/rotation/accept', { year, ids: [x.id] });
    toast(`已确认：${x.teacher_name}`);
    await reload();
  });
  const entries = table([
    { title: '状态', get: (x) => h(`span.badge.${x.status === 'proposed' ? 'st-on' : 'st-met'}`, x.status_title) },
    { title: '教师', get: (x) => (x.teacher_no
      ? h('a', { href: `#/teacher/${encodeURIComponent(x.teacher_no)}` }, x.teacher_name) : x.teacher_name) },
    { title: '原学校', get: (x) => x.from_name },
    { title: '交流学校', get: (x) => x.to_name },
    { title: '形式', get: (x) => x.kind },
    { title: '骨干', get: (x) => (x.backbone ? '是' : '否') },
    { title: '距离（公里）', num: true, get: (x) => fmt(x.km) },
    { title: '理由', get: (x) => h('span.rot-reason', x.reason || '—') },
    ...(admin ? [{ title: '', get: (x) => (x.status === 'proposed'
      ? h('button', { type: 'button', class: 'rot-accept', onclick: () => accept(x) }, '确认') : '') }] : []),
  ], list.items, {
    empty: '当年还没有交流方案或记录',
    rowAttrs: (x) => ({ dataset: { id: String(x.id), status: x.status } }),
  });

  const exports = [
    h('button', { type: 'button', class: 'rot-export-quota', onclick: () => download('/api/rotation/quota', { year, format: 'xlsx' }) }, '导出指标 Excel'),
    h('button', { type: 'button', class: 'rot-export-list', onclick: () => download('/api/rotation', { year, format: 'xlsx' }) }, '导出方案 Excel'),
  ];
  const c = list.counts;
  main.replaceChildren(h('div.page-teaching.page-rotation',
    pageHead('交流轮岗', ...exports),
    h('div.toolbar', h('label', '年度 ', yearSel)),
    summary,
    h('div.section.rot-quota', h('h3', '各校指标'), quotaGrid),
    h('div.section.rot-entries',
      h('h3', '交流方案与记录 ', h('span.n', `待确认 ${fmt(c.proposed)}，已确认 ${fmt(c.accepted)}，另行记录 ${fmt(c.recorded)}`)),
      h('p.sub', '方案先安排骨干教师至骨干指标，再按在本校任教年限由长到短；去向为同学段的乡村学校，'
        + '该学科缺编的优先，其次距离最近。生成新方案会替换未确认的方案，已确认的保留。'),
      tools, result, entries)));
}
