// ui.js - small builders every page uses: elements, tables with paging,
// form fields with their error beside them, status badges, messages.
// Pages build DOM with these (never innerHTML from data), so text from
// the database can never run as markup.

// h('div.card', {onclick}, child, ...): tag with optional .classes and
// #id, attributes (on* are listeners, hidden/disabled booleans), then
// children (strings become text, null/false are skipped, arrays spread).
export function h(spec, attrs, ...children) {
  const m = /^([a-z0-9]+)?((?:[.#][\w-]+)*)$/i.exec(spec);
  const el = document.createElement(m[1] || 'div');
  for (const part of m[2].match(/[.#][\w-]+/g) || []) {
    if (part[0] === '.') el.classList.add(part.slice(1));
    else el.id = part.slice(1);
  }
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  const add = (c) => {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) c.forEach(add);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  };
  children.forEach(add);
  return el;
}

// A figure as people read it: '—' for none, thousands separators, at most
// two decimals.
export function fmt(v, unit = '') {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  const s = typeof v === 'number'
    ? v.toLocaleString('zh-CN', { maximumFractionDigits: 2 }) : String(v);
  return unit ? `${s}${unit === '%' ? '%' : ` ${unit}`}` : s;
}

const STATUS_CLASS = { met: 'st-met', on_track: 'st-on', behind: 'st-behind', no_data: 'st-none', info: 'st-none' };

// The coloured badge of an indicator status (met, on_track, behind, ...).
export function statusBadge(id, name) {
  return h(`span.badge.${STATUS_CLASS[id] || 'st-none'}`, name);
}

let toastTimer;
// A short message at the bottom of the screen; kind 'error' stays longer.
export function toast(text, kind = 'ok') {
  const t = document.getElementById('toast');
  t.textContent = text;
  t.className = `toast ${kind}`;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, kind === 'error' ? 6000 : 2500);
}

// A page title with optional actions on the right.
export function pageHead(title, ...actions) {
  return h('div.page-head', h('h2', title), h('div.actions', actions));
}

// A message box in place of content (loading, empty, or an error).
export function notice(text, kind = '') {
  return h(`p.notice${kind ? `.${kind}` : ''}`, text);
}

// A table: columns [{title, get(row) -> string|Node, sort?: key, num?}],
// rows.  onSort(key) is called when a sortable heading is clicked.
export function table(columns, rows, { sort, onSort, empty = '没有数据', rowAttrs } = {}) {
  const head = h('tr', columns.map((c) => {
    const th = h('th', { class: c.num ? 'num' : null }, c.title);
    if (c.sort && onSort) {
      th.classList.add('sortable');
      if (sort && sort.key === c.sort) th.classList.add(sort.desc ? 'desc' : 'asc');
      th.addEventListener('click', () => onSort(c.sort));
    }
    return th;
  }));
  const body = rows.length
    ? rows.map((r) => h('tr', rowAttrs ? rowAttrs(r) : null,
      columns.map((c) => h('td', { class: c.num ? 'num' : null }, c.get(r)))))
    : [h('tr', h('td.empty', { colspan: columns.length }, empty))];
  return h('table.grid', h('thead', head), h('tbody', body));
}

// Paging links for a list answer {total, page, size}; go(page) loads one.
export function pager(list, go) {
  const pages = Math.max(1, Math.ceil(list.total / list.size));
  return h('div.pager',
    h('span', `共 ${list.total} 条，第 ${list.page}/${pages} 页`),
    h('button', { type: 'button', disabled: list.page <= 1, onclick: () => go(list.page - 1) }, '上一页'),
    h('button', { type: 'button', disabled: list.page >= pages, onclick: () => go(list.page + 1) }, '下一页'));
}

// A labelled form field whose error shows beside it: returns
// {el, input, setError(text)}.  type: text, number, select, textarea,
// checkbox, date; options for select: [[value, label], ...].
export function field(label, name, { type = 'text', value = '', options, help, required, attrs } = {}) {
  let input;
  if (type === 'select') {
    input = h('select', { name, required },
      (options || []).map(([v, l]) => h('option', { value: v, selected: String(v) === String(value) }, l)));
  } else if (type === 'textarea') {
    input = h('textarea', { name, required, ...attrs }, value ?? '');
  } else {
    input = h('input', { name, type, required, ...attrs });
    if (type === 'checkbox') input.checked = !!value;
    else input.value = value ?? '';
  }
  const err = h('span.field-error', { role: 'alert' });
  const el = h('label.field', h('span.label', label, required ? h('span.req', '*') : null),
    input, help ? h('span.help', help) : null, err);
  return {
    el, input,
    setError(text) {
      err.textContent = text || '';
      el.classList.toggle('invalid', !!text);
    },
  };
}

// The problems of a failed upload or form as a table: file, row, column,
// message.
export function problems(details) {
  return table([
    { title: '文件', get: (d) => d.file || '' },
    { title: '行', get: (d) => (d.row ? String(d.row) : ''), num: true },
    { title: '列', get: (d) => String(d.column ?? '') },
    { title: '问题', get: (d) => d.message },
  ], details, { empty: '' });
}

// Adds the stylesheet /css/NAME.css once: each page keeps its own styles
// beside app.css and loads them when it is first shown.
export function loadCss(name) {
  const href = `/css/${name}.css`;
  if (document.querySelector(`link[href="${href}"]`)) return;
  document.head.append(h('link', { rel: 'stylesheet', href }));
}

// The hash of a page's route with its query, empty values left out, so
// that a reload or the back button shows the same view.
export function routeHash(path, query = {}) {
  const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  return `#${path}${qs.toString() ? `?${qs}` : ''}`;
}

// The year selector of a page: the plan's years, year selected;
// onChange(year as typed) when another is chosen.
export function yearSelect(years, year, onChange) {
  return h('select', { name: 'year', 'aria-label': '年度', onchange: (e) => onChange(e.target.value) },
    years.map((y) => h('option', { value: y, selected: y === year }, `${y} 年度`)));
}
