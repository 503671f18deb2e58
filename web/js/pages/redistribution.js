// redistribution.js - 教师调配 (#/redistribution, clause 3.4.3-T8): the
// year's moves of surplus teachers from over-staffed schools to schools
// short of their subject, each with its reason; the office proposes the
// optimal set (redistrib.h: as many shortages filled as the rules allow,
// then the least distance and fewest moves) and accepts moves one by one
// or all at once.  Accepting records the decision only: the teacher is
// moved in the registry through the normal edit.
//
// A town or school sees the moves touching its schools; of a school out
// of its sight the server gives neither code nor name.
import { api, download } from '../api.js';
import { h, fmt, table, toast, pageHead, loadCss, yearSelect, routeHash } from '../ui.js';

const hashOf = (query) => routeHash('/redistribution', query);

const STATUS_NAME = { proposed: '待确认', accepted: '已确认' };

export async function render(main, { query, me, go }) {
  loadCss('staffing');
  const plan = await api.get('/api/plan');
  const year = plan.years.includes(Number(query.year)) ? Number(query.year) : plan.current_year;
  const status = STATUS_NAME[query.status] ? query.status : '';
  const to = (change) => go(hashOf({ year, status, ...change }));
  const admin = me.role === '管理员';
  const data = await api.get('/api/redistribution', { year, status });

  const act = (label, cls, fn) => h('button', {
    type: 'button', class: cls,
    onclick: async (e) => {
      e.target.disabled = true;
      try {
        toast(await fn());
        to({});
      } catch (err) {
        toast(err.message, 'error');
        e.target.disabled = false;
      }
    },
  }, label);

  const actions = [h('button', { type: 'button', class: 'rd-export', onclick: () => download('/api/redistribution', { year, status, format: 'xlsx' }) }, '导出 Excel')];
  if (admin) {
    actions.unshift(act('提出调配方案', 'primary rd-propose', async () => {
      const r = await api.post('/api/redistribution/propose', { year });
      const o = r.outcome;
      return `已提出 ${year} 年调配方案：${o.moves} 人次，总距离 ${fmt(o.km)} km，保留已确认 ${o.kept} 人次，未能补足的缺额 ${o.unfilled} 人`;
    }));
    if (data.counts.proposed) {
      actions.splice(1, 0, act('全部确认', 'rd-accept-all', async () => {
        const r = await api.post('/api/redistribution/accept', { year, all: true });
        return `已确认 ${r.accepted} 人次调配；教师名册未改变，调动请通过教师信息修改办理`;
      }));
    }
  }

  const yearSel = yearSelect(plan.years, year, (y) => to({ year: y }));
  const statusSel = h('select', { name: 'status', 'aria-label': '状态', onchange: (e) => to({ status: e.target.value }) },
    h('option', { value: '' }, '全部'),
    Object.entries(STATUS_NAME).map(([id, name]) => h('option', { value: id, selected: id === status }, name)));

  const columns = [
    { title: '编号', num: true, get: (m) => String(m.id) },
    { title: '状态', get: (m) => h(`span.badge.${m.status === 'accepted' ? 'stf-even' : 'stf-none'}`, STATUS_NAME[m.status]) },
    { title: '教师', get: (m) => (m.teacher_no ? h('a', { href: `#/teacher/${encodeURIComponent(m.teacher_no)}` }, m.teacher) : m.teacher) },
    { title: '学科', get: (m) => `${m.subject_name}（${m.stage_name}）` },
    { title: '调出学校', get: (m) => m.from.name },
    { title: '调入学校', get: (m) => m.to.name },
    { title: '距离（km）', num: true, get: (m) => fmt(m.km) },
    { title: '跨学段', get: (m) => (m.cross_stage ? '是' : '否') },
    { title: '理由', get: (m) => h('span.rd-reason', m.reason) },
  ];
  if (admin) {
    columns.push({
      title: '操作',
      get: (m) => (m.status === 'proposed' ? act('确认', 'rd-accept', async () => {
        await api.post('/api/redistribution/accept', { year, ids: [m.id] });
        return `已确认调配 ${m.id}：${m.teacher} → ${m.to.name}`;
      }) : '—'),
    });
  }
  const grid = table(columns, data.moves, {
    empty: admin ? '当年还没有调配方案，可点击“提出调配方案”' : '当年没有涉及本单位的调配',
    rowAttrs: (m) => ({ dataset: { id: m.id, status: m.status } }),
  });

  main.replaceChildren(h('div.page-staffing.page-redistribution',
    pageHead('教师调配', actions),
    h('div.filters.rd-filters', h('label', '年度 ', yearSel), h('label', '状态 ', statusSel)),
    h('p.sub.rd-summary', `${year} 年度：待确认 ${data.counts.proposed} 人次，已确认 ${data.counts.accepted} 人次；`
      + `所列调配总距离 ${fmt(data.km)} km。`),
    h('p.rd-note', '超编学校的富余在编教师按学科调往缺编学校（条款 3.4.3-T8）；方案为精确最优解：能补的缺额尽量补上，'
      + '其次总距离最短、调动人次最少。确认调配只记录决定，不改变教师名册，调动由办公室通过教师信息修改或导入办理。'),
    grid));
}
