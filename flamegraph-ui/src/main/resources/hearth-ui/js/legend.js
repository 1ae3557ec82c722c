// The legend: frame kinds, or the diff colour scale.

import { KIND_STYLE, kindColor, diffColor } from './colors.js';

export function renderLegend(el, diff, palette) {
  const parts = [];
  if (diff) {
    const steps = [-1, -0.5, 0, 0.5, 1].map((r) => diffColor(r, palette)).join(', ');
    const bar = document.createElement('span');
    bar.className = 'gradient';
    bar.style.background = `linear-gradient(to right, ${steps})`;
    parts.push(text('less (-100%)'), bar, text('more (+100% or new), by share of each side’s total'));
  } else {
    for (const [kind, style] of Object.entries(KIND_STYLE)) {
      const item = document.createElement('span');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = kindColor(kind, '');
      // pruned frames are striped in the graph, and here
      if (kind === 'other') swatch.style.backgroundImage = 'repeating-linear-gradient(135deg, transparent 0 2px, rgba(0,0,0,0.3) 2px 3px)';
      item.append(swatch, style[3]);
      parts.push(item);
    }
  }
  el.replaceChildren(...parts);
}

function text(s) {
  const span = document.createElement('span');
  span.textContent = s;
  return span;
}
