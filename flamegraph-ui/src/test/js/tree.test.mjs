import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flatten, pathOf, findPath, KINDS, OTHER } from '../../main/resources/hearth-ui/js/tree.js';
import { tree } from './folded.mjs';

const t = flatten(tree(['main;b;x 5', 'main;a 3', 'main;b;y 2', 'main 1', 'main;other 4']));

test('nodes come in preorder with siblings sorted by name and "other" last', () => {
  assert.deepEqual(t.name, ['total', 'main', 'a', 'b', 'x', 'y', 'other']);
  assert.deepEqual([...t.depth], [0, 1, 2, 2, 3, 3, 2]);
  assert.deepEqual([...t.parent], [-1, 0, 1, 1, 3, 3, 1]);
});

test('end marks where each subtree stops', () => {
  assert.deepEqual([...t.end], [7, 7, 3, 6, 5, 6, 7]);
  assert.equal(t.maxDepth, 3);
});

test('values and kinds are carried over; unknown kinds become "unknown"', () => {
  assert.equal(t.total[1], 15);
  assert.equal(t.self[1], 1);
  assert.equal(t.kind[6], OTHER);
  const odd = flatten({ name: 'r', kind: 'martian', self: 1, total: 1 });
  assert.equal(KINDS[odd.kind[0]], 'unknown');
  assert.equal(odd.n, 1);
  assert.equal(odd.diff, false);
});

test('a zoom path survives as names and finds the same node again', () => {
  assert.deepEqual(pathOf(t, 5), ['main', 'b', 'y']);
  assert.equal(findPath(t, ['main', 'b', 'y']), 5);
  assert.equal(findPath(t, []), 0);
  // a path that no longer exists stops at the deepest frame that still does
  assert.equal(findPath(t, ['main', 'b', 'gone']), 3);
});

test('a deep stack does not overflow the call stack', () => {
  const deep = Array.from({ length: 20000 }, (_, i) => 'f' + i).join(';') + ' 1';
  const d = flatten(tree([deep]));
  assert.equal(d.n, 20001);
  assert.equal(d.maxDepth, 20000);
  assert.equal(d.end[0], 20001);
});

test('the graph says how much the collector folded into "other"', async () => {
  const { foldedTotal } = await import('../../main/resources/hearth-ui/js/tree.js');
  const t = flatten(tree(['main;hot 70', 'main;other 20', 'main;a;other 10']));
  assert.equal(foldedTotal(t), 30);
  assert.equal(foldedTotal(flatten(tree(['main;hot 1']))), 0);
});
