// pairing.js - 结对帮扶 (#/pairing, #/pairing/:programme): the pairing
// programmes of clause 4.2 (pairing.h) as tabs with their coverage; for
// the office (管理员) the programme's settings (weights, pins, forbids),
// filling the pools from the registry and the proposal of one-to-one
// pairs at least total cost, each pair with the terms of its cost so that
// the proposal explains itself ("同学科 ✓, 同集团 −20, 距离 12.7 km
// +12.7"); accepting the proposal in full or pair by pair; and the
// accepted pairs with the activities that show them at work.
//
// What a role may change is decided by the server; the page offers the
// office's tools to the office only and shows every refusal beside the
// button or field it came from.
import { api, download } from '../api.js';
import { h, fmt, table, pager, field, toast, pageHead, notice, loadCss, yearSelect } from '../ui.js';

const ADMIN = '管理员', TOWN = '区镇', SCHOOL = '学校';
// Who is offered the activity form (the server has the last word).
const ACTIVITY_ROLES = [ADMIN, TOWN, SCHOOL];
const KINDS = [['visit', '走访'], ['lesson', '听评课'], ['help', '帮扶事项']];
const WEIGHTS = [
  ['group', '同集团减分', '带教方与受援方同属一个集团时，代价减去此值'],
  ['distance', '每公里加分', '两校之间每公里距离加到代价上的值'],
  ['weak', '每项滞后减分', '受援学校每有一项指标“滞后”，代价减去此值'],
];
const SIZE = 50;

const pairsPath = (p) => `/api/pairing/${encodeURIComponent(p)}`;
// The rows of a list answer, whether a bare array or {items} / {key}.
const rowsOf = (r, key) => (Array.isArray(r) ? r : (r && (r[key] || r.items)) || []);

// A cost as the proposal writes it: the sign always shown, − for minus.
export function signed(v) {
  const n = Number(v) || 0;
  if (n === 0) return '0';
  return n > 0 ? `+${fmt(n)}` : `−${fmt(-n)}`;
}
const total = (v) => (Number(v) < 0 ? `−${fmt(-Number(v))}` : fmt(Number(v)));

// A programme's figures: pool sizes, pairs, coverage of the mentees.
function coverageOf(st) {
  if (!st) return null;
  if (st.mentees > 0 && st.mentees_accepted !== undefined) return (100 * st.mentees_accepted) / st.mentees;
  if (st.coverage === null || st.coverage === undefined || Number.isNaN(Number(st.coverage))) return null;
  return Number(st.coverage) <= 1 ? Number(st.coverage) * 100 : Number(st.coverage);
}
const pct = (v) => (v === null || v === undefined ? '—' : `${fmt(Math.round(v * 10) / 10)}%`);

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

export async function render(main, ctx) {
  loadCss('teaching');
  const { params, query, me, go } = ctx;
  const [ans, plan] = await Promise.all([api.get('/api/pairing'), api.get('/api/plan')]);
  const programmes = rowsOf(ans, 'programmes');
  if (!programmes.length) {
    main.replaceChildren(pageHead('结对帮扶'), notice('计划没有结对帮扶项目。'));
    return;
  }
  const prog = params.programme ? programmes.find((p) => p.id === params.programme) : programmes[0];
  if (!prog) {
    main.replaceChildren(pageHead('结对帮扶'), notice(`没有结对项目“${params.programme}”。`, 'error'));
    return;
  }
  const year = plan.years.includes(Number(query.year)) ? Number(query.year) : plan.current_year;
  const admin = me.role === ADMIN;
  const reload = () => (main.isConnected ? render(main, ctx) : null);
  const state = { year, prog, admin, me, reload, go };

  const tabs = h('nav.tch-tabs.pr-programmes', { 'aria-label': '结对项目' },
    programmes.map((p) => h('a', {
      href: `#/pairing/${encodeURIComponent(p.id)}${query.year ? `?year=${year}` : ''}`,
      class: p.id === prog.id ? 'active' : null, dataset: { programme: p.id },
    }, shortTitle(p), h('span.n', pct(coverageOf(p.stats))))));

  const yearSel = yearSelect(plan.years, year, (y) => go(`#/pairing/${encodeURIComponent(prog.id)}?year=${y}`));

  // every pair in sight, both statuses, with its cost terms, as a workbook
  const exportBtn = h('button', {
    type: 'button', class: 'pr-export',
    onclick: () => download(`${pairsPath(prog.id)}/pairs`, { year, format: 'xlsx' }),
  }, '导出 Excel');

  const proposed = h('div.section.pr-proposed');
  const accepted = h('div.section.pr-accepted');
  state.sections = { proposed, accepted };

  main.replaceChildren(h('div.page-teaching.page-pairing',
    pageHead('结对帮扶', yearSel, exportBtn), tabs,
    h('h3.pr-title', prog.title, prog.clause ? h('span.tag', prog.clause) : null),
    statsCard(prog.stats),
    admin ? await toolsBox(state) : null,
    proposed, accepted));
  await Promise.all([loadProposed(state), loadAccepted(state)]);
}

