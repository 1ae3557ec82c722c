// The top-functions table. Cells are filled with textContent only: function names are data.
// Names longer than the column are shortened from the left (names.js); the tooltip has them whole.

import { sortRows } from './top.js';
import { formatValue, formatPercent, formatChange } from './format.js';
import { kindColor, diffColor, KIND_STYLE } from './colors.js';
import { shortenName } from './names.js';

const SHOWN = 400; // the long tail is reachable through search

export function renderTable(tbody, rows, opts) {
  const { sort, asc, unit, total, selected, matches, onPick, palette, chars } = opts;
  const sorted = sortRows(rows, sort, !asc).slice(0, SHOWN);
  const frag = document.createDocumentFragment();
  for (const row of sorted) {
    const tr = document.createElement('tr');
    tr.dataset.name = row.name;
    if (row.name === selected) tr.classList.add('selected');
    if (matches && matches.test(row.name)) tr.classList.add('match');
    tr.append(
      cell(formatValue(row.self, unit, true), 'num', formatPercent(total > 0 ? row.self / total : 0)),
      cell(formatValue(row.total, unit, true), 'num', formatPercent(total > 0 ? row.total / total : 0)),
      changeCell(row, palette),
      nameCell(row, chars),
    );
    tr.addEventListener('click', () => onPick(row.name));
    frag.append(tr);
  }
  tbody.replaceChildren(frag);
  const head = tbody.parentElement.tHead.rows[0].cells;
  const suffix = unit && !['nanoseconds', 'bytes', 'count'].includes(unit) ? ` (${unit})` : '';
  head[0].textContent = 'Self' + suffix;
  head[1].textContent = 'Total' + suffix;
}

function cell(text, cls, sub) {
  const td = document.createElement('td');
  td.className = cls;
  td.textContent = text;
  const small = document.createElement('small');
  small.textContent = ' ' + sub;
  td.append(small);
  return td;
}

// Only shown in diffs (the column is hidden otherwise): the change of the total share.
function changeCell(row, palette) {
  const td = document.createElement('td');
  td.className = 'num diff-only';
  if (row.change !== undefined) {
    td.textContent = formatChange(row.change);
    td.style.background = diffColor(row.change, palette);
    td.style.color = '#111'; // on a light diff colour, in either theme
  }
  return td;
}

// One row per function whatever its JIT tiers: the swatch is its main kind, the tooltip lists all.
function nameCell(row, chars) {
  const td = document.createElement('td');
  td.className = 'name';
  const swatch = document.createElement('span');
  swatch.className = 'swatch';
  swatch.style.background = kindColor(row.kind, row.name);
  td.append(swatch, document.createTextNode(chars ? shortenName(row.name, chars) : row.name));
  const kinds = (row.kinds || []).map((k) => (KIND_STYLE[k] ? KIND_STYLE[k][3] : k));
  td.title = kinds.length > 1 ? `${row.name}\n(frames as ${kinds.join(', ')})` : row.name;
  return td;
}
