// bench/http/burst.mjs - N concurrent clients writing data values to the
// server for S seconds, each waiting for its answer before the next
// write, so that every write is accounted for: answered and changed,
// answered unchanged, or failed.  Each client writes its own school, with
// a counter that never repeats a value, so every answered write must have
// changed the stored value and left one audit entry.
//
// Usage: node burst.mjs URL SESSION_TOKEN CSRF_TOKEN CLIENTS SECONDS SCHOOLS
//   SCHOOLS: a file of school codes, one per line, at least CLIENTS
// Prints one JSON line: {"ok", "unchanged", "errors", "seconds",
// "writes_per_s", "p50_ms", "p99_ms"}.
import fs from 'node:fs';
import http from 'node:http';

const [url, token, csrf, nclients, secs, file] = process.argv.slice(2);
const base = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(nclients) });
const headers = {
  Cookie: `zx_session=${token}`,
  'X-CSRF-Token': csrf,
  'Content-Type': 'application/json',
};

function request(method, path, body) {
  return new Promise((resolve) => {
    const data = body ? JSON.stringify(body) : null;
    const req = http.request(
      { host: base.hostname, port: base.port, path, method, agent,
        headers: data ? { ...headers, 'Content-Length': Buffer.byteLength(data) }
                      : headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => { text += c; });
        res.on('end', () => resolve({ status: res.statusCode, text }));
      });
    req.on('error', (e) => resolve({ status: 0, text: String(e) }));
    if (data) req.write(data);
    req.end();
  });
}

const schools = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)
  .slice(0, Number(nclients));
if (schools.length < Number(nclients)) {
  console.error(`only ${schools.length} schools for ${nclients} clients`);
  process.exit(1);
}

let ok = 0, unchanged = 0, errors = 0;
const lat = [];
const firstError = [];
const end = Date.now() + Number(secs) * 1000;
const t0 = Date.now();

async function client(i) {
  let n = 0;
  while (Date.now() < end) {
    const body = { unit: schools[i], year: 2021,
                   values: { renrentong_accounts: 10000 + (n++ % 10000) } };
    const s = process.hrtime.bigint();
    const r = await request('PUT', '/api/values', body);
    lat.push(Number(process.hrtime.bigint() - s) / 1e6);
    if (r.status !== 200) {
      errors++;
      if (firstError.length < 3) firstError.push(`${r.status} ${r.text}`);
    } else if (r.text.includes('"unchanged"')) {
      unchanged++;
    } else {
      ok++;
    }
  }
}

await Promise.all(schools.map((_, i) => client(i)));
const seconds = (Date.now() - t0) / 1000;
lat.sort((a, b) => a - b);
const pct = (p) => lat.length ? lat[Math.min(lat.length - 1,
                                             Math.floor(lat.length * p))] : 0;
console.log(JSON.stringify({ ok, unchanged, errors, seconds,
  writes_per_s: Math.round((ok + unchanged) / seconds),
  p50_ms: +pct(0.5).toFixed(1), p99_ms: +pct(0.99).toFixed(1),
  first_errors: firstError }));
agent.destroy();
