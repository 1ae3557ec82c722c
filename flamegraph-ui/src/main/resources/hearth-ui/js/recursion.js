// "Collapse recursion": a frame called by itself is shown once. A child with its parent's name
// is merged into the parent (its self and children join the parent's), so a recursive method
// reads as one frame with everything it called below. Works on the collector's nested tree
// without recursion of its own (stored stacks may be deep).

function copy(n) {
  const c = { name: n.name, kind: n.kind, self: +n.self || 0, total: +n.total || 0, children: [] };
  if (n.baseTotal !== undefined) { c.baseSelf = +n.baseSelf || 0; c.baseTotal = +n.baseTotal || 0; }
  return c;
}

// rootIsFrame: the root is a function (a sandwich's trees), not the service, and folds too.
export function collapseRecursion(root, rootIsFrame = false) {
  const out = copy(root);
  // [source node, target node whose children receive its children]
  const todo = [[root, out]];
  while (todo.length) {
    const [src, dst] = todo.pop();
    const byName = new Map(dst.children.map((c) => [c.name, c]));
    for (const child of src.children || []) {
      if (child.name === dst.name && (rootIsFrame || src !== root)) {
        // the recursive call: its time is already in dst's total; only self and callees move up
        dst.self += +child.self || 0;
        if (dst.baseSelf !== undefined) dst.baseSelf += +child.baseSelf || 0;
        todo.push([child, dst]);
        continue;
      }
      let target = byName.get(child.name);
      if (!target) {
        target = copy(child);
        target.total = 0; target.self = 0;
        if (target.baseTotal !== undefined) { target.baseTotal = 0; target.baseSelf = 0; }
        dst.children.push(target);
        byName.set(child.name, target);
      }
      target.total += +child.total || 0;
      target.self += +child.self || 0;
      if (target.baseTotal !== undefined) { target.baseTotal += +child.baseTotal || 0; target.baseSelf += +child.baseSelf || 0; }
      todo.push([child, target]);
    }
  }
  return out;
}
