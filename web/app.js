// The first page: log in, then the city's (or the caller's unit's)
// indicators against this year's targets.  Talks to /api/ only.
let csrf = '';

async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
  const r = await fetch(path, { method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await r.json().catch(() => ({}));
  return { status: r.status, data };
}

const $ = (id) => document.getElementById(id);
const fmt = (v) => (v === null || v === undefined ? '—' : String(v));

function showLogin() {
  $('overview').hidden = true;
  $('login').hidden = false;
  $('who').textContent = '';
}

async function showOverview(me) {
  csrf = me.csrf;
  $('login').hidden = true;
  $('who').textContent = `${me.name}（${me.role}，${me.unit ? me.unit.name : ''}）`;
  const r = await api('GET', '/api/indicators');
  if (r.status === 401) return showLogin();
  $('year').textContent = `${r.data.year} 年度`;
  const counts = {};
  const rows = [];
  for (const ind of r.data.indicators || []) {
    const res = ind.results[0];
    if (!res) continue;
    counts[res.status_name] = (counts[res.status_name] || 0) + 1;
    const tr = document.createElement('tr');
    for (const text of [ind.clause, ind.name, `${fmt(res.value)}${ind.unit || ''}`,
                        fmt(res.milestone), fmt(res.target)]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    const st = document.createElement('td');
    st.textContent = res.status_name;
    st.className = res.status;
    tr.append(st);
    rows.push(tr);
  }
  $('rows').replaceChildren(...rows);
  $('counts').textContent = Object.entries(counts).map(([k, v]) => `${k} ${v} 项`).join('，');
  $('overview').hidden = false;
}

$('login').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const r = await api('POST', '/api/login', { name: f.get('name'), password: f.get('password') });
  if (r.status !== 200) {
    $('login-error').textContent = r.data.error ? r.data.error.message : '登录失败';
    return;
  }
  $('login-error').textContent = '';
  showOverview(r.data);
});

const me = await api('GET', '/api/me');
if (me.status === 200) showOverview(me.data); else showLogin();
