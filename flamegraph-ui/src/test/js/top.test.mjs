import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flatten } from '../../main/resources/hearth-ui/js/tree.js';
import { topFunctions, sortRows } from '../../main/resources/hearth-ui/js/top.js';
import { sandwich } from '../../main/resources/hearth-ui/js/sandwich.js';
import { tree, diffTree } from './folded.mjs';

const t = flatten(tree([
  'main;a;f;g 10',
  'main;b;f 5',
  'main;f;f;h 20',
  'main;b;g 7',
]));
const rows = Object.fromEntries(topFunctions(t).map((r) => [r.name, r]));

test('self sums every occurrence, total counts recursion once', () => {
  assert.equal(rows.f.self, 5);
  assert.equal(rows.f.total, 35, '10 + 5 + 20, the inner f of f;f not added again');
  assert.equal(rows.g.self, 17);
  assert.equal(rows.g.total, 17);
  assert.equal(rows.main.total, 42);
  assert.equal(rows.total, undefined, 'the root is not a function');
});

test('rows sort by self, total or name, either way', () => {
  const all = topFunctions(t);
  assert.deepEqual(sortRows(all, 'self').slice(0, 2).map((r) => r.name), ['h', 'g']);
  assert.equal(sortRows(all, 'total')[0].name, 'main');
  assert.equal(sortRows(all, 'total', false)[0].name, 'a');
  assert.deepEqual(sortRows(all, 'name', false).map((r) => r.name), ['a', 'b', 'f', 'g', 'h', 'main']);
});

test('sandwich: callers of f merged over every place, f at the root', () => {
  const s = sandwich(t, 'f');
  assert.equal(s.places, 3);
  assert.equal(s.callers.total, 35);
  const callers = Object.fromEntries(s.callers.children.map((c) => [c.name, c]));
  assert.equal(callers.a.total, 10);
  assert.equal(callers.b.total, 5);
  assert.equal(callers.main.total, 20, 'f called straight from main');
  assert.equal(callers.a.children[0].name, 'main');
  assert.equal(callers.a.children[0].total, 10);
  assert.equal(callers.main.self, 20, 'main is where that caller chain ends');
});

test('sandwich: callees of f merged, recursion counted once', () => {
  const s = sandwich(t, 'f');
  assert.equal(s.callees.total, 35);
  assert.equal(s.callees.self, 5);
  const kids = Object.fromEntries(s.callees.children.map((c) => [c.name, c]));
  assert.equal(kids.g.total, 10);
  assert.equal(kids.f.total, 20);
  assert.equal(kids.f.children[0].name, 'h');
  assert.equal(s.callees.kind, 'jit');
});

test('sandwich of a name that is not there is empty', () => {
  const s = sandwich(t, 'nope');
  assert.equal(s.places, 0);
  assert.equal(s.callers.total, 0);
  assert.deepEqual(s.callees.children, []);
});

test('in a diff, rows carry the baseline and the change of the total share', () => {
  const d = flatten(diffTree(['m;f;g 10', 'm;h 30'], ['m;f;g 30', 'm;h 10']));
  const r = Object.fromEntries(topFunctions(d).map((x) => [x.name, x]));
  assert.equal(r.f.baseTotal, 10);
  assert.equal(r.f.total, 30);
  assert.equal(r.f.change, 2, 'share 25% -> 75%');
  assert.equal(r.h.change, -2 / 3);
  assert.deepEqual(sortRows(topFunctions(d), 'change').map((x) => x.name), ['f', 'g', 'm', 'h']);
  assert.equal(rows.f.change, undefined, 'no change column outside diffs');
});
