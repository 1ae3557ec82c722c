// A small stand-in for the collector, for working on the page and for the benchmark: serves
// the UI files and the collector API shapes from fixed folded stacks.
// Usage: node fixture-server.mjs [port]   (prints "listening PORT")

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
const KIND = (name) => (name.startsWith('[kernel]') ? 'kernel' : name === 'main' ? 'native' : name === 'GC' ? 'cpp' : 'jit');

function treeOf(lines) {
  const root = { name: 'total', kind: 'unknown', self: 0, total: 0, children: [] };
  for (const line of lines) {
    const cut = line.lastIndexOf(' ');
    const value = Number(line.slice(cut + 1));
    let node = root;
    root.total += value;
    for (const name of line.slice(0, cut).split(';')) {
      let c = node.children.find((k) => k.name === name);
      if (!c) { c = { name, kind: KIND(name), self: 0, total: 0, children: [] }; node.children.push(c); }
      c.total += value;
      node = c;
    }
    node.self += value;
  }
  return root;
}

function versionOf(labels) {
  const m = /version=([\d.]+)/.exec(labels || '');
  return m ? m[1] : '1.5';
}

function diffOf(base, comp) {
  const names = new Set([...(base?.children || []), ...(comp?.children || [])].map((c) => c.name));
  const find = (t, n) => t?.children.find((c) => c.name === n);
  const any = comp || base;
  return {
    name: any.name, kind: any.kind,
    self: comp?.self || 0, total: comp?.total || 0, baseSelf: base?.self || 0, baseTotal: base?.total || 0,
    children: [...names].map((n) => diffOf(find(base, n), find(comp, n))),
  };
}

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function api(url, res) {
  const q = url.searchParams;
  const empty = q.get('service') === 'idle';
  const tree = (labels) => (empty ? treeOf([]) : treeOf(STACKS[versionOf(labels)]));
  switch (url.pathname) {
    case '/api/v1/services':
      return json(res, 200, { services: [
        { name: 'shop', types: ['cpu', 'offcpu'], labels: ['host', 'version'] },
        { name: 'idle', types: ['cpu'], labels: [] },
      ] });
    case '/api/v1/labels':
      return json(res, 200, { values: q.get('key') === 'version' ? ['1.4', '1.5'] : ['host-a', 'host-b'] });
    case '/api/v1/flamegraph':
      return json(res, 200, { unit: 'samples', total: tree(q.get('labels')).total, root: tree(q.get('labels')) });
    case '/api/v1/diff':
      return json(res, 200, { unit: 'samples', root: diffOf(tree(q.get('baseLabels')), tree(q.get('labels'))) });
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
