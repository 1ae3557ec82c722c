import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiUrl, createApi, queryParams, diffParams, normalizeServices, busiest, filterServices, typeFor, ApiError } from '../../main/resources/hearth-ui/js/api.js';

test('URLs carry the parameters, encoded, and leave out empty ones', () => {
  const p = queryParams('shop', 'cpu', { from: 1, until: 2 }, 'version=1.5,host=a b');
  assert.equal(apiUrl('', 'flamegraph', p), '/api/v1/flamegraph?service=shop&type=cpu&from=1&until=2&labels=version%3D1.5%2Chost%3Da+b');
  assert.equal(apiUrl('http://h:4040', 'services'), 'http://h:4040/api/v1/services');
  const d = diffParams('shop', 'cpu', { from: 1, until: 2 }, '', { from: 0, until: 1 }, 'version=1.4');
  assert.equal(new URL(apiUrl('http://h', 'diff', d)).searchParams.get('baseLabels'), 'version=1.4');
  assert.equal(new URL(apiUrl('http://h', 'diff', d)).searchParams.has('labels'), false);
  assert.equal(new URL(apiUrl('http://h', 'diff', d)).searchParams.get('absolute'), 'true', 'the page normalizes itself');
});

const reply = (status, body) => async () => ({ ok: status < 300, status, json: async () => (typeof body === 'string' ? JSON.parse(body) : body) });

test('an unreachable collector is said in words', async () => {
  const api = createApi('', async () => { throw new TypeError('Failed to fetch'); });
  await assert.rejects(api.services(), (e) => e instanceof ApiError && e.status === 0 && /unreachable/.test(e.message));
});

test('a collector error carries its message', async () => {
  const api = createApi('', reply(400, { error: 'unknown profile type "cpux"' }));
  await assert.rejects(api.flamegraph({}), /answered 400: unknown profile type "cpux"/);
  const html = createApi('', reply(502, 'not json{'));
  await assert.rejects(html.timeline({}, 10), /answered 502: HTTP 502/);
});

test('answers are passed through', async () => {
  const api = createApi('', reply(200, { values: ['1.4'] }));
  assert.deepEqual(await api.labelValues('shop', 'version'), { values: ['1.4'] });
});

test('services come out as name, types, label keys and volumes, sorted', () => {
  const s = normalizeServices({ services: [{ name: 'z', types: ['cpu'], labels: ['host'], volume: { cpu: { total: 5, unit: 'nanoseconds' } } }, { name: 'a' }] });
  assert.deepEqual(s, [
    { name: 'a', types: [], labels: [], volume: {} },
    { name: 'z', types: ['cpu'], labels: ['host'], volume: { cpu: { total: 5, unit: 'nanoseconds' } } },
  ]);
  assert.deepEqual(normalizeServices({}), []);
});

test('the landing page opens the busiest service, not the first by name', () => {
  const s = normalizeServices({ services: [
    { name: 'awk', types: ['cpu'], volume: { cpu: { total: 10e6, unit: 'nanoseconds' } } },
    { name: 'shop', types: ['alloc', 'cpu'], volume: { cpu: { total: 90e9, unit: 'nanoseconds' }, alloc: { total: 1, unit: 'bytes' } } },
    { name: 'zzz', types: ['offcpu'], volume: { offcpu: { total: 500e9, unit: 'nanoseconds' } } },
  ] });
  assert.equal(busiest(s).name, 'shop', 'CPU time decides');
  const noCpu = normalizeServices({ services: [{ name: 'a', types: ['alloc'], volume: { alloc: { total: 0 } } }, { name: 'b', types: ['alloc'], volume: { alloc: { total: 3 } } }] });
  assert.equal(busiest(noCpu).name, 'b', 'then any data at all');
  assert.equal(busiest([]), null);
});

test('the picker filters by substring and keeps the picked service', () => {
  const s = normalizeServices({ services: [{ name: 'shop-api' }, { name: 'awk' }, { name: 'Shop-worker' }] });
  assert.deepEqual(filterServices(s, 'SHOP', '').map((x) => x.name), ['shop-api', 'Shop-worker']);
  assert.deepEqual(filterServices(s, 'shop', 'awk').map((x) => x.name), ['awk', 'shop-api', 'Shop-worker']);
  assert.equal(filterServices(s, '  ', '').length, 3);
});

test('functions and sandwich ask the collector for the full merge', async () => {
  const seen = [];
  const api = createApi('', async (url) => { seen.push(url); return { ok: true, status: 200, json: async () => ({}) }; });
  const p = queryParams('shop', 'cpu', { from: 1, until: 2 }, '');
  await api.functions(p, 'Tax', true);
  await api.functions(p);
  await api.sandwich(p, 'a;b');
  await api.services({ from: 1, until: 2 });
  assert.deepEqual(seen, [
    '/api/v1/functions?service=shop&type=cpu&from=1&until=2&search=Tax&regex=true',
    '/api/v1/functions?service=shop&type=cpu&from=1&until=2',
    '/api/v1/sandwich?service=shop&type=cpu&from=1&until=2&function=a%3Bb',
    '/api/v1/services?from=1&until=2',
  ]);
});

test('downloads ask for the pprof and for the HTML flame graph of the same selection', async () => {
  const seen = [];
  const api = createApi('http://h', async (url, init) => {
    seen.push([url, init.headers.accept]);
    return { ok: true, status: 200, blob: async () => 'BLOB' };
  });
  const p = queryParams('shop', 'cpu', { from: 1, until: 2 }, 'env=prod');
  assert.equal(await api.flamegraphHtml(p), 'BLOB');
  assert.equal(await api.pprof(p), 'BLOB');
  assert.deepEqual(seen, [
    ['http://h/api/v1/flamegraph?service=shop&type=cpu&from=1&until=2&labels=env%3Dprod&format=html', 'text/html'],
    ['http://h/api/v1/pprof?service=shop&type=cpu&from=1&until=2&labels=env%3Dprod', 'application/octet-stream'],
  ]);
  const refused = createApi('', reply(503, { error: 'busy' }));
  await assert.rejects(refused.flamegraphHtml(p), /answered 503: busy/);
});

test('a service opens on the type asked for, else the first with data', () => {
  const [s] = normalizeServices({ services: [{ name: 's', types: ['alloc', 'cpu', 'offcpu'], volume: { alloc: { total: 0 }, cpu: { total: 5 } } }] });
  assert.equal(typeFor(s, 'offcpu'), 'offcpu');
  assert.equal(typeFor(s, 'wall'), 'cpu');
  assert.equal(typeFor({ types: ['lock'], volume: {} }, ''), 'lock');
});

test('a collector too busy for volumes still lists its services', async () => {
  const seen = [];
  const api = createApi('', async (url) => {
    seen.push(url);
    return url.includes('from=')
      ? { ok: false, status: 503, json: async () => ({ error: 'the query ran past its deadline' }) }
      : { ok: true, status: 200, json: async () => ({ services: [{ name: 'a' }] }) };
  });
  assert.deepEqual(await api.services({ from: 1, until: 2 }), { services: [{ name: 'a' }] });
  assert.deepEqual(seen, ['/api/v1/services?from=1&until=2', '/api/v1/services']);
  await assert.rejects(createApi('', reply(400, { error: 'from (-5) must be' })).services({ from: -5, until: 2 }), /answered 400/);
});
