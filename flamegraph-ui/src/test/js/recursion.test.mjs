import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collapseRecursion } from '../../main/resources/hearth-ui/js/recursion.js';
import { tree, diffTree } from './folded.mjs';

const child = (n, name) => n.children.find((c) => c.name === name);

test('a recursive method is shown once, with everything it called below it', () => {
  const c = collapseRecursion(tree(['main;fib;fib;fib;add 5', 'main;fib;fib 3', 'main;fib;add 2', 'main;other 1']));
  const fib = child(child(c, 'main'), 'fib');
  assert.equal(fib.total, 10);
  assert.equal(fib.self, 3);
  assert.deepEqual(fib.children.map((k) => k.name), ['add']);
  assert.equal(child(fib, 'add').total, 7, 'both call sites of add merged');
  assert.equal(c.total, 11);
});

test('only direct recursion folds; a -> b -> a stays', () => {
  const c = collapseRecursion(tree(['main;a;b;a 4']));
  assert.equal(child(child(child(child(c, 'main'), 'a'), 'b'), 'a').total, 4);
});

test('diff trees keep both sides', () => {
  const c = collapseRecursion(diffTree(['m;f;f 4'], ['m;f;f 6', 'm;f 2']));
  const f = child(child(c, 'm'), 'f');
  assert.equal(f.total, 8);
  assert.equal(f.baseTotal, 4);
  assert.equal(f.baseSelf, 4);
  assert.equal(f.children.length, 0);
});

test('deep recursion does not overflow the call stack', () => {
  const line = 'main;' + Array(20000).fill('r').join(';') + ' 1';
  const c = collapseRecursion(tree([line]));
  assert.equal(child(child(c, 'main'), 'r').self, 1);
});

test('a sandwich tree, rooted at the function, folds its own recursive calls', () => {
  const callees = tree(['fib;add 4', 'fib;fib;add 5']).children[0];
  const c = collapseRecursion(callees, true);
  assert.equal(c.name, 'fib');
  assert.deepEqual(c.children.map((k) => k.name), ['add']);
  assert.equal(c.children[0].total, 9);
  assert.equal(child(collapseRecursion(tree(['total;x 1'])), 'total').total, 1, 'a service root is not a frame');
});
