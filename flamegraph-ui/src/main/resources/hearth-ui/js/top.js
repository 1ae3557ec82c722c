// The top table: self and total per function over the whole tree. A function's total counts
// only its outermost occurrences on each stack, so recursion is not counted twice.

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
    if (!row) { row = { name, kind: t.kind[i], self: 0, total: 0 }; rows.set(name, row); }
    row.self += t.self[i];
    if (!onPath.get(name)) row.total += t.total[i];
    onPath.set(name, (onPath.get(name) || 0) + 1);
    path.push(i);
  }
  return [...rows.values()];
}

// Sort by "self", "total" or "name"; desc puts the largest first.
export function sortRows(rows, key = 'self', desc = true) {
  const dir = desc ? -1 : 1;
  const cmp = key === 'name'
    ? (a, b) => dir * a.name.localeCompare(b.name)
    : (a, b) => dir * (a[key] - b[key]) || a.name.localeCompare(b.name);
  return rows.slice().sort(cmp);
}
