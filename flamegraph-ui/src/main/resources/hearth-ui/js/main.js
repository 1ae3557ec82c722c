// The page: wires controls, the URL state, the collector API and the views together.
// Logic lives in the pure modules; this file only moves data between them and the DOM.

import { createApi, queryParams, diffParams, normalizeServices } from './api.js';
import { sessionAuth } from './auth.js';
import { parseState, stateToQuery } from './state-url.js';
import { PRESETS, resolveWindow, previousPeriod, stepFor, formatTime } from './time-range.js';
import { flatten, pathOf, findPath } from './tree.js';
import { matcher, mark, matchedShare, exactPattern } from './search.js';
import { diffWeights } from './diff.js';
import { topFunctions } from './top.js';
import { sandwich } from './sandwich.js';
import { frameInfo } from './frame-info.js';
import { formatPercent, formatValue } from './format.js';
import { FlameView } from './flame-view.js';
import { TimelineView } from './timeline-view.js';
import { renderTable } from './table-view.js';
import { renderLegend } from './legend.js';
import { showTooltip, hideTooltip } from './tooltip.js';
import { fillSelect, renderChips, copyText } from './widgets.js';
import { installTestHook } from './test-hook.js';

const $ = (id) => document.getElementById(id);

// Asks for a token in a modal dialog; resolves with it, or null when cancelled.
function askToken(why) {
  const dialog = $('token-dialog');
  $('token-why').textContent = `The collector asks for a token (${why}).`;
  $('token-input').value = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok' ? $('token-input').value.trim() || null : null),
      { once: true });
    dialog.returnValue = '';
    dialog.showModal();
  });
}

const api = createApi('', undefined, sessionAuth(sessionStorage, askToken));
let pprofParams = null;
let state = parseState(location.search);
let services = [];
let data = null; // {t, weight, unit, win, base}
let loadedKey = null;
let seq = 0;
let dragTarget = 'window';

const main = new FlameView($('flame'));
const callersView = new FlameView($('callers'));
const calleesView = new FlameView($('callees'));
const timeline = new TimelineView($('timeline'), (from, until) => {
  if (dragTarget === 'base') update({ baseFrom: String(from), baseUntil: String(until) });
  else update({ from: String(from), until: String(until) });
});

// ---- state ----

function update(patch, push = true) {
  state = { ...state, ...patch };
  const url = location.pathname + stateToQuery(state);
  if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
  sync();
}

window.addEventListener('popstate', () => { state = parseState(location.search); sync(); });

// Fields that need new data from the collector; everything else only redraws.
function dataKey(s) {
  return JSON.stringify([s.service, s.type, s.from, s.until, s.labels, s.diff, s.diff && [s.baseFrom, s.baseUntil, s.baseLabels]]);
}

function sync() {
  syncControls();
  const key = dataKey(state);
  if (key !== loadedKey) { loadedKey = key; load(); } else draw();
}

function setStatus(status, message = '') {
  document.body.dataset.status = status;
  $('message').textContent = message;
}

// ---- loading ----

async function loadServices() {
  setStatus('loading', 'Loading services…');
  try {
    services = normalizeServices(await api.services());
  } catch (e) {
    setStatus('error', e.message);
    return false;
  }
  if (!services.length) {
    setStatus('empty', 'The collector holds no profiles yet. Start an agent (./hearth agent) and come back in a minute.');
    return false;
  }
  const svc = services.find((s) => s.name === state.service) || services[0];
  const type = svc.types.includes(state.type) ? state.type : svc.types[0] || '';
  if (svc.name !== state.service || type !== state.type) {
    state = { ...state, service: svc.name, type };
    history.replaceState(null, '', location.pathname + stateToQuery(state));
  }
  return true;
}

async function load() {
  const my = ++seq;
  const now = Date.now();
  const win = resolveWindow(state.from, state.until, now);
  if (win.error) return setStatus('error', `Window: ${win.error}.`);
  let base = null;
  if (state.diff) {
    base = resolveWindow(state.baseFrom || state.from, state.baseUntil || state.until, now);
    if (base.error) return setStatus('error', `Baseline window: ${base.error}.`);
  }
  setStatus('loading', data ? '' : 'Loading…');
  const p = queryParams(state.service, state.type, win, state.labels);
  const step = stepFor(win.from, win.until);
  try {
    const treeReq = state.diff
      ? api.diff(diffParams(state.service, state.type, win, state.labels, base, state.baseLabels || state.labels))
      : api.flamegraph(p);
    const [tree, tl] = await Promise.all([treeReq, api.timeline(p, step)]);
    if (my !== seq) return;
    const t = flatten(tree.root);
    data = { t, weight: t.diff ? diffWeights(t) : t.total, unit: tree.unit, win, base, top: null, sw: null };
    timeline.set(tl.points || [], step, win, base);
    $('download').href = api.pprofUrl(p);
    pprofParams = p;
    draw();
  } catch (e) {
    if (my !== seq) return;
    data = null;
    setStatus('error', e.message);
  }
}

