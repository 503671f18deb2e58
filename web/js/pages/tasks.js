// tasks.js - 任务督办: the plan's tasks by responsible unit and status
// (#/tasks), and one task with each unit's notes, evidence files and, where
// the caller may write, the forms to report progress (#/task/:id).
//
// Filters, the status tab and the page live in the hash's query, so that a
// reload or the back button shows the same rows again.
import { api } from '../api.js';
import { h, table, pager, field, statusBadge, toast, pageHead, notice, loadCss } from '../ui.js';

// The task statuses as the API names them, drawn with the indicator
// badges' colours: done is met, in progress on track, overdue behind.
const BADGE = { done: 'met', in_progress: 'on_track', overdue: 'behind', not_started: 'no_data' };
// The tabs, overdue first as the listing is; the counts come by Chinese name.
const TABS = [['overdue', '逾期'], ['not_started', '未启动'], ['in_progress', '推进中'], ['done', '已完成']];
// What a unit may record: 逾期 is worked out from the deadline, never set.
const SETTABLE = ['未启动', '推进中', '已完成'];

const when = (iso) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');

function badge(row) {
  return statusBadge(BADGE[row.status], row.status_name);
}

// The hash of the listing with the given query (empty values left out).
function listHash(query) {
  const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v));
  return `#/tasks${qs.toString() ? `?${qs}` : ''}`;
}

function taskHash(id, unit) {
  return `#/task/${encodeURIComponent(id)}${unit ? `?${new URLSearchParams({ unit })}` : ''}`;
}

export async function render(main, ctx) {
  loadCss('tasks');
  if (ctx.params.id) await renderTask(main, ctx);
  else await renderList(main, ctx);
}

// ---- #/tasks ----------------------------------------------------------------

async function renderList(main, { query, go }) {
  const page = Number(query.page) || 1;
  const [list, plan, units] = await Promise.all([
    api.get('/api/tasks', { task: query.task, unit: query.unit, status: query.status, page }),
    api.get('/api/plan'),
    api.get('/api/units', { size: 500 }),
  ]);
  const to = (changes) => go(listHash({ ...query, page: '', ...changes }));

  const all = Object.values(list.counts).reduce((a, b) => a + b, 0);
  const tabs = h('div.task-tabs', { role: 'tablist' },
    [['', '全部', all], ...TABS.map(([id, name]) => [id, name, list.counts[name]])].map(([id, name, n]) =>
      h('button', {
        type: 'button', role: 'tab', class: (query.status || '') === id ? 'active' : null,
        'aria-selected': String((query.status || '') === id), dataset: { status: id || 'all' },
        onclick: () => to({ status: id }),
      }, name, h('span.count', String(n)))));

  const taskSel = h('select', { name: 'task' },
    h('option', { value: '' }, '全部任务'),
    plan.tasks.map((t) => h('option', { value: t.id, selected: t.id === query.task },
      `${t.clause} ${t.name.length > 28 ? `${t.name.slice(0, 28)}…` : t.name}`)));
  const unitIn = h('input', { name: 'unit', list: 'task-units', placeholder: '承担单位名称', value: query.unit || '' });
  const filters = h('form.toolbar',
    h('label', '任务 ', taskSel),
    h('label', '承担单位 ', unitIn),
    h('datalist#task-units', units.items.filter((u) => u.kind === 'town' || u.kind === 'school')
      .map((u) => h('option', { value: u.name }))),
    h('button.primary', { type: 'submit' }, '查询'),
    h('button', { type: 'button', onclick: () => go(listHash({})) }, '清除条件'));
  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    to({ task: taskSel.value, unit: unitIn.value.trim() });
  });

  const grid = table([
    { title: '条款', get: (r) => r.clause },
    { title: '任务', get: (r) => h('a', { href: taskHash(r.task, r.unit) }, r.name) },
    { title: '承担单位', get: (r) => [r.unit, r.lead ? h('span.tag', '牵头') : null] },
    { title: '截止日期', get: (r) => h('span.nowrap', r.deadline) },
    // an overdue row also tells what was last recorded for it
    { title: '状态', get: (r) => [badge(r), r.overdue ? h('span.sub', r.recorded_status_name) : null] },
    { title: '进展', get: (r) => progressCell(r) },
    { title: '更新', get: (r) => (r.updated_at ? [when(r.updated_at), h('span.sub', r.updated_by)] : '—') },
  ], list.items, {
    empty: '没有符合条件的任务',
    rowAttrs: (r) => ({ class: r.overdue ? 'overdue' : null, dataset: { unit: r.unit, task: r.task, status: r.status } }),
  });

  main.replaceChildren(h('div.page-tasks', pageHead('任务督办'), tabs, filters, grid,
    pager(list, (p) => go(listHash({ ...query, page: p > 1 ? String(p) : '' })))));
}

function progressCell(r) {
  const counts = `说明 ${r.notes} 条 · 佐证 ${r.files} 个`;
  if (!r.last_note) return h('span.sub', counts);
  const note = r.last_note.length > 40 ? `${r.last_note.slice(0, 40)}…` : r.last_note;
  return [h('span.last-note', { title: r.last_note }, note), h('span.sub', counts)];
}

// ---- #/task/:id ---------------------------------------------------------------

