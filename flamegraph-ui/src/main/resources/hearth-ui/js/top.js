// The top table: self and total per function over the whole tree. A function's total counts
// only its outermost occurrences on each stack, so recursion is not counted twice.
// In a diff, rows also carry the baseline's values and the relative change of the total share.

import { relativeChange } from './diff.js';

export function topFunctions(t) {
  const rows = new Map();
  const onPath = new Map(); // name -> occurrences on the current root path
  const path = [];
  for (let i = 1; i < t.n; i++) {
    while (path.length && t.end[path[path.length - 1]] <= i) {
      const name = t.name[path.pop()];
      onPath.set(name, onPath.get(name) - 1);
    }
    const name = t.name[i];
    let row = rows.get(name);
    if (!row) {
      row = { name, kind: t.kind[i], self: 0, total: 0 };
      if (t.diff) Object.assign(row, { baseSelf: 0, baseTotal: 0 });
      rows.set(name, row);
    }
    row.self += t.self[i];
    if (t.diff) row.baseSelf += t.baseSelf[i];
    if (!onPath.get(name)) {
      row.total += t.total[i];
      if (t.diff) row.baseTotal += t.baseTotal[i];
    }
    onPath.set(name, (onPath.get(name) || 0) + 1);
    path.push(i);
  }
  const all = [...rows.values()];
  if (t.diff) for (const row of all) row.change = relativeChange(row.total, t.total[0], row.baseTotal, t.baseTotal[0]);
  return all;
}

// Sort by "self", "total", "change" (diffs) or "name"; desc puts the largest first.
export function sortRows(rows, key = 'self', desc = true) {
  const dir = desc ? -1 : 1;
  const cmp = key === 'name'
    ? (a, b) => dir * a.name.localeCompare(b.name)
    : (a, b) => dir * (a[key] - b[key]) || a.name.localeCompare(b.name);
  return rows.slice().sort(cmp);
}
