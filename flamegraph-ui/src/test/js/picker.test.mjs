import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceText, typeVolume } from '../../main/resources/hearth-ui/js/picker.js';
import { normalizeServices } from '../../main/resources/hearth-ui/js/api.js';

const [idle, shop] = normalizeServices({ services: [
  { name: 'shop', types: ['alloc', 'cpu'], volume: { cpu: { total: 12.5e9, unit: 'nanoseconds' }, alloc: { total: 3 * 2 ** 20, unit: 'bytes' } } },
  { name: 'idle', types: ['cpu'], volume: { cpu: { total: 0, unit: 'nanoseconds' } } },
] });

test('each service shows how much data each type holds in the window', () => {
  assert.equal(serviceText(shop), 'shop · alloc 3.00 MiB, cpu 12.5 s');
  assert.equal(serviceText(idle), 'idle · no data in window');
  assert.equal(typeVolume(shop, 'cpu'), 'cpu 12.5 s');
  assert.equal(typeVolume(idle, 'cpu'), 'cpu (no data in window)');
  assert.equal(serviceText({ name: 'old', types: ['cpu'], volume: {} }), 'old', 'a collector without volumes');
});