// "城区学科带头人一对一帮扶乡村教师（青蓝结对）" is long for a tab: the
// tab shows a short name where one is known, the title in its tooltip.
const SHORT = { leaders: '名校长', studios: '名师工作室', subject_leaders: '学科带头人', cadres: '干部' };
function shortTitle(p) {
  return h('span', { title: p.title }, p.short_title || SHORT[p.id] || p.title);
}

function statsCard(st) {
  if (!st) return null;
  const stat = (cls, label, value, small) => h(`div.${cls}`, h('dt', label), h('dd', h('span.v', value), small ? h('small', small) : null));
  return h('div.card.pr-stats', h('dl.tch-stats',
    stat('pr-coverage', '受援方覆盖率', pct(coverageOf(st)), `${fmt(st.mentees_accepted)}/${fmt(st.mentees)}`),
    stat('pr-mentors', '带教方', fmt(st.mentors), `已结对 ${fmt(st.mentors_accepted)}`),
    stat('pr-mentees', '受援方', fmt(st.mentees), `待确认 ${fmt(st.mentees_proposed)}`),
    stat('pr-pairs', '已确认结对', fmt(st.accepted), `待确认 ${fmt(st.proposed)}`),
    stat('pr-active', '本学期有活动', fmt(st.active),
      st.term_from ? `${st.term_from}～${st.term_to}` : null)));
}

// ---- the office's tools ---------------------------------------------------------

async function toolsBox(state) {
  const [settingsAns, poolsAns] = await Promise.all([
    api.get(`${pairsPath(state.prog.id)}/settings`),
    api.get(`${pairsPath(state.prog.id)}/pools`),
  ]);
  const doc = settingsAns && settingsAns.settings && typeof settingsAns.settings === 'object'
    ? settingsAns.settings : settingsAns;
  const pools = poolsOf(poolsAns);
  return h('div.tch-tools', settingsCard(state, doc, pools), poolsCard(state, pools));
}

// The members of both pools, whatever the answer's shape.
function poolsOf(ans) {
  if (ans && Array.isArray(ans.mentors) && Array.isArray(ans.mentees)) return { mentors: ans.mentors, mentees: ans.mentees };
  const all = rowsOf(ans, 'members');
  const isMentor = (m) => m.mentor === true || m.mentor === 1 || m.side === 'mentor';
  return { mentors: all.filter(isMentor), mentees: all.filter((m) => !isMentor(m)) };
}

// [[mentor, mentee], ...] whether stored as pairs or {mentor, mentee}.
const pairList = (v) => (Array.isArray(v) ? v : []).map((p) => (Array.isArray(p) ? [p[0], p[1]] : [p.mentor, p.mentee]));

