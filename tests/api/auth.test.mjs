// Logging in and out, sessions and CSRF, the caller's own account and the
// accounts the plan office manages: the session cookie (HttpOnly,
// SameSite=Strict, never in a body), wrong passwords (401, Chinese),
// rate limits per account and per address (429), CSRF on state changes
// (403 "csrf"), logout, /api/me, password change (old sessions end),
// users list/add/disable.  Failed logins come from their own 127.x.y.z
// addresses and accounts, so that the limiter never blocks the others.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startWorld, stopWorld, withOwnServer, assertError, sessionCookie, PASSWORD, TIMEOUT,
} from './lib.mjs';

let w;
before(async () => { w = await startWorld(); }, { timeout: TIMEOUT });
after(async () => { await stopWorld(w); }, { timeout: TIMEOUT });

const HEX64 = /^[0-9a-f]{64}$/;

// A new account made by the admin through the API, with PASSWORD.
async function account(name, role = '学校', unit = null) {
  const r = await w.admin.post('/api/users', {
    name, role, unit: unit || w.facts.schoolA1.code, password: PASSWORD,
  });
  assert.equal(r.status, 201, `add ${name}: ${r.text}`);
  return name;
}

test('login sets an HttpOnly, SameSite=Strict session cookie and gives the CSRF token, never the session token', async () => {
  const c = w.client();
  const r = await c.post('/api/login', { name: 'zx-school', password: PASSWORD });
  assert.equal(r.status, 200, r.text);
  const set = r.setCookie.find((s) => s.startsWith('zx_session='));
  assert.ok(set, `no zx_session cookie: ${JSON.stringify(r.setCookie)}`);
  const token = sessionCookie(r);
  assert.match(token, HEX64);
  assert.match(set, /;\s*HttpOnly/i);
  assert.match(set, /;\s*SameSite=Strict/i);
  assert.match(set, /;\s*Path=\//);
  assert.ok(!r.text.includes(token), 'the session token is in the body');
  assert.match(r.json.csrf, HEX64);
  assert.notEqual(r.json.csrf, token);
  assert.equal(r.json.name, 'zx-school');
  assert.equal(r.json.role, '学校');
  assert.deepEqual(r.json.unit, { code: w.facts.schoolA1.code, name: w.facts.schoolA1.name, kind: 'school' });
  assert.equal(r.json.writes, true);
  assert.match(r.headers['cache-control'] || '', /no-store/);
  // /api/me gives the same CSRF token and never the session token either
  c.cookie = token;
  c.csrf = r.json.csrf;
  const me = await c.get('/api/me');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.csrf, r.json.csrf);
  assert.ok(!me.text.includes(token), 'the session token is in /api/me');
  assert.equal(me.setCookie.length, 0, '/api/me should not set cookies');
});

test('a wrong password or an unknown name is 401 with the same Chinese message, and no cookie', async () => {
  const name = await account('auth-wrong');
  const c = w.client({ localAddress: '127.0.10.1' });
  const bad = await c.post('/api/login', { name, password: 'not-the-password' });
  assertError(bad, 401, 'bad_login');
  assert.equal(sessionCookie(bad), null, 'a failed login set a cookie');
  const unknown = await c.post('/api/login', { name: 'no-such-user-x', password: PASSWORD });
  assertError(unknown, 401, 'bad_login');
  assert.equal(unknown.json.error.message, bad.json.error.message,
    'the message tells an unknown name from a wrong password');
  // incomplete or malformed bodies are 400, and are not counted as failures
  assertError(await c.post('/api/login', { name }), 400, 'invalid');
  assertError(await c.request('POST', '/api/login', { body: '{"name":', contentType: 'application/json' }), 400, 'bad_json');
  const ok = await c.login(name, PASSWORD);
  assert.equal(ok.status, 200, ok.text);
});

test('five failures for one account lock it (429) from every address, whatever the password', async () => {
  const name = await account('auth-rl-account');
  const other = await account('auth-rl-other');
  for (let i = 1; i <= 5; i++) {
    // each failure from its own address: only the account's count can trip
    const c = w.client({ localAddress: `127.0.11.${i}` });
    assertError(await c.post('/api/login', { name, password: `wrong-${i}-xxxxx` }), 401, 'bad_login', `failure ${i}:`);
  }
  const c = w.client({ localAddress: '127.0.11.9' });
  const right = await c.post('/api/login', { name, password: PASSWORD });
  assertError(right, 429, 'rate_limited');
  assert.match(right.json.error.message, /分钟/);
  assert.equal(sessionCookie(right), null);
  const wrong = await c.post('/api/login', { name, password: 'wrong-again-xx' });
  assertError(wrong, 429, 'rate_limited');
  assert.equal(wrong.json.error.message, right.json.error.message,
    'the refusal tells whether the password was right');
  // the address itself is not blocked: another account logs in from it
  assert.equal((await c.login(other, PASSWORD)).status, 200);
});

