// A small stand-in for the collector, for working on the page and for the benchmark: serves
// the UI files and the collector API shapes from fixed folded stacks.
// Usage: node fixture-server.mjs [port]   (prints "listening PORT")

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tree, diffTree } from '../js/folded.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOTS = {
  '/bench/': path.resolve(here, '../bench'),
  '/': path.resolve(here, '../../main/resources/hearth-ui'),
};
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

const STACKS = {
  '1.4': [
    'main;Server.handle;Checkout.total;BigDecimal.add 300',
    'main;Server.handle;Checkout.total;Tax.compute 200',
    'main;Server.handle;Json.write 250',
    'main;GC;[kernel] do_syscall_64 100',
    'main;Server.handle;<img src=x onerror=alert(1)> 50',
  ],
  '1.5': [
    'main;Server.handle;Checkout.total;BigDecimal.add 300',
    'main;Server.handle;Checkout.total;Tax.compute 600',
    'main;Server.handle;Json.write 250',
    'main;GC;[kernel] do_syscall_64 100',
    'main;Server.handle;<img src=x onerror=alert(1)> 50',
  ],
};
const KINDS = { '[kernel] do_syscall_64': 'kernel', main: 'native', GC: 'cpp' };
const treeOf = (lines) => tree(lines, KINDS);

function versionOf(labels) {
  const m = /version=([\d.]+)/.exec(labels || '');
  return m ? m[1] : '1.5';
}

// /api/v1/functions from folded stacks: self at the leaf, total once per stack.
function functions(lines, search) {
  const rows = new Map();
  let total = 0, matched = 0;
  for (const line of lines) {
    const cut = line.lastIndexOf(' ');
    const v = Number(line.slice(cut + 1)), names = line.slice(0, cut).split(';');
    total += v;
    if (search && names.some((n) => n.toLowerCase().includes(search.toLowerCase()))) matched += v;
    names.forEach((name, i) => {
      const row = rows.get(name) || { name, kind: KINDS[name] || 'jit', kinds: [KINDS[name] || 'jit'], self: 0, total: 0 };
      rows.set(name, row);
      if (i === names.length - 1) row.self += v;
      if (names.indexOf(name) === i) row.total += v;
    });
  }
  return { unit: 'samples', total, count: rows.size, matched, functions: [...rows.values()] };
}

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function api(url, res) {
  const q = url.searchParams;
  const empty = q.get('service') === 'idle';
  const merged = (labels) => treeOf(empty ? [] : STACKS[versionOf(labels)]);
  switch (url.pathname) {
    case '/api/v1/services':
      return json(res, 200, { services: [
        { name: 'shop', types: ['cpu', 'offcpu'], labels: ['host', 'version'], volume: { cpu: { total: 900, unit: 'samples' }, offcpu: { total: 0, unit: 'nanoseconds' } } },
        { name: 'idle', types: ['cpu'], labels: [], volume: { cpu: { total: 0, unit: 'samples' } } },
      ] });
    case '/api/v1/labels':
      return json(res, 200, { values: q.get('key') === 'version' ? ['1.4', '1.5'] : ['host-a', 'host-b'] });
    case '/api/v1/flamegraph': {
      const root = merged(q.get('labels'));
      return json(res, 200, { unit: 'samples', total: root.total, root });
    }
    case '/api/v1/diff':
      return json(res, 200, { unit: 'samples', root: empty ? treeOf([]) : diffTree(STACKS[versionOf(q.get('baseLabels'))], STACKS[versionOf(q.get('labels'))], KINDS) });
    case '/api/v1/functions':
      return json(res, 200, functions(empty ? [] : STACKS[versionOf(q.get('labels'))], q.get('search')));
    case '/api/v1/sandwich': {
      // the stacks through the function, cut there: callees below it, callers above it (reversed)
      const fn = q.get('function');
      const lines = (empty ? [] : STACKS[versionOf(q.get('labels'))]).filter((l) => l.slice(0, l.lastIndexOf(' ')).split(';').includes(fn));
      const part = (l, callers) => {
        const cut = l.lastIndexOf(' '), names = l.slice(0, cut).split(';'), at = names.indexOf(fn);
        return (callers ? names.slice(0, at + 1).reverse() : names.slice(at)).join(';') + l.slice(cut);
      };
      const wrap = (lines2) => { const root = treeOf(lines2).children[0] || treeOf([]); return { unit: 'samples', total: root.total, root }; };
      return json(res, 200, { callers: wrap(lines.map((l) => part(l, true))), callees: wrap(lines.map((l) => part(l, false))) });
    }
    case '/api/v1/timeline': {
      const from = +q.get('from'), until = +q.get('until'), step = +q.get('step');
      const points = [];
      if (!empty) for (let t = from; t < until; t += step) points.push([t, 50 + Math.round(40 * Math.sin(t / 6e5))]);
      return json(res, 200, { points });
    }
    default:
      return json(res, 404, { error: `no such endpoint ${url.pathname}` });
  }
}

function serveFile(url, res) {
  for (const [prefix, dir] of Object.entries(ROOTS)) {
    if (!url.pathname.startsWith(prefix)) continue;
    const rel = url.pathname.slice(prefix.length) || 'index.html';
    const file = path.resolve(dir, rel);
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) break;
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    return fs.createReadStream(file).pipe(res);
  }
  res.writeHead(404);
  res.end('not found');
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname.startsWith('/api/')) api(url, res); else serveFile(url, res);
});
server.listen(Number(process.argv[2] || 0), '127.0.0.1', () => console.log(`listening ${server.address().port}`));
