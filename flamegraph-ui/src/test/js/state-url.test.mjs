import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseState, stateToQuery, DEFAULTS, joinPath, splitPath } from '../../main/resources/hearth-ui/js/state-url.js';

test('defaults make an empty query, and an empty query gives the defaults', () => {
  assert.equal(stateToQuery({ ...DEFAULTS }), '');
  assert.deepEqual(parseState(''), { ...DEFAULTS, zoom: [] });
});

test('every field survives a round trip through the URL', () => {
  const s = {
    ...DEFAULTS, service: 'shop', type: 'offcpu', from: '1700000000000', until: 'now-5m',
    labels: 'host=a,version!=1.4', view: 'sandwich', orient: 'flame', q: 'Tax|Json', re: true,
    zoom: ['main', 'a;b', 'c\\d', ''], fn: 'Tax.compute', sort: 'total', asc: true, diff: true,
    baseFrom: 'now-2h', baseUntil: 'now-1h', baseLabels: 'version=1.4', palette: 'cb',
  };
  assert.deepEqual(parseState(stateToQuery(s)), s);
});

test('hostile text in the URL stays text', () => {
  const s = parseState('?fn=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&re=yes');
  assert.equal(s.fn, '<img src=x onerror=alert(1)>');
  assert.equal(s.re, false);
});

test('zoom paths escape the separator inside names', () => {
  assert.equal(joinPath(['a;b', 'c']), 'a\\;b;c');
  assert.deepEqual(splitPath('a\\;b;c'), ['a;b', 'c']);
  assert.deepEqual(splitPath(''), []);
});
