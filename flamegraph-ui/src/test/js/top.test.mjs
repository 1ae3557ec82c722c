import { test } from 'node:test';
import assert from 'node:assert/strict';
import { functionRows, sortRows } from '../../main/resources/hearth-ui/js/top.js';

// what /api/v1/functions answers (the collector's FunctionTableTest covers how it is computed)
const body = {
  unit: 'samples', total: 42, count: 6,
  functions: [
    { name: 'main', kind: 'native', kinds: ['native'], self: 0, total: 42 },
    { name: 'a', kind: 'jit', kinds: ['jit'], self: 0, total: 10 },
    { name: 'b', kind: 'jit', kinds: ['jit'], self: 0, total: 12 },
    { name: 'f', kind: 'jit', kinds: ['jit', 'c1', 'interpreted'], self: 5, total: 35 },
    { name: 'g', kind: 'jit', kinds: ['jit'], self: 17, total: 17 },
    { name: 'h', kind: 'jit', kinds: ['jit'], self: 20, total: 20 },
  ],
};

test('one row per function, its JIT tiers listed, nothing folded into other', () => {
  const rows = functionRows(body);
  assert.equal(rows.length, 6);
  const f = rows.find((r) => r.name === 'f');
  assert.deepEqual(f.kinds, ['jit', 'c1', 'interpreted']);
  assert.equal(f.kind, 'jit');
  assert.equal(f.change, undefined, 'no change column outside diffs');
  assert.ok(!rows.some((r) => r.name === 'other'));
});

test('rows sort by self, total or name, either way', () => {
  const all = functionRows(body);
  assert.deepEqual(sortRows(all, 'self').slice(0, 2).map((r) => r.name), ['h', 'g']);
  assert.equal(sortRows(all, 'total')[0].name, 'main');
  assert.equal(sortRows(all, 'total', false)[0].name, 'a');
  assert.deepEqual(sortRows(all, 'name', false).map((r) => r.name), ['a', 'b', 'f', 'g', 'h', 'main']);
});

test('in a diff, rows carry the baseline and the change of the total share', () => {
  const d = functionRows({
    total: 40, baseTotal: 40,
    functions: [
      { name: 'f', kind: 'jit', self: 0, total: 30, baseSelf: 0, baseTotal: 10 },
      { name: 'h', kind: 'jit', self: 10, total: 10, baseSelf: 30, baseTotal: 30 },
      { name: 'n', kind: 'jit', self: 5, total: 5, baseSelf: 0, baseTotal: 0 },
    ],
  });
  const r = Object.fromEntries(d.map((x) => [x.name, x]));
  assert.equal(r.f.baseTotal, 10);
  assert.equal(r.f.change, 2, 'share 25% -> 75%');
  assert.equal(r.h.change, -2 / 3);
  assert.equal(r.n.change, Infinity, 'new');
  assert.deepEqual(sortRows(d, 'change').map((x) => x.name), ['n', 'f', 'h']);
});