test('five failures from one address block it (429) for every account, other addresses still log in', async () => {
  const name = await account('auth-rl-address');
  const c = w.client({ localAddress: '127.0.12.1' });
  for (let i = 1; i <= 5; i++)
    assertError(await c.post('/api/login', { name: `nobody-${i}`, password: 'whatever-xx' }), 401, 'bad_login', `failure ${i}:`);
  assertError(await c.post('/api/login', { name, password: PASSWORD }), 429, 'rate_limited');
  const elsewhere = w.client({ localAddress: '127.0.12.2' });
  assert.equal((await elsewhere.login(name, PASSWORD)).status, 200);
});

test('a POST without the CSRF token, or with a wrong one, is 403 "csrf" and changes nothing', async () => {
  const name = await account('auth-csrf');
  const c = w.client();
  assert.equal((await c.login(name, PASSWORD)).status, 200);
  const other = w.client();
  assert.equal((await other.login('zx-school', PASSWORD)).status, 200);
  assertError(await c.post('/api/logout', {}, { csrf: false }), 403, 'csrf', 'no token:');
  assertError(await c.post('/api/logout', {}, { csrf: '0'.repeat(64) }), 403, 'csrf', 'zero token:');
  assertError(await c.post('/api/logout', {}, { csrf: c.csrf.slice(0, 63) }), 403, 'csrf', 'short token:');
  assertError(await c.post('/api/logout', {}, { csrf: other.csrf }), 403, 'csrf', "another session's token:");
  assertError(await c.post('/api/me/password', { old: PASSWORD, new: 'Another-passw0rd' }, { csrf: false }), 403, 'csrf');
  assertError(await c.put('/api/values', { unit: w.facts.schoolA1.code, year: 2021, values: { drinking_water: '是' } }, { csrf: false }), 403, 'csrf');
  // still logged in with the old password: nothing above took effect
  assert.equal((await c.get('/api/me')).status, 200);
  const again = w.client();
  assert.equal((await again.login(name, PASSWORD)).status, 200);
  // the right token works
  assert.equal((await c.post('/api/logout', {})).status, 200);
});

test('logout ends the session and clears the cookie', async () => {
  const c = w.client();
  assert.equal((await c.login('zx-leader', PASSWORD)).status, 200);
  const token = c.cookie;
  const second = w.client();
  assert.equal((await second.login('zx-leader', PASSWORD)).status, 200);
  // every server thread has met the session (threads remember sessions)
  for (let i = 0; i < 8; i++) assert.equal((await c.get('/api/me', { fresh: true })).status, 200);
  const r = await c.post('/api/logout', {});
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { ok: true });
  const set = r.setCookie.find((s) => s.startsWith('zx_session='));
  assert.ok(set, 'logout does not clear the cookie');
  assert.match(set, /^zx_session=;/);
  assert.match(set, /Max-Age=0/);
  assertError(await c.get('/api/me', { cookie: token }), 401, 'unauthenticated');
  for (let i = 0; i < 8; i++)
    assertError(await c.get('/api/me', { cookie: token, fresh: true }), 401, 'unauthenticated', `thread ${i}:`);
  // only that session: the other one of the same account goes on
  assert.equal((await second.get('/api/me')).status, 200);
});

test('/api/me tells each role its account, unit and whether it may write', async () => {
  const want = {
    admin: ['admin', '管理员', w.facts.city, true],
    town: ['zx-town', '区镇', w.facts.townA, true],
    school: ['zx-school', '学校', w.facts.schoolA1, true],
    inspector: ['zx-insp', '督学', w.facts.city, false],
    leader: ['zx-leader', '领导', w.facts.city, false],
    tleader: ['zx-tleader', '领导', w.facts.townA, false],
  };
  for (const [key, [name, role, unit, writes]] of Object.entries(want)) {
    const c = await w.as(key);
    const r = await c.get('/api/me');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.name, name);
    assert.equal(r.json.role, role);
    assert.deepEqual(r.json.unit, { code: unit.code, name: unit.name, kind: unit.kind });
    assert.equal(r.json.writes, writes, `${key} writes`);
    assert.equal(r.json.csrf, c.csrf);
  }
  const anon = w.client();
  assertError(await anon.get('/api/me'), 401, 'unauthenticated');
  assertError(await anon.get('/api/me', { cookie: 'f'.repeat(64) }), 401, 'unauthenticated');
  assertError(await anon.get('/api/me', { cookie: 'garbage' }), 401, 'unauthenticated');
});

