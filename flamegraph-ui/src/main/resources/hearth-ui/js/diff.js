// Diff arithmetic. Each side is normalized by its own total (deploys run for different
// lengths), so a frame is compared by its share of its side.

// Share of each side for node i, and the relative change of the comparison against the
// baseline: +1 means twice the share, -1 means gone, Infinity means new.
export function change(t, i) {
  const T = t.total[0], B = t.baseTotal[0];
  const comp = T > 0 ? t.total[i] / T : 0;
  const base = B > 0 ? t.baseTotal[i] / B : 0;
  return { comp, base, rel: relative(comp, base), points: comp - base };
}

function relative(comp, base) {
  if (base > 0) return (comp - base) / base;
  return comp > 0 ? Infinity : 0;
}

// Relative change of value/total against baseValue/baseTotal.
export function relativeChange(value, total, baseValue, baseTotal) {
  return relative(total > 0 ? value / total : 0, baseTotal > 0 ? baseValue / baseTotal : 0);
}

// Width of a frame in the diff view: the sum of both shares, so frames that exist on only
// one side are still visible, and children never outgrow their parent.
export function diffWeights(t) {
  const T = t.total[0], B = t.baseTotal[0];
  const w = new Float64Array(t.n);
  for (let i = 0; i < t.n; i++) {
    w[i] = (T > 0 ? t.total[i] / T : 0) + (B > 0 ? t.baseTotal[i] / B : 0);
  }
  return w;
}

// Relative changes per node, for colouring.
export function changes(t) {
  const out = new Float64Array(t.n);
  for (let i = 0; i < t.n; i++) out[i] = change(t, i).rel;
  return out;
}