function settingsCard(state, doc, pools) {
  const weights = (doc && doc.weights) || {};
  const wFields = WEIGHTS.map(([id, label, help]) => {
    const f = field(label, `weight-${id}`, {
      type: 'number', value: weights[id] ?? '', help, attrs: { step: 'any', required: true },
    });
    f.id = id;
    return f;
  });
  const lists = {
    pins: pairList(doc && doc.pins),
    forbids: pairList(doc && doc.forbids),
  };
  const result = h('p.tch-result', { 'aria-live': 'polite' });
  const listBoxes = {
    pins: pairEditor('指定结对', 'pins', lists, pools),
    forbids: pairEditor('禁止结对', 'forbids', lists, pools),
  };
  const save = h('button.primary', { type: 'submit' }, '保存设置');
  const form = h('form.card.pr-settings', h('h4', '项目设置'), wFields.map((f) => f.el),
    h('div.tch-lists', listBoxes.pins, listBoxes.forbids),
    h('div.tch-buttons', save, result));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    wFields.forEach((f) => f.setError(''));
    result.className = 'tch-result';
    result.textContent = '';
    const next = { ...doc, weights: { ...weights }, pins: lists.pins, forbids: lists.forbids };
    for (const f of wFields) {
      const v = Number(f.input.value);
      if (f.input.value.trim() === '' || !Number.isFinite(v)) {
        f.setError('请填写一个数');
        return;
      }
      next.weights[f.id] = v;
    }
    save.disabled = true;
    try {
      await api.put(`${pairsPath(state.prog.id)}/settings`, next);
      toast('设置已保存');
      result.className = 'tch-result ok';
      result.textContent = '已保存，重新“生成方案”后生效。';
    } catch (e) {
      result.className = 'tch-result error';
      const details = (e.details || []).map((d) => d.message || String(d));
      result.replaceChildren(...[e.message, details.length ? h('ul', details.map((d) => h('li', d))) : null].filter(Boolean));
      for (const d of e.details || []) {
        const f = wFields.find((w) => String(d.field || d.column || '').includes(w.id));
        if (f) f.setError(d.message);
      }
    } finally {
      save.disabled = false;
    }
  });
  return form;
}

// A list of [mentor, mentee] keys with 移除 per row and a line to add one;
// the pools' members are offered as suggestions.
function pairEditor(title, key, lists, pools) {
  const ul = h('ul.tch-pairlist');
  const name = new Map([...pools.mentors, ...pools.mentees].map((m) => [m.key, m.name]));
  const label = (k) => (name.has(k) && name.get(k) !== k ? `${k} ${name.get(k)}` : k);
  const draw = () => {
    ul.replaceChildren(...(lists[key].length ? lists[key].map(([a, b], i) => h('li', { dataset: { mentor: a, mentee: b } },
      h('span', label(a)), h('span.arrow', '→'), h('span', label(b)),
      h('button.link', { type: 'button', onclick: () => { lists[key].splice(i, 1); draw(); } }, '移除')))
      : [h('li.muted', '（无）')]));
  };
  draw();
  const idM = `pr-${key}-mentors`, idE = `pr-${key}-mentees`;
  const mentor = h('input', { name: `${key}-mentor`, placeholder: '带教方编号', list: idM, 'aria-label': `${title}：带教方` });
  const mentee = h('input', { name: `${key}-mentee`, placeholder: '受援方编号', list: idE, 'aria-label': `${title}：受援方` });
  const err = h('span.field-error', { role: 'alert' });
  const add = () => {
    err.textContent = '';
    const a = mentor.value.trim(), b = mentee.value.trim();
    if (!a || !b) { err.textContent = '请填写带教方和受援方'; return; }
    if (lists[key].some(([x, y]) => x === a && y === b)) { err.textContent = '已在列表中'; return; }
    lists[key].push([a, b]);
    mentor.value = '';
    mentee.value = '';
    draw();
  };
  return h('div', { class: `pr-${key}` }, h('h4', title), ul,
    h('div.tch-pairadd', mentor, h('span.arrow', '→'), mentee,
      h('button', { type: 'button', onclick: add }, '添加'), err),
    h(`datalist#${idM}`, pools.mentors.slice(0, 1000).map((m) => h('option', { value: m.key }, m.name))),
    h(`datalist#${idE}`, pools.mentees.slice(0, 1000).map((m) => h('option', { value: m.key }, m.name))));
}

