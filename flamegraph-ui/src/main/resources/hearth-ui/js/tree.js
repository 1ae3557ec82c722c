// Flattens the collector's nested tree into preorder typed arrays, so layout, search and
// zoom walk plain indexes (a 100,000-node tree stays fast and never recurses).

export const KINDS = ['kernel', 'native', 'cpp', 'jit', 'c1', 'interpreted', 'inlined', 'stub', 'unknown', 'other'];
const KIND_INDEX = new Map(KINDS.map((k, i) => [k, i]));
export const OTHER = KIND_INDEX.get('other');

export function kindIndex(kind) {
  return KIND_INDEX.get(kind) ?? KIND_INDEX.get('unknown');
}

// Siblings in name order (as flamegraph.pl does), pruned "other" last: the same function sits
// in the same place in two windows, which makes them comparable by eye.
function byName(a, b) {
  const ao = a.kind === 'other', bo = b.kind === 'other';
  if (ao !== bo) return ao ? 1 : -1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

// The collector already sends siblings in this order; checking is cheaper than copying.
function isSorted(kids) {
  for (let k = 1; k < kids.length; k++) if (byName(kids[k - 1], kids[k]) > 0) return false;
  return true;
}

// root: {name, kind, self, total, children, [baseSelf, baseTotal]}.
// Returns {n, name[], kind, self, total, baseSelf, baseTotal, depth, parent, end, maxDepth, diff};
// node i's subtree is the index range [i, end[i]).
export function flatten(root) {
  const nodes = [];
  const parents = [];
  const depths = [];
  // parallel stacks, no tuple per node: this loop is most of the cost of showing a big tree
  const stackNode = [root], stackParent = [-1], stackDepth = [0];
  while (stackNode.length) {
    const node = stackNode.pop(), parent = stackParent.pop(), depth = stackDepth.pop();
    const i = nodes.length;
    nodes.push(node);
    parents.push(parent);
    depths.push(depth);
    const kids = node.children;
    if (kids && kids.length) {
      const sorted = isSorted(kids) ? kids : kids.slice().sort(byName);
      for (let k = sorted.length - 1; k >= 0; k--) {
        stackNode.push(sorted[k]);
        stackParent.push(i);
        stackDepth.push(depth + 1);
      }
    }
  }
  const n = nodes.length;
  const diff = root.baseTotal !== undefined;
  const t = {
    n, diff, maxDepth: 0,
    name: [], // filled by push: a preallocated large Array is a slow dictionary
    kind: new Uint8Array(n),
    self: new Float64Array(n),
    total: new Float64Array(n),
    baseSelf: diff ? new Float64Array(n) : null,
    baseTotal: diff ? new Float64Array(n) : null,
    depth: new Uint16Array(n),
    parent: Int32Array.from(parents),
    end: new Int32Array(n),
  };
  for (let i = 0; i < n; i++) {
    const node = nodes[i];
    t.name.push(String(node.name));
    t.kind[i] = kindIndex(node.kind);
    t.self[i] = +node.self || 0;
    t.total[i] = +node.total || 0;
    if (diff) {
      t.baseSelf[i] = +node.baseSelf || 0;
      t.baseTotal[i] = +node.baseTotal || 0;
    }
    t.depth[i] = depths[i];
    if (depths[i] > t.maxDepth) t.maxDepth = depths[i];
  }
  // A subtree ends where the next node at the same or a shallower depth begins.
  const open = [];
  for (let i = 0; i < n; i++) {
    while (open.length && t.depth[open[open.length - 1]] >= t.depth[i]) t.end[open.pop()] = i;
    open.push(i);
  }
  for (const i of open) t.end[i] = n;
  return t;
}

// Names from the root's child down to node i: what the URL keeps for a zoom, since indexes
// change whenever the data does.
export function pathOf(t, i) {
  const names = [];
  for (let p = i; p > 0; p = t.parent[p]) names.push(t.name[p]);
  return names.reverse();
}

// The node reached by following names from the root, or the deepest one that matched.
export function findPath(t, names) {
  let node = 0;
  for (const name of names) {
    let found = -1;
    for (let c = node + 1; c < t.end[node]; c = t.end[c]) {
      if (t.name[c] === name) { found = c; break; }
    }
    if (found < 0) break;
    node = found;
  }
  return node;
}

// Sum of what the collector folded into "other" frames (they are leaves): how much of the graph
// is not drawn frame by frame.
export function foldedTotal(t) {
  let sum = 0;
  for (let i = 1; i < t.n; i++) if (t.kind[i] === OTHER) sum += t.total[i];
  return sum;
}
