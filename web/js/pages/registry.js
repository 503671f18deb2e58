// registry.js - what the 学校 and 教师 pages share (not a route of its
// own): a paged list whose search lives in the address, sorting of the
// visible page, the record's fields as label/value pairs, the edit form
// that shows the server's objections beside each field, and the export
// buttons of the roles that may export.
import { api, download } from '../api.js';
import { h, table, pager, field, notice, toast } from '../ui.js';

const ADMIN = '管理员', LEADER = '领导';

// Exports hold the whole city, so the server gives them to city-wide
// 管理员 and 领导 only; a town's 领导 would get 403 for its trouble.
function mayExport(me) {
  return (me.role === ADMIN || me.role === LEADER) && !!me.unit && me.unit.kind === 'city';
}

// The 导出 buttons of sheet kind (schools, teachers, ...) for those who
// may, else nothing.  download() follows a link, so the file keeps the
// name the server gives it (学校.xlsx, 教师.csv).
export function exportButtons(me, kind) {
  if (!mayExport(me)) return [];
  return [
    h('button', { type: 'button', onclick: () => download(`/api/export/${kind}`, { format: 'xlsx' }) }, '导出 Excel'),
    h('button', { type: 'button', onclick: () => download(`/api/export/${kind}`, { format: 'csv' }) }, '导出 CSV'),
  ];
}

// Options of a filter <select>: [['', label of "any"], [value, label], ...]
// with optional groups given as {group, options}.
export function filterSelect(name, options, value, onchange) {
  const opt = ([v, l]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, l);
  return h('select', { name, onchange: (ev) => onchange(ev.target.value) },
    options.map((o) => (o.group ? h('optgroup', { label: o.group }, o.options.map(opt)) : opt(o))));
}

// A search box that waits for a pause in typing before it asks.
export function searchBox(placeholder, value, onsearch) {
  let timer;
  return h('input', {
    type: 'search', name: 'q', placeholder, value: value || '',
    oninput: (ev) => {
      clearTimeout(timer);
      timer = setTimeout(() => onsearch(ev.target.value.trim()), 300);
    },
  });
}

