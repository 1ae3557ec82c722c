// The whole view lives in the URL query, so a link shows a colleague the same thing.
// Defaults are left out to keep links short.

export const DEFAULTS = Object.freeze({
  service: '',
  type: '',
  from: 'now-1h',
  until: 'now',
  labels: '',
  view: 'both', // both | graph | table | sandwich | side (side by side, diffs)
  orient: 'icicle', // icicle (root on top) | flame (root at the bottom)
  q: '',
  re: false,
  zoom: [], // names from the root down to the zoomed frame
  fn: '', // function shown in the sandwich view
  sort: 'self',
  asc: false,
  diff: false,
  baseFrom: '',
  baseUntil: '',
  baseLabels: '',
  palette: 'rg', // rg | cb (colour-blind)
  rec: false, // collapse recursion
});

const BOOLEANS = ['re', 'asc', 'diff', 'rec'];

export function parseState(search) {
  const params = new URLSearchParams(search);
  const state = { ...DEFAULTS, zoom: [] };
  for (const key of Object.keys(DEFAULTS)) {
    if (!params.has(key)) continue;
    const v = params.get(key);
    if (BOOLEANS.includes(key)) state[key] = v === '1' || v === 'true';
    else if (key === 'zoom') state.zoom = splitPath(v);
    else state[key] = v;
  }
  return state;
}

export function stateToQuery(state) {
  const params = new URLSearchParams();
  for (const key of Object.keys(DEFAULTS)) {
    const v = state[key];
    if (key === 'zoom') { if (v && v.length) params.set(key, joinPath(v)); continue; }
    if (v === DEFAULTS[key] || v === undefined || v === null) continue;
    params.set(key, BOOLEANS.includes(key) ? (v ? '1' : '0') : String(v));
  }
  const s = params.toString();
  return s ? '?' + s : '';
}

// Frame names joined by ";" (as in folded stacks), with ";" and "\" inside names escaped.
export function joinPath(names) {
  return names.map((n) => n.replace(/\\/g, '\\\\').replace(/;/g, '\\;')).join(';');
}

export function splitPath(s) {
  if (!s) return [];
  const out = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) cur += s[++i];
    else if (c === ';') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}
