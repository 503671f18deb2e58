// audit.js - 审计日志 (管理员): who changed what, when and from where, with
// each entry's old and new values shown as the fields that changed, and a
// check of the log's hash chain.
//
// Filters and the page live in the hash's query (#/audit?actor=...), so
// that a reload or the back button shows the same entries.  Other roles
// are refused by the API (403), whose message the shell shows.
import { api } from '../api.js';
import { h, table, pager, pageHead, notice, loadCss } from '../ui.js';

// Chinese names of the tables and actions the server writes (src/core:
// accounts, registry, ingest, values, review, tasks, planstore, demoplan); a name
// not listed shows as it is.
const TABLES = {
  account: '账户', org_unit: '单位', school: '学校', teacher: '教师', teacher_role: '教师职务荣誉',
  enrolment: '在校生', schools: '学校（导入）', teachers: '教师（导入）', roles: '职务荣誉（导入）',
  data_value: '数据项', plan_version: '计划', submission: '数据审核',
  task_progress: '任务进展', task_note: '进展说明', task_evidence: '佐证材料',
  staffing: '编制核定', redistribution: '教师调配',
};
const ACTIONS = {
  insert: '新增', update: '修改', delete: '删除', create: '新建', import: '导入', load: '载入',
  demo: '演示数据', assign: '分配学校', submit: '上报', approve: '审核', return: '退回', accept: '确认', reopen: '重新打开',
  propose: '提出方案',
};
// Field names that come often enough to be worth a Chinese label.
const FIELDS = {
  status: '状态', unit: '单位', name: '名称', role: '角色', disabled: '已停用', text: '内容',
  task: '任务', plan: '计划', size: '大小', mime: '类型', comment: '意见', state: '状态', value: '值',
  school: '学校', schools: '学校', kind: '类别', code: '编码',
};

const when = (iso) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');

// The log's times are UTC, shown in local time; a day picked in the form
// is a local day, so it goes to the server as the UTC instants it spans
// (the server compares times as text, and "until" takes in all that
// starts with it).
const dayStart = (d) => (d ? new Date(`${d}T00:00:00`).toISOString() : undefined);
const dayEnd = (d) => (d ? new Date(`${d}T23:59:59.999`).toISOString() : undefined);

function value(v) {
  if (v === undefined || v === null) return '（空）';
  if (v === true) return '是';
  if (v === false) return '否';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  // hashes and long texts are cut; the whole value stays in the tooltip
  return s.length > 48 ? h('span', { title: s }, `${s.slice(0, 48)}…`) : s;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const asObject = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : v == null ? {} : { value: v });

// The entry's change, one line per field: old → new where both sides have
// it (unchanged fields left out), the value alone where only one side has
// it (an insert's new record, a deletion's old one, struck through).
function diff(entry) {
  const o = asObject(entry.old), n = asObject(entry.new);
  const lines = [];
  for (const k of new Set([...Object.keys(o), ...Object.keys(n)])) {
    const label = h('span.k', FIELDS[k] ? `${FIELDS[k]}（${k}）` : k);
    if (k in o && k in n) {
      if (!same(o[k], n[k])) lines.push(h('li', label, h('del', value(o[k])), ' → ', h('ins', value(n[k]))));
    } else if (k in n) {
      lines.push(h('li', label, h('ins', value(n[k]))));
    } else {
      lines.push(h('li', label, h('del', value(o[k]))));
    }
  }
  return lines.length ? h('ul.audit-diff', lines) : '—';
}

function auditHash(query) {
  const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v));
  return `#/audit${qs.toString() ? `?${qs}` : ''}`;
}

export async function render(main, { query, go }) {
  loadCss('audit');
  const page = Number(query.page) || 1;
  const list = await api.get('/api/audit', {
    table: query.table, actor: query.actor, unit: query.unit,
    since: dayStart(query.since), until: dayEnd(query.until), page,
  });

  const input = (name, label, attrs) => h('label', `${label} `, h('input', { name, value: query[name] || '', ...attrs }));
  const filters = h('form.toolbar',
    input('table', '对象', { list: 'audit-tables', placeholder: '如 task_progress', size: 14 }),
    h('datalist#audit-tables', Object.entries(TABLES).map(([k, v]) => h('option', { value: k }, v))),
    input('actor', '操作人', { placeholder: '如 user:wang', size: 14 }),
    input('unit', '单位编码', { size: 12 }),
    input('since', '自', { type: 'date' }),
    input('until', '至', { type: 'date' }),
    h('button.primary', { type: 'submit' }, '查询'),
    h('button', { type: 'button', onclick: () => go('#/audit') }, '清除条件'));
  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go(auditHash(Object.fromEntries([...new FormData(filters)].map(([k, v]) => [k, v.trim()]))));
  });

  const verdict = h('div.audit-verdict', { role: 'status' });
  const verify = h('button', {
    type: 'button',
    onclick: async () => {
      verify.disabled = true;
      verdict.replaceChildren(notice('正在校验……'));
      try {
        const v = await api.get('/api/audit/verify');
        verdict.replaceChildren(notice(v.intact
          ? `${v.message}（共 ${v.entries} 条记录）`
          : `${v.message}：第 ${v.first_bad} 条（共 ${v.entries} 条记录）`, v.intact ? 'ok' : 'error'));
      } catch (e) {
        verdict.replaceChildren(notice(e.message, 'error'));
      } finally {
        verify.disabled = false;
      }
    },
  }, '校验哈希链');

  const grid = table([
    { title: '时间', get: (e) => when(e.at) },
    { title: '操作人', get: (e) => e.actor },
    { title: '地址', get: (e) => e.addr || '—' },
    { title: '操作', get: (e) => ACTIONS[e.action] || e.action },
    { title: '对象', get: (e) => TABLES[e.table] || e.table },
    { title: '键', get: (e) => h('span.key', e.key) },
    { title: '变更（原值 → 新值）', get: diff },
  ], list.items, { empty: '没有符合条件的记录', rowAttrs: (e) => ({ dataset: { id: String(e.id) } }) });

  main.replaceChildren(h('div.page-audit', pageHead('审计日志', verify), verdict, filters, grid,
    pager(list, (p) => go(auditHash({ ...query, page: p > 1 ? String(p) : '' })))));
}
