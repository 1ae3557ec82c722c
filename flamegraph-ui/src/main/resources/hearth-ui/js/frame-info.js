// What the tooltip says about a frame, as [label, text] rows: pure, so tests can read it.

import { KINDS, OTHER } from './tree.js';
import { KIND_STYLE } from './colors.js';
import { change } from './diff.js';
import { formatValue, formatPercent, formatChange } from './format.js';

export function frameInfo(t, i, unit) {
  const kind = KINDS[t.kind[i]];
  const rows = [['kind', KIND_STYLE[kind][3]]];
  const share = (v, all) => `${formatValue(v, unit)} (${formatPercent(all > 0 ? v / all : 0)})`;
  if (t.diff) {
    const c = change(t, i);
    rows.push(
      ['baseline', `${formatValue(t.baseTotal[i], unit)} (${formatPercent(c.base)} of baseline)`],
      ['comparison', `${formatValue(t.total[i], unit)} (${formatPercent(c.comp)} of comparison)`],
      ['change', `${formatChange(c.rel)} (${c.points >= 0 ? '+' : ''}${(c.points * 100).toFixed(2)} points)`],
      ['self', `${formatValue(t.self[i], unit)} (baseline ${formatValue(t.baseSelf[i], unit)})`],
    );
  } else {
    const root = t.total[0];
    const parent = t.parent[i] >= 0 ? t.total[t.parent[i]] : root;
    rows.push(
      ['self', share(t.self[i], root)],
      ['total', share(t.total[i], root)],
      ['of parent', formatPercent(parent > 0 ? t.total[i] / parent : 0)],
    );
  }
  if (t.kind[i] === OTHER) rows.push(['note', 'small frames folded together by the collector']);
  return { name: t.name[i], rows };
}
