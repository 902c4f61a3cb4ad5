import { api, query } from '../api.js';
import { h, field, input, select, table, state, bytes, when, values } from '../dom.js';

const sorts = [
  ['createdAt:desc', 'Newest first'], ['createdAt:asc', 'Oldest first'], ['name:asc', 'Name A–Z'], ['name:desc', 'Name Z–A'],
  ['updatedAt:desc', 'Recently changed'], ['version:desc', 'Version, highest first'], ['sizeBytes:desc', 'Largest first'],
  ['status:asc', 'Status'], ['vendor:asc', 'Vendor'],
];
const defaultSort = 'createdAt:desc';
const filters = ['namePrefix', 'name', 'version', 'vendor', 'kind', 'status', 'tag', 'onVim'];

/** The catalogue: filters and sort in the address (so a view can be bookmarked), keyset pages with the API's marker. */
export async function render(main, { query: parameters, signal }) {
  const chosen = Object.fromEntries(filters.concat(['sort', 'limit']).map(key => [key, parameters.get(key) ?? '']));
  const form = h('form', { class: 'grid', id: 'filter-form', role: 'search', 'aria-label': 'Filter images' },
    field('Name starts with', input('namePrefix', { value: chosen.namePrefix })),
    field('Exact name', input('name', { value: chosen.name })),
    field('Version', input('version', { value: chosen.version, placeholder: 'e.g. 1.0.0 or latest' })),
    field('Vendor', input('vendor', { value: chosen.vendor })),
    field('Kind', select('kind', ['', 'vm-image', 'container-image', 'software-package'], chosen.kind)),
    field('Status', select('status', ['', 'queued', 'validating', 'active', 'rejected', 'deactivated', 'deleting'], chosen.status)),
    field('Tag', input('tag', { value: chosen.tag })),
    field('On VIM', input('onVim', { value: chosen.onVim, placeholder: 'VIM id' })),
    field('Sort', select('sort', sorts, chosen.sort || defaultSort)),
    field('Per page', select('limit', ['25', '50', '100', '200'], chosen.limit || '25')),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Apply'),
      h('a', { class: 'button secondary', href: '#/images' }, 'Clear')));
  form.addEventListener('submit', event => {
    event.preventDefault();
    location.hash = `#/images${query(values(form))}`;
  });

  // The API's own default is oldest first: the order the form shows is the order asked for, always.
  const request = { ...Object.fromEntries(Object.entries(chosen).filter(([, value]) => value)), sort: chosen.sort || defaultSort, marker: parameters.get('marker') };
  const page = await api(`/images${query(request)}`, { signal });
  const rows = page.images.map(image => h('tr', {},
    h('td', {}, h('a', { href: `#/images/${image.id}` }, image.name)),
    h('td', {}, image.version),
    h('td', {}, image.kind),
    h('td', {}, state(image.status)),
    h('td', {}, image.vendor ?? ''),
    h('td', { class: 'num' }, bytes(image.sizeBytes)),
    h('td', {}, when(image.createdAt))));
  const here = { ...request, marker: undefined };
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' },
    parameters.get('marker') ? h('a', { class: 'button secondary', href: `#/images${query(here)}` }, 'First page') : null,
    page.next ? h('a', { class: 'button secondary', href: `#/images${query({ ...here, marker: page.next })}`, rel: 'next' }, 'Next page') : null,
    h('span', { class: 'muted' }, `${page.images.length} shown`));

  main.append(
    h('h1', {}, 'Catalogue'),
    form,
    page.images.length === 0
      ? h('p', { id: 'no-images' }, 'No image matches these filters.')
      : table('Images', ['Name', 'Version', 'Kind', 'Status', 'Vendor', 'Size#', 'Created'], rows),
    pager);
}
