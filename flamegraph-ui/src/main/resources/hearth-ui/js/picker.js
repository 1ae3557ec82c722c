// The service picker's words: each service with how much data each of its profile types holds
// in the window, so a busy service stands out among short-lived ones.

import { formatValue } from './format.js';

// "cpu 12.1 s" for one type of a service, or the bare type when it holds nothing in the window.
export function typeVolume(service, type) {
  const v = service.volume && service.volume[type];
  if (!v) return type;
  return v.total > 0 ? `${type} ${formatValue(v.total, v.unit)}` : `${type} (no data in window)`;
}

// "shop · cpu 12.1 s, alloc 3.00 MiB" (types with data only), or "idle · no data in window".
export function serviceText(service) {
  if (!service.volume || !Object.keys(service.volume).length) return service.name;
  const busy = service.types.filter((t) => service.volume[t] && service.volume[t].total > 0);
  return `${service.name} · ${busy.length ? busy.map((t) => typeVolume(service, t)).join(', ') : 'no data in window'}`;
}

// Fills a select with services: value the name, text the name with its volumes.
export function fillServices(select, services, selected) {
  const key = services.map(serviceText).join('\n');
  if (select.dataset.key !== key) {
    select.dataset.key = key;
    select.replaceChildren(...services.map((s) => {
      const o = document.createElement('option');
      o.value = s.name;
      o.textContent = serviceText(s);
      return o;
    }));
  }
  select.value = selected;
}

// Fills the type select of a service, each type with its volume.
export function fillTypes(select, service, selected) {
  const types = service ? service.types : [];
  const key = types.map((t) => typeVolume(service, t)).join('\n');
  if (select.dataset.key !== key) {
    select.dataset.key = key;
    select.replaceChildren(...types.map((t) => {
      const o = document.createElement('option');
      o.value = t;
      o.textContent = typeVolume(service, t);
      return o;
    }));
  }
  select.value = selected;
}
