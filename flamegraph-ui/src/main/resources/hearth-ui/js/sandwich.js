// Sandwich view of one function, merged over every place it appears: a tree of its callers
// (the function at the root, callers as children) and a tree of its callees. Only outermost
// occurrences are taken, so recursion is counted once and both trees share one total.

import { KINDS } from './tree.js';

function newNode(name, kind) {
  return { name, kind, self: 0, total: 0, children: [], byName: new Map() };
}

function child(node, name, kind) {
  let c = node.byName.get(name);
  if (!c) { c = newNode(name, kind); node.byName.set(name, c); node.children.push(c); }
  return c;
}

// Drop the lookup maps; set self where the caller tree stops (a caller with no caller above).
function finish(node, selfFromChildren) {
  delete node.byName;
  for (const c of node.children) finish(c, selfFromChildren);
  if (selfFromChildren) node.self = node.total - node.children.reduce((s, c) => s + c.total, 0);
  return node;
}

function outermost(t, name) {
  const found = [];
  for (let i = 1; i < t.n;) {
    if (t.name[i] === name) { found.push(i); i = t.end[i]; } else i++;
  }
  return found;
}

function mergeSubtree(t, into, i) {
  into.total += t.total[i];
  into.self += t.self[i];
  for (let c = i + 1; c < t.end[i]; c = t.end[c]) {
    mergeSubtree(t, child(into, t.name[c], KINDS[t.kind[c]]), c);
  }
}

export function sandwich(t, name) {
  const places = outermost(t, name);
  const kind = places.length ? KINDS[t.kind[places[0]]] : 'unknown';
  const callers = newNode(name, kind);
  const callees = newNode(name, kind);
  for (const i of places) {
    callers.total += t.total[i];
    let into = callers;
    for (let p = t.parent[i]; p > 0; p = t.parent[p]) {
      into = child(into, t.name[p], KINDS[t.kind[p]]);
      into.total += t.total[i];
    }
    mergeSubtree(t, callees, i);
  }
  return { callers: finish(callers, true), callees: finish(callees, false), places: places.length };
}
