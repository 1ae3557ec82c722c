// Builds collector-shaped trees from folded stacks ("a;b;c 10"), for the tests.

export function tree(lines, kinds = {}) {
  const root = { name: 'total', kind: 'unknown', self: 0, total: 0, children: [] };
  for (const line of lines) {
    const cut = line.lastIndexOf(' ');
    const value = Number(line.slice(cut + 1));
    root.total += value;
    let node = root;
    for (const name of line.slice(0, cut).split(';')) {
      let c = node.children.find((k) => k.name === name);
      if (!c) {
        c = { name, kind: kinds[name] || (name === 'other' ? 'other' : 'jit'), self: 0, total: 0, children: [] };
        node.children.push(c);
      }
      c.total += value;
      node = c;
    }
    node.self += value;
  }
  return root;
}

// A diff tree from two folded sets: compared values in self/total, baseline in base*.
export function diffTree(baseLines, compLines, kinds = {}) {
  const join = (b, c) => {
    const any = c || b;
    const names = [...new Set([...(b ? b.children : []), ...(c ? c.children : [])].map((k) => k.name))];
    const find = (t, n) => t && t.children.find((k) => k.name === n);
    return {
      name: any.name, kind: any.kind,
      self: c ? c.self : 0, total: c ? c.total : 0, baseSelf: b ? b.self : 0, baseTotal: b ? b.total : 0,
      children: names.map((n) => join(find(b, n), find(c, n))),
    };
  };
  return join(tree(baseLines, kinds), tree(compLines, kinds));
}
