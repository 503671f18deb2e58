// users.js - 用户管理 (管理员): the accounts, a new one (with the password
// the server generates when none is given, shown this once), disabling
// and enabling, a new password, and an inspector's schools.
import { api } from '../api.js';
import { h, table, pager, field, toast, pageHead, loadCss } from '../ui.js';

const ROLES = ['管理员', '区镇', '学校', '督学', '领导'];
const UNIT_HELP = {
  管理员: '市（区县）的单位编码', 督学: '市（区县）的单位编码', 区镇: '区镇的单位编码',
  学校: '学校标识码', 领导: '市（区县）或区镇的单位编码',
};

const when = (iso) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');

// The field a refusal of a new account is about.  The server's details
// name no field (accounts.c words each check), so its messages are read
// by the words they begin with; the rest are about the unit.
function fieldOf(e, fields) {
  if (e.code === 'conflict' || /^用户名/.test(e.message)) return fields.name;
  if (/^密码/.test(e.message)) return fields.password;
  if (/^角色“[^”]*”无效/.test(e.message)) return fields.role;
  return fields.unit;
}

export async function render(main, ctx) {
  loadCss('users');
  const page = Number(ctx.query.page) || 1;
  const units = await api.get('/api/units', { size: 500 });
  // the place of the one-off password, of the panel of a row's action,
  // and of the list, drawn again after each change
  const created = h('div.user-created');
  const panel = h('div.user-panel');
  const listBox = h('div');
  const showList = async () => {
    const list = await api.get('/api/users', { page });
    listBox.replaceChildren(usersTable(list.items, panel, ctx.me, showList),
      pager(list, (p) => ctx.go(p > 1 ? `#/users?page=${p}` : '#/users')));
  };
  await showList();
  main.replaceChildren(h('div.page-users', pageHead('用户管理'), created,
    addForm(units.items, created, showList), panel,
    h('div.section', h('h3', '用户列表'), listBox)));
}

function addForm(units, created, showList) {
  const fields = {
    name: field('用户名', 'name', { required: true, help: '1～32 个字符，不含空格', attrs: { maxlength: 32 } }),
    role: field('角色', 'role', { type: 'select', value: '学校', options: ROLES.map((r) => [r, r]) }),
    unit: field('单位编码', 'unit', { required: true, help: UNIT_HELP['学校'], attrs: { list: 'user-units' } }),
    password: field('初始密码', 'password', {
      type: 'password', help: '可留空：由系统生成，创建后只显示这一次', attrs: { autocomplete: 'new-password' },
    }),
  };
  const unitHelp = () => {
    fields.unit.el.querySelector('.help').textContent = UNIT_HELP[fields.role.input.value];
  };
  fields.role.input.addEventListener('change', unitHelp);
  const form = h('form.form.user-add', h('h3', '新建用户'),
    Object.values(fields).map((f) => f.el),
    h('datalist#user-units', units.map((u) => h('option', { value: u.code }, u.name))),
    h('button.primary', { type: 'submit' }, '创建'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    Object.values(fields).forEach((f) => f.setError(''));
    created.replaceChildren();
    const body = {
      name: fields.name.input.value.trim(),
      role: fields.role.input.value,
      unit: fields.unit.input.value.trim(),
    };
    if (fields.password.input.value) body.password = fields.password.input.value;
    let r;
    try {
      r = await api.post('/api/users', body);
    } catch (e) {
      if (e.status === 400 || e.status === 409) fieldOf(e, fields).setError(e.message);
      else toast(e.message, 'error');
      return;
    }
    form.reset();
    unitHelp();
    // the new password stays until the next screen or the next account,
    // and no request can bring it back
    if (r.password) {
      created.replaceChildren(h('div.one-time',
        h('p', `已创建用户 ${r.name}，系统生成的初始密码为：`),
        h('code.password', r.password),
        h('p', '此密码只显示这一次，请立即转告本人，并提醒其登录后修改密码。')));
    } else {
      toast(`已创建用户 ${r.name}`);
    }
    await showList();
  });
  return form;
}

function usersTable(items, panel, me, reload) {
  return table([
    { title: '用户名', get: (a) => a.name },
    { title: '角色', get: (a) => a.role },
    { title: '单位', get: (a) => [a.unit.name, h('span.code', a.unit.code)] },
    { title: '状态', get: (a) => (a.disabled ? h('span.badge.st-behind', '已停用') : h('span.badge.st-met', '正常')) },
    { title: '创建时间', get: (a) => when(a.created_at) },
    { title: '最近修改', get: (a) => when(a.changed_at) },
    {
      title: '操作',
      get: (a) => h('span.actions',
        // the server refuses to disable one's own account: no button for it
        a.name === me.name ? null : h('button', {
          type: 'button', onclick: () => setDisabled(a, !a.disabled, reload),
        }, a.disabled ? '启用' : '停用'),
        h('button', { type: 'button', onclick: () => passwordPanel(a, panel) }, '重置密码'),
        a.role === '督学' && !a.disabled
          ? h('button', { type: 'button', onclick: () => schoolsPanel(a, panel) }, '分配学校') : null),
    },
  ], items, { rowAttrs: (a) => ({ dataset: { name: a.name } }) });
}

async function setDisabled(a, disabled, reload) {
  try {
    await api.patch(`/api/users/${encodeURIComponent(a.name)}`, { disabled });
    toast(disabled ? `已停用 ${a.name}` : `已启用 ${a.name}`);
    await reload();
  } catch (e) {
    toast(e.message, 'error');
  }
}

// A small form in the panel above the list, for one account; submit(value)
// answers the server's refusal beside its field.
function showPanel(panel, title, f, submit) {
  const form = h('form.form', h('h3', title), f.el,
    h('div.buttons', h('button.primary', { type: 'submit' }, '确定'),
      h('button', { type: 'button', onclick: () => panel.replaceChildren() }, '取消')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    f.setError('');
    try {
      await submit(f.input.value);
      panel.replaceChildren();
    } catch (e) {
      f.setError(e.message);
    }
  });
  panel.replaceChildren(form);
  f.input.focus();
}

function passwordPanel(a, panel) {
  const f = field('新密码', 'password', {
    type: 'password', required: true, help: '至少 8 个字符；该用户已登录的会话将全部结束',
    attrs: { autocomplete: 'new-password' },
  });
  showPanel(panel, `重置 ${a.name} 的密码`, f, async (password) => {
    await api.patch(`/api/users/${encodeURIComponent(a.name)}`, { password });
    toast(`已重置 ${a.name} 的密码`);
  });
}

// The API keeps no list of an inspector's schools to read back, so the
// codes start empty and replace whatever was assigned before.
function schoolsPanel(a, panel) {
  const f = field('学校标识码', 'schools', {
    type: 'textarea', attrs: { rows: 6, placeholder: '每行一个，也可用逗号或空格分隔' },
    help: '保存后替换该督学原有的全部责任学校；留空则清除',
  });
  showPanel(panel, `为督学 ${a.name} 分配学校`, f, async (text) => {
    const schools = text.split(/[\s,，、;；]+/).filter(Boolean);
    await api.put(`/api/users/${encodeURIComponent(a.name)}/schools`, { schools });
    toast(`已为 ${a.name} 分配 ${schools.length} 所学校`);
  });
}
