// Colours: by frame kind (the async-profiler convention: green JIT Java, aqua inlined,
// yellow C++, red native, orange kernel), and by normalized change in diffs.

// [hue, saturation %, lightness %, label] per kind, in tree.js KINDS order.
export const KIND_STYLE = {
  kernel: [28, 85, 55, 'kernel'],
  native: [2, 70, 63, 'native'],
  cpp: [55, 65, 50, 'C++'],
  jit: [115, 55, 52, 'JIT Java'],
  c1: [85, 60, 58, 'C1 Java'],
  interpreted: [205, 60, 66, 'interpreted Java'],
  inlined: [180, 55, 50, 'inlined Java'],
  stub: [270, 40, 72, 'stub'],
  unknown: [0, 0, 72, 'unknown'],
  other: [0, 0, 86, 'other (pruned small frames)'],
};

export function hash(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

// A kind's colour with a small lightness shift per name, so neighbours stay distinguishable
// while the kind stays readable. Nine shades per kind, built once and reused.
const SHADES = 9;
const PALETTE = Object.fromEntries(Object.entries(KIND_STYLE).map(([kind, [h, s, l]]) => [
  kind, Array.from({ length: SHADES }, (_, k) => `hsl(${h} ${s}% ${kind === 'other' ? l : l + k - 4}%)`),
]));

export function shadeOf(name) {
  return hash(name) % SHADES;
}

export function kindColor(kind, name, shade = shadeOf(name)) {
  return (PALETTE[kind] || PALETTE.unknown)[shade];
}

export const PALETTES = {
  // more = red, less = green
  rg: { more: [214, 39, 40], less: [44, 160, 44] },
  // colour-blind safe: more = orange, less = blue
  cb: { more: [230, 97, 1], less: [33, 102, 172] },
};
const NEUTRAL = [226, 226, 226];
const STEPS = 20;

// Colour of a relative change (see diff.js): neutral grey at 0, the full colour from ±100 %
// (Infinity for new frames, -1 for gone ones). Quantized so strings can be reused.
export function diffColor(rel, palette = 'rg') {
  const p = PALETTES[palette] || PALETTES.rg;
  if (!(rel === rel) || rel === 0) return rgb(NEUTRAL);
  const t = Math.round(Math.min(1, Math.abs(rel)) * STEPS) / STEPS;
  const target = rel > 0 ? p.more : p.less;
  return rgb(NEUTRAL.map((n, k) => Math.round(n + (target[k] - n) * t)));
}

function rgb([r, g, b]) {
  return `rgb(${r}, ${g}, ${b})`;
}

// Search matches are drawn in this colour, whatever the view.
export const MATCH_COLOR = 'rgb(224, 64, 251)';
