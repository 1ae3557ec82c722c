// The page: wires controls, the URL state, the collector API and the views together.
// Logic lives in the pure modules; this file only moves data between them and the DOM.

import { createApi, queryParams, diffParams, normalizeServices, busiest, filterServices, typeFor } from './api.js';
import { sessionAuth } from './auth.js';
import { parseState, stateToQuery } from './state-url.js';
import { PRESETS, resolveWindow, previousPeriod, stepFor, formatTime, spanOf, displayTime, readTime, timeZoneText } from './time-range.js';
import { flatten, pathOf, findPath, foldedTotal, OTHER } from './tree.js';
import { matcher, mark, exactPattern } from './search.js';
import { diffWeights } from './diff.js';
import { functionRows } from './top.js';
import { collapseRecursion } from './recursion.js';
import { unnamedShare, unnamedHint, REASON_LABEL } from './unnamed.js';
import { fillServices, fillTypes } from './picker.js';
import { frameInfo } from './frame-info.js';
import { formatPercent, formatValue } from './format.js';
import { FlameView, CHAR_W } from './flame-view.js';
import { TimelineView } from './timeline-view.js';
import { renderTable } from './table-view.js';
import { renderLegend } from './legend.js';
import { showTooltip, hideTooltip } from './tooltip.js';
import { fillSelect, renderChips, copyText } from './widgets.js';
import { installSplitter } from './splitter.js';
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
let servicesFor = ''; // the from|until the services' volumes were asked for
let data = null; // {root, t, weight, unit, win, base, rows, match, sw, reasons}
let loadedKey = null;
let seq = 0;
let dragTarget = 'window';

