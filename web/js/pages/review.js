// review.js - 审核: the submissions of a year for a town officer (its
// schools) and the city (schools or towns), by state, with bulk actions:
// 审核通过, 退回, 确认, 重新打开.
//
// Who may do what to which unit is decided by the server (review.h); the
// page offers a role the actions it can ever take and shows, unit by
// unit, what was done and what was refused and why, so that "10 个已确认，
// 2 个状态不符" reads straight off the screen.
import { api } from '../api.js';
import { h, field, table, pager, toast, pageHead, notice, loadCss, yearSelect } from '../ui.js';

const ADMIN = '管理员', TOWN = '区镇';

const STATES = [
  ['draft', '草稿'], ['submitted', '已上报'], ['approved', '已审核'],
  ['returned', '已退回'], ['accepted', '已确认'],
];
const STATE_NAME = Object.fromEntries(STATES);

// The coloured badge of a review state (also used by the entry page).
export function stateBadge(state, name) {
  loadCss('review');
  return h(`span.badge.rv-${state}`, name || STATE_NAME[state] || state);
}

// A UTC time of the server ("2022-03-01T08:00:00Z") in local time.
export function when(utc) {
  return utc ? new Date(utc).toLocaleString('zh-CN', { hour12: false }) : '';
}

// Who acted, as people read it: the server records a login as
// "user:NAME" to tell it from the command line's operator.
export function who(actor) {
  return (actor || '').replace(/^user:/, '');
}

// The actions, the roles offered them, the levels they apply to, and
// whether they need a comment (退回 and 重新打开 do: the unit is told why).
const ACTIONS = [
  { id: 'approve', name: '审核通过', roles: [ADMIN, TOWN], levels: ['school'] },
  { id: 'return', name: '退回', roles: [ADMIN, TOWN], levels: ['school', 'town'], comment: true },
  { id: 'accept', name: '确认', roles: [ADMIN], levels: ['school', 'town'] },
  { id: 'reopen', name: '重新打开', roles: [ADMIN], levels: ['school', 'town'], comment: true },
];

// What each role has to act on first: the tab it opens on.
function defaultState(role, level) {
  if (role === TOWN || level === 'town') return 'submitted';
  return 'approved';
}

