import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApi, ApiError } from '../../main/resources/hearth-ui/js/api.js';
import { sessionAuth, TOKEN_KEY } from '../../main/resources/hearth-ui/js/auth.js';

function memoryStorage() {
  const m = new Map();
  return { getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)), removeItem: (k) => m.delete(k), m };
}

// A collector that wants `good` as a bearer token; records what each request sent.
function collector(good) {
  const seen = [];
  const fetchFn = async (url, init) => {
    seen.push({ url, auth: init.headers.authorization || null });
    const ok = init.headers.authorization === `Bearer ${good}`;
    const body = ok ? { services: [] } : { error: init.headers.authorization ? 'unknown token' : 'this collector needs a token' };
    return { ok, status: ok ? 200 : 401, json: async () => body, blob: async () => 'BLOB' };
  };
  return { fetchFn, seen };
}

test('a 401 asks once for a token, retries with it, and keeps it in the session only', async () => {
  const storage = memoryStorage();
  const asked = [];
  const auth = sessionAuth(storage, async (why) => { asked.push(why); return ' s3cret '; });
  const c = collector('s3cret');
  const api = createApi('', c.fetchFn, auth);
  // two requests failing together share one question
  await Promise.all([api.services(), api.flamegraph({ service: 'a' })]);
  assert.deepEqual(asked, ['this collector needs a token']);
  assert.equal(storage.getItem(TOKEN_KEY), 's3cret');
  assert.ok(c.seen.every((r) => !r.url.includes('s3cret')), 'never in a URL');
  assert.deepEqual(c.seen.filter((r) => r.auth).map((r) => r.auth), ['Bearer s3cret', 'Bearer s3cret']);
  // later requests send it without asking
  await api.services();
  assert.equal(asked.length, 1);
  assert.equal(await api.pprof({ service: 'a' }), 'BLOB', 'the download sends the token too');
  assert.equal(c.seen.at(-1).auth, 'Bearer s3cret');
});

test('a wrong token is asked for again; cancelling gives up with the collector\'s word and forgets it', async () => {
  const storage = memoryStorage();
  storage.setItem(TOKEN_KEY, 'old');
  const answers = ['wrong', null];
  const asked = [];
  const auth = sessionAuth(storage, async (why) => { asked.push(why); return answers.shift(); });
  const api = createApi('', collector('right').fetchFn, auth);
  await assert.rejects(api.services(), (e) => e instanceof ApiError && e.status === 401 && /needs a token: unknown token/.test(e.message));
  assert.deepEqual(asked, ['unknown token', 'unknown token']);
  assert.equal(storage.getItem(TOKEN_KEY), null);
});

test('without auth a 401 is an ordinary error', async () => {
  const api = createApi('', collector('x').fetchFn);
  await assert.rejects(api.services(), /answered 401: this collector needs a token/);
});
