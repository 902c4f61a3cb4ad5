// Images by name and version next to their ids: ids are time-ordered, so a prefix of one tells images apart badly.
import { api } from './api.js';
import { h } from './dom.js';

const known = new Map();

/** The image's "name version", asked of the catalogue once per id; null when it cannot be seen (deleted, another tenant's). */
export function imageName(id, signal) {
  if (!known.has(id)) {
    known.set(id, api(`/images/${id}`, { signal }).then(image => `${image.name} ${image.version}`).catch(() => null));
  }
  return known.get(id);
}

/** A link to the image showing its name and version, with the id beside it (shortened, whole in the title). */
export function imageLink(id, name) {
  return h('span', { class: 'named' }, h('a', { href: `#/images/${id}` }, name ?? 'image no longer in the catalogue'), ' ',
    h('code', { class: 'muted', title: id }, id));
}
