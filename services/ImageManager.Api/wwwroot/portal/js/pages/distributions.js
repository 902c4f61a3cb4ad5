import { api, query } from '../api.js';
import { h, field, select, table, state, when } from '../dom.js';

/** Recent distributions, newest first. */
export async function render(main, { query: parameters, signal }) {
  const chosen = parameters.get('state') ?? '';
  const page = await api(`/distributions${query({ state: chosen, imageId: parameters.get('imageId'), marker: parameters.get('marker'), limit: 50 })}`, { signal });
  const filter = select('state', [['', 'any'], ['distributing', 'distributing'], ['completed', 'completed']], chosen);
  filter.addEventListener('change', () => { location.hash = `#/distributions${query({ state: filter.value })}`; });
  main.append(
    h('h1', {}, 'Distributions'),
    h('form', { class: 'grid' }, field('State', filter)),
    page.distributions.length === 0 ? h('p', {}, 'None.') : table('Distributions', ['Requested', 'Image', 'Kind', 'State', 'Outcome', 'Targets#', 'Completed'],
      page.distributions.map(d => h('tr', {},
        h('td', {}, h('a', { href: `#/distributions/${d.id}` }, when(d.requestedAt))),
        h('td', {}, h('a', { href: `#/images/${d.imageId}` }, h('code', {}, d.imageId.slice(0, 8)))),
        h('td', {}, d.kind), h('td', {}, state(d.state)), h('td', {}, d.outcome ?? ''),
        h('td', { class: 'num' }, d.targetCount), h('td', {}, when(d.completedAt))))),
    page.next ? h('a', { class: 'button secondary', href: `#/distributions${query({ state: chosen, marker: page.next })}` }, 'Older') : null);
}
