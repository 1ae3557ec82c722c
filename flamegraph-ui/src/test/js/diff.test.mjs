import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flatten } from '../../main/resources/hearth-ui/js/tree.js';
import { change, changes, diffWeights } from '../../main/resources/hearth-ui/js/diff.js';
import { diffColor, kindColor, PALETTES } from '../../main/resources/hearth-ui/js/colors.js';
import { diffTree } from './folded.mjs';

// baseline ran twice as long: normalization must cancel that out
const t = flatten(diffTree(
  ['m;same 100', 'm;grows 50', 'm;gone 50'],
  ['m;same 50', 'm;grows 50', 'm;new 0.001'],
));
const at = (name) => t.name.indexOf(name);

test('shares are normalized by each side\'s own total', () => {
  const c = change(t, at('same'));
  assert.equal(c.base, 0.5);
  assert.ok(Math.abs(c.comp - 0.5) < 1e-4);
  assert.ok(Math.abs(c.rel) < 1e-4, 'same share, no change although raw values halved');
});

test('a frame whose share grows has a positive relative change', () => {
  const c = change(t, at('grows'));
  assert.ok(Math.abs(c.rel - 1) < 1e-3, `share 25% -> 50% is +100%, got ${c.rel}`);
  assert.ok(c.points > 0.24);
});

test('gone frames are -100%, new frames are infinitely more', () => {
  assert.equal(change(t, at('gone')).rel, -1);
  assert.equal(change(t, at('new')).rel, Infinity);
});

test('diff widths add both shares, so one-sided frames stay visible and fit their parent', () => {
  const w = diffWeights(t);
  assert.ok(Math.abs(w[0] - 2) < 1e-9);
  assert.ok(w[at('gone')] > 0);
  assert.ok(w[at('new')] > 0);
  const kids = ['same', 'grows', 'gone', 'new'].reduce((s, n) => s + w[at(n)], 0);
  assert.ok(kids <= w[at('m')] + 1e-9);
  assert.equal(changes(t).length, t.n);
});

const rgb = (s) => s.match(/\d+/g).map(Number);

test('diff colours: neutral at no change, red for more, green for less, saturating at 100%', () => {
  const neutral = rgb(diffColor(0));
  assert.deepEqual(rgb(diffColor(1)), PALETTES.rg.more);
  assert.deepEqual(rgb(diffColor(Infinity)), PALETTES.rg.more);
  assert.deepEqual(rgb(diffColor(5)), PALETTES.rg.more);
  assert.deepEqual(rgb(diffColor(-1)), PALETTES.rg.less);
  const half = rgb(diffColor(0.5));
  assert.ok(half[0] > half[1] && half[1] < neutral[1], 'more is reddish');
  const less = rgb(diffColor(-0.5));
  assert.ok(less[1] > less[0], 'less is greenish');
  assert.deepEqual(rgb(diffColor(NaN)), neutral);
});

test('colour-blind palette uses orange and blue instead of red and green', () => {
  assert.deepEqual(rgb(diffColor(1, 'cb')), PALETTES.cb.more);
  assert.deepEqual(rgb(diffColor(-1, 'cb')), PALETTES.cb.less);
  const less = rgb(diffColor(-0.6, 'cb'));
  assert.ok(less[2] > less[0], 'less is bluish');
});

test('kind colours: each kind its own hue; "other" is a flat grey whatever its name', () => {
  const hue = (s) => Number(s.match(/hsl\((\d+)/)[1]);
  assert.notEqual(hue(kindColor('jit', 'a')), hue(kindColor('kernel', 'a')));
  assert.notEqual(hue(kindColor('inlined', 'a')), hue(kindColor('jit', 'a')));
  assert.equal(kindColor('other', 'x'), kindColor('other', 'y'));
  assert.match(kindColor('other', 'x'), /hsl\(0 0%/);
  assert.equal(kindColor('jit', 'Foo.bar'), kindColor('jit', 'Foo.bar'), 'stable per name');
});
