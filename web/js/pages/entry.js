// entry.js - 数据填报: the form of a unit's data elements for a year,
// generated from the plan (GET /api/values lists the elements of the
// unit's level with their types, limits and current values), saved as a
// draft (PUT /api/values) and submitted for review (上报).
//
// The server is the one judge of a value: the form does not validate
// beyond what the browser must (a number box cannot hand over "1e"), so
// the message beside a field is always the server's, in the same words
// as the command line and the import.  The review state decides whether
// the form may be edited; the server enforces the same lock, and its
// refusal is shown when the state changed behind the form's back.
import { api } from '../api.js';
import { h, field, toast, pageHead, notice, loadCss, yearSelect } from '../ui.js';
import { stateBadge, when, who } from './review.js';

const ADMIN = '管理员', TOWN = '区镇', SCHOOL = '学校';
const WRITERS = [ADMIN, TOWN, SCHOOL];

// Why a submitted unit's form is read-only, by review state.
function lockReason(item) {
  switch (item.state) {
    case 'submitted':
      return item.level === 'town'
        ? '本年度数据已上报，等待市教育局确认，期间不能修改。'
        : '本年度数据已上报，等待区镇审核，期间不能修改；如需修改，请联系区镇退回。';
    case 'approved':
      return '区镇已审核通过，等待市教育局确认，不能修改；如需修改，请联系市教育局退回。';
    case 'accepted':
      return '市教育局已确认，本年度数据已锁定；如需修改，请联系市教育局重新打开。';
    default:
      return '';
  }
}

function hashOf(unit, year) {
  return `#/entry?${new URLSearchParams(unit ? { unit, year } : { year })}`;
}

export async function render(main, { me, query, go }) {
  loadCss('entry');
  const plan = await api.get('/api/plan');
  const year = plan.years.includes(Number(query.year)) ? Number(query.year) : plan.current_year;
  // a clerk and a town officer start on their own unit; the city picks one
  const unit = query.unit || (me.role === SCHOOL || me.role === TOWN ? me.unit.code : '');

  let values = null, item = null, failure = null;
  if (unit) {
    try {
      values = await api.get('/api/values', { unit, year });
      // only schools and towns go through the review workflow
      if (values.level === 'school' || values.level === 'town')
        item = await api.get(`/api/review/${encodeURIComponent(unit)}`, { year });
    } catch (e) {
      failure = e;
    }
  }

  const yearSel = yearSelect(plan.years, year, (y) => go(hashOf(unit, y)));
  const title = unit && !failure ? `数据填报 · ${item ? item.name : unit}` : '数据填报';
  const parts = [pageHead(title, yearSel), await unitPicker(me, unit, item, year, go)];

  if (!unit) parts.push(notice('请先选择区镇，再选择学校（或区镇本级）。'));
  else if (failure) parts.push(notice(failure.message, 'error'));
  else parts.push(...entryForm(plan, values, item, { me, unit, year, go }));
  main.replaceChildren(...parts.filter(Boolean));
}

// The unit chooser: none for a school clerk; the town and its schools
// for a town officer; a town first, then the same, for the city.  The
// lists come from /api/review, which gives each unit's state as well.
async function unitPicker(me, unit, item, year, go) {
  if (me.role === SCHOOL) return null;
  const pick = (e) => go(hashOf(e.target.value, year));
  let town = null, townSel = null;
  if (me.role === TOWN) {
    town = me.unit;
  } else {
    const towns = (await api.get('/api/review', { level: 'town', year, size: 500 })).items;
    // the chosen unit is a town itself, or a school named with its town
    town = (item && towns.find((t) => t.code === item.code || t.name === item.town)) || null;
    townSel = h('select', { name: 'town', onchange: pick },
      h('option', { value: '' }, '请选择区镇'),
      towns.map((t) => h('option', { value: t.code, selected: !!town && t.code === town.code }, t.name)));
  }
  let unitSel = null;
  if (town) {
    const schools = (await api.get('/api/review', { level: 'school', within: town.code, year, size: 500 })).items;
    unitSel = h('select', { name: 'unit', onchange: pick },
      h('option', { value: town.code, selected: unit === town.code }, `${town.name}（区镇本级）`),
      schools.map((s) => h('option', { value: s.code, selected: unit === s.code }, `${s.name}（${s.state_name}）`)));
  }
  return h('div.toolbar',
    townSel && h('label', '区镇 ', townSel),
    unitSel && h('label', '单位 ', unitSel));
}

