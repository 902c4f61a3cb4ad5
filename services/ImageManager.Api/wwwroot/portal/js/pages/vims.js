import { api, query } from '../api.js';
import { h, field, input, select, table, when, count } from '../dom.js';
import { healthBadge } from '../health.js';
import { attempt, confirmAction, flash, showNotice } from '../messages.js';

/** The VIM registry: every VIM with its health; probe, edit or remove one; add another. */
export async function render(main, { query: parameters, signal }) {
  const chosen = Object.fromEntries(['idPrefix', 'region', 'tag', 'health'].map(key => [key, parameters.get(key) ?? '']));
  const [page, matching] = await Promise.all([
    api(`/vims${query({ ...chosen, marker: parameters.get('marker'), limit: 200 })}`, { signal }),
    api(`/fleet/vims${query(chosen)}`, { signal }),
  ]);
  const form = h('form', { class: 'grid', role: 'search', 'aria-label': 'Filter VIMs' },
    field('Id starts with', input('idPrefix', { value: chosen.idPrefix })),
    field('Region', input('region', { value: chosen.region })), field('Tag', input('tag', { value: chosen.tag })),
    field('Health', select('health', [['', 'any'], ['healthy', 'healthy'], ['unhealthy', 'unhealthy'], ['unknown', 'never answered']], chosen.health)),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Filter')));
  form.addEventListener('submit', event => {
    event.preventDefault();
    location.hash = `#/vims${query(Object.fromEntries(['idPrefix', 'region', 'tag', 'health'].map(key => [key, form.elements[key].value.trim()])))}`;
  });

  const rows = page.vims.map(vim => {
    const health = h('td', { class: 'health' }, healthBadge(vim.health), vim.health.lastError ? h('div', { class: 'error-text' }, vim.health.lastError) : null,
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
    h('p', { id: 'vim-count', 'aria-live': 'polite' }, h('span', { class: 'match-count' }, count(matching.count)), ` VIM${matching.count === 1 ? '' : 's'} match: `,
      `${count(matching.byHealth.healthy)} healthy, ${count(matching.byHealth.unhealthy)} unhealthy, ${count(matching.byHealth.unknown)} never answered`,
      page.vims.length < matching.count ? `; ${page.vims.length} on this page` : ''),
    page.vims.length === 0 ? h('p', {}, 'No VIM matches.')
      : table('Registered VIMs', ['Id', 'Type', 'Endpoint', 'Region', 'Tags', 'Upload', 'Health', 'Actions'], rows),
    page.next ? h('a', { class: 'button secondary', href: `#/vims${query({ ...chosen, marker: page.next })}` }, 'Next page') : null);
}

async function probe(vim, cell) {
  await attempt(async () => {
    const health = await api(`/vims/${encodeURIComponent(vim.id)}/probe`, { method: 'POST' });
    cell.replaceChildren(healthBadge(health), ...(health.lastError ? [h('div', { class: 'error-text' }, health.lastError)] : []));
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