// Compares two cells for sorting: numbers as numbers, text in Chinese
// collation (pinyin), blanks last whichever the direction.
const collator = new Intl.Collator('zh-CN', { numeric: true });
function compare(a, b) {
  const blankA = a === null || a === undefined || a === '';
  const blankB = b === null || b === undefined || b === '';
  if (blankA || blankB) return blankA - blankB;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

// A list page: its state (the filters, page, sort) is kept in the hash's
// query with history.replaceState, which does not re-route, so typing
// does not rebuild the page while Back from a record still returns to
// the same search.  The server pages the list (by code); sorting orders
// the rows of the visible page by a column's value(row).
//   hashPath  '/schools'
//   state     the filters from ctx.query, plus page, sort, desc
//   columns   ui.table columns; a sortable one has sort (a state key)
//             and value(row) (what to sort by)
//   fetch     (state) -> a promise of the list answer
// Returns {el, reload(firstPage)}; reload() resolves when shown.
export function listView({ hashPath, state, columns, fetch, empty }) {
  const el = h('div.list');
  let seq = 0;

  function syncHash() {
    const qs = new URLSearchParams(Object.entries(state)
      .filter(([k, v]) => v !== '' && v !== undefined && v !== null && !(k === 'page' && +v === 1)));
    const hash = `#${hashPath}${qs.toString() ? `?${qs}` : ''}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }

  function show(list) {
    const col = columns.find((c) => c.sort && c.sort === state.sort);
    const rows = col
      ? [...list.items].sort((a, b) => compare(col.value(a), col.value(b)) * (state.desc ? -1 : 1))
      : list.items;
    const onSort = (key) => {
      state.desc = state.sort === key && !state.desc ? 1 : '';
      state.sort = key;
      syncHash();
      show(list);
    };
    el.replaceChildren(
      table(columns, rows, { sort: col ? { key: col.sort, desc: !!state.desc } : null, onSort, empty }),
      pager(list, (p) => { state.page = p; reload(); }));
  }

  async function reload(firstPage) {
    if (firstPage) state.page = 1;
    syncHash();
    const mine = ++seq;
    el.classList.add('loading');
    try {
      const list = await fetch(state);
      if (mine === seq) show(list);
    } catch (e) {
      // a filter the server refuses (an unknown town in a pasted
      // address, say) is said in place of the table
      if (mine === seq) el.replaceChildren(notice(e.message, 'error'));
    } finally {
      if (mine === seq) el.classList.remove('loading');
    }
  }

  return { el, reload };
}

// A record's fields as label/value pairs, a blank value as —.
export function facts(pairs) {
  return h('dl.kv', pairs.map(([label, value]) => [
    h('dt', label),
    h('dd', value === null || value === undefined || value === '' ? '—' : value),
  ]));
}

// The edit form of a record.  specs: [{name (the sheet's English field
// name), label, options? (names of a code list: a <select>), optional?
// (blank allowed: a select offers 空), adminOnly?, help?}].  Only the
// fields changed from record are sent, so an untouched field can never
// be rewritten by accident, and a role that may not change a field
// (adminOnly, disabled for others) never sends it.  The server checks
// every field as an import cell and answers 422 with one detail per
// problem whose `file` is the field's name: each shows beside its
// field; any other problem (403, a field not on the form) above the
// buttons.  save(body) makes the request; saved(answer) follows success;
// cancel() puts the form away.
export function editForm(specs, record, { me, save, saved, cancel }) {
  const isAdmin = me.role === ADMIN;
  const fields = {};
  const general = h('div.form-error', { role: 'alert' });
  const els = specs.map((s) => {
    const stored = record[s.name] === null || record[s.name] === undefined ? '' : String(record[s.name]);
    const locked = s.adminOnly && !isAdmin;
    const help = locked ? '只有管理员可以修改' : s.help;
    let f;
    if (s.options) {
      // a stored name the list no longer has stays selectable, so that
      // opening the form cannot change it
      const names = s.options.includes(stored) || stored === '' ? s.options : [stored, ...s.options];
      const options = [...(s.optional ? [['', '（空）']] : []), ...names.map((n) => [n, n])];
      f = field(s.label, s.name, { type: 'select', value: stored, options, required: !s.optional, help });
    } else {
      f = field(s.label, s.name, { value: stored, required: !s.optional, help });
    }
    f.input.disabled = locked;
    f.stored = stored;
    fields[s.name] = f;
    return f.el;
  });
  const submit = h('button.primary', { type: 'submit' }, '保存');
  // novalidate: the server is the one judge of a value, and its message
  // (in the import's words) is the one shown beside the field
  const form = h('form.form.edit-form', { novalidate: true }, els, general,
    h('div.form-actions', submit, h('button', { type: 'button', onclick: cancel }, '取消')));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    general.replaceChildren();
    Object.values(fields).forEach((f) => f.setError(''));
    const body = {};
    for (const [name, f] of Object.entries(fields)) {
      const v = f.input.value.trim();
      if (!f.input.disabled && v !== f.stored) body[name] = v === '' ? null : v;
    }
    if (!Object.keys(body).length) {
      toast('没有需要保存的修改');
      return;
    }
    submit.disabled = true;
    try {
      saved(await save(body));
    } catch (e) {
      // a field may have more than one problem (a value out of range
      // and a rule joining it to another field): all show beside it
      const byField = {}, rest = [];
      for (const d of e.status === 422 ? e.details : []) {
        if (fields[d.file]) (byField[d.file] = byField[d.file] || []).push(d.message);
        else rest.push(d.message);
      }
      for (const [name, messages] of Object.entries(byField)) fields[name].setError(messages.join('；'));
      general.replaceChildren(h('div', h('p.error', e.message), rest.length ? h('ul', rest.map((m) => h('li', m))) : null));
      const first = form.querySelector('.field.invalid input, .field.invalid select');
      if (first) first.focus();
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

// Loads every unit of kind the caller sees under parent (a town), at most
// one page of 500, as [code, name] pairs: the choices of a filter.
export async function unitChoices(kind, parent) {
  const list = await api.get('/api/units', { kind, parent, size: 500 });
  return list.items.map((u) => [u.code, u.name]);
}