// The input of one data element, after its type; the stored value is
// the text the server gives (是/否, a number, an option's label, a date).
function elementField(de) {
  const v = de.value ? de.value.text : '';
  const picked = de.type === 'bool' || de.type === 'option';
  const help = [
    de.help && h('span', de.help),
    // what may be typed; a drop-down offers its choices itself
    !picked && h('span', `填写要求：${de.accepts}`),
    de.value && h('span.entered', `最近填报：${who(de.value.entered_by)}，${when(de.value.entered_at)}`),
  ];
  // a stored value the choices no longer hold (the plan changed) stays
  // shown, so that saving does not silently erase it
  const choices = (list) => [['', '（未填）'], ...list.map((o) => [o, o]),
    ...(v && !list.includes(v) ? [[v, `${v}（原值）`]] : [])];
  switch (de.type) {
    case 'bool':
      return field(de.name, de.id, { type: 'select', value: v, options: choices(['是', '否']), help });
    case 'option':
      return field(de.name, de.id, { type: 'select', value: v, options: choices(de.options), help });
    case 'int':
    case 'decimal':
      return field(de.name, de.id, {
        type: 'number', value: v, help,
        attrs: { min: de.min, max: de.max, step: de.type === 'int' ? 1 : 'any', inputmode: de.type === 'int' ? 'numeric' : 'decimal' },
      });
    case 'date':
      return field(de.name, de.id, { type: 'date', value: v, help });
    default:
      return field(de.name, de.id, { type: 'textarea', value: v, help, attrs: { rows: 3 } });
  }
}

// Which element a problem of the server names: its messages quote the
// element's name (“名称”为 …) or, for a key it could not use, its id.
// The earliest quotation wins, so that a quoted value is never taken for
// an element; a message naming none (a lock) maps to nothing.
function elementOf(elements, message) {
  let best = null, at = Infinity;
  for (const de of elements) {
    for (const key of [de.name, de.id]) {
      const i = message.indexOf(`“${key}”`);
      if (i >= 0 && (i < at || (i === at && key.length > best.key.length))) {
        best = { de, key };
        at = i;
      }
    }
  }
  return best && best.de;
}

