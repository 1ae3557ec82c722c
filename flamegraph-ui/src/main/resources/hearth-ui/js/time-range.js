// Time expressions as people type them: "now", "now-15m", "now-7d", a local date-time
// ("2026-11-30 14:05", seconds optional), an ISO date with a zone, or Unix milliseconds (what
// links keep for absolute times). Relative ones keep a shared link "live". The From/Until fields
// only ever show relative forms or local date-times, never milliseconds.

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
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (local) {
    const [y, mo, d, h = 0, mi = 0, sec = 0] = local.slice(1).map((x) => (x === undefined ? undefined : Number(x)));
    const date = new Date(y, mo - 1, d, h, mi, sec);
    return date.getMonth() === mo - 1 && date.getDate() === d ? date.getTime() : NaN;
  }
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(s)) return Date.parse(s);
  return NaN;
}

// What a From/Until field shows for a state value: relative forms as they are, absolute times
// as local date-times.
export function displayTime(expr) {
  const s = String(expr ?? '').trim();
  return /^\d{10,}$/.test(s) ? formatTime(Number(s)) : s;
}

// The state value for what a person typed: relative forms kept, absolute times as milliseconds
// (a link means the same instant in every time zone). A field left as shown keeps its value.
export function readTime(text, current, now) {
  const s = String(text ?? '').trim();
  if (s === displayTime(current)) return current;
  if (s === '' || /^now/.test(s)) return s;
  const ms = parseTime(s, now);
  return Number.isNaN(ms) ? s : String(ms); // unreadable text stays, and the window says why
}

// The browser's time zone, as shown beside the fields: "Europe/Paris, UTC+01:00".
export function timeZoneText(at = Date.now()) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
  const off = -new Date(at).getTimezoneOffset();
  const p = (n) => String(n).padStart(2, '0');
  return `${zone}, UTC${off < 0 ? '-' : '+'}${p(Math.floor(Math.abs(off) / 60))}:${p(Math.abs(off) % 60)}`;
}

// Resolves a window; error says what is wrong in words.
export function resolveWindow(from, until, now) {
  const f = parseTime(from, now), u = parseTime(until, now);
  if (Number.isNaN(f)) return { error: `cannot read the start time "${from}" (try now-1h or a date-time such as 2026-01-02 14:05)` };
  if (Number.isNaN(u)) return { error: `cannot read the end time "${until}" (try now or a date-time such as 2026-01-02 15:05)` };
  if (f >= u) return { error: 'the start of the window is not before its end' };
  return { from: f, until: u };
}

// The same length of time just before a window: the usual baseline for "what changed".
export function previousPeriod(win) {
  return { from: 2 * win.from - win.until, until: win.from };
}

// What the timeline spans: the window, and in a diff the baseline too.
export function spanOf(win, base) {
  return base ? { from: Math.min(win.from, base.from), until: Math.max(win.until, base.until) } : win;
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

// Local date-time text for a millisecond time, as shown in the from/until fields.
export function formatTime(ms) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
