// Draws a flattened tree on a canvas (flame: root at the bottom, icicle: root on top) and
// answers which frame is under the pointer. Names are drawn as canvas text, never as markup.

import { layout, hit } from './layout.js';
import { KINDS, OTHER } from './tree.js';
import { kindColor, shadeOf, diffColor, MATCH_COLOR } from './colors.js';
import { changes } from './diff.js';
import { shortenName } from './names.js';

export const ROW = 18;
const FONT = '12px ui-monospace, "DejaVu Sans Mono", monospace';
export const CHAR_W = 7.3; // advance of the monospace font above (the table uses it too), to shorten without measureText
const MAX_ROWS = 1500; // keeps the canvas under browsers' height limits
const MIN_WIDTH = 1; // px; narrower frames (and their subtrees) are not drawn

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
    this.rel = t.diff ? changes(t) : null;
    this.shade = new Int8Array(t.n).fill(-1); // per frame, hashed from its name on first draw
  }

  setFocus(i) { this.focus = i; }
  setMarks(marks) { this.marks = marks; }
  setOrient(orient) { this.orient = orient; }
  setPalette(palette) { this.palette = palette; }

  colorOf(i) {
    if (this.rel) return diffColor(this.rel[i], this.palette);
    if (this.shade[i] < 0) this.shade[i] = shadeOf(this.t.name[i]);
    return kindColor(KINDS[this.t.kind[i]], this.t.name[i], this.shade[i]);
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
    const rects = layout(t, this.weight, this.focus, width, MIN_WIDTH);
    this.rects = rects;
    const focusDepth = t.depth[this.focus];
    // One path per colour: far fewer state changes than a fillStyle per frame.
    const byColor = new Map();
    const labelled = [];
    for (let r = 0; r < rects.count; r++) {
      const i = rects.node[r];
      const depth = t.depth[i];
      if (depth >= MAX_ROWS) continue;
      if (depth < focusDepth) { this.drawDimmed(r); continue; }
      const color = this.marks && this.marks[i] ? MATCH_COLOR : this.colorOf(i);
      let list = byColor.get(color);
      if (!list) byColor.set(color, (list = []));
      list.push(r);
      if (rects.w[r] > 3 * CHAR_W) labelled.push(r);
    }
    for (const [color, list] of byColor) {
      ctx.fillStyle = color;
      ctx.beginPath();
      for (const r of list) {
        // whole pixels: no anti-aliased edges to rasterize, a 1 px gap once a frame is wide enough
        const x0 = Math.round(rects.x[r]), x1 = Math.round(rects.x[r] + rects.w[r]);
        ctx.rect(x0, this.yOf(t.depth[rects.node[r]]), Math.max(1, x1 - x0 - (x1 - x0 > 2 ? 1 : 0)), ROW - 1);
      }
      ctx.fill();
    }
    for (const r of labelled) if (t.kind[rects.node[r]] === OTHER) this.hatch(rects.x[r], this.yOf(t.depth[rects.node[r]]), rects.w[r]);
    ctx.fillStyle = '#111';
    for (const r of labelled) {
      const i = rects.node[r];
      ctx.fillText(shortenName(t.name[i], Math.floor((rects.w[r] - 6) / CHAR_W)), rects.x[r] + 3, this.yOf(t.depth[i]) + ROW / 2);
    }
  }

  // Frames above the zoomed one span the width, faded: context, not content.
  drawDimmed(r) {
    const ctx = this.ctx, rects = this.rects, i = rects.node[r];
    const y = this.yOf(this.t.depth[i]);
    ctx.globalAlpha = 0.55;
    ctx.fillStyle = this.colorOf(i);
    ctx.fillRect(rects.x[r], y, rects.w[r] - 0.5, ROW - 1);
    ctx.globalAlpha = 1;
    ctx.fillStyle = '#111';
    ctx.fillText(shortenName(this.t.name[i], Math.floor((rects.w[r] - 6) / CHAR_W)), rects.x[r] + 3, y + ROW / 2);
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