test('a password change needs the old password, ends every session of the account, and the new one works', async () => {
  const name = await account('auth-passwd');
  const c = w.client();
  assert.equal((await c.login(name, PASSWORD)).status, 200);
  const second = w.client();
  assert.equal((await second.login(name, PASSWORD)).status, 200);
  assertError(await c.post('/api/me/password', { old: 'not-the-old-one', new: 'New-passw0rd-1' }), 403, 'bad_password');
  assertError(await c.post('/api/me/password', { new: 'New-passw0rd-1' }), 400, 'invalid');
  const short = await c.post('/api/me/password', { old: PASSWORD, new: 'short' });
  assert.ok(short.status === 400 || short.status === 422, `a short password: ${short.status} ${short.text}`);
  assert.match(short.json.error.message, /[\u4e00-\u9fff]/);
  // none of that ended the session
  assert.equal((await c.get('/api/me')).status, 200);
  const r = await c.post('/api/me/password', { old: PASSWORD, new: 'New-passw0rd-1' });
  assert.equal(r.status, 200, r.text);
  const set = r.setCookie.find((s) => s.startsWith('zx_session='));
  assert.ok(set && /Max-Age=0/.test(set), 'the cookie is not cleared');
  assertError(await c.get('/api/me'), 401, 'unauthenticated', 'this session:');
  assertError(await second.get('/api/me'), 401, 'unauthenticated', 'the other session:');
  const old = w.client({ localAddress: '127.0.13.1' });
  assertError(await old.post('/api/login', { name, password: PASSWORD }), 401, 'bad_login');
  assert.equal((await w.client().login(name, 'New-passw0rd-1')).status, 200);
});

test('the admin lists accounts, page by page, without any password', async () => {
  const r = await w.admin.get('/api/users', { query: { size: 500 } });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.total >= 6);
  const names = r.json.items.map((u) => u.name);
  for (const n of ['admin', 'zx-town', 'zx-school', 'zx-insp', 'zx-leader', 'zx-tleader'])
    assert.ok(names.includes(n), `${n} is not listed`);
  const town = r.json.items.find((u) => u.name === 'zx-town');
  assert.equal(town.role, '区镇');
  assert.deepEqual(town.unit, { code: w.facts.townA.code, name: w.facts.townA.name });
  assert.equal(town.disabled, false);
  for (const u of r.json.items)
    assert.deepEqual(Object.keys(u).filter((k) => /pass|hash/i.test(k)), [], 'a listed account has a password field');
  assert.ok(!/\$argon2/.test(r.text), 'the listing has a password hash');
  const p1 = await w.admin.get('/api/users', { query: { size: 2, page: 1 } });
  const p2 = await w.admin.get('/api/users', { query: { size: 2, page: 2 } });
  assert.equal(p1.json.items.length, 2);
  assert.equal(p1.json.total, r.json.total);
  assert.equal(p1.json.page, 1);
  assert.equal(p2.json.page, 2);
  assert.deepEqual([...p1.json.items, ...p2.json.items].map((u) => u.name), names.slice(0, 4));
  assertError(await w.admin.get('/api/users', { query: { size: 0 } }), 400, 'bad_parameter');
  assertError(await w.admin.get('/api/users', { query: { page: 'x' } }), 400, 'bad_parameter');
});

test('adding an account: a generated password is given once and works; bad input is refused', async () => {
  const r = await w.admin.post('/api/users', { name: 'auth-new', role: '区镇', unit: w.facts.townB.code });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.name, 'auth-new');
  assert.equal(typeof r.json.password, 'string');
  assert.ok(r.json.password.length >= 12, `a short generated password: ${r.json.password}`);
  const c = w.client();
  const login = await c.login('auth-new', r.json.password);
  assert.equal(login.status, 200, login.text);
  assert.equal(login.json.unit.code, w.facts.townB.code);
  const list = await w.admin.get('/api/users', { query: { size: 500 } });
  assert.ok(!list.text.includes(r.json.password), 'the generated password is listed');
  // a password given is not echoed
  const given = await w.admin.post('/api/users', { name: 'auth-given', role: '领导', unit: w.facts.city.code, password: PASSWORD });
  assert.equal(given.status, 201, given.text);
  assert.ok(given.json.password == null, 'a given password is echoed');
  assert.ok(!given.text.includes(PASSWORD));
  // refusals
  assertError(await w.admin.post('/api/users', { name: 'auth-new', role: '区镇', unit: w.facts.townB.code }), 409, 'conflict', 'a taken name:');
  for (const [body, what] of [
    [{ name: 'auth-x1', role: '校长', unit: w.facts.schoolA1.code }, 'an unknown role'],
    [{ name: 'auth-x2', role: '学校', unit: w.facts.townA.code }, 'a unit of the wrong kind'],
    [{ name: 'auth-x3', role: '区镇', unit: '320684T999' }, 'an unknown unit'],
    [{ name: 'auth x4', role: '领导', unit: w.facts.city.code }, 'a name with a space'],
    [{ name: 'auth-x5', role: '领导', unit: w.facts.city.code, password: 'short' }, 'a short password'],
    [{ role: '领导', unit: w.facts.city.code }, 'no name'],
  ]) {
    const bad = await w.admin.post('/api/users', body);
    assert.ok(bad.status === 400 || bad.status === 422, `${what}: ${bad.status} ${bad.text}`);
    assert.match(bad.json.error.message, /[\u4e00-\u9fff]/, what);
  }
  const after = await w.admin.get('/api/users', { query: { size: 500 } });
  assert.ok(!after.json.items.some((u) => /^auth[- ]x/.test(u.name)), 'a refused account was made');
});

