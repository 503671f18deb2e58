// app.js - the shell: logging in and out, the menu of the caller's role,
// and the hash router that loads one page module per screen.
//
// A page module exports render(main, ctx) where ctx = {params, query, me,
// go}: params are the route's :parts, query the hash's ?a=b arguments, me
// the account (/api/me), go(hash) navigates.  Pages load on first use, so
// the first screen needs only this file, api.js and ui.js.
import { api, setCsrf, onSessionExpired, ApiError } from './api.js';
import { h, toast, pageHead, field } from './ui.js';

const ADMIN = '管理员', TOWN = '区镇', SCHOOL = '学校', INSPECTOR = '督学', LEADER = '领导';
const ALL = [ADMIN, TOWN, SCHOOL, INSPECTOR, LEADER];

// The menu in groups: a group's title, then its entries (hash, title,
// roles that see it); a group none of whose entries the role sees is left
// out.
const MENU = [
  ['督查', [
    ['#/dashboard', '总览', ALL],
    ['#/tasks', '任务督办', ALL],
  ]],
  ['名册', [
    ['#/schools', '学校', ALL],
    ['#/teachers', '教师', ALL],
  ]],
  ['教师队伍', [
    ['#/pairing', '结对帮扶', ALL],
    ['#/training', '教师培训', ALL],
    ['#/gaps', '队伍建设', ALL],
  ]],
  ['配置与经费', [
    ['#/staffing', '编制核定', ALL],
    ['#/redistribution', '教师调配', ALL],
    ['#/rotation', '交流轮岗', ALL],
    ['#/substitutes', '代课教师', ALL],
    ['#/itinerant', '走教安排', ALL],
    ['#/funding', '公用经费', ALL],
    ['#/subsidy', '教师补贴', ALL],
  ]],
  ['数据', [
    ['#/entry', '数据填报', [ADMIN, TOWN, SCHOOL]],
    ['#/review', '审核', [ADMIN, TOWN]],
    ['#/import', '导入', [ADMIN, TOWN, SCHOOL]],
  ]],
  ['系统', [
    ['#/rules', '机制参数', [ADMIN, LEADER]],
    ['#/audit', '审计日志', [ADMIN]],
    ['#/users', '用户管理', [ADMIN]],
  ]],
];

// Routes: pattern -> page module (in ./pages/) or a function here.
const ROUTES = [
  ['/dashboard', 'dashboard'],
  ['/indicator/:id', 'indicator'],
  ['/tasks', 'tasks'],
  ['/task/:id', 'tasks'],
  ['/schools', 'schools'],
  ['/school/:code', 'schools'],
  ['/teachers', 'teachers'],
  ['/teacher/:no', 'teachers'],
  ['/pairing', 'pairing'],
  ['/pairing/:programme', 'pairing'],
  ['/training', 'training'],
  ['/gaps', 'gaps'],
  ['/funding', 'funding'],
  ['/subsidy', 'subsidy'],
  ['/rules', 'rules'],
  ['/staffing', 'staffing'],
  ['/redistribution', 'redistribution'],
  ['/rotation', 'rotation'],
  ['/substitutes', 'substitutes'],
  ['/itinerant', 'itinerant'],
  ['/entry', 'entry'],
  ['/review', 'review'],
  ['/import', 'import'],
  ['/audit', 'audit'],
  ['/users', 'users'],
  ['/password', passwordPage],
];

let me = null;

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/dashboard';
  const [path, qs] = raw.split('?');
  return { path, query: Object.fromEntries(new URLSearchParams(qs || '')) };
}

function matchRoute(path) {
  for (const [pattern, target] of ROUTES) {
    const names = [];
    const re = new RegExp(`^${pattern.replace(/:(\w+)/g, (_, n) => { names.push(n); return '([^/]+)'; })}$`);
    const m = re.exec(path);
    if (m) {
      const params = {};
      names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1]); });
      return { target, params };
    }
  }
  return null;
}

