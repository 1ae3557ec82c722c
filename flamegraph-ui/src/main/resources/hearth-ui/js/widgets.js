// Small DOM helpers for the controls.

// Replaces a select's options only when they changed (keeps focus and scroll), then selects.
export function fillSelect(select, values, selected, emptyLabel) {
  const same = select.options.length === values.length && values.every((v, k) => select.options[k].value === v);
  if (!same) {
    select.replaceChildren(...values.map((v) => {
      const o = document.createElement('option');
      o.value = v;
      o.textContent = v || emptyLabel;
      return o;
    }));
  }
  select.value = selected;
}

// One removable chip per label matcher.
export function renderChips(el, matchers, onRemove) {
  el.replaceChildren(...matchers.map((m) => {
    const chip = document.createElement('span');
    chip.className = 'chip';
    chip.textContent = m;
    const x = document.createElement('button');
    x.type = 'button';
    x.textContent = '×';
    x.title = 'remove filter';
    x.addEventListener('click', () => onRemove(m));
    chip.append(x);
    return chip;
  }));
}

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Clipboard API refused (not a secure context): the old way still works on a selection.
    const area = Object.assign(document.createElement('textarea'), { value: text });
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}