// ---- drawing ----

function isEmpty(t) {
  return !(t.total[0] > 0) && !(t.diff && t.baseTotal[0] > 0);
}

function draw() {
  if (!data) return;
  const { t, unit, win } = data;
  renderLegend($('legend'), t.diff, state.palette);
  if (isEmpty(t)) {
    const labels = state.labels ? ` with ${state.labels}` : '';
    setStatus('empty', `No data for ${state.service} · ${state.type}${labels} between ${formatTime(win.from)} and ${formatTime(win.until)}. Try a wider window or fewer filters.`);
    return;
  }
  setStatus('ready', '');
  const content = $('content');
  content.dataset.view = state.view;

  const m = matcher(state.q, state.re);
  $('search').classList.toggle('invalid', Boolean(m && m.error));
  const marks = mark(t, m);
  const focus = findPath(t, state.zoom);
  const share = m && !m.error ? matchedShare(t, marks) : null;
  $('match-share').textContent = m && m.error ? m.error
    : share === null ? '' : `matched: ${formatPercent(share)} of ${formatValue(t.total[0], unit)}`;

  if (state.view !== 'table' && state.view !== 'sandwich') {
    if (main.t !== t) main.setTree(t, data.weight);
    main.setFocus(focus);
    main.setMarks(m ? marks : null);
    main.setOrient(state.orient);
    main.setPalette(state.palette);
    main.render($('graph-panel').clientWidth);
  }
  if (state.view !== 'graph') {
    data.top = data.top || topFunctions(t);
    $('top').classList.toggle('diff', t.diff);
    renderTable($('top').tBodies[0], data.top, {
      sort: state.sort, asc: state.asc, unit, total: t.total[0], selected: state.fn, palette: state.palette,
      matches: m && !m.error ? m : null, onPick: pickFunction,
    });
    for (const th of $('top').tHead.rows[0].cells) {
      th.classList.toggle('sorted', th.dataset.sort === state.sort);
      th.classList.toggle('asc', state.asc);
    }
  }
  if (state.view === 'sandwich') drawSandwich(t);

  $('selected-bar').hidden = !state.fn;
  $('selected-name').textContent = state.fn;
  const canvas = $('flame');
  canvas.dataset.focus = t.name[focus];
  canvas.dataset.nodes = String(t.n);
  canvas.dataset.drawn = String(main.rects.count);
  canvas.dataset.matches = String(marks.reduce((a, b) => a + b, 0));
  canvas.dataset.matchShare = share === null ? '' : String(share);
}

function drawSandwich(t) {
  if (!state.fn) {
    $('message').textContent = 'Pick a function in the table or the graph to see its callers and callees.';
    return;
  }
  if (!data.sw || data.sw.name !== state.fn) {
    const s = sandwich(t, state.fn);
    data.sw = { name: state.fn, callers: flatten(s.callers), callees: flatten(s.callees) };
  }
  const width = $('sandwich-panel').clientWidth;
  for (const [view, tree, orient] of [[callersView, data.sw.callers, 'flame'], [calleesView, data.sw.callees, 'icicle']]) {
    if (view.t !== tree) view.setTree(tree, tree.total);
    view.setOrient(orient);
    view.render(width);
  }
}

// ---- interactions ----

function pickFunction(name) {
  update({ fn: name, q: exactPattern(name), re: true });
}

function frameClicked(view, i) {
  if (i < 0) return;
  if (view === main) update({ zoom: pathOf(view.t, i), fn: i > 0 ? view.t.name[i] : state.fn });
  else update({ fn: view.t.name[i] });
}

for (const view of [main, callersView, calleesView]) {
  const c = view.canvas;
  c.addEventListener('mousemove', (e) => {
    const i = view.nodeAt(e.offsetX, e.offsetY);
    if (i < 0) hideTooltip($('tooltip'));
    else showTooltip($('tooltip'), frameInfo(view.t, i, data.unit), e);
  });
  c.addEventListener('mouseleave', () => hideTooltip($('tooltip')));
  c.addEventListener('click', (e) => frameClicked(view, view.nodeAt(e.offsetX, e.offsetY)));
}

function syncControls() {
  const svc = services.find((s) => s.name === state.service);
  fillSelect($('service'), services.map((s) => s.name), state.service);
  fillSelect($('type'), svc ? svc.types : [], state.type);
  fillSelect($('label-key'), ['', ...(svc ? svc.labels : [])], $('label-key').value, 'label…');
  const matchers = state.labels ? state.labels.split(',') : [];
  renderChips($('label-chips'), matchers, (m) => update({ labels: matchers.filter((o) => o !== m).join(',') }));
  $('from').value = state.from;
  $('until').value = state.until;
  for (const b of $('presets').children) b.classList.toggle('active', state.from === b.dataset.from && state.until === 'now');
  $('diff').checked = state.diff;
  $('diff-bar').hidden = !state.diff;
  $('base-from').value = state.baseFrom;
  $('base-until').value = state.baseUntil;
  $('base-labels').value = state.baseLabels;
  $('palette').value = state.palette;
  $('search').value = state.q;
  $('regex').checked = state.re;
  $('view').value = state.view;
  $('orient').value = state.orient;
}

