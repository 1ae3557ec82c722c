// The timeline: a bar per step of the service's totals over the window; dragging across it
// picks a narrower window (an incident), reported through onSelect(fromMs, untilMs). In a diff
// it spans both the window and the baseline, each marked, so the baseline is never off-screen.

import { ticks } from './time-range.js';

const HEIGHT = 64;
const AXIS = 14; // room under the bars for time labels

export class TimelineView {
  constructor(canvas, onSelect) {
    this.canvas = canvas;
    this.onSelect = onSelect;
    this.points = [];
    this.drag = null;
    canvas.addEventListener('pointerdown', (e) => {
      canvas.setPointerCapture(e.pointerId);
      this.drag = { a: e.offsetX, b: e.offsetX };
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.drag) return;
      this.drag.b = e.offsetX;
      this.draw();
    });
    canvas.addEventListener('pointerup', () => {
      const d = this.drag;
      this.drag = null;
      this.draw();
      if (d && Math.abs(d.b - d.a) >= 3) {
        const [a, b] = [Math.min(d.a, d.b), Math.max(d.a, d.b)];
        this.onSelect(Math.round(this.timeAt(a)), Math.round(this.timeAt(b)));
      }
    });
  }

  // points: [[ms, value], …], step apart except where downsampled, over range {from, until}; win: the window; base: the
  // baseline window or null.
  set(points, step, range, win, base) {
    Object.assign(this, { points, step, range, win, base });
    this.draw();
  }

  timeAt(x) {
    return this.range.from + (x / this.width) * (this.range.until - this.range.from);
  }

  xOf(ms) {
    return ((ms - this.range.from) / (this.range.until - this.range.from)) * this.width;
  }

  draw() {
    if (!this.win) return;
    const canvas = this.canvas;
    const width = canvas.parentElement.clientWidth;
    this.width = width;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round((HEIGHT + AXIS) * dpr);
    canvas.style.width = width + 'px';
    canvas.style.height = HEIGHT + AXIS + 'px';
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, HEIGHT + AXIS);
    this.axis(ctx);
    if (this.base) {
      const same = this.base.from === this.win.from && this.base.until === this.win.until;
      this.shade(ctx, this.base, 'rgba(33,102,172,0.22)', same ? 'baseline = window' : 'baseline', 2);
      if (!same) this.shade(ctx, this.win, 'rgba(255,157,59,0.22)', 'window', 16);
    }
    const max = this.points.reduce((m, p) => Math.max(m, p[1]), 0);
    ctx.fillStyle = '#d9534f';
    if (max > 0) {
      // a point lasts until the next one: downsampled parts of the window come at a coarser step
      this.points.forEach(([ms, v], i) => {
        const end = i + 1 < this.points.length ? this.points[i + 1][0] : Math.min(ms + this.step, this.range.until);
        const h = (v / max) * (HEIGHT - 4);
        ctx.fillRect(this.xOf(ms), HEIGHT - h, Math.max(1, this.xOf(end) - this.xOf(ms) - 1), h);
      });
    }
    if (this.drag) {
      const [a, b] = [Math.min(this.drag.a, this.drag.b), Math.max(this.drag.a, this.drag.b)];
      ctx.fillStyle = 'rgba(0,0,0,0.15)';
      ctx.fillRect(a, 0, b - a, HEIGHT);
    }
    canvas.dataset.points = String(this.points.length);
    canvas.dataset.max = String(max);
    canvas.dataset.base = this.base ? `${Math.round(this.xOf(this.base.from))},${Math.round(this.xOf(this.base.until))}` : '';
  }

  axis(ctx) {
    const style = getComputedStyle(this.canvas);
    ctx.fillStyle = style.getPropertyValue('--panel').trim() || '#f4f4f4';
    ctx.fillRect(0, 0, this.width, HEIGHT);
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    for (const { ms, label } of ticks(this.range.from, this.range.until)) {
      const x = this.xOf(ms);
      ctx.fillStyle = style.getPropertyValue('--rule').trim() || '#ddd';
      ctx.fillRect(x, 0, 1, HEIGHT);
      ctx.fillStyle = style.getPropertyValue('--muted').trim() || '#555';
      ctx.fillText(label, Math.min(x + 2, this.width - 32), HEIGHT + 1);
    }
  }

  shade(ctx, w, color, label, y) {
    const a = Math.max(0, this.xOf(w.from)), b = Math.min(this.width, this.xOf(w.until));
    if (b <= a) return;
    ctx.fillStyle = color;
    ctx.fillRect(a, 0, b - a, HEIGHT);
    ctx.fillStyle = getComputedStyle(this.canvas).getPropertyValue('--fg').trim() || '#222';
    ctx.textBaseline = 'top';
    ctx.fillText(label, a + 3, y);
  }
}
