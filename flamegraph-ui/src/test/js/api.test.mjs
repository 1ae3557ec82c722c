import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiUrl, createApi, queryParams, diffParams, normalizeServices, ApiError } from '../../main/resources/hearth-ui/js/api.js';

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

test('services come out as name, types and label keys, sorted', () => {
  const s = normalizeServices({ services: [{ name: 'z', types: ['cpu'], labels: ['host'] }, { name: 'a' }] });
  assert.deepEqual(s, [{ name: 'a', types: [], labels: [] }, { name: 'z', types: ['cpu'], labels: ['host'] }]);
  assert.deepEqual(normalizeServices({}), []);
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
