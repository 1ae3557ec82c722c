// Times the page's own modules on a synthetic 100,000-node tree: render (flatten + layout +
// draw, pixels flushed) and zoom (layout + draw), against a 1,000-node tree in the same run.

import { flatten } from '/js/tree.js';
import { FlameView } from '/js/flame-view.js';
import { mark, matcher } from '/js/search.js';

const N = 100000, BASE_N = 1000, RUNS = 15, WIDTH = 1280;

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

// Stacks that share prefixes like real ones: each new stack copies part of an earlier one
// and continues with random frames from a pool of names.
function makeTree(nodes, seed) {
  const rand = rng(seed);
  const names = Array.from({ length: 5000 }, (_, i) => `com.example.pkg${i % 50}.Class${i}.method${i % 7}(Ljava/lang/Object;)V`);
  const kinds = ['jit', 'inlined', 'interpreted', 'native', 'kernel', 'cpp'];
  const root = { name: 'total', kind: 'unknown', self: 0, total: 0, children: [] };
  let count = 1;
  const stacks = [];
  while (count < nodes) {
    const prev = stacks.length ? stacks[Math.floor(rand() * stacks.length)] : [];
    const keep = Math.floor(rand() * prev.length);
    const stack = prev.slice(0, keep);
    const len = 15 + Math.floor(rand() * 45);
    while (stack.length < len) stack.push(Math.floor(rand() * names.length));
    stacks.push(stack);
    const value = Math.ceil(1 / (rand() + 0.01));
    let node = root;
    root.total += value;
    for (const f of stack) {
      let c = node.children.find((k) => k.id === f);
      if (!c) {
        if (count >= nodes) break;
        c = { id: f, name: names[f], kind: kinds[f % kinds.length], self: 0, total: 0, children: [] };
        node.children.push(c);
        count++;
      }
      c.total += value;
      node = c;
    }
    node.self += value;
  }
  // siblings by name, as the collector sends them
  const todo = [root];
  while (todo.length) {
    const node = todo.pop();
    delete node.id;
    node.children.sort((a, c) => (a.name < c.name ? -1 : a.name > c.name ? 1 : 0));
    todo.push(...node.children);
  }
  return { json: JSON.stringify(root), count };
}

// "median/min": the median is the typical case; the minimum is the cost without interference
// from the other work on a shared machine.
function median(xs) {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

function stat(xs) {
  return { med: median(xs), min: Math.min(...xs) };
}

// One run over a tree: parse, render, zoom, search; adds timings to `acc`.
function runOnce(json, canvas, acc) {
  const view = new FlameView(canvas);
  const flush = () => canvas.getContext('2d').getImageData(0, 0, 1, 1);
  let s = performance.now();
  const root = JSON.parse(json);
  acc.parse.push(performance.now() - s);
  s = performance.now();
  const t = flatten(root);
  view.setTree(t, t.total);
  const f1 = performance.now();
  view.setOrient('icicle');
  view.render(WIDTH);
  const d1 = performance.now();
  flush();
  acc.render.push(performance.now() - s);
  acc.flatten.push(f1 - s); acc.draw.push(d1 - f1); acc.flush.push(performance.now() - d1);
  acc.nodes = t.n;
  acc.drawn = view.rects.count;
  // zoom into the largest frame at depth 2 (a typical click), as the page does: layout + draw
  let target = 0, size = 0;
  for (let i = 0; i < t.n; i++) if (t.depth[i] === 2 && t.end[i] - i > size) { target = i; size = t.end[i] - i; }
  s = performance.now();
  view.setFocus(target);
  view.render(WIDTH);
  flush();
  acc.zoom.push(performance.now() - s);
  acc.zoomDrawn = view.rects.count;
  s = performance.now();
  view.setMarks(mark(t, matcher('Class1', false)));
  view.setFocus(0);
  view.render(WIDTH);
  flush();
  acc.search.push(performance.now() - s);
}

const newAcc = () => ({ parse: [], render: [], zoom: [], search: [], flatten: [], draw: [], flush: [] });

function summary(acc) {
  return {
    nodes: acc.nodes, drawn: acc.drawn, zoomDrawn: acc.zoomDrawn,
    parse: stat(acc.parse), render: stat(acc.render), zoom: stat(acc.zoom), search: stat(acc.search),
    split: ['flatten', 'draw', 'flush'].map((k) => `${k} ${median(acc[k]).toFixed(1)}`).join(', '),
  };
}

const big = makeTree(N, 42), small = makeTree(BASE_N, 7);
// baseline and measured runs alternate, so load on the machine hits both alike
const canvas = document.getElementById('c');
const accB = newAcc(), accM = newAcc();
for (let r = 0; r < RUNS; r++) {
  runOnce(small.json, canvas, accB);
  runOnce(big.json, canvas, accM);
}
const b = summary(accB), m = summary(accM);
const f = (x) => `${x.med.toFixed(1)}/${x.min.toFixed(1)}`.padStart(12);
const row = (label, r) => `${label.padEnd(9)} ${String(r.nodes).padStart(7)} ${String(r.drawn).padStart(6)} ${String(r.zoomDrawn).padStart(6)}`
  + ` ${f(r.parse)} ${f(r.render)} ${f(r.zoom)} ${f(r.search)}`;
const lines = [
  `${'tree'.padEnd(9)} ${'nodes'.padStart(7)} ${'drawn'.padStart(6)} ${'zoomed'.padStart(6)} ${['parse', 'render', 'zoom', 'search'].map((h) => h.padStart(12)).join(' ')}`,
  `(ms: median/min of ${RUNS} runs)`,
  row('baseline', b),
  row('measured', m),
  `ratio measured/baseline (medians): render ${(m.render.med / b.render.med).toFixed(1)}x, zoom ${(m.zoom.med / b.zoom.med).toFixed(1)}x for ${(m.nodes / b.nodes).toFixed(0)}x the nodes`,
  `render split, measured (medians): ${m.split} ms`,
  `targets (medians): render <= 200 ms ${m.render.med <= 200 ? 'MET' : 'MISSED'}, zoom <= 50 ms ${m.zoom.med <= 50 ? 'MET' : 'MISSED'}`,
  `render = flatten + layout + draw + pixel flush, from parsed JSON; zoom = layout + draw + flush`,
  `into the largest depth-2 frame; search = mark + redraw; canvas ${WIDTH} px wide`,
];
document.getElementById('out').textContent = lines.join('\n');