export function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function renderMenu() {
  const current = `#${parseHash().path}`;
  const items = [];
  for (const [group, entries] of MENU) {
    const mine = entries.filter(([, , roles]) => roles.includes(me.role));
    if (!mine.length) continue;
    items.push(h('div.group', group), ...mine.map(([hash, title]) =>
      h('a', { href: hash, class: current.startsWith(hash) ? 'active' : null }, title)));
  }
  document.getElementById('menu').replaceChildren(...items);
}

let routing = 0;
async function route() {
  if (!me) return;
  const seq = ++routing;
  const { path, query } = parseHash();
  // each route draws into a box of its own: a page that finishes loading
  // after the user has moved on draws into a box no longer on screen
  const main = h('div.view');
  document.getElementById('main').replaceChildren(main);
  renderMenu();
  const m = matchRoute(path);
  if (!m) {
    main.replaceChildren(pageHead('未找到'), h('p.notice', '没有这个页面。'));
    return;
  }
  main.replaceChildren(h('p.notice', '正在加载……'));
  try {
    const ctx = { params: m.params, query, me, go };
    if (typeof m.target === 'function') {
      await m.target(main, ctx);
    } else {
      const mod = await import(`./pages/${m.target}.js`);
      if (seq !== routing) return;   // another route started meanwhile
      await mod.render(main, ctx);
    }
  } catch (e) {
    if (seq !== routing || (e instanceof ApiError && e.status === 401)) return;
    main.replaceChildren(pageHead('出错了'), h('p.notice.error', e.message));
  }
}

function showLogin(message) {
  me = null;
  document.getElementById('app-view').hidden = true;
  document.getElementById('login-view').hidden = false;
  document.getElementById('login-error').textContent = message || '';
  document.querySelector('#login input[name=name]').focus();
}

function showApp(account) {
  me = account;
  setCsrf(account.csrf);
  document.getElementById('login-view').hidden = true;
  document.getElementById('app-view').hidden = false;
  const unit = account.unit ? account.unit.name : '';
  document.getElementById('who').textContent = `${account.name}（${account.role}·${unit}）`;
  route();
}

async function passwordPage(main) {
  const oldF = field('原密码', 'old', { type: 'password', required: true });
  const newF = field('新密码', 'new', { type: 'password', required: true, help: '至少 8 个字符' });
  const again = field('再输入一次', 'again', { type: 'password', required: true });
  const form = h('form.form', oldF.el, newF.el, again.el, h('button.primary', { type: 'submit' }, '修改密码'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    [oldF, newF, again].forEach((f) => f.setError(''));
    if (newF.input.value !== again.input.value) {
      again.setError('两次输入的新密码不一致');
      return;
    }
    try {
      await api.post('/api/me/password', { old: oldF.input.value, new: newF.input.value });
      showLogin('密码已修改，请用新密码重新登录');
    } catch (e) {
      (e.code === 'bad_password' ? oldF : newF).setError(e.message);
    }
  });
  main.replaceChildren(pageHead('修改密码'), form);
}

document.getElementById('login').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const err = document.getElementById('login-error');
  err.textContent = '';
  try {
    const account = await api.post('/api/login', { name: f.get('name'), password: f.get('password') });
    ev.target.reset();
    showApp(account);
  } catch (e) {
    err.textContent = e.message;
  }
});

document.getElementById('logout').addEventListener('click', async () => {
  try { await api.post('/api/logout'); } catch (e) { /* gone already */ }
  showLogin('已退出');
});

onSessionExpired(() => {
  if (me) {
    toast('登录已过期，请重新登录', 'error');
    showLogin('登录已过期，请重新登录');
  }
});

window.addEventListener('hashchange', route);

try {
  showApp(await api.get('/api/me'));
} catch (e) {
  showLogin(e.status === 401 ? '' : e.message);
}
