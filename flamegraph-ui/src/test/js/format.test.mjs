import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatValue, formatPercent, formatChange } from '../../main/resources/hearth-ui/js/format.js';
import { flatten } from '../../main/resources/hearth-ui/js/tree.js';
import { frameInfo } from '../../main/resources/hearth-ui/js/frame-info.js';
import { tree, diffTree } from './folded.mjs';

test('values by unit', () => {
  assert.equal(formatValue(1_500_000_000, 'nanoseconds'), '1.50 s');
  assert.equal(formatValue(2.5 * 2 ** 20, 'bytes'), '2.50 MiB');
  assert.equal(formatValue(12345, 'samples'), '12,345 samples');
  assert.equal(formatValue(12345, 'samples', true), '12,345');
  assert.equal(formatValue(12345, 'count'), '12,345');
  assert.equal(formatValue(0, 'nanoseconds'), '0 ns');
});

test('percentages and changes', () => {
  assert.equal(formatPercent(0.5), '50.0%');
  assert.equal(formatPercent(0.0123), '1.23%');
  assert.equal(formatPercent(0.00001), '<0.01%');
  assert.equal(formatChange(0.352), '+35.2%');
  assert.equal(formatChange(-1), '-100% (gone)');
  assert.equal(formatChange(Infinity), 'new');
});

test('the tooltip names kind, self and total with shares', () => {
  const t = flatten(tree(['m;a 75', 'm;other 25'], { m: 'kernel' }));
  const info = frameInfo(t, t.name.indexOf('a'), 'samples');
  assert.equal(info.name, 'a');
  assert.deepEqual(Object.fromEntries(info.rows), {
    kind: 'JIT Java', self: '75 samples (75.0%)', total: '75 samples (75.0%)', 'of parent': '75.0%',
  });
  const other = Object.fromEntries(frameInfo(t, t.name.indexOf('other'), 'samples').rows);
  assert.match(other.note, /folded together/);
  assert.equal(Object.fromEntries(frameInfo(t, 1, 'samples').rows).kind, 'kernel');
});

test('in a diff the tooltip gives baseline, comparison and change', () => {
  const t = flatten(diffTree(['m;a 25', 'm;b 75'], ['m;a 50', 'm;b 50']));
  const rows = Object.fromEntries(frameInfo(t, t.name.indexOf('a'), 'samples').rows);
  assert.equal(rows.baseline, '25 samples (25.0% of baseline)');
  assert.equal(rows.comparison, '50 samples (50.0% of comparison)');
  assert.equal(rows.change, '+100.0% (+25.00 points)');
});