function poolsCard(state, pools) {
  const sizes = h('p.tch-pools');
  const drawSizes = (p) => sizes.replaceChildren(
    h('span.pr-pool-mentors', '带教方 ', h('strong', String(p.mentors.length)), ' 名'),
    h('span.pr-pool-mentees', '受援方 ', h('strong', String(p.mentees.length)), ' 名'));
  drawSizes(pools);
  const result = h('p.tch-result.pr-result', { 'aria-live': 'polite' });
  const show = (cls, ...text) => { result.className = `tch-result pr-result ${cls}`; result.replaceChildren(...text.filter(Boolean)); };
  const fail = (e) => show('error', e.message,
    (e.details || []).length ? h('ul', e.details.map((d) => h('li', d.message || String(d)))) : null);
  const fill = h('button', { type: 'button' }, '填充名单');
  const propose = h('button.primary', { type: 'button' }, '生成方案');
  const busy = (on) => { fill.disabled = on; propose.disabled = on; };

  fill.addEventListener('click', async () => {
    busy(true);
    try {
      const r = await api.post(`${pairsPath(state.prog.id)}/pools/fill`, { year: state.year });
      const fresh = poolsOf(await api.get(`${pairsPath(state.prog.id)}/pools`));
      drawSizes(fresh);
      show('ok', `名单已按 ${state.year} 年度登记数据更新：新增 ${fmt(r && r.added)} 名，移出 ${fmt(r && r.removed)} 名。`);
      toast('名单已填充');
    } catch (e) {
      fail(e);
    } finally {
      busy(false);
    }
  });
  propose.addEventListener('click', async () => {
    busy(true);
    try {
      const r = await api.post(`${pairsPath(state.prog.id)}/propose`, { year: state.year });
      const o = (r && r.outcome) || {};
      toast(`已生成方案：${fmt(o.pairs)} 对`);
      await state.reload();
      // the page is drawn anew: tell the outcome in the new one
      const again = document.querySelector('.page-pairing .pr-result');
      if (again) {
        again.className = 'tch-result pr-result ok';
        again.textContent = `方案：${fmt(o.pairs)} 对待确认，总代价 ${total(o.total)}；`
          + `已确认结对保持 ${fmt(o.kept)} 对；未结对带教方 ${fmt(o.mentors_left)} 名、受援方 ${fmt(o.mentees_left)} 名。`;
      }
    } catch (e) {
      fail(e);
      busy(false);
    }
  });
  return h('div.card.pr-pools', h('h4', '名单与方案'), sizes,
    h('p.sub', `“填充名单”按项目设置从 ${state.year} 年度的登记数据重新生成带教方和受援方名单；`
      + '“生成方案”按必备条件和权重求总代价最小的一对一方案，替换此前未确认的方案。'),
    h('div.tch-buttons', fill, propose), result);
}

// ---- the pairs ----------------------------------------------------------------------

// One page of the pairs of a status: the server's paging when it pages,
// else the whole list paged here.
async function pairsPage(state, status, page) {
  const ans = await api.get(`${pairsPath(state.prog.id)}/pairs`, { status, year: state.year, page, size: SIZE });
  if (!Array.isArray(ans) && ans && typeof ans.total === 'number' && ans.page) return ans;
  const all = rowsOf(ans, 'pairs').filter((p) => !status || p.status === status);
  return { items: all.slice((page - 1) * SIZE, page * SIZE), total: all.length, page, size: SIZE, all };
}

function member(m) {
  if (!m) return '—';
  const unit = (m.unit && m.unit.name) || m.unit_name || m.school || '';
  return [h('span.pr-name', m.name || m.key), m.key && m.key !== m.name ? h('span.muted', ` ${m.key}`) : null,
    unit && unit !== m.name ? h('span.sub', unit) : null];
}

