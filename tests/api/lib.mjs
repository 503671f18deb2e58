// Shared helpers of the API tests (node:test, no npm packages).
//
// A "world" is one temporary directory with a database built by the real
// binary ($ZX_BIN: init, then a one-city demo), the real server started
// on it (`serve --listen 127.0.0.1:0 --port-file F`), an account per
// role made with `zhenxing user add`, the inspector's schools assigned
// through the API, and facts about the org tree read straight from the
// database with the sqlite3 command-line tool, so that tests can tell
// what each role may and may not see.  stopWorld() sends SIGTERM and
// checks that the server exits 0 with no sanitizer report.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import assert from 'node:assert/strict';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const ZX_BIN = process.env.ZX_BIN
  ? resolve(process.env.ZX_BIN)
  : resolve(ROOT, 'build', 'zhenxing');

if (!existsSync(ZX_BIN))
  throw new Error(`ZX_BIN ${ZX_BIN} does not exist: build it (make) or set ZX_BIN`);

// The sanitized build is several times slower: every wait is generous.
export const SLOW = /build-san/.test(ZX_BIN);
export const TIMEOUT = SLOW ? 120_000 : 60_000;

const SANITIZER = /AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer/;

export function sanitizerReport(text) {
  return SANITIZER.test(text) ? text : null;
}

// ---- the command line -----------------------------------------------------