async function renderTask(main, ctx) {
  const { params, query } = ctx;
  const t = await api.get(`/api/tasks/${encodeURIComponent(params.id)}`, { unit: query.unit });
  const reload = () => render(main, ctx);

  const info = h('dl.task-info',
    h('dt', '条款'), h('dd', t.clause),
    t.goal ? [h('dt', '所属目标'), h('dd', `${t.goal.clause} ${t.goal.name}`)] : null,
    h('dt', '牵头单位'), h('dd', t.lead || '—'),
    h('dt', '责任单位'), h('dd', t.responsible.length ? t.responsible.join('、') : '—'),
    h('dt', '完成时限'), h('dd', t.deadline, t.past_deadline ? h('span.tag.late', '已过时限') : null),
    h('dt', '佐证材料'), h('dd', t.evidence || '—'),
    h('dt', '关联指标'), h('dd', t.indicators.length
      ? t.indicators.map((i) => h('a.ind', { href: `#/indicator/${encodeURIComponent(i.id)}` }, i.name || i.id))
      : '—'));

  const counts = h('p.task-counts', TABS.map(([id, name]) =>
    h('span', statusBadge(BADGE[id], name), ` ${t.counts[name]}`)));

  const crumbs = h('div.crumbs', h('a', { href: '#/tasks' }, '任务督办'), ' › ',
    query.unit ? [h('a', { href: taskHash(t.id) }, t.clause), ' › ', query.unit] : t.clause);

  main.replaceChildren(h('div.page-tasks', crumbs, pageHead(t.name), h('div.card', info),
    h('div.section', h('h3', query.unit ? '承担单位' : `承担单位（${t.units.length}）`),
      t.units.length > 1 ? counts : null,
      t.units.length ? t.units.map((u) => unitCard(t, u, !!query.unit, reload))
        : notice('没有您可查看的承担单位'))));
}

// One unit of the task: where it stands, its notes and files, and the
// forms when the API says the caller may write there.  Only the card of
// the unit asked for opens its forms at once; in the whole task's view
// they wait behind a summary so that a long list of units stays short.
function unitCard(t, u, single, reload) {
  const notes = u.notes.length
    ? h('ol.notes', u.notes.map((n) => h('li', h('span.sub', `${when(n.at)} ${n.author}`), h('p', n.text))))
    : h('p.sub', '暂无进展说明');
  const files = u.files.length
    ? h('ul.files', u.files.map((f) => h('li',
      h('a', { href: f.url, download: f.name }, f.name),
      h('span.sub', `${size(f.size)} · ${when(f.at)} ${f.author}`))))
    : h('p.sub', '暂无佐证材料');
  const updated = u.updated_at ? `${when(u.updated_at)} ${u.updated_by} 更新` : '尚未填报';
  return h('section.task-unit.card', { dataset: { unit: u.unit } },
    h('header',
      h('strong', u.unit), u.lead ? h('span.tag', '牵头') : null, ' ', badge(u),
      u.overdue ? h('span.sub', `（记录为${u.recorded_status_name}）`) : null,
      h('span.sub.right', updated)),
    h('div.cols',
      h('div', h('h4', '进展说明'), notes),
      h('div', h('h4', '佐证材料'), files)),
    u.writable ? h('details.task-edit', { open: single },
      h('summary', '填报进展'),
      h('div.cols', progressForm(t, u, reload), evidenceForm(t, u, reload))) : null);
}

function size(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

// A new status and/or a progress note.  The status goes only when changed,
// so that a note alone never rewrites the status's time and author; every
// refusal shows beside the note, the one field the server can find fault
// with (the select offers only valid statuses).
function progressForm(t, u, reload) {
  const status = field('状态', 'status', {
    type: 'select', value: u.recorded_status_name, options: SETTABLE.map((s) => [s, s]),
  });
  const note = field('进展说明', 'note', { type: 'textarea', attrs: { rows: 3, maxlength: 2000 } });
  const form = h('form.task-form.progress', h('h4', '更新状态或添加说明'), status.el, note.el,
    h('button.primary', { type: 'submit' }, '保存'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    note.setError('');
    const body = { unit: u.unit };
    if (status.input.value !== u.recorded_status_name) body.status = status.input.value;
    if (note.input.value.trim()) body.note = note.input.value;
    try {
      await api.post(`/api/tasks/${encodeURIComponent(t.id)}/progress`, body);
      toast('已保存');
      if (form.isConnected) await reload();   // unless the user went elsewhere
    } catch (e) {
      note.setError(e.message);
    }
  });
  return form;
}

function evidenceForm(t, u, reload) {
  const file = field('佐证文件', 'file', {
    type: 'file', required: true, help: 'PDF、图片、Office 文档或纯文本，不超过 20 MB',
  });
  const form = h('form.task-form.evidence', h('h4', '上传佐证材料'), file.el,
    h('button.primary', { type: 'submit' }, '上传'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    file.setError('');
    const data = new FormData();
    data.append('unit', u.unit);
    data.append('file', file.input.files[0]);
    try {
      await api.upload(`/api/tasks/${encodeURIComponent(t.id)}/evidence`, data);
      toast('已上传');
      if (form.isConnected) await reload();
    } catch (e) {
      file.setError(e.message);
    }
  });
  return form;
}
