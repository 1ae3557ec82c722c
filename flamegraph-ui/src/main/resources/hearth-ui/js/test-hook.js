// window.hearth: lets browser tests ask what is drawn where, so they assert on the rendered
// canvas rather than on internals.

import { frameInfo } from './frame-info.js';

export function installTestHook(getState, views, getUnit) {
  window.hearth = {
    state: () => ({ ...getState() }),
    // Boxes of drawn frames with this name in a view (main, callers, callees), in page pixels.
    frames(name, which = 'main') {
      const view = views[which];
      if (!view.t) return [];
      const r = view.canvas.getBoundingClientRect();
      const out = [];
      for (let k = 0; k < view.rects.count; k++) {
        const i = view.rects.node[k];
        if (view.t.name[i] !== name) continue;
        const b = view.boxOf(i);
        out.push({
          x: r.left + b.x, y: r.top + b.y, w: b.w, h: b.h,
          self: view.t.self[i], total: view.t.total[i], info: frameInfo(view.t, i, getUnit()),
        });
      }
      return out;
    },
    // RGBA of a view's canvas at a page point.
    pixel(x, y, which = 'main') {
      const canvas = views[which].canvas;
      const r = canvas.getBoundingClientRect();
      const k = canvas.width / r.width;
      return Array.from(canvas.getContext('2d').getImageData(Math.floor((x - r.left) * k), Math.floor((y - r.top) * k), 1, 1).data);
    },
  };
}