function wireControls() {
  $('service').addEventListener('change', (e) => {
    const svc = services.find((s) => s.name === e.target.value);
    update({ service: svc.name, type: svc.types.includes(state.type) ? state.type : svc.types[0] || '', labels: '', zoom: [], fn: '' });
  });
  $('type').addEventListener('change', (e) => update({ type: e.target.value, zoom: [] }));
  $('label-key').addEventListener('change', async (e) => {
    const list = $('label-values');
    list.replaceChildren();
    if (!e.target.value) return;
    try {
      const { values } = await api.labelValues(state.service, e.target.value);
      list.replaceChildren(...values.map((v) => Object.assign(document.createElement('option'), { value: v })));
    } catch (err) {
      setStatus('error', err.message);
    }
  });
  $('label-add').addEventListener('click', () => {
    const key = $('label-key').value, value = $('label-value').value.trim();
    if (!key || !value) return;
    const m = key + $('label-op').value + value;
    const all = state.labels ? state.labels.split(',') : [];
    if (!all.includes(m)) update({ labels: [...all, m].join(',') });
    $('label-value').value = '';
  });
  for (const [label, from] of PRESETS) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.dataset.from = from;
    b.addEventListener('click', () => update({ from, until: 'now' }));
    $('presets').append(b);
  }
  // Apply also refreshes: "now" moves on, and a collector that was down may be back.
  $('apply-time').addEventListener('click', () => {
    loadedKey = null;
    update({ from: $('from').value.trim(), until: $('until').value.trim() });
  });
  $('diff').addEventListener('change', (e) => update({ diff: e.target.checked }));
  $('apply-base').addEventListener('click', () => update({
    baseFrom: $('base-from').value.trim(), baseUntil: $('base-until').value.trim(), baseLabels: $('base-labels').value.trim(),
  }));
  $('previous-period').addEventListener('click', () => {
    const win = resolveWindow(state.from, state.until, Date.now());
    if (win.error) return setStatus('error', `Window: ${win.error}.`);
    const before = previousPeriod(win);
    update({ baseFrom: String(before.from), baseUntil: String(before.until) });
  });
  // Downloads go through the API, so they carry the token a plain link could not.
  const save = (id, fetchBlob, suffix) => $(id).addEventListener('click', async (e) => {
    e.preventDefault();
    if (!pprofParams) return;
    try {
      const url = URL.createObjectURL(await fetchBlob(pprofParams));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${pprofParams.service}-${pprofParams.type}${suffix}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) {
      setStatus('error', err.message);
    }
  });
  save('download', api.pprof, '.pb.gz');
  save('download-html', api.flamegraphHtml, '.html');
  $('drag-target').addEventListener('change', (e) => { dragTarget = e.target.value; });
  $('palette').addEventListener('change', (e) => update({ palette: e.target.value }));
  let typing;
  $('search').addEventListener('input', (e) => {
    clearTimeout(typing);
    typing = setTimeout(() => update({ q: e.target.value }, false), 150);
  });
  $('regex').addEventListener('change', (e) => update({ re: e.target.checked }));
  $('view').addEventListener('change', (e) => update({ view: e.target.value }));
  $('orient').addEventListener('change', (e) => update({ orient: e.target.value }));
  $('reset-zoom').addEventListener('click', () => update({ zoom: [] }));
  $('show-sandwich').addEventListener('click', () => update({ view: 'sandwich' }));
  $('copy-name').addEventListener('click', async () => {
    await copyText(state.fn);
    $('copy-note').textContent = 'copied';
    setTimeout(() => { $('copy-note').textContent = ''; }, 1500);
  });
  for (const th of $('top').tHead.rows[0].cells) {
    th.addEventListener('click', () => update(th.dataset.sort === state.sort ? { asc: !state.asc } : { sort: th.dataset.sort, asc: th.dataset.sort === 'name' }));
  }
  // Escape steps out of a zoom, as the Reset button does.
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && e.target.tagName !== 'INPUT' && state.zoom.length) update({ zoom: [] });
  });
  let pending = false;
  window.addEventListener('resize', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; draw(); timeline.draw(); });
  });
}

installTestHook(() => state, { main, callers: callersView, callees: calleesView }, () => data.unit);

wireControls();
loadServices().then((ok) => { if (ok) sync(); else syncControls(); });
