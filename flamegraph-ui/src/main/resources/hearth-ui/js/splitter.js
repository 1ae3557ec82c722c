// The draggable split between the table and the graph: the table's width follows the pointer,
// within bounds, and is kept for the next visit (this browser only).

const KEY = 'hearth.tableWidth';
const MIN = 160; // px, for each side

export function clampWidth(px, total) {
  return Math.round(Math.max(MIN, Math.min(total - MIN, px)));
}

export function installSplitter(handle, content, onChange) {
  const saved = Number(localStorage.getItem(KEY));
  if (saved > 0) content.style.setProperty('--table-width', saved + 'px');
  let start = null;
  handle.addEventListener('pointerdown', (e) => {
    const table = content.querySelector('#table-panel');
    start = { x: e.clientX, width: table.getBoundingClientRect().width };
    handle.setPointerCapture(e.pointerId);
    e.preventDefault();
  });
  handle.addEventListener('pointermove', (e) => {
    if (!start) return;
    const px = clampWidth(start.width + e.clientX - start.x, content.clientWidth);
    content.style.setProperty('--table-width', px + 'px');
  });
  handle.addEventListener('pointerup', () => {
    if (!start) return;
    start = null;
    const px = parseFloat(content.style.getPropertyValue('--table-width'));
    if (px > 0) localStorage.setItem(KEY, String(px));
    onChange();
  });
  // the keyboard moves it too
  handle.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    const table = content.querySelector('#table-panel');
    const px = clampWidth(table.getBoundingClientRect().width + (e.key === 'ArrowRight' ? 40 : -40), content.clientWidth);
    content.style.setProperty('--table-width', px + 'px');
    localStorage.setItem(KEY, String(px));
    onChange();
  });
}
