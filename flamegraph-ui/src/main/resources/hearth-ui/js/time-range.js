// Time expressions as people type them: "now", "now-15m", "now-7d", Unix milliseconds, or an
// ISO date (local time unless it says otherwise). Relative ones keep a shared link "live".

const UNIT_MS = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

export const PRESETS = [
  ['15 min', 'now-15m'],
  ['1 h', 'now-1h'],
  ['6 h', 'now-6h'],
  ['24 h', 'now-24h'],
  ['7 d', 'now-7d'],
];

// Milliseconds for an expression, or NaN when it does not parse.
export function parseTime(expr, now) {
  const s = String(expr ?? '').trim();
  const rel = /^now(?:-(\d+(?:\.\d+)?)([smhdw]))?$/.exec(s);
  if (rel) return rel[1] ? Math.round(now - rel[1] * UNIT_MS[rel[2]]) : now;
  if (/^\d{10,}$/.test(s)) return Number(s);
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) return Date.parse(s);
  return NaN;
}

// Resolves a window; error says what is wrong in words.
export function resolveWindow(from, until, now) {
  const f = parseTime(from, now), u = parseTime(until, now);
  if (Number.isNaN(f)) return { error: `cannot read the start time "${from}" (try now-1h, an ISO date or milliseconds)` };
  if (Number.isNaN(u)) return { error: `cannot read the end time "${until}" (try now, an ISO date or milliseconds)` };
  if (f >= u) return { error: 'the start of the window is not before its end' };
  return { from: f, until: u };
}

// The same length of time just before a window: the usual baseline for "what changed".
export function previousPeriod(win) {
  return { from: 2 * win.from - win.until, until: win.from };
}

// Timeline step: about `points` buckets over the window, in whole seconds, at least 10 s
// (agents ship every 10 s, finer buckets would only show gaps).
export function stepFor(from, until, points = 240) {
  return Math.max(10e3, Math.ceil((until - from) / points / 1e3) * 1e3);
}

const TICK_STEPS = [1, 5, 10, 15, 30, 60, 180, 360, 720, 1440, 10080].map((m) => m * 60e3);

// Axis marks for the timeline: round local times, at most `max` of them.
export function ticks(from, until, max = 6) {
  const step = TICK_STEPS.find((s) => (until - from) / s <= max) || TICK_STEPS[TICK_STEPS.length - 1];
  const offset = new Date(from).getTimezoneOffset() * 60e3; // align days to local midnight
  const out = [];
  for (let ms = Math.ceil((from - offset) / step) * step + offset; ms < until; ms += step) {
    const d = new Date(ms);
    const p = (n) => String(n).padStart(2, '0');
    const label = step >= 1440 * 60e3 ? `${p(d.getMonth() + 1)}-${p(d.getDate())}` : `${p(d.getHours())}:${p(d.getMinutes())}`;
    out.push({ ms, label });
  }
  return out;
}

// Local ISO-like text for a millisecond time, as shown in the from/until fields.
export function formatTime(ms) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
