// Choosing an image by what people know of it (name, version), never by pasting its id.
import { api, query } from './api.js';
import { h, field, input, when } from './dom.js';
import { debounce } from './debounce.js';

const shown = 10;

/**
 * A search of the active images by name prefix and version, newest first, with a bounded list of matches to choose
 * from; the choice is the hidden input "imageId". preset: an image id to start with (e.g. from the image's page).
 */
export async function imagePicker({ preset, signal, legend = 'Image', status = 'active' }) {
  const name = input('imageSearch', { id: 'image-search', autocomplete: 'off', placeholder: 'name starts with…', type: 'search' });
  const version = input('imageVersion', { id: 'image-version', autocomplete: 'off', placeholder: 'e.g. 1.0.0 or latest', type: 'search' });
  const chosen = h('input', { type: 'hidden', name: 'imageId', id: 'image-id' });
  const chosenLine = h('p', { id: 'image-chosen', 'aria-live': 'polite' }, 'No image chosen yet.');
  const results = h('div', { class: 'results', id: 'image-results', role: 'radiogroup', 'aria-label': 'Matching images' });
  const summary = h('p', { class: 'muted', id: 'image-matches', 'aria-live': 'polite' });

  const choose = image => {
    chosen.value = image.id;
    chosenLine.replaceChildren('Chosen: ', h('strong', {}, `${image.name} ${image.version}`), ' ', h('code', { class: 'muted' }, image.id));
    chosen.dispatchEvent(new Event('change', { bubbles: true }));
  };

  const search = async () => {
    const page = await api(`/images${query({ namePrefix: name.value.trim(), version: version.value.trim(), status, sort: 'createdAt:desc', limit: shown })}`, { signal })
      .catch(error => { summary.textContent = error.message; return null; });
    if (!page) return;
    summary.textContent = page.images.length === 0 ? 'No image matches.'
      : `${page.images.length}${page.next ? '+' : ''} ${page.images.length === 1 && !page.next ? 'match' : 'matches'}, newest first${page.next ? `; the first ${shown} shown, type more to narrow` : ''}.`;
    results.replaceChildren(...page.images.map(image => h('label', { class: 'inline' },
      h('input', { type: 'radio', name: 'imageChoice', value: image.id, checked: image.id === chosen.value, onchange: () => choose(image) }),
      h('span', {}, h('strong', {}, image.name), ` ${image.version}`), h('span', { class: 'muted' }, ` ${image.vendor ?? ''} · ${when(image.createdAt)}`))));
  };
  const later = debounce(search, 250);
  name.addEventListener('input', later);
  version.addEventListener('input', later);

  if (preset) {
    const image = await api(`/images/${preset}`, { signal }).catch(() => null);
    if (image) {
      choose(image);
      name.value = image.name;
    }
  }
  await search();
  return h('fieldset', { class: 'picker', id: 'image-picker' }, h('legend', {}, legend),
    h('div', { class: 'grid' }, field('Image name', name), field('Image version', version)), summary, results, chosen, chosenLine);
}