function entryForm(plan, values, item, { me, unit, year, go }) {
  const elements = values.elements;
  const lock = item ? lockReason(item) : '';
  const writer = WRITERS.includes(me.role);
  const readOnly = !writer || !!lock;
  const messages = h('div.entry-messages', { 'aria-live': 'polite' });
  const fields = elements.map((de) => ({ de, f: elementField(de) }));
  const filled = h('span.entry-filled');
  let dirty = false;

  const say = (kind, text, list = []) => messages.replaceChildren(h(`div.entry-result.${kind}`, h('p', text),
    list.length ? h('ul', list.map((m) => h('li', m))) : null));
  const countFilled = () => {
    const n = fields.filter(({ f }) => f.input.value.trim() !== '').length;
    filled.textContent = `已填 ${n}/${fields.length} 项`;
  };

  // one request at a time: a second click while saving would race it
  async function busy(fn) {
    buttons.forEach((b) => { b.disabled = true; });
    try {
      await fn();
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  }

  async function submit() {
    if (dirty) {
      say('error', '有未保存的修改，请先“保存草稿”，再上报。');
      return;
    }
    try {
      await api.post('/api/review/submit', { year, units: [unit] });
      toast(`已上报${item.level === 'town' ? '市教育局' : '区镇'}`);
      go(hashOf(unit, year));
    } catch (e) {
      say('error', e.message);
    }
  }

  async function save() {
    messages.replaceChildren();
    const body = {};
    for (const { de, f } of fields) {
      f.setError('');
      // a number box holding something unreadable reports "" as its value:
      // sending that would clear the stored value
      if (f.input.validity.badInput) f.setError(`“${de.name}”应为数字`);
      else body[de.id] = f.input.value.trim() === '' ? null : f.input.value;
    }
    let changes, problems = [];
    try {
      changes = (await api.put('/api/values', { unit, year, values: body })).changes;
    } catch (e) {
      if (e.status !== 422) {
        say('error', e.message);
        return;
      }
      changes = (e.body && e.body.changes) || {};
      problems = e.details.length ? e.details.map((d) => d.message) : [e.message];
    }
    const unmapped = [];
    for (const m of problems) {
      const de = elementOf(elements, m);
      const x = de && fields.find((y) => y.de === de);
      if (x) x.f.setError(m);
      else unmapped.push(m);
    }
    const name = (id) => (elements.find((de) => de.id === id) || { name: id }).name;
    const saved = Object.keys(changes).filter((id) => changes[id] !== 'unchanged').map(name);
    const savedText = saved.length ? `已保存 ${saved.length} 项改动：${saved.join('、')}。` : '没有新的改动需要保存。';
    const bad = fields.filter(({ f }) => f.el.classList.contains('invalid'));
    if (!bad.length && !unmapped.length) {
      dirty = false;
      say('ok', savedText);
      toast('草稿已保存');
      return;
    }
    say('error', `${savedText}${bad.length ? `${bad.length} 项未保存，原因见标红的数据项。` : ''}`, unmapped);
    toast('部分数据未保存', 'error');
    if (bad.length && !unmapped.length) bad[0].f.input.focus();
    else messages.scrollIntoView({ block: 'nearest' });
  }

  const out = [];
  if (item) out.push(statePanel(item));
  if (lock) out.push(h('p.entry-lock', lock));
  else if (!writer) out.push(h('p.entry-lock', '您的角色只能查看数据。'));
  if (values.level === 'school') {
    const teacherEls = plan.elements.filter((de) => de.level === 'teacher');
    if (teacherEls.length)
      out.push(h('p.entry-hint', `教师层面的数据项（${teacherEls.map((de) => de.name).join('、')}）按教师逐人填写，`
        + '请在“导入”页用模板导入；上报时与本页数据一并上报。'));
  }
  const submitBtn = item && !readOnly ? h('button', { type: 'button', onclick: () => busy(submit) }, '上报') : null;
  const saveBtn = !readOnly && elements.length ? h('button.primary', { type: 'submit' }, '保存草稿') : null;
  const buttons = [saveBtn, submitBtn].filter(Boolean);
  if (!elements.length) {
    out.push(notice('本级没有需要填报的数据项。'), messages, h('div.entry-actions', submitBtn));
    return out;
  }

  // elements grouped under the plan's sections, in plan order; a clause
  // such as 3.3.2-E3 belongs to section 3.3.2
  const sectionName = new Map(plan.sections.map((s) => [s.id, s.name]));
  const groups = new Map();
  for (const { de, f } of fields) {
    const sec = (de.clause || '').split('-')[0];
    const legend = sectionName.has(sec) ? `${sec} ${sectionName.get(sec)}` : '其他';
    if (!groups.has(legend)) groups.set(legend, []);
    groups.get(legend).push(f.el);
    f.input.disabled = readOnly;
  }
  countFilled();
  const form = h('form.form.entry-form', { novalidate: true },
    messages,
    [...groups].map(([legend, els]) => h('fieldset.entry-group', h('legend', legend), els)),
    h('div.entry-actions', saveBtn, submitBtn, filled));
  form.addEventListener('input', () => { dirty = true; countFilled(); });
  form.addEventListener('submit', (ev) => { ev.preventDefault(); busy(save); });
  out.push(form);
  return out;
}

// The unit's review state for the year: who moved it last, and the
// reason it was sent back.
function statePanel(item) {
  const comment = item.comment && (item.state === 'returned'
    ? h('div.entry-returned', h('strong', '退回意见：'), item.comment)
    : h('div.entry-comment', h('strong', '说明：'), item.comment));
  return h('div.card.entry-state',
    h('div', h('span.label', `${item.year} 年度审核状态：`), stateBadge(item.state, item.state_name),
      item.updated_by && h('span.entry-by', `${who(item.updated_by)}，${when(item.updated_at)}`)),
    comment);
}
