// import.js - 导入: upload a sheet (CSV or Excel) of one kind.  Every
// upload is a dry run first: the server reads the whole file and answers
// either what it would write or every problem of the file, by row and
// column; only a clean dry run offers 确认导入, which sends the same file
// again to be written.  Beside it, the blank templates of the kinds the
// caller may import.
import { api, download } from '../api.js';
import { h, field, problems, toast, pageHead, notice, loadCss, fmt } from '../ui.js';

const ADMIN = '管理员', TOWN = '区镇', SCHOOL = '学校';

// The kinds of import, what each row is keyed by (README, 导入模板), and
// who may send them: the registry sheets are 管理员's; values (数据项
// 填报) also come from 区镇 and 学校 for their own units.
const KINDS = [
  { kind: 'schools', title: '学校', roles: [ADMIN],
    about: '按学校标识码新增或更新；首次出现的区镇、教育集团会自动新建。' },
  { kind: 'enrolment', title: '在校生', roles: [ADMIN],
    about: '按学校标识码和年度新增或更新；学校须已导入。' },
  { kind: 'teachers', title: '教师', roles: [ADMIN],
    about: '按教师编号新增或更新；任职学校须已导入。' },
  { kind: 'roles', title: '教师称号', roles: [ADMIN],
    about: '按教师编号、称号、级别和起始年份新增或更新；教师须已导入。' },
  { kind: 'values', title: '数据项填报', roles: [ADMIN, TOWN, SCHOOL],
    about: '每行一个单位，每列一个数据项；只能填报您管辖范围内的单位。' },
];

// At most this many problems of a file are listed: a sheet gone wrong
// throughout can have one on every row, and a table of them all would
// stall the page while helping no one more than the first few hundred.
const SHOWN = 500;

// The levels of a values sheet (values-LEVEL templates), as the plan's
// elements name them.
const LEVELS = [['school', '学校'], ['town', '区镇'], ['group', '教育集团'], ['teacher', '教师']];

export async function render(main, { me }) {
  loadCss('registry');
  const kinds = KINDS.filter((k) => k.roles.includes(me.role));
  if (!kinds.length) {
    main.replaceChildren(pageHead('导入'), notice('您的账户不导入数据：导入由管理员、区镇和学校账户进行。'));
    return;
  }
  const templates = await templateSection(me);

  // the kind's help line says what its rows are keyed by
  const aboutOf = (kind) => kinds.find((k) => k.kind === kind).about;
  const kindF = field('导入类型', 'kind', { type: 'select', options: kinds.map((k) => [k.kind, k.title]),
    help: aboutOf(kinds[0].kind) });
  const fileF = field('文件', 'file', { type: 'file', required: true, help: 'CSV（UTF-8 或 GBK）或 Excel（.xlsx）文件，第一行为表头',
    attrs: { accept: '.csv,.xlsx' } });
  const check = h('button.primary', { type: 'submit' }, '检查文件');
  const result = h('div.import-result', { 'aria-live': 'polite' });
  const form = h('form.form', { novalidate: true }, kindF.el, fileF.el,
    h('div.form-actions', check, h('span.hint', '先检查，不会修改数据库；检查通过后再确认导入。')));

  // another kind or file makes the last answer stale, with its 确认导入
  const reset = () => { result.replaceChildren(); fileF.setError(''); };
  kindF.input.addEventListener('change', () => {
    kindF.el.querySelector('.help').textContent = aboutOf(kindF.input.value);
    reset();
  });
  fileF.input.addEventListener('change', reset);

  const upload = (kind, file, dry) => {
    const body = new FormData();
    body.append('file', file);
    body.append('dry_run', dry ? '1' : '0');
    return api.upload(`/api/import/${kind}`, body);
  };

  // Sends the file, dry or for real, and shows the answer; a clean dry
  // run ends with the button that imports the very same file.
  async function run(kind, file, dry, busy) {
    busy.disabled = true;
    result.replaceChildren(notice(dry ? '正在检查文件……' : '正在导入……'));
    try {
      const r = await upload(kind, file, dry);
      result.replaceChildren(outcome(r));
      if (dry) {
        const confirm = h('button.primary', { type: 'button' }, '确认导入');
        confirm.addEventListener('click', () => run(kind, file, false, confirm));
        result.append(r.rows
          ? h('div.form-actions', confirm, h('span.hint', '将按上面的结果写入数据库，并记入审计日志。'))
          : notice('文件中没有数据行，无需导入。'));
      } else {
        toast(`导入完成：新增 ${r.inserted} 条，更新 ${r.updated} 条`);
      }
    } catch (e) {
      const details = e.details || [];
      result.replaceChildren(h('div.outcome', h('h3.bad', e.message),
        details.length ? problems(details.slice(0, SHOWN)) : null,
        details.length > SHOWN ? notice(`只列出前 ${SHOWN} 处问题；请改正后重新检查，其余问题会接着列出。`) : null));
    } finally {
      busy.disabled = false;
    }
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const file = fileF.input.files[0];
    fileF.setError(file ? '' : '请选择要导入的 CSV 或 Excel 文件');
    if (file) run(kindF.input.value, file, true, check);
  });

  main.replaceChildren(pageHead('导入'),
    h('div.import',
      h('section.section', h('h3', '上传文件'), form, result),
      templates));
}

// What an import did, or for a dry run would do.
function outcome(r) {
  const figures = [['数据行', r.rows], ['新增', r.inserted], ['更新', r.updated], ['未变', r.unchanged]];
  if (r.kind === 'values') figures.push(['空白（不修改）', r.blank]);
  return h('div.outcome',
    h('h3', r.dry_run ? '检查通过（试导入，数据库尚未修改）' : '导入完成'),
    h('p', `文件：${r.file}（${r.format}）`),
    h('div.figures', figures.map(([label, n]) => h('div.figure', h('span.n', fmt(n)), h('span.label', label)))),
    r.created && r.created.length
      ? h('div.created', h('p', r.dry_run ? '将新建以下单位，请核对名称：' : '已新建以下单位：'),
        h('ul', r.created.map((c) => h('li', c))))
      : null);
}

// The templates of what the caller may import.  The registry templates
// are anyone's; a values template lists every unit of its level in the
// city, so the server gives it to 管理员 only, and only for the levels
// the plan in force has elements of (any other is 404).
async function templateSection(me) {
  const item = (kind, title) => h('li', h('button.link', { type: 'button', onclick: () => download(`/api/templates/${kind}`) },
    `${title}.xlsx`));
  let body;
  if (me.role === ADMIN) {
    const levels = await planLevels();
    body = [
      h('h4', '登记数据'),
      h('ul.templates', KINDS.filter((k) => k.kind !== 'values').map((k) => item(k.kind, `${k.title}导入模板`))),
      h('h4', '数据项填报'),
      levels.size
        ? h('ul.templates', LEVELS.filter(([l]) => levels.has(l)).map(([l, t]) => item(`values-${l}`, `${t}数据填报模板`)))
        : notice('数据库中还没有计划，暂无数据填报模板。'),
    ];
  } else {
    body = [notice('数据填报模板列有全市的单位，目前只有管理员可以下载；请向管理员索取填报表。')];
  }
  return h('section.section.templates-box', h('h3', '导入模板'),
    h('p.hint', '模板含下拉选项和填写说明；表头也可写作英文字段名。'), body);
}

// The levels the plan's elements are filled at; none without a plan.
async function planLevels() {
  try {
    const plan = await api.get('/api/plan');
    return new Set(plan.elements.map((e) => e.level));
  } catch (e) {
    if (e.status === 503) return new Set();
    throw e;
  }
}
