import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flatten } from '../../main/resources/hearth-ui/js/tree.js';
import { layout, hit } from '../../main/resources/hearth-ui/js/layout.js';
import { tree } from './folded.mjs';

const t = flatten(tree(['main;a;x 60', 'main;a;y 20', 'main;b 10', 'main 10']));
const byName = (rects) => Object.fromEntries(Array.from({ length: rects.count }, (_, r) => [t.name[rects.node[r]], [rects.x[r], rects.w[r]]]));

test('widths are proportional to totals and children start at their parent', () => {
  const r = byName(layout(t, t.total, 0, 1000));
  assert.deepEqual(r.total, [0, 1000]);
  assert.deepEqual(r.main, [0, 1000]);
  assert.deepEqual(r.a, [0, 800]);
  assert.deepEqual(r.b, [800, 100]);
  assert.deepEqual(r.x, [0, 600]);
  assert.deepEqual(r.y, [600, 200]);
});

test('zooming gives the focus the full width and keeps its ancestors', () => {
  const a = t.name.indexOf('a');
  const r = byName(layout(t, t.total, a, 1000));
  assert.deepEqual(r.a, [0, 1000]);
  assert.deepEqual(r.main, [0, 1000]);
  assert.deepEqual(r.total, [0, 1000]);
  assert.deepEqual(r.x, [0, 750]);
  assert.deepEqual(r.y, [750, 250]);
  assert.equal(r.b, undefined, 'siblings of the focus are not drawn');
});

test('frames narrower than the minimum are pruned with their subtree, without shifting siblings', () => {
  // 'a' is 1 px wide at this width, its child narrower still; 'b' must still start after it
  const small = flatten(tree(['m;a;deep 1', 'm;b 99']));
  const rects = layout(small, small.total, 0, 100, 2);
  const names = Array.from({ length: rects.count }, (_, r) => small.name[rects.node[r]]);
  assert.deepEqual(names, ['total', 'm', 'b']);
  assert.equal(rects.x[2], 1);
  assert.equal(rects.w[2], 99);
});

test('the pruned "other" node from the collector is laid out like any frame', () => {
  const o = flatten(tree(['m;hot 90', 'm;other 10']));
  const r = layout(o, o.total, 0, 100);
  const k = Array.from({ length: r.count }, (_, i) => o.name[r.node[i]]).indexOf('other');
  assert.equal(r.w[k], 10);
  assert.equal(r.x[k], 90);
});

test('hit finds the frame under a point, by row and x', () => {
  const rects = layout(t, t.total, 0, 1000);
  assert.equal(t.name[hit(t, rects, 650, 3)], 'y');
  assert.equal(t.name[hit(t, rects, 850, 2)], 'b');
  assert.equal(hit(t, rects, 950, 2), -1, 'self time of main has no frame');
});

test('a zero-weight focus draws only the chain to it', () => {
  const z = flatten(tree(['m;a 0', 'm;b 5']));
  const r = layout(z, z.total, z.name.indexOf('a'), 100);
  assert.equal(r.count, 3);
});

test('many frames: only the visible ones are emitted', () => {
  const lines = Array.from({ length: 5000 }, (_, i) => `m;f${i} 1`);
  lines.push('m;big 100000');
  const big = flatten(tree(lines));
  const r = layout(big, big.total, 0, 1000);
  assert.equal(r.count, 3, 'total, m, big; the 5000 tiny siblings are skipped');
});
