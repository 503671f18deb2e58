// openapi.test.mjs - docs/openapi.yaml documents every route of the
// server's route tables (src/server/api_*.c), with the same method, and
// nothing that is not a route.  No YAML library: the paths and their
// methods are read from the file's fixed two- and four-space layout.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, readRoutes } from './lib.mjs';

function documented() {
  const text = readFileSync(join(ROOT, 'docs', 'openapi.yaml'), 'utf8');
  const ops = new Set();
  let inPaths = false, path = null;
  for (const line of text.split('\n')) {
    if (/^\S/.test(line)) { inPaths = line.startsWith('paths:'); path = null; continue; }
    if (!inPaths) continue;
    const p = /^ {2}(\/\S+):\s*$/.exec(line);
    if (p) { path = p[1]; continue; }
    const m = /^ {4}(get|put|post|patch|delete):\s*$/.exec(line);
    if (m && path) ops.add(`${m[1].toUpperCase()} ${path}`);
  }
  return ops;
}

test('every route is in docs/openapi.yaml and every documented operation is a route', () => {
  const ops = documented();
  const routes = new Set(readRoutes().map((r) =>
    `${r.method} ${r.pattern.replace(/:(\w+)/g, '{$1}')}`));
  assert.ok(routes.size > 20, 'route tables not read');
  // two routes may share a shape under different parameter names
  const shape = (s) => s.replace(/\{\w+\}/g, '{}');
  const docShapes = new Set([...ops].map(shape));
  const routeShapes = new Set([...routes].map(shape));
  for (const r of routes) assert.ok(docShapes.has(shape(r)), `${r} is not documented`);
  for (const o of ops) assert.ok(routeShapes.has(shape(o)), `${o} is documented but is no route`);
});