// Runs `zhenxing --db DB ARGS...` to completion; input goes to stdin.
export function zx(db, args, { input } = {}) {
  const r = spawnSync(ZX_BIN, db ? ['--db', db, ...args] : args, {
    input: input ?? '',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: TIMEOUT,
  });
  if (r.error) throw r.error;
  assert.equal(sanitizerReport(r.stderr), null,
    `sanitizer report from zhenxing ${args.join(' ')}:\n${r.stderr}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// The same, asynchronous (several `user add` at once).
export function zxAsync(db, args, { input } = {}) {
  return new Promise((res, rej) => {
    const p = spawn(ZX_BIN, ['--db', db, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '', err = '';
    p.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
    p.stderr.setEncoding('utf8').on('data', (d) => { err += d; });
    p.on('error', rej);
    p.on('close', (status) => {
      if (sanitizerReport(err))
        rej(new Error(`sanitizer report from zhenxing ${args.join(' ')}:\n${err}`));
      else
        res({ status, stdout: out, stderr: err });
    });
    p.stdin.end(input ?? '');
  });
}

// Rows of a query, through the sqlite3 shell (read-only use, or the
// tamper test's UPDATE).
export function sql(db, query) {
  const r = spawnSync('sqlite3', ['-json', db, query], {
    encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: TIMEOUT,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`sqlite3 failed (${r.status}): ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

// ---- the server -------------------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Servers still running when this process exits (a test that crashed
// before stopping its world) are killed with it rather than left behind.
const running = new Set();
process.on('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

export class Server {
  static async start(db, dir, { args = [] } = {}) {
    const s = new Server();
    s.portFile = join(dir, `port-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    s.stdout = '';
    s.stderr = '';
    s.proc = spawn(ZX_BIN, ['--db', db, 'serve', '--listen', '127.0.0.1:0',
      '--port-file', s.portFile, '--threads', '4', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] });
    s.proc.stdout.setEncoding('utf8').on('data', (d) => { s.stdout += d; });
    s.proc.stderr.setEncoding('utf8').on('data', (d) => { s.stderr += d; });
    running.add(s.proc);
    s.exited = new Promise((res) => {
      s.proc.on('exit', (code, signal) => {
        running.delete(s.proc);
        res({ code, signal });
      });
    });
    let exited = null;
    s.exited.then((e) => { exited = e; });
    const deadline = Date.now() + TIMEOUT;
    // the port file comes first, the banner (with the first start's
    // admin password) is flushed just after it
    while (Date.now() < deadline) {
      if (exited)
        throw new Error(`zhenxing serve exited (${JSON.stringify(exited)}):\n${s.stdout}\n${s.stderr}`);
      if (existsSync(s.portFile) && /按 Ctrl-C 停止/.test(s.stdout)) {
        const port = parseInt(readFileSync(s.portFile, 'utf8'), 10);
        if (port > 0) {
          s.port = port;
          break;
        }
      }
      await sleep(25);
    }
    if (!s.port) {
      s.proc.kill('SIGKILL');
      throw new Error(`zhenxing serve did not start:\n${s.stdout}\n${s.stderr}`);
    }
    const m = /初始密码\s*(\S+)/.exec(s.stdout);
    s.adminPassword = m ? m[1] : null;
    s.base = `http://127.0.0.1:${s.port}`;
    return s;
  }

  // SIGTERM; the server must exit 0 with no sanitizer report.
  async stop() {
    if (!this.proc || this.stopped) return;
    this.stopped = true;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), TIMEOUT);
    const { code, signal } = await this.exited;
    clearTimeout(timer);
    assert.equal(sanitizerReport(this.stderr), null,
      `the server's stderr has a sanitizer report:\n${this.stderr}`);
    assert.equal(signal, null, `the server died of ${signal}:\n${this.stderr}`);
    assert.equal(code, 0, `the server exited ${code}:\n${this.stderr}`);
  }
}

// ---- the client -------------------------------------------------------------

// One browser: keeps the session cookie and the CSRF token given at
// login.  Requests go over keep-alive connections from localAddress
// (any 127.x.y.z works on Linux), or each over a new connection with
// {fresh: true}.
export class Client {
  constructor(base, { localAddress = '127.0.0.1' } = {}) {
    this.base = base;
    this.localAddress = localAddress;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 4, localAddress });
    this.cookie = null;
    this.csrf = null;
    this.me = null;
  }

  close() {
    this.agent.destroy();
  }

  // method, path ("/api/..."), options:
  //   query   object of query arguments
  //   json    a value sent as JSON
  //   body    a string or Buffer sent as is (type: contentType)
  //   headers extra headers
  //   csrf    false: leave out the X-CSRF-Token header; a string: send it
  //   cookie  false: leave out the session cookie; a string: send it
  //   fresh   true: a new connection (another server thread, likely)
  // Resolves {status, headers, text, json, setCookie}.
  request(method, path, opts = {}) {
    const { query, json, headers = {}, csrf = true, cookie = true, fresh = false } = opts;
    let { body, contentType } = opts;
    let url = path;
    if (query) {
      const qs = new URLSearchParams(query).toString();
      if (qs) url += (url.includes('?') ? '&' : '?') + qs;
    }
    const h = { ...headers };
    if (json !== undefined) {
      body = JSON.stringify(json);
      contentType = 'application/json';
    }
    if (body !== undefined) {
      if (contentType) h['Content-Type'] = contentType;
      h['Content-Length'] = Buffer.byteLength(body);
    }
    const ck = cookie === true ? this.cookie : cookie || null;
    if (ck) h.Cookie = `zx_session=${ck}`;
    const token = csrf === true ? this.csrf : csrf || null;
    if (token && method !== 'GET' && method !== 'HEAD') h['X-CSRF-Token'] = token;
    const u = new URL(url, this.base);
    return new Promise((res, rej) => {
      const req = http.request({
        host: u.hostname, port: u.port, path: u.pathname + u.search, method,
        headers: h,
        agent: fresh ? false : this.agent,
        localAddress: this.localAddress,
        timeout: TIMEOUT,
      }, (r) => {
        const chunks = [];
        r.on('data', (c) => chunks.push(c));
        r.on('end', () => {
          const buf = Buffer.concat(chunks);
          const text = buf.toString('utf8');
          let parsed = null;
          if (/json/.test(r.headers['content-type'] || '') && text) {
            try { parsed = JSON.parse(text); } catch { parsed = undefined; }
          }
          res({
            status: r.statusCode, headers: r.headers, text, buf, json: parsed,
            setCookie: r.headers['set-cookie'] || [],
          });
        });
        r.on('error', rej);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${url}: timed out`)));
      req.on('error', rej);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  get(path, opts) { return this.request('GET', path, opts); }
  post(path, json, opts = {}) { return this.request('POST', path, { ...opts, json }); }
  put(path, json, opts = {}) { return this.request('PUT', path, { ...opts, json }); }
  patch(path, json, opts = {}) { return this.request('PATCH', path, { ...opts, json }); }
  delete(path, opts) { return this.request('DELETE', path, opts); }

  // multipart/form-data: fields is [{name, value}] or
  // [{name, filename, content (string or Buffer), type}].
  multipart(method, path, fields, opts = {}) {
    const boundary = `----zxtest${Math.random().toString(16).slice(2)}`;
    const parts = [];
    for (const f of fields) {
      let head = `--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"`;
      if (f.filename !== undefined) head += `; filename="${f.filename}"`;
      head += '\r\n';
      if (f.filename !== undefined)
        head += `Content-Type: ${f.type || 'application/octet-stream'}\r\n`;
      head += '\r\n';
      parts.push(Buffer.from(head), Buffer.from(f.content ?? f.value ?? ''), Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return this.request(method, path, {
      ...opts, body: Buffer.concat(parts),
      contentType: `multipart/form-data; boundary=${boundary}`,
    });
  }

  // Logs in; on success keeps the cookie and the CSRF token.
  async login(name, password) {
    const r = await this.post('/api/login', { name, password }, { cookie: false });
    if (r.status === 200) {
      this.cookie = sessionCookie(r);
      this.csrf = r.json.csrf;
      this.me = r.json;
    }
    return r;
  }

  async logout() {
    const r = await this.post('/api/logout', {});
    this.cookie = null;
    this.csrf = null;
    return r;
  }
}

// The zx_session value a response sets ("" when it clears it), or null.
export function sessionCookie(r) {
  for (const c of r.setCookie) {
    const m = /^zx_session=([^;]*)/.exec(c);
    if (m) return m[1];
  }
  return null;
}

// Asserts an API error answer: status, error.code, a Chinese message.
export function assertError(r, status, code, what = '') {
  assert.equal(r.status, status, `${what} status ${r.status}, wanted ${status}: ${r.text.slice(0, 500)}`);
  assert.ok(r.json && r.json.error, `${what} no {"error"} in ${r.text.slice(0, 300)}`);
  if (code) assert.equal(r.json.error.code, code, `${what} error code: ${r.text.slice(0, 300)}`);
  assert.match(r.json.error.message, /[\u4e00-\u9fff]/, `${what} the message is not Chinese`);
}

// ---- the world ----------------------------------------------------------------

export const PASSWORD = 'Test-passw0rd';

// The role accounts every world has (besides the bootstrapped admin).
export const ROLE_ACCOUNTS = {
  town: { name: 'zx-town', role: '区镇' },
  school: { name: 'zx-school', role: '学校' },
  inspector: { name: 'zx-insp', role: '督学' },
  leader: { name: 'zx-leader', role: '领导' },
  tleader: { name: 'zx-tleader', role: '领导' },
};

// Facts about the org tree, read from the database.
function loadFacts(db) {
  const units = sql(db, `SELECT u.id, u.code, u.name, u.kind, u.parent_id,
      s.urban_rural, s.group_id, s.type_code
      FROM org_unit u LEFT JOIN school s ON s.unit_id = u.id ORDER BY u.code`);
  const byId = new Map(units.map((u) => [u.id, u]));
  const city = units.find((u) => u.kind === 'city');
  const towns = units.filter((u) => u.kind === 'town');
  const groups = units.filter((u) => u.kind === 'group');
  const schools = units.filter((u) => u.kind === 'school');
  for (const s of schools) {
    s.town = byId.get(s.parent_id);
    s.rural = s.urban_rural !== 111 && s.urban_rural !== 112;
  }
  const schoolsOf = (town) => schools.filter((s) => s.parent_id === town.id);
  // two towns with at least three schools, rural ones among them
  const fit = towns.filter((t) => schoolsOf(t).length >= 3 &&
    schoolsOf(t).filter((s) => s.rural).length >= 2);
  assert.ok(fit.length >= 2, 'the demo should have two towns with three schools');
  const [townA, townB] = fit;
  // A1 and A2 rural with teachers; A3 another school of the same town
  const teachers = sql(db, `SELECT t.teacher_no, t.school_id FROM teacher t ORDER BY t.teacher_no`);
  const teachersOf = new Map();
  for (const t of teachers) {
    if (!teachersOf.has(t.school_id)) teachersOf.set(t.school_id, []);
    teachersOf.get(t.school_id).push(t.teacher_no);
  }
  const withTeachers = (s) => (teachersOf.get(s.id) || []).length > 0;
  const aRural = schoolsOf(townA).filter((s) => s.rural && withTeachers(s));
  const schoolA1 = aRural[0];
  const schoolA2 = aRural[1] || schoolsOf(townA).find((s) => s !== schoolA1);
  const schoolA3 = schoolsOf(townA).find((s) => s !== schoolA1 && s !== schoolA2);
  const schoolB1 = schoolsOf(townB).find((s) => s.rural && withTeachers(s)) || schoolsOf(townB)[0];
  const groupB = groups.find((g) => schools.some((s) => s.group_id === g.id && s.parent_id === townB.id)) || groups[0];
  return {
    units, byId, city, towns, groups, schools, schoolsOf, teachers, teachersOf,
    townA, townB, schoolA1, schoolA2, schoolA3, schoolB1, groupB,
    teacherA1: teachersOf.get(schoolA1.id)[0],
    teacherB1: (teachersOf.get(schoolB1.id) || [null])[0],
  };
}

// Which unit ids each role account sees (scope.h), for the leak checks.
export function scopeOf(world, key) {
  const f = world.facts;
  const all = new Set(f.units.map((u) => u.id));
  const townSet = (t) => new Set([t.id, ...f.schoolsOf(t).map((s) => s.id)]);
  switch (key) {
    case 'admin': case 'leader': return all;
    case 'town': case 'tleader': return townSet(f.townA);
    case 'school': return new Set([f.schoolA1.id]);
    case 'inspector': return new Set(world.inspectorSchools.map((s) => s.id));
    default: throw new Error(`no role ${key}`);
  }
}

// Builds a world.  opts.scale: demo scale (1 = one city of ~130 schools);
// opts.serverArgs: more arguments of `zhenxing serve`.
export async function startWorld({ scale = 1, roles = true, serverArgs = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'zx-api-'));
  const db = join(dir, 'zx.db');
  let r = zx(db, ['init']);
  assert.equal(r.status, 0, `init: ${r.stderr}`);
  r = zx(db, ['demo', '--scale', String(scale)]);
  assert.equal(r.status, 0, `demo: ${r.stderr}`);
  const facts = loadFacts(db);
  const server = await Server.start(db, dir, { args: serverArgs });
  assert.ok(server.adminPassword, `no admin password in the first start's output:\n${server.stdout}`);
  const world = {
    dir, db, facts, server, clients: [], accounts: {},
    inspectorSchools: [facts.schoolA1, facts.schoolA2],
  };
  world.accounts.admin = { name: 'admin', role: '管理员', unit: facts.city, password: server.adminPassword };
  world.client = (opts) => {
    const c = new Client(server.base, opts);
    world.clients.push(c);
    return c;
  };
  world.admin = world.client();
  r = await world.admin.login('admin', server.adminPassword);
  assert.equal(r.status, 200, `admin login: ${r.text}`);
  if (roles) {
    const units = {
      town: facts.townA, school: facts.schoolA1, inspector: facts.city,
      leader: facts.city, tleader: facts.townA,
    };
    await Promise.all(Object.entries(ROLE_ACCOUNTS).map(async ([key, a]) => {
      const res = await zxAsync(db, ['user', 'add', a.name, '--role', a.role, '--unit', units[key].code],
        { input: `${PASSWORD}\n` });
      assert.equal(res.status, 0, `user add ${a.name}: ${res.stderr}`);
      world.accounts[key] = { ...a, unit: units[key], password: PASSWORD };
    }));
    r = await world.admin.put(`/api/users/${ROLE_ACCOUNTS.inspector.name}/schools`,
      { schools: world.inspectorSchools.map((s) => s.code) });
    assert.equal(r.status, 200, `assign schools: ${r.text}`);
  }
  // a logged-in client per role, made on first use
  const sessions = {};
  world.as = async (key) => {
    if (key === 'admin') return world.admin;
    if (!sessions[key]) {
      // each role from an address of its own, as in life: failed
      // password checks count per address too
      const n = Object.keys(ROLE_ACCOUNTS).indexOf(key) + 2;
      const c = world.client({ localAddress: `127.0.${n}.1` });
      const a = world.accounts[key];
      const res = await c.login(a.name, a.password);
      assert.equal(res.status, 200, `login ${a.name}: ${res.text}`);
      sessions[key] = c;
    }
    return sessions[key];
  };
  return world;
}

// Runs fn(client logged in as key) against a second server on the same
// database, for requests that might bring a server down: the world's own
// server stays up for the other tests.  The second server must then stop
// cleanly like any other.
export async function withOwnServer(world, key, fn) {
  const server = await Server.start(world.db, world.dir);
  const c = new Client(server.base);
  try {
    const a = world.accounts[key];
    const r = await c.login(a.name, a.password);
    assert.equal(r.status, 200, `login ${a.name}: ${r.text}`);
    await fn(c, server);
  } finally {
    c.close();
    await server.stop();
  }
}

export async function stopWorld(world) {
  if (!world) return;
  for (const c of world.clients) c.close();
  try {
    await world.server.stop();
  } finally {
    if (!process.env.ZX_KEEP) rmSync(world.dir, { recursive: true, force: true });
  }
}

// ---- the route tables -------------------------------------------------------------

// Every route of src/server/api_*.c, read from their tables:
// [{method, pattern, roles: Set of role keys or 'public', cached, file}].
export const ROLE_BITS = {
  ZX_ROLE_ADMIN: ['admin'],
  ZX_ROLE_TOWN: ['town'],
  ZX_ROLE_SCHOOL: ['school'],
  ZX_ROLE_INSPECTOR: ['inspector'],
  ZX_ROLE_LEADER: ['leader', 'tleader'],
  ZX_ROLE_ANY: ['admin', 'town', 'school', 'inspector', 'leader', 'tleader'],
};

export function readRoutes() {
  const dir = join(ROOT, 'src', 'server');
  const files = readdirSync(dir).filter((f) => /^api.*\.c$/.test(f)).sort().map((f) => join(dir, f));
  const routes = [];
  for (const file of files) {
    const src = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    const re = /const\s+zx_route\s+(\w+)\s*\[\s*\]\s*=\s*\{([\s\S]*?)\n\};/g;
    let m;
    while ((m = re.exec(src))) {
      const body = m[2];
      const ent = /\{\s*"([A-Z]+)"\s*,\s*"([^"]+)"\s*,\s*([^,]+?)\s*,\s*(\w+)\s*,\s*([^}]*?)\s*\}/g;
      let e;
      while ((e = ent.exec(body))) {
        const expr = e[3];
        let roles;
        if (/ZX_ROLE_PUBLIC/.test(expr)) roles = 'public';
        else {
          roles = new Set();
          for (const bit of expr.split('|').map((x) => x.trim()))
            for (const k of ROLE_BITS[bit] || []) roles.add(k);
          if (roles.size === 0) throw new Error(`unreadable roles "${expr}" in ${file}`);
        }
        routes.push({
          method: e[1], pattern: e[2], roles, fn: e[4],
          cached: /ZX_ROUTE_CACHED/.test(e[5]), table: m[1], file: file.slice(ROOT.length + 1),
        });
      }
    }
  }
  return routes;
}
