// The collector's HTTP API (see the API table in the design): URLs are built here, failures
// become sentences a person can act on.

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status; // 0 when the collector could not be reached
  }
}

export function apiUrl(base, path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return `${base}/api/v1/${path}${s ? '?' + s : ''}`;
}

// Parameters of a merged query: service, type, window, label matchers.
export function queryParams(service, type, win, labels) {
  return { service, type, from: win.from, until: win.until, labels };
}

// Raw values on both sides (absolute=true): the page normalizes by each side's total itself
// (diff.js), so its tooltip can still show the baseline's real numbers.
export function diffParams(service, type, win, labels, baseWin, baseLabels) {
  return {
    service, type, from: win.from, until: win.until, labels,
    baseFrom: baseWin.from, baseUntil: baseWin.until, baseLabels, absolute: true,
  };
}

// auth (optional, see auth.js): token() for the Authorization header, and ask(why, used) when the
// collector answers 401, whose new token is tried at once; null gives up with the collector's word.
export function createApi(base = '', fetchFn = (...a) => fetch(...a), auth = null) {
  async function send(url, accept) {
    for (;;) {
      const token = auth ? auth.token() : null;
      const headers = { accept };
      if (token) headers.authorization = `Bearer ${token}`;
      let res;
      try {
        res = await fetchFn(url, { headers });
      } catch (e) {
        throw new ApiError(`The collector is unreachable (${e.message}). Is it running?`, 0);
      }
      if (res.status !== 401 || !auth) return res;
      let why = 'HTTP 401';
      try { why = (await res.json()).error || why; } catch { /* not JSON */ }
      if (!(await auth.ask(why, token))) throw new ApiError(`The collector needs a token: ${why}`, 401);
    }
  }
  async function get(path, params) {
    const res = await send(apiUrl(base, path, params), 'application/json');
    let body = null;
    try { body = await res.json(); } catch { /* a non-JSON error page */ }
    if (!res.ok) {
      const why = body && body.error ? body.error : `HTTP ${res.status}`;
      throw new ApiError(`The collector answered ${res.status}: ${why}`, res.status);
    }
    if (body === null) throw new ApiError(`The collector sent an unreadable answer for ${path}`, res.status);
    return body;
  }
  async function blob(path, params, accept) {
    const res = await send(apiUrl(base, path, params), accept);
    if (!res.ok) {
      let why = `HTTP ${res.status}`;
      try { why = (await res.json()).error || why; } catch { /* not JSON */ }
      throw new ApiError(`The collector answered ${res.status}: ${why}`, res.status);
    }
    return res.blob();
  }
  return {
    // With a window, each service carries how much data it holds there (see busiest()). Volumes
    // cost the collector a query per service and type: should it be busy or time out, the plain
    // list will do.
    services: async (win) => {
      if (!win) return get('services');
      try {
        return await get('services', { from: win.from, until: win.until });
      } catch (e) {
        if (e.status >= 500) return get('services');
        throw e;
      }
    },
    labelValues: (service, key) => get('labels', { service, key }),
    flamegraph: (p) => get('flamegraph', p),
    diff: (p) => get('diff', p),
    timeline: (p, step) => get('timeline', { ...p, step }),
    // from the full merge, never the pruned tree: the table, a search's share, one function's callers and callees
    functions: (p, search, regex) => get('functions', { ...p, search, regex: search && regex ? true : undefined }),
    sandwich: (p, fn) => get('sandwich', { ...p, function: fn }),
    pprofUrl: (p) => apiUrl(base, 'pprof', p),
    // Downloads as Blobs: fetched with the token, which a plain link could not send.
    pprof: (p) => blob('pprof', p, 'application/octet-stream'),
    // The flame graph as one self-contained HTML file (the collector renders it).
    flamegraphHtml: (p) => blob('flamegraph', { ...p, format: 'html' }, 'text/html'),
  };
}

// /api/v1/services → [{name, types: [..], labels: [..], volume: {type: {total, unit}}}], sorted by name.
export function normalizeServices(body) {
  const list = Array.isArray(body) ? body : (body && body.services) || [];
  return list
    .map((s) => (typeof s === 'string' ? { name: s } : s))
    .map((s) => ({
      name: String(s.name), types: (s.types || []).map(String), labels: (s.labels || []).map(String),
      volume: Object.fromEntries(Object.entries(s.volume || {}).map(([k, v]) => [k, { total: +v.total || 0, unit: String(v.unit || '') }])),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

// CPU time first: it is what "busy" means to most people; then any type's data, then the name.
function busyness(s) {
  const cpu = s.volume.cpu ? s.volume.cpu.total : 0;
  const any = Object.values(s.volume).filter((v) => v.total > 0).length;
  return [cpu, any];
}

// The service with the most data in the window: the landing page opens it, not the first by name.
export function busiest(services) {
  let best = null;
  for (const s of services) {
    if (!best) { best = s; continue; }
    const [a, b] = [busyness(s), busyness(best)];
    if (a[0] > b[0] || (a[0] === b[0] && a[1] > b[1])) best = s;
  }
  return best;
}

// The type to show for a service: the current one if it has it, else the first with data in
// the window, else its first.
export function typeFor(service, current) {
  if (service.types.includes(current)) return current;
  return service.types.find((t) => service.volume[t] && service.volume[t].total > 0) || service.types[0] || '';
}

// Services whose name holds the text (case-insensitive), the picked one kept so the select can show it.
export function filterServices(services, text, keep) {
  const needle = String(text || '').trim().toLowerCase();
  if (!needle) return services;
  return services.filter((s) => s.name === keep || s.name.toLowerCase().includes(needle));
}
