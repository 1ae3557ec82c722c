// Long function names shortened to a number of characters from the left, where Java and C++
// names carry the least: package segments become initials first (com.example.shop.Tax.compute →
// c.e.s.Tax.compute), then whole segments go (…Tax.compute, …compute), so the class and method
// stay readable as long as they can. The full name is always in the tooltip.

const SEP = /(\.|::)/;

export function shortenName(name, chars) {
  if (name.length <= chars) return name;
  if (chars < 2) return '';
  const head = name.search(/[( ]/); // parameters stay with the last segment
  const qualified = head < 0 ? name : name.slice(0, head);
  const rest = head < 0 ? '' : name.slice(head);
  const parts = qualified.split(SEP); // names and separators alternate
  if (parts.length >= 5) {
    // all but the class and the method, left to right
    for (let k = 0; k < parts.length - 4; k += 2) {
      if (parts[k].length > 1) parts[k] = parts[k][0];
      const s = parts.join('') + rest;
      if (s.length <= chars) return s;
    }
  }
  // then whole segments from the left, down to the method alone
  for (let k = 2; k < parts.length; k += 2) {
    const s = '…' + parts.slice(k).join('') + rest;
    if (s.length <= chars) return s;
  }
  const s = parts.join('') + rest;
  return '…' + s.slice(s.length - (chars - 1));
}
