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
  return { json: JSON.stringify(root), count };
}

function median(xs) {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

function measure(json) {
  const canvas = document.getElementById('c');
  const view = new FlameView(canvas);
  const flush = () => canvas.getContext('2d').getImageData(0, 0, 1, 1);
  const parse = [], render = [], zoom = [], search = [];
  let t, drawn = 0, zoomDrawn = 0;
  for (let r = 0; r < RUNS; r++) {
    let s = performance.now();
    const root = JSON.parse(json);
    parse.push(performance.now() - s);
    s = performance.now();
    t = flatten(root);
    view.setTree(t, t.total);
    view.setOrient('icicle');
    view.render(WIDTH);
    flush();
    render.push(performance.now() - s);
    drawn = view.rects.count;
    // zoom into the largest frame at depth 2 (a typical click), as the page does: layout + draw
    let target = 0, size = 0;
    for (let i = 0; i < t.n; i++) if (t.depth[i] === 2 && t.end[i] - i > size) { target = i; size = t.end[i] - i; }
    s = performance.now();
    view.setFocus(target);
    view.render(WIDTH);
    flush();
    zoom.push(performance.now() - s);
    zoomDrawn = view.rects.count;
    s = performance.now();
    view.setMarks(mark(t, matcher('Class1', false)));
    view.setFocus(0);
    view.render(WIDTH);
    flush();
    search.push(performance.now() - s);
  }
  return { nodes: t.n, drawn, zoomDrawn, parse: median(parse), render: median(render), zoom: median(zoom), search: median(search) };
}

const big = makeTree(N, 42), small = makeTree(BASE_N, 7);
const b = measure(small.json), m = measure(big.json);
const f = (x) => x.toFixed(1).padStart(7);
const lines = [
  `tree               nodes  drawn  zoomed  parse ms  render ms  zoom ms  search ms`,
  `baseline      ${String(b.nodes).padStart(10)} ${String(b.drawn).padStart(6)} ${String(b.zoomDrawn).padStart(7)} ${f(b.parse)}   ${f(b.render)}   ${f(b.zoom)}  ${f(b.search)}`,
  `measured      ${String(m.nodes).padStart(10)} ${String(m.drawn).padStart(6)} ${String(m.zoomDrawn).padStart(7)} ${f(m.parse)}   ${f(m.render)}   ${f(m.zoom)}  ${f(m.search)}`,
  `ratio measured/baseline: render ${(m.render / b.render).toFixed(1)}x, zoom ${(m.zoom / b.zoom).toFixed(1)}x (nodes ${(m.nodes / b.nodes).toFixed(0)}x)`,
  `targets: render <= 200 ms ${m.render <= 200 ? 'MET' : 'MISSED'}, zoom <= 50 ms ${m.zoom <= 50 ? 'MET' : 'MISSED'}`,
  `(medians of ${RUNS} runs; render = flatten + layout + draw + pixel flush, from parsed JSON;`,
  ` zoom = layout + draw + flush into the largest depth-2 frame; search = mark + redraw; width ${WIDTH} px)`,
];
document.getElementById('out').textContent = lines.join('\n');