test('adding an account without a role is 400, and does not crash the server (it did: SIGSEGV)', async () => {
  // on a server of its own: this request used to kill the process (a NULL
  // role reached strcmp)
  await withOwnServer(w, 'admin', async (c) => {
    const r = await c.post('/api/users', { name: 'auth-norole', unit: w.facts.city.code });
    assert.ok(r.status === 400 || r.status === 422, `no role: ${r.status} ${r.text}`);
  });
});

test('adding an account without a unit says so, without "(null)"', async () => {
  const r = await w.admin.post('/api/users', { name: 'auth-nounit', role: '领导' });
  assert.ok(r.status === 400 || r.status === 422, `no unit: ${r.status} ${r.text}`);
  assert.ok(!r.text.includes('(null)'), `the message shows a NULL: ${r.json.error.message}`);
});

test('disabling an account ends its sessions and refuses its logins; enabling it lets it log in again', async () => {
  const name = await account('auth-disable');
  const c = w.client();
  assert.equal((await c.login(name, PASSWORD)).status, 200);
  const token = c.cookie;
  for (let i = 0; i < 8; i++) assert.equal((await c.get('/api/me', { fresh: true })).status, 200);
  const r = await w.admin.patch(`/api/users/${name}`, { disabled: true });
  assert.equal(r.status, 200, r.text);
  assertError(await c.get('/api/me'), 401, 'unauthenticated');
  for (let i = 0; i < 8; i++)
    assertError(await c.get('/api/me', { fresh: true }), 401, 'unauthenticated', `thread ${i}:`);
  const d = w.client({ localAddress: '127.0.14.1' });
  const refused = await d.post('/api/login', { name, password: PASSWORD });
  assertError(refused, 401, 'bad_login');
  const list = await w.admin.get('/api/users', { query: { size: 500 } });
  assert.equal(list.json.items.find((u) => u.name === name).disabled, true);
  assert.equal((await w.admin.patch(`/api/users/${name}`, { disabled: false })).status, 200);
  // the old session stays ended
  assertError(await c.get('/api/me', { cookie: token }), 401, 'unauthenticated', 'the old session after enabling:');
  assert.equal((await w.client().login(name, PASSWORD)).status, 200);
  // the admin's password reset works too, and also ends sessions
  const e = w.client();
  assert.equal((await e.login(name, PASSWORD)).status, 200);
  assert.equal((await w.admin.patch(`/api/users/${name}`, { password: 'Reset-passw0rd' })).status, 200);
  assertError(await e.get('/api/me'), 401, 'unauthenticated', 'after a reset:');
  assert.equal((await w.client().login(name, 'Reset-passw0rd')).status, 200);
  // refusals
  assertError(await w.admin.patch('/api/users/admin', { disabled: true }), 400, 'invalid', 'disabling oneself:');
  assertError(await w.admin.patch('/api/users/no-such-user', { disabled: true }), 404, 'not_found');
  assertError(await w.admin.patch(`/api/users/${name}`, {}), 400, 'invalid');
  assertError(await w.admin.patch(`/api/users/${name}`, { disabled: 'yes' }), 400, 'invalid');
});

test('a refused account change changes nothing (disabled + a too-short password)', async () => {
  const name = await account('auth-atomic');
  const r = await w.admin.patch(`/api/users/${name}`, { disabled: true, password: 'short' });
  assert.ok(r.status === 400 || r.status === 422, `${r.status} ${r.text}`);
  const list = await w.admin.get('/api/users', { query: { size: 500 } });
  assert.equal(list.json.items.find((u) => u.name === name).disabled, false,
    'the request was refused, yet the account was disabled');
});
