// Search: which frames match a substring (case-insensitive) or a regular expression, and
// what share of the total they hold, counting nested matches (recursion) once.

// Returns {test(name) -> bool} or {error: message} for a regex that does not parse.
export function matcher(query, isRegex) {
  if (!query) return null;
  if (isRegex) {
    try {
      const re = new RegExp(query);
      return { test: (name) => re.test(name) };
    } catch (e) {
      return { error: `invalid regular expression: ${e.message}` };
    }
  }
  const needle = query.toLowerCase();
  return { test: (name) => name.toLowerCase().includes(needle) };
}

// A mark per node; each distinct name is tested once.
export function mark(t, m) {
  const marks = new Uint8Array(t.n);
  if (!m || m.error) return marks;
  const seen = new Map();
  for (let i = 0; i < t.n; i++) {
    const name = t.name[i];
    let hit = seen.get(name);
    if (hit === undefined) { hit = m.test(name); seen.set(name, hit); }
    if (hit) marks[i] = 1;
  }
  return marks;
}

// Total of marked frames without a marked ancestor, within the subtree of `within`.
export function matchedTotal(t, marks, within = 0, total = t.total) {
  let sum = 0;
  const end = t.end[within];
  for (let i = within; i < end;) {
    if (marks[i]) { sum += total[i]; i = t.end[i]; } else i++;
  }
  return sum;
}

export function matchedShare(t, marks, within = 0) {
  const all = t.total[within];
  return all > 0 ? matchedTotal(t, marks, within) / all : 0;
}

// Exact name match, for "show this function" links from the table.
export function exactPattern(name) {
  return '^' + name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$';
}
