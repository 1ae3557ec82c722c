// Draws a flattened tree on a canvas (flame: root at the bottom, icicle: root on top) and
// answers which frame is under the pointer. Names are drawn as canvas text, never as markup.

import { layout, hit } from './layout.js';
import { KINDS, OTHER } from './tree.js';
import { kindColor, diffColor, MATCH_COLOR } from './colors.js';
import { changes } from './diff.js';

export const ROW = 18;
const FONT = '12px ui-monospace, "DejaVu Sans Mono", monospace';
const CHAR_W = 7.3; // advance of the monospace font above, to truncate without measureText
const MAX_ROWS = 1500; // keeps the canvas under browsers' height limits

export class FlameView {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.t = null;
    this.rects = { count: 0 };
  }

  // t: flattened tree; weight: widths per node (total, or diff shares).
  setTree(t, weight) {
    this.t = t;
    this.weight = weight;
    this.focus = 0;
    this.marks = null;
    this.colors = new Array(t.n);
    this.rel = t.diff ? changes(t) : null;
  }

  setFocus(i) { this.focus = i; }
  setMarks(marks) { this.marks = marks; }
  setOrient(orient) { this.orient = orient; }
  setPalette(palette) {
    if (palette !== this.palette && this.t) this.colors = new Array(this.t.n);
    this.palette = palette;
  }

  colorOf(i) {
    let c = this.colors[i];
    if (c === undefined) {
      c = this.rel ? diffColor(this.rel[i], this.palette) : kindColor(KINDS[this.t.kind[i]], this.t.name[i]);
      this.colors[i] = c;
    }
    return c;
  }

  rows() {
    return Math.min(this.t.maxDepth + 1, MAX_ROWS);
  }

  yOf(depth) {
    return this.orient === 'flame' ? (this.rows() - 1 - depth) * ROW : depth * ROW;
  }

  render(width) {
    const t = this.t;
    if (!t) return;
    const dpr = window.devicePixelRatio || 1;
    const height = this.rows() * ROW;
    const canvas = this.canvas;
    if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
      canvas.style.width = width + 'px';
      canvas.style.height = height + 'px';
    }
    const ctx = this.ctx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = FONT;
    ctx.textBaseline = 'middle';
    const rects = layout(t, this.weight, this.focus, width);
    this.rects = rects;
    const focusDepth = t.depth[this.focus];
    for (let r = 0; r < rects.count; r++) {
      const i = rects.node[r];
      const depth = t.depth[i];
      if (depth >= MAX_ROWS) continue;
      const x = rects.x[r], w = rects.w[r], y = this.yOf(depth);
      const matched = this.marks && this.marks[i];
      ctx.globalAlpha = depth < focusDepth ? 0.55 : 1;
      ctx.fillStyle = matched ? MATCH_COLOR : this.colorOf(i);
      ctx.fillRect(x, y, Math.max(w - 0.5, 0.5), ROW - 1);
      if (t.kind[i] === OTHER) this.hatch(x, y, w);
      if (w > 3 * CHAR_W) {
        ctx.fillStyle = '#111';
        ctx.fillText(fit(t.name[i], Math.floor((w - 6) / CHAR_W)), x + 3, y + ROW / 2);
      }
    }
    ctx.globalAlpha = 1;
  }

  // Pruned "other" frames get diagonal stripes, so they never read as a real function.
  hatch(x, y, w) {
    const ctx = this.ctx;
    ctx.save();
    ctx.beginPath();
    ctx.rect(x, y, w, ROW - 1);
    ctx.clip();
    ctx.strokeStyle = 'rgba(0,0,0,0.25)';
    ctx.beginPath();
    for (let s = x - ROW; s < x + w; s += 6) { ctx.moveTo(s, y + ROW); ctx.lineTo(s + ROW, y); }
    ctx.stroke();
    ctx.restore();
  }

  // Node under a point in CSS pixels relative to the canvas, or -1.
  nodeAt(x, y) {
    if (!this.t) return -1;
    const row = Math.floor(y / ROW);
    const depth = this.orient === 'flame' ? this.rows() - 1 - row : row;
    return hit(this.t, this.rects, x, depth);
  }

  // Drawn box of a node, in CSS pixels relative to the canvas (for tests and links).
  boxOf(i) {
    for (let r = 0; r < this.rects.count; r++) {
      if (this.rects.node[r] === i) {
        return { x: this.rects.x[r], y: this.yOf(this.t.depth[i]), w: this.rects.w[r], h: ROW - 1 };
      }
    }
    return null;
  }
}

function fit(name, chars) {
  if (name.length <= chars) return name;
  return chars > 1 ? name.slice(0, chars - 1) + '…' : '';
}
