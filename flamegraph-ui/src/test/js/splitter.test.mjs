import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clampWidth } from '../../main/resources/hearth-ui/js/splitter.js';

test('the dragged split leaves room on both sides', () => {
  assert.equal(clampWidth(500, 1200), 500);
  assert.equal(clampWidth(20, 1200), 160, 'the table never vanishes');
  assert.equal(clampWidth(1190, 1200), 1040, 'nor the graph');
  assert.equal(clampWidth(333.6, 1200), 334);
});