export function termsList(p) {
  return h('ul.tch-terms', (p.terms || []).map((t) => {
    const c = Number(t.cost) || 0;
    return h(`li.${c > 0 ? 'plus' : c < 0 ? 'minus' : 'zero'}`, { dataset: { term: t.id, cost: String(c) } },
      t.label, c !== 0 ? h('span.v', signed(c)) : null);
  }));
}

function costCell(p) {
  return h('span.tch-cost', { dataset: { cost: String(p.cost) } }, total(p.cost));
}

async function loadProposed(state, page = 1) {
  const box = state.sections.proposed;
  let list;
  try {
    list = await pairsPage(state, 'proposed', page);
  } catch (e) {
    box.replaceChildren(h('h3', '结对方案'), notice(e.message, 'error'));
    return;
  }
  const acceptOne = async (p, btn) => {
    btn.disabled = true;
    try {
      await api.post(`${pairsPath(state.prog.id)}/accept`, { pairs: [p.id] });
      toast(`已采纳：${p.mentor.name} → ${p.mentee.name}`);
      await state.reload();
    } catch (e) {
      btn.disabled = false;
      toast(e.message, 'error');
    }
  };
  const columns = [
    { title: '带教方', get: (p) => [member(p.mentor), p.pinned ? h('span.tag', '指定') : null] },
    { title: '受援方', get: (p) => member(p.mentee) },
    { title: '代价', num: true, get: costCell },
    { title: '代价构成', get: (p) => [termsList(p), p.explain ? h('div.tch-explain', p.explain) : null] },
    state.admin && {
      title: '操作',
      get: (p) => {
        const btn = h('button', { type: 'button', class: 'pr-accept' }, '采纳');
        btn.addEventListener('click', () => acceptOne(p, btn));
        return h('div.nowrap', btn, ' ', h('button.link', { type: 'button', onclick: (e) => editRow(state, p, e.target) }, '调整'));
      },
    },
  ].filter(Boolean);
  const all = h('button.primary', { type: 'button', class: 'pr-accept-all', disabled: list.total === 0 }, '全部采纳');
  all.addEventListener('click', async () => {
    all.disabled = true;
    try {
      const r = await api.post(`${pairsPath(state.prog.id)}/accept`, { all: true });
      const n = r ? (r.accepted ?? r.count) : undefined;
      toast(`已采纳 ${fmt(n ?? list.total)} 对`);
      await state.reload();
    } catch (e) {
      all.disabled = false;
      toast(e.message, 'error');
    }
  });
  const sum = list.all ? list.all.reduce((a, p) => a + (Number(p.cost) || 0), 0) : null;
  box.replaceChildren(...[
    h('div.page-head', h('h3', '结对方案（待确认）', h('span.n', `${list.total} 对${sum !== null && list.total
      ? `，总代价 ${total(Math.round(sum * 100) / 100)}` : ''}`)), h('div.actions', state.admin && list.total ? all : null)),
    table(columns, list.items, {
      empty: state.admin ? '没有待确认的结对：先“填充名单”，再“生成方案”' : '没有待确认的结对',
      rowAttrs: (p) => ({ class: p.pinned ? 'pinned' : null, dataset: { pair: p.id, status: p.status } }),
    }),
    list.total > SIZE ? pager(list, (n) => loadProposed(state, n)) : null].filter(Boolean));
}

