// The hover box: a frame's name and its [label, text] rows (frame-info.js), as text only.

export function showTooltip(tip, info, e) {
  const name = document.createElement('div');
  name.className = 'tt-name';
  name.textContent = info.name;
  const table = document.createElement('table');
  for (const [label, text] of info.rows) {
    const tr = table.insertRow();
    tr.insertCell().textContent = label;
    tr.insertCell().textContent = text;
  }
  tip.replaceChildren(name, table);
  tip.hidden = false;
  // beside the pointer, flipped above it near the bottom edge, kept inside the window
  const x = Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 4);
  const y = e.clientY + 16 + tip.offsetHeight > window.innerHeight ? e.clientY - tip.offsetHeight - 8 : e.clientY + 16;
  tip.style.left = Math.max(0, x) + 'px';
  tip.style.top = Math.max(0, y) + 'px';
}

export function hideTooltip(tip) {
  tip.hidden = true;
}
