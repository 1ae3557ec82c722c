// Numbers as people read them, by the profile's unit.

const NS_UNITS = [[86400e9, 'd'], [3600e9, 'h'], [60e9, 'min'], [1e9, 's'], [1e6, 'ms'], [1e3, 'µs'], [1, 'ns']];
const BYTE_UNITS = [[2 ** 40, 'TiB'], [2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB'], [1, 'B']];

function scaled(v, units) {
  for (const [size, name] of units) {
    if (Math.abs(v) >= size) return `${trim(v / size)} ${name}`;
  }
  return `0 ${units[units.length - 1][1]}`;
}

function trim(x) {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

// Counts carry their unit name unless bare (the table names it in its header).
export function formatValue(v, unit, bare = false) {
  if (unit === 'nanoseconds') return scaled(v, NS_UNITS);
  if (unit === 'bytes') return scaled(v, BYTE_UNITS);
  const n = Math.round(v).toLocaleString('en-US');
  return unit && unit !== 'count' && !bare ? `${n} ${unit}` : n;
}

export function formatPercent(share) {
  const p = share * 100;
  if (p === 0) return '0%';
  if (Math.abs(p) < 0.01) return p > 0 ? '<0.01%' : '>-0.01%';
  return `${p >= 10 || p <= -10 ? p.toFixed(1) : p.toFixed(2)}%`;
}

// A relative change: "+35.2%", "-100% (gone)", "new".
export function formatChange(rel) {
  if (rel === Infinity) return 'new';
  if (rel === -1) return '-100% (gone)';
  const s = formatPercent(rel);
  return rel > 0 ? '+' + s : s;
}
