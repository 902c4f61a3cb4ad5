import { api, query } from '../api.js';
import { h, field, input, table, state, when } from '../dom.js';
import { attempt, confirmAction, flash, showNotice } from '../messages.js';

/** The VIM registry: every VIM with its health; probe, edit or remove one; add another. */
export async function render(main, { query: parameters, signal }) {
  const chosen = { region: parameters.get('region') ?? '', tag: parameters.get('tag') ?? '' };
  const page = await api(`/vims${query({ ...chosen, marker: parameters.get('marker'), limit: 200 })}`, { signal });
  const form = h('form', { class: 'grid', role: 'search', 'aria-label': 'Filter VIMs' },
    field('Region', input('region', { value: chosen.region })), field('Tag', input('tag', { value: chosen.tag })),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Filter')));
  form.addEventListener('submit', event => {
    event.preventDefault();
    location.hash = `#/vims${query({ region: form.elements.region.value.trim(), tag: form.elements.tag.value.trim() })}`;
  });

  const rows = page.vims.map(vim => {
    const health = h('td', { class: 'health' }, state(vim.health.state), vim.health.lastError ? h('div', { class: 'error-text' }, vim.health.lastError) : null,
      vim.health.lastProbeAt ? h('div', { class: 'muted' }, `probed ${when(vim.health.lastProbeAt)}`) : null);
    return h('tr', { dataset: { vim: vim.id } },
      h('td', {}, h('a', { href: `#/vims/${encodeURIComponent(vim.id)}` }, vim.id)),
      h('td', {}, vim.type), h('td', {}, h('code', {}, vim.endpoint)), h('td', {}, vim.region ?? ''), h('td', {}, vim.tags.join(', ')),
      h('td', {}, vim.uploadMode), health,
      h('td', {}, h('div', { class: 'buttons' },
        h('button', { type: 'button', class: 'secondary', 'aria-label': `Probe ${vim.id}`, onclick: () => probe(vim, health) }, 'Probe'),
        h('button', { type: 'button', class: 'danger', 'aria-label': `Remove ${vim.id}`, onclick: () => remove(vim) }, 'Remove'))));
  });

  main.append(
    h('h1', {}, 'VIMs'),
    h('div', { class: 'buttons' }, h('a', { class: 'button', href: '#/vims/new', id: 'add-vim' }, 'Add a VIM')),
    form,
    page.vims.length === 0 ? h('p', {}, 'No VIM is registered.')
      : table('Registered VIMs', ['Id', 'Type', 'Endpoint', 'Region', 'Tags', 'Upload', 'Health', 'Actions'], rows),
    page.next ? h('a', { class: 'button secondary', href: `#/vims${query({ ...chosen, marker: page.next })}` }, 'Next page') : null);
}

async function probe(vim, cell) {
  await attempt(async () => {
    const health = await api(`/vims/${encodeURIComponent(vim.id)}/probe`, { method: 'POST' });
    cell.replaceChildren(state(health.state), ...(health.lastError ? [h('div', { class: 'error-text' }, health.lastError)] : []));
    showNotice(`${vim.id}: ${health.state}${health.lastError ? ` (${health.lastError})` : ''}.`);
  });
}

async function remove(vim) {
  if (!await confirmAction(`Remove VIM ${vim.id}?`, 'It leaves the registry; images already on it stay there. Refused while a distribution to it is unfinished.', 'Remove')) return;
  await attempt(async () => {
    await api(`/vims/${encodeURIComponent(vim.id)}`, { method: 'DELETE' });
    flash(`${vim.id} removed.`);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
}