export async function render(main, { me, query, go }) {
  loadCss('review');
  if (me.role !== ADMIN && me.role !== TOWN) {
    main.replaceChildren(pageHead('审核'), notice('只有区镇和管理员审核上报的数据。'));
    return;
  }
  const plan = await api.get('/api/plan');
  const year = plan.years.includes(Number(query.year)) ? Number(query.year) : plan.current_year;
  // a town officer reviews its schools; the city also the towns' own data
  const level = me.role === ADMIN && query.level === 'town' ? 'town' : 'school';
  const state = query.state || defaultState(me.role, level);
  const page = Number(query.page) > 0 ? Number(query.page) : 1;
  const hashOf = (change) => `#/review?${new URLSearchParams({ year, level, state, page, ...change })}`;

  const actions = ACTIONS.filter((a) => a.roles.includes(me.role) && a.levels.includes(level));
  const selected = new Set();
  const names = new Map();             // code -> name of the listed units
  const comment = field('说明', 'comment', {
    type: 'textarea', attrs: { rows: 2, maxlength: 500 },
    help: '退回和重新打开须填写说明，填报单位会看到；审核通过和确认可不填。',
  });
  const count = h('span.rv-count');
  const buttons = actions.map((a) => h(a.id === 'approve' || a.id === 'accept' ? 'button.primary' : 'button',
    { type: 'button', onclick: () => act(a) }, a.name));
  const outcomes = h('div.rv-outcomes', { 'aria-live': 'polite' });
  const tabs = h('nav.rv-tabs', { 'aria-label': '审核状态' });
  const listBox = h('div.rv-list');

  const updateSelection = () => {
    count.textContent = `已选 ${selected.size} 个单位`;
    buttons.forEach((b) => { b.disabled = selected.size === 0; });
  };

  async function load() {
    const list = await api.get('/api/review',
      { year, level, state: state === 'all' ? '' : state, page, size: 50 });
    const total = Object.values(list.counts).reduce((a, b) => a + b, 0);
    tabs.replaceChildren(...[['all', '全部', total], ...STATES.map(([id, name]) => [id, name, list.counts[id]])]
      .map(([id, name, n]) => h('a', { href: hashOf({ state: id, page: 1 }), class: id === state ? 'active' : null },
        `${name} `, h('span.n', String(n)))));
    selected.clear();
    names.clear();
    list.items.forEach((it) => names.set(it.code, it.name));
    const boxes = [];
    const pickAll = h('input', {
      type: 'checkbox', 'aria-label': '全选本页',
      onchange: (e) => {
        boxes.forEach((b) => { b.checked = e.target.checked; b.dispatchEvent(new Event('change')); });
      },
    });
    const box = (it) => {
      const b = h('input', {
        type: 'checkbox', value: it.code, 'aria-label': `选择 ${it.name}`,
        onchange: () => { if (b.checked) selected.add(it.code); else selected.delete(it.code); updateSelection(); },
      });
      boxes.push(b);
      return b;
    };
    const columns = [
      { title: pickAll, get: box },
      { title: level === 'town' ? '区镇' : '学校', get: (it) => h('a', { href: `#/entry?${new URLSearchParams({ unit: it.code, year })}`, title: '查看填报数据' }, it.name) },
      level === 'school' && { title: '区镇', get: (it) => it.town },
      { title: '状态', get: (it) => stateBadge(it.state, it.state_name) },
      { title: '更新人', get: (it) => who(it.updated_by) },
      { title: '更新时间', get: (it) => when(it.updated_at) },
      { title: '说明', get: (it) => it.comment },
    ].filter(Boolean);
    listBox.replaceChildren(
      table(columns, list.items, { empty: '没有这个状态的单位' }),
      pager(list, (p) => go(hashOf({ page: p }))));
    updateSelection();
  }

  async function act(a) {
    comment.setError('');
    const text = comment.input.value.trim();
    if (a.comment && !text) {
      comment.setError(`${a.name}须填写说明`);
      comment.input.focus();
      return;
    }
    const units = [...selected];
    let res;
    buttons.forEach((b) => { b.disabled = true; });
    try {
      res = await api.post(`/api/review/${a.id}`, { year, units, comment: text });
    } catch (e) {
      // one unit refused is the request's error (404/409); show it as that
      // unit's outcome, like a refusal in bulk
      if (units.length !== 1 || (e.status !== 404 && e.status !== 409)) {
        outcomes.replaceChildren(notice(e.message, 'error'));
        updateSelection();
        return;
      }
      res = { done: 0, refused: 1, outcomes: [{ unit: units[0], ok: false, why: '未完成', message: e.message }] };
    }
    if (res.done) comment.input.value = '';
    // the outcomes are drawn while the names of the units acted on are
    // still listed, and shown once the list has caught up with them
    const summary = `${a.name}：完成 ${res.done} 个${res.refused ? `，未完成 ${res.refused} 个` : ''}`;
    const panel = outcomePanel(summary, res);
    try {
      await load();
    } catch (e) {
      listBox.replaceChildren(notice(e.message, 'error'));
    }
    outcomes.replaceChildren(panel);
    toast(summary, res.refused ? 'error' : 'ok');
  }

  function outcomePanel(summary, res) {
    return h('div.card',
      h('div.rv-summary', summary, h('button.link', { type: 'button', onclick: () => outcomes.replaceChildren() }, '关闭')),
      table([
        { title: '单位', get: (o) => names.get(o.unit) || o.unit },
        { title: '结果', get: (o) => h(o.ok ? 'span.rv-ok' : 'span.rv-refused', o.ok ? '完成' : o.why) },
        { title: '状态', get: (o) => (o.ok ? `${STATE_NAME[o.from]} → ${STATE_NAME[o.to]}` : STATE_NAME[o.from] || '') },
        { title: '原因', get: (o) => o.message },
      ], res.outcomes, { rowAttrs: (o) => ({ class: o.ok ? 'ok' : 'refused' }) }));
  }

  const yearSel = yearSelect(plan.years, year, (y) => go(hashOf({ year: y, page: 1 })));
  const levelTabs = me.role === ADMIN && h('nav.rv-levels', { 'aria-label': '上报单位' },
    [['school', '学校'], ['town', '区镇本级']].map(([id, name]) =>
      h('a', { href: `#/review?${new URLSearchParams({ year, level: id })}`, class: id === level ? 'active' : null }, name)));

  await load();
  main.replaceChildren(...[
    pageHead('审核', yearSel),
    levelTabs, tabs,
    h('div.card.rv-bar', comment.el, h('div.rv-buttons', buttons, count)),
    outcomes, listBox].filter(Boolean));
}