// 调整: replaces the mentor and/or the mentee of a proposed pair, in a
// row under it.
function editRow(state, p, btn) {
  const tr = btn.closest('tr');
  if (tr.nextElementSibling && tr.nextElementSibling.classList.contains('pr-edit-row')) {
    tr.nextElementSibling.remove();
    return;
  }
  const mentor = field('带教方编号', 'mentor', { value: p.mentor.key });
  const mentee = field('受援方编号', 'mentee', { value: p.mentee.key });
  const form = h('form.tch-activity.pr-edit', mentor.el, mentee.el, h('button.primary', { type: 'submit' }, '保存调整'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    mentor.setError('');
    mentee.setError('');
    const body = {};
    if (mentor.input.value.trim() !== p.mentor.key) body.mentor = mentor.input.value.trim();
    if (mentee.input.value.trim() !== p.mentee.key) body.mentee = mentee.input.value.trim();
    if (!body.mentor && !body.mentee) {
      mentee.setError('没有改动');
      return;
    }
    try {
      await api.patch(`/api/pairing/pairs/${encodeURIComponent(p.id)}`, body);
      toast('结对已调整');
      await state.reload();
    } catch (e) {
      (body.mentee && !body.mentor ? mentee : mentor).setError(e.message);
    }
  });
  tr.after(h('tr.pr-edit-row', h('td', { colspan: tr.children.length }, form)));
}

async function loadAccepted(state, page = 1) {
  const box = state.sections.accepted;
  let list;
  try {
    list = await pairsPage(state, 'accepted', page);
  } catch (e) {
    box.replaceChildren(h('h3', '已确认结对'), notice(e.message, 'error'));
    return;
  }
  const mayLog = ACTIVITY_ROLES.includes(state.me.role);
  const columns = [
    { title: '带教方', get: (p) => member(p.mentor) },
    { title: '受援方', get: (p) => member(p.mentee) },
    { title: '代价', num: true, get: costCell },
    { title: '代价构成', get: (p) => termsList(p) },
    { title: '确认日期', get: (p) => h('span.nowrap', p.accepted_on || '—') },
    { title: '活动', num: true, get: (p) => [h('span.pr-activities', String(p.activities ?? 0)),
      p.last_activity ? h('span.sub.nowrap', `最近 ${p.last_activity}`) : null] },
    mayLog && {
      title: '操作',
      // the mentee's side records what the pair did; the server checks
      // the caller may change the mentee's unit
      get: (p) => (p.mentee && p.mentee.hidden ? null
        : h('button', { type: 'button', class: 'pr-log', onclick: (e) => activityRow(state, p, e.target, page) }, '记录活动')),
    },
  ].filter(Boolean);
  box.replaceChildren(...[
    h('h3', '已确认结对', h('span.n', `${list.total} 对`)),
    table(columns, list.items, {
      empty: '还没有确认的结对',
      rowAttrs: (p) => ({ class: 'accepted', dataset: { pair: p.id, status: p.status } }),
    }),
    list.total > SIZE ? pager(list, (n) => loadAccepted(state, n)) : null].filter(Boolean));
}

// The activity form of an accepted pair, in a row under it: kind, date,
// note; the server's refusal shows beside the field it names.
function activityRow(state, p, btn, page) {
  const tr = btn.closest('tr');
  if (tr.nextElementSibling && tr.nextElementSibling.classList.contains('pr-activity-row')) {
    tr.nextElementSibling.remove();
    return;
  }
  const kind = field('类型', 'kind', { type: 'select', options: KINDS, required: true });
  const date = field('日期', 'date', { type: 'date', value: today(), required: true });
  const note = field('说明', 'note', { type: 'textarea', attrs: { rows: 2, maxlength: 2000 } });
  const form = h('form.tch-activity.pr-activity', kind.el, date.el, note.el,
    h('button.primary', { type: 'submit' }, '保存活动'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    [kind, date, note].forEach((f) => f.setError(''));
    if (!date.input.value) {
      date.setError('请填写日期');
      return;
    }
    try {
      await api.post(`/api/pairing/pairs/${encodeURIComponent(p.id)}/activities`,
        { kind: kind.input.value, date: date.input.value, note: note.input.value.trim() });
      toast('活动已记录');
      if (form.isConnected) await loadAccepted(state, page);
    } catch (e) {
      const names = (e.details || []).map((d) => String(d.field || d.column || ''));
      const f = names.includes('kind') ? kind : names.includes('date') ? date : /日期/.test(e.message) ? date : note;
      f.setError(e.message);
    }
  });
  tr.after(h('tr.pr-activity-row', h('td', { colspan: tr.children.length }, form)));
}
