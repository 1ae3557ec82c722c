// The top table's rows, as the collector computes them from the full merge (/api/v1/functions):
// one row per function whatever JIT tier its frames were in, nothing folded into "other".
// In a diff, rows also carry the baseline's values and the relative change of the total share.

import { relativeChange } from './diff.js';

export function functionRows(body) {
  const total = +body.total || 0;
  const diff = body.baseTotal !== undefined;
  const baseTotal = diff ? +body.baseTotal || 0 : 0;
  return (body.functions || []).map((f) => {
    const row = { name: String(f.name), kind: String(f.kind), kinds: (f.kinds || [f.kind]).map(String), self: +f.self || 0, total: +f.total || 0 };
    if (diff) {
      row.baseSelf = +f.baseSelf || 0;
      row.baseTotal = +f.baseTotal || 0;
      row.change = relativeChange(row.total, total, row.baseTotal, baseTotal);
    }
    return row;
  });
}

// Sort by "self", "total", "change" (diffs) or "name"; desc puts the largest first.
export function sortRows(rows, key = 'self', desc = true) {
  const dir = desc ? -1 : 1;
  const cmp = key === 'name'
    ? (a, b) => dir * a.name.localeCompare(b.name)
    : (a, b) => dir * (a[key] - b[key]) || a.name.localeCompare(b.name);
  return rows.slice().sort(cmp);
}
