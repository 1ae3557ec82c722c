// The top-functions table. Cells are filled with textContent only: function names are data.

import { sortRows } from './top.js';
import { formatValue, formatPercent, formatChange } from './format.js';
import { KINDS } from './tree.js';
import { kindColor, diffColor } from './colors.js';

const SHOWN = 400; // the long tail is reachable through search

export function renderTable(tbody, rows, opts) {
  const { sort, asc, unit, total, selected, matches, onPick, palette } = opts;
  const sorted = sortRows(rows, sort, !asc).slice(0, SHOWN);
  const frag = document.createDocumentFragment();
  for (const row of sorted) {
    const tr = document.createElement('tr');
    tr.dataset.name = row.name;
    if (row.name === selected) tr.classList.add('selected');
    if (matches && matches.test(row.name)) tr.classList.add('match');
    const kind = KINDS[row.kind];
    tr.append(
      cell(formatValue(row.self, unit, true), 'num', formatPercent(total > 0 ? row.self / total : 0)),
      cell(formatValue(row.total, unit, true), 'num', formatPercent(total > 0 ? row.total / total : 0)),
      changeCell(row, palette),
      nameCell(row.name, kind),
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
  }
  return td;
}

function nameCell(name, kind) {
  const td = document.createElement('td');
  td.className = 'name';
  const swatch = document.createElement('span');
  swatch.className = 'swatch';
  swatch.style.background = kindColor(kind, name);
  td.append(swatch, document.createTextNode(name));
  td.title = name;
  return td;
}
