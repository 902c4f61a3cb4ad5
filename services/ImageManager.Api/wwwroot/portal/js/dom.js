// Builds elements from data, never from HTML strings: what the API says is always shown as text.

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
}

let fields = 0;

/**
 * A labelled form field: label and control tied by id (not by wrapping, which would put a select's options into the
 * label's name); the hint, if any, describes the control.
 */
export function field(label, control, hint) {
  if (!control.id) control.id = `field-${++fields}`;
  const note = hint ? h('span', { class: 'muted', id: `${control.id}-hint` }, hint) : null;
  if (note) control.setAttribute('aria-describedby', note.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, note);
}

export function input(name, attributes = {}) {
  return h('input', { name, id: attributes.id ?? `f-${name}`, ...attributes });
}

export function select(name, options, selected, attributes = {}) {
  return h('select', { name, id: attributes.id ?? `f-${name}`, ...attributes },
    options.map(option => {
      const [value, text] = Array.isArray(option) ? option : [option, option || 'any'];
      return h('option', { value, selected: value === selected }, text);
    }));
}

export function table(caption, headers, rows) {
  return h('table', {},
    h('caption', { class: 'muted' }, caption),
    h('thead', {}, h('tr', {}, headers.map(header => h('th', { scope: 'col', class: header.endsWith('#') ? 'num' : null }, header.replace(/#$/, ''))))),
    h('tbody', {}, rows));
}

export function state(value) {
  return h('span', { class: `state state-${value}` }, value ?? '—');
}

export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

export function bytes(count) {
  if (count === null || count === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = count;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

// The browser's own locale and time zone: an operator reads times as their system shows them.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function when(text) {
  return text ? dateTime.format(new Date(text)) : '—';
}

/** A whole number in the browser's locale (10,000 or 10.000). */
export function count(value) {
  return (value ?? 0).toLocaleString();
}

/** The form's fields as an object of trimmed strings, empty ones left out. */
export function values(form) {
  const result = {};
  for (const [key, value] of new FormData(form).entries()) {
    if (typeof value === 'string' && value.trim() !== '') result[key] = value.trim();
  }
  return result;
}

export function list(text) {
  return (text ?? '').split(/[,\n]/).map(item => item.trim()).filter(Boolean);
}