const main = new FlameView($('flame'));
const callersView = new FlameView($('callers'));
const calleesView = new FlameView($('callees'));
const baseView = new FlameView($('side-base'));
const compView = new FlameView($('side-comp'));
// whole seconds: the fields show local date-times to the second
const timeline = new TimelineView($('timeline'), (from, until) => {
  const [f, u] = [String(Math.round(from / 1e3) * 1e3), String(Math.round(until / 1e3) * 1e3)];
  if (dragTarget === 'base') update({ baseFrom: f, baseUntil: u });
  else update({ from: f, until: u });
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
  const win = resolveWindow(state.from, state.until, Date.now());
  try {
    services = normalizeServices(await api.services(win.error ? null : win));
    servicesFor = `${state.from}|${state.until}`;
  } catch (e) {
    setStatus('error', e.message);
    return false;
  }
  if (!services.length) {
    setStatus('empty', 'The collector holds no profiles yet. Start an agent (./hearth agent) and come back in a minute.');
    return false;
  }
  // A link naming a service this collector does not hold says so, rather than showing another one.
  if (state.service && !services.some((s) => s.name === state.service)) {
    setStatus('error', `This collector has no service "${state.service}". Pick one of its ${services.length} services above.`);
    return false;
  }
  const svc = services.find((s) => s.name === state.service) || busiest(services);
  const type = typeFor(svc, state.type);
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
  const span = spanOf(win, base);
  const step = stepFor(span.from, span.until);
  const svc = services.find((s) => s.name === state.service);
  try {
    const dp = state.diff ? diffParams(state.service, state.type, win, state.labels, base, state.baseLabels || state.labels) : null;
    const treeReq = dp ? api.diff(dp) : api.flamegraph(p);
    const fnReq = api.functions(dp ? { ...p, baseFrom: dp.baseFrom, baseUntil: dp.baseUntil, baseLabels: dp.baseLabels } : p);
    const reasonsReq = svc && svc.labels.includes(REASON_LABEL)
      ? api.labelValues(state.service, REASON_LABEL).then((r) => r.values || [], () => []) : Promise.resolve([]);
    const [tree, tl, fns, reasons] = await Promise.all([treeReq, api.timeline({ ...p, from: span.from, until: span.until }, step), fnReq, reasonsReq]);
    if (my !== seq) return;
    data = { root: tree.root, unit: tree.unit, win, base, p, rows: functionRows(fns), fnTotal: +fns.total || 0, reasons, match: null, sw: null, rec: null };
    timeline.set(tl.points || [], step, span, win, base);
    $('download').href = api.pprofUrl(p);
    pprofParams = p;
    draw();
    // volumes in a new window, for the picker; the page works without them
    const key = `${state.from}|${state.until}`;
    if (key !== servicesFor) {
      servicesFor = key;
      api.services(win).then((body) => { if (my === seq) { services = normalizeServices(body); syncControls(); } }, () => {});
    }
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

// The tree as drawn: the collector's, or with recursion collapsed; flattened once per choice.
function drawnTree() {
  if (data.rec !== state.rec) {
    data.rec = state.rec;
    data.t = flatten(state.rec ? collapseRecursion(data.root) : data.root);
    data.weight = data.t.diff ? diffWeights(data.t) : data.t.total;
  }
  return data.t;
}

// A search's share comes from the full merge (the collector), never from the pruned tree.
function matchShare(m) {
  if (!m || m.error) return null;
  const key = JSON.stringify([state.q, state.re]);
  if (data.match && data.match.key === key) return data.match.share;
  data.match = { key, share: null };
  const mine = data;
  api.functions({ ...data.p, limit: 1 }, state.q, state.re).then((body) => {
    if (data !== mine || mine.match.key !== key) return;
    mine.match.share = body.total > 0 ? body.matched / body.total : 0;
    draw();
  }, (e) => { if (data === mine) $('match-share').textContent = e.message; });
  return null;
}

function setNote(id, text) {
  $(id).textContent = text;
  $(id).hidden = !text;
}

function draw() {
  if (!data) return;
  const { unit, win } = data;
  const t = drawnTree();
  renderLegend($('legend'), t.diff, state.palette);
  if (isEmpty(t)) {
    const labels = state.labels ? ` with ${state.labels}` : '';
    setStatus('empty', `No data for ${state.service} · ${state.type}${labels} between ${formatTime(win.from)} and ${formatTime(win.until)}. Try a wider window or fewer filters.`);
    return;
  }
  setStatus('ready', '');
  const content = $('content');
  const view = state.view === 'side' && !t.diff ? 'graph' : state.view;
  content.dataset.view = view;

  // what the numbers cannot say by themselves
  const b = data.base;
  setNote('warning', !t.diff ? ''
    : !(t.baseTotal[0] > 0) ? `The baseline (${formatTime(b.from)} to ${formatTime(b.until)}${state.baseLabels ? `, ${state.baseLabels}` : ''}) has no data: every frame shows as new. Choose another baseline window or labels.`
      : !(t.total[0] > 0) ? 'The window has no data: every frame of the baseline shows as gone.' : '');
  setNote('unnamed-note', unnamedHint(unnamedShare(t), data.reasons, formatPercent));
  const folded = foldedTotal(t);
  setNote('folded-note', folded > 0 && t.total[0] > 0
    ? `To draw quickly, the graph folds small frames holding ${formatPercent(folded / t.total[0])} of the time into the striped “other” frames. The table, search and sandwich count every function in full.` : '');

  const m = matcher(state.q, state.re);
  $('search').classList.toggle('invalid', Boolean(m && m.error));
  const marks = mark(t, m);
  const focus = findPath(t, state.zoom);
  const share = matchShare(m);
  $('match-share').textContent = m && m.error ? m.error
    : share === null ? '' : `matched: ${formatPercent(share)} of ${formatValue(data.fnTotal, unit)}`;

  if (view === 'both' || view === 'graph') {
    if (main.t !== t) main.setTree(t, data.weight);
    main.setFocus(focus);
    main.setMarks(m ? marks : null);
    main.setOrient(state.orient);
    main.setPalette(state.palette);
    main.render($('graph-panel').clientWidth);
  }
  if (view === 'side') drawSide(t, focus, m ? marks : null);
  if (view === 'both' || view === 'table' || view === 'sandwich') {
    $('top').classList.toggle('diff', t.diff);
    const nameCol = $('top').tHead.rows[0].cells[3];
    renderTable($('top').tBodies[0], data.rows, {
      sort: state.sort, asc: state.asc, unit, total: data.fnTotal, selected: state.fn, palette: state.palette,
      matches: m && !m.error ? m : null, onPick: pickFunction, chars: Math.max(8, Math.floor((nameCol.clientWidth - 34) / CHAR_W)),
    });
    for (const th of $('top').tHead.rows[0].cells) {
      th.classList.toggle('sorted', th.dataset.sort === state.sort);
      th.classList.toggle('asc', state.asc);
    }
  }
  if (view === 'sandwich') drawSandwich();

  $('selected-bar').hidden = !state.fn;
  $('selected-name').textContent = state.fn;
  const canvas = $('flame');
  canvas.dataset.focus = t.name[focus];
  canvas.dataset.nodes = String(t.n);
  canvas.dataset.drawn = String(main.rects.count);
  canvas.dataset.matches = String(marks.reduce((a, b) => a + b, 0));
  canvas.dataset.matchShare = share === null ? '' : String(share);
}

// Baseline and comparison side by side: each frame as wide as its own side's value, siblings
// in the same order on both, so a frame sits in the same place in each; hovering one marks it
// in the other.
function drawSide(t, focus, marks) {
  const width = Math.floor(($('side-panel').clientWidth - 12) / 2);
  for (const [view, weight] of [[baseView, t.baseTotal], [compView, t.total]]) {
    if (view.t !== t) view.setTree(t, weight);
    view.setFocus(focus);
    view.setOrient(state.orient);
    view.setPalette(state.palette);
    view.setMarks(view.hover !== undefined ? view.hover : marks);
    view.render(width);
  }
}

// Callers above, callees below, merged over every call site: the collector builds both from
// the full merge (a function folded into "other" in the graph still has its sandwich).
function drawSandwich() {
  if (!state.fn) {
    $('message').textContent = 'Pick a function in the table or the graph to see its callers and callees.';
    return;
  }
  const key = JSON.stringify([state.fn, state.rec]);
  if (!data.sw || data.sw.key !== key) {
    const mine = data;
    data.sw = { key, callers: null, callees: null };
    api.sandwich(data.p, state.fn).then((body) => {
      if (data !== mine || mine.sw.key !== key) return;
      const prep = (tree) => flatten(state.rec ? collapseRecursion(tree.root, true) : tree.root);
      Object.assign(mine.sw, { callers: prep(body.callers), callees: prep(body.callees) });
      draw();
    }, (e) => { if (data === mine) setStatus('error', e.message); });
  }
  if (!data.sw.callers) return;
  const width = $('sandwich-panel').clientWidth;
  for (const [view, tree, orient] of [[callersView, data.sw.callers, 'flame'], [calleesView, data.sw.callees, 'icicle']]) {
    if (view.t !== tree) view.setTree(tree, tree.total);
    view.setOrient(orient);
    view.render(width);
  }
  $('sandwich-panel').dataset.ready = key;
}

// ---- interactions ----

function pickFunction(name) {
  update({ fn: name, q: exactPattern(name), re: true });
}

function frameClicked(view, i) {
  if (i < 0) return;
  // a folded "other" frame zooms but is no function to select
  const fn = i > 0 && view.t.kind[i] !== OTHER ? view.t.name[i] : state.fn;
  if (view === main || view === baseView || view === compView) update({ zoom: pathOf(view.t, i), fn });
  else update({ fn: view.t.name[i] });
}

// In the side-by-side view, the frame under the pointer is marked in the other graph too.
function hoverSide(view, i) {
  const other = view === baseView ? compView : baseView;
  let marks;
  if (i >= 0) { marks = new Uint8Array(view.t.n); marks[i] = 1; }
  if (other.hover === marks) return;
  other.hover = marks;
  draw();
}

for (const view of [main, callersView, calleesView, baseView, compView]) {
  const c = view.canvas;
  const side = view === baseView || view === compView;
  c.addEventListener('mousemove', (e) => {
    const i = view.nodeAt(e.offsetX, e.offsetY);
    if (i < 0) hideTooltip($('tooltip'));
    else showTooltip($('tooltip'), frameInfo(view.t, i, data.unit), e);
    if (side && i !== view.hoverAt) { view.hoverAt = i; hoverSide(view, i); }
  });
  c.addEventListener('mouseleave', () => {
    hideTooltip($('tooltip'));
    if (side) { view.hoverAt = -1; hoverSide(view, -1); }
  });
  c.addEventListener('click', (e) => frameClicked(view, view.nodeAt(e.offsetX, e.offsetY)));
}

function syncControls() {
  const svc = services.find((s) => s.name === state.service);
  // while a filter is typed, the matching services show as an open list
  const filter = $('service-filter').value.trim();
  const shown = filterServices(services, filter, state.service);
  fillServices($('service'), shown, state.service);
  $('service').size = filter ? Math.max(2, Math.min(8, shown.length)) : 0;
  fillTypes($('type'), svc, state.type);
  fillSelect($('label-key'), ['', ...(svc ? svc.labels : [])], $('label-key').value, 'label…');
  const matchers = state.labels ? state.labels.split(',') : [];
  renderChips($('label-chips'), matchers, (m) => update({ labels: matchers.filter((o) => o !== m).join(',') }));
  $('from').value = displayTime(state.from);
  $('until').value = displayTime(state.until);
  $('time-zone').textContent = timeZoneText();
  for (const b of $('presets').children) b.classList.toggle('active', state.from === b.dataset.from && state.until === 'now');
  $('diff').checked = state.diff;
  $('diff-bar').hidden = !state.diff;
  $('base-from').value = displayTime(state.baseFrom);
  $('base-until').value = displayTime(state.baseUntil);
  $('base-labels').value = state.baseLabels;
  $('palette').value = state.palette;
  $('search').value = state.q;
  $('regex').checked = state.re;
  $('rec').checked = state.rec;
  $('view').value = state.view;
  $('view-side').disabled = !state.diff;
  $('orient').value = state.orient;
}

function wireControls() {
  const pickService = (name) => {
    const svc = services.find((s) => s.name === name);
    if (!svc) return;
    loadedKey = null; // also after an unknown service, when the name did not change the data key
    update({ service: svc.name, type: typeFor(svc, state.type), labels: '', zoom: [], fn: '' });
  };
  $('service').addEventListener('change', (e) => pickService(e.target.value));
  // typing narrows the list; Enter opens the first service left
  $('service-filter').addEventListener('input', () => syncControls());
  $('service-filter').addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    const first = filterServices(services, e.target.value, '')[0];
    if (first) { e.target.value = ''; pickService(first.name); }
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
    const now = Date.now();
    update({ from: readTime($('from').value, state.from, now), until: readTime($('until').value, state.until, now) });
  });
  $('diff').addEventListener('change', (e) => update({ diff: e.target.checked }));
  $('apply-base').addEventListener('click', () => {
    const now = Date.now();
    update({
      baseFrom: readTime($('base-from').value, state.baseFrom, now), baseUntil: readTime($('base-until').value, state.baseUntil, now),
      baseLabels: $('base-labels').value.trim(),
    });
  });
  for (const id of ['from', 'until', 'base-from', 'base-until']) {
    $(id).addEventListener('keydown', (e) => { if (e.key === 'Enter') $(id.startsWith('base') ? 'apply-base' : 'apply-time').click(); });
  }
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
  $('rec').addEventListener('change', (e) => update({ rec: e.target.checked, zoom: [] }));
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
  installKeys();
  installSplitter($('splitter'), $('content'), () => draw());
  let pending = false;
  window.addEventListener('resize', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; draw(); timeline.draw(); });
  });
}

// Keys: "/" searches, Escape zooms out one level (or leaves a field), "0" resets the zoom.
function installKeys() {
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const typing = ['INPUT', 'SELECT', 'TEXTAREA'].includes(e.target.tagName);
    if (typing) {
      if (e.key === 'Escape') e.target.blur();
      return;
    }
    if (e.key === '/') { e.preventDefault(); $('search').focus(); $('search').select(); }
    else if (e.key === 'Escape' && state.zoom.length) update({ zoom: state.zoom.slice(0, -1) });
    else if (e.key === '0' && state.zoom.length) update({ zoom: [] });
  });
}

installTestHook(() => state, { main, callers: callersView, callees: calleesView, base: baseView, comp: compView }, () => data.unit);

wireControls();
loadServices().then((ok) => { if (ok) sync(); else syncControls(); });
