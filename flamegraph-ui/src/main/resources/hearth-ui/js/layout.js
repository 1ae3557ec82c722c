// Where each frame goes: x and width in pixels for the current zoom, rows by depth.
// Frames narrower than minWidth are skipped with their whole subtree (children are never
// wider than their parent), so the cost follows what is visible, not the tree size.

// t: flattened tree; weight: per-node width (total, or the diff's combined share);
// focus: zoomed node; returns {count, node, x, w} for the frames to draw.
export function layout(t, weight, focus, width, minWidth = 0.5) {
  const cap = Math.min(t.n, 1 << 16);
  let out = { count: 0, node: new Int32Array(cap), x: new Float64Array(cap), w: new Float64Array(cap) };
  const emit = (i, x, w) => {
    if (out.count === out.node.length) out = grow(out);
    out.node[out.count] = i; out.x[out.count] = x; out.w[out.count] = w; out.count++;
  };
  // The focus and its ancestors span the whole width, as in flamegraph.pl's zoom.
  const chain = [];
  for (let a = focus; a >= 0; a = t.parent[a]) chain.push(a);
  for (let k = chain.length - 1; k >= 0; k--) emit(chain[k], 0, width);
  const full = weight[focus];
  if (!(full > 0)) return out;
  const scale = width / full;
  const cursor = new Float64Array(t.maxDepth + 2);
  cursor[t.depth[focus] + 1] = 0;
  const end = t.end[focus];
  for (let i = focus + 1; i < end;) {
    const d = t.depth[i];
    const x = cursor[d];
    const w = weight[i] * scale;
    cursor[d] = x + w;
    if (w < minWidth) { i = t.end[i]; continue; }
    emit(i, x, w);
    cursor[d + 1] = x;
    i++;
  }
  return out;
}

function grow(o) {
  const n = o.node.length * 2;
  const g = { count: o.count, node: new Int32Array(n), x: new Float64Array(n), w: new Float64Array(n) };
  g.node.set(o.node); g.x.set(o.x); g.w.set(o.w);
  return g;
}

// The frame under a point: rows are depths; within a row frames do not overlap.
export function hit(t, rects, x, depth) {
  for (let r = 0; r < rects.count; r++) {
    const i = rects.node[r];
    if (t.depth[i] === depth && x >= rects.x[r] && x < rects.x[r] + rects.w[r]) return i;
  }
  return -1;
}
