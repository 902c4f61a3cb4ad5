import { api, query } from '../api.js';
import { h, field, select, table, state, when } from '../dom.js';
import { imageName, imageLink } from '../names.js';

/** Recent distributions, newest first, each with its image's name and version. */
export async function render(main, { query: parameters, signal }) {
  const chosen = parameters.get('state') ?? '';
  const page = await api(`/distributions${query({ state: chosen, imageId: parameters.get('imageId'), marker: parameters.get('marker'), limit: 50 })}`, { signal });
  // The Distribution service names the images it validated; the catalogue is asked for the others, once per image.
  const names = new Map(await Promise.all([...new Set(page.distributions.map(d => d.imageId))].map(async id => {
    const listed = page.distributions.find(d => d.imageId === id && d.imageName);
    return [id, listed ? `${listed.imageName} ${listed.imageVersion}` : await imageName(id, signal)];
  })));
  const filter = select('state', [['', 'any'], ['distributing', 'distributing'], ['completed', 'completed']], chosen);
  filter.addEventListener('change', () => { location.hash = `#/distributions${query({ state: filter.value })}`; });
  main.append(
    h('h1', {}, 'Distributions'),
    h('form', { class: 'grid' }, field('State', filter)),
    page.distributions.length === 0 ? h('p', {}, 'None.') : table('Distributions', ['Requested', 'Image', 'Kind', 'State', 'Outcome', 'Targets#', 'Completed'],
      page.distributions.map(d => h('tr', { dataset: { distribution: d.id } },
        h('td', {}, h('a', { href: `#/distributions/${d.id}` }, when(d.requestedAt))),
        h('td', { class: 'image-name' }, imageLink(d.imageId, names.get(d.imageId))),
        h('td', {}, d.kind), h('td', {}, state(d.state)), h('td', {}, d.outcome ? state(d.outcome) : ''),
        h('td', { class: 'num' }, d.targetCount), h('td', {}, when(d.completedAt))))),
    page.next ? h('a', { class: 'button secondary', href: `#/distributions${query({ state: chosen, marker: page.next })}` }, 'Older') : null);
}
