// Choosing VIMs among thousands: a search that counts its matches on the server and shows a bounded page of them;
// "every VIM that matches" is sent as a selector with the same criteria, never as a list of ids.
import { api, query } from './api.js';
import { h, field, input, select, count } from './dom.js';
import { healthBadge } from './health.js';
import { debounce } from './debounce.js';

const pageSize = 50;

/**
 * Returns { element, targets() }: targets() is { selector } when every match is chosen, { vimIds } for ticked ones,
 * or null when nothing is chosen.
 */
export async function vimPicker({ signal }) {
  const criteria = {
    idPrefix: input('vimIdPrefix', { id: 'vim-id-prefix', autocomplete: 'off', type: 'search', placeholder: 'e.g. att_dallas' }),
    region: input('vimRegion', { id: 'vim-region', autocomplete: 'off', type: 'search' }),
    tag: input('vimTag', { id: 'vim-tag', autocomplete: 'off', type: 'search' }),
    health: select('vimHealth', [['', 'any'], ['healthy', 'healthy'], ['unhealthy', 'unhealthy'], ['unknown', 'never answered']], '', { id: 'vim-health' }),
  };
  const mode = (value, label, checked) => h('label', { class: 'inline' }, h('input', { type: 'radio', name: 'vimMode', value, checked, id: `vim-mode-${value}` }), label);
  const allLabel = h('span', { id: 'all-matching-label' }, 'Every VIM that matches');
  const modes = h('div', { role: 'radiogroup', 'aria-label': 'Which VIMs', class: 'buttons' },
    h('label', { class: 'inline' }, h('input', { type: 'radio', name: 'vimMode', value: 'all', id: 'vim-mode-all' }), allLabel),
    mode('ticked', 'Only the VIMs I tick', true));
  const matches = h('p', { id: 'vim-matches', 'aria-live': 'polite' });
  const tickedLine = h('p', { id: 'vim-ticked', 'aria-live': 'polite' }, 'None ticked.');
  const results = h('div', { class: 'results', id: 'vim-results', role: 'group', 'aria-label': 'Matching VIMs' });
  const more = h('button', { type: 'button', class: 'secondary', id: 'vim-more', hidden: true }, `Show ${pageSize} more`);
  const ticked = new Set();
  let next = null;
  let total = 0;

  const current = () => Object.fromEntries(Object.entries(criteria).map(([key, control]) => [key, control.value.trim()]));
  const row = vim => h('label', { class: 'inline', dataset: { vim: vim.id } },
    h('input', { type: 'checkbox', name: 'vimIds', value: vim.id, checked: ticked.has(vim.id), 'aria-label': `Tick ${vim.id}`,
      disabled: modes.querySelector('#vim-mode-all').checked,
      onchange: event => { if (event.target.checked) ticked.add(vim.id); else ticked.delete(vim.id); paintTicked(); } }),
    h('span', {}, vim.id), h('span', { class: 'muted' }, ` ${vim.region ?? 'no region'} ${vim.tags.join(', ')} `), healthBadge(vim.health));
  const paintTicked = () => { tickedLine.textContent = ticked.size ? `${count(ticked.size)} ticked.` : 'None ticked.'; };

  const search = async () => {
    const chosen = current();
    try {
      const [counted, page] = await Promise.all([
        api(`/fleet/vims${query(chosen)}`, { signal }),
        api(`/vims${query({ ...chosen, limit: pageSize })}`, { signal }),
      ]);
      total = counted.count;
      next = page.next;
      matches.replaceChildren(h('span', { class: 'match-count' }, count(total)), ` VIM${total === 1 ? '' : 's'} match`,
        total > page.vims.length ? ` (the first ${page.vims.length} listed)` : '', '.');
      allLabel.textContent = `Every VIM that matches (${count(total)})`;
      results.replaceChildren(...page.vims.map(row));
      more.hidden = !next;
    } catch (error) {
      matches.textContent = error.message;
    }
  };
  more.addEventListener('click', async () => {
    const page = await api(`/vims${query({ ...current(), limit: pageSize, marker: next })}`, { signal });
    next = page.next;
    results.append(...page.vims.map(row));
    more.hidden = !next;
  });
  // With every match chosen, ticks do not count: the list only shows what the selector will reach.
  modes.addEventListener('change', () => {
    const every = modes.querySelector('#vim-mode-all').checked;
    for (const box of results.querySelectorAll('input[type=checkbox]')) box.disabled = every;
    results.classList.toggle('muted', every);
  });
  const later = debounce(search, 250);
  for (const control of Object.values(criteria)) control.addEventListener(control.tagName === 'SELECT' ? 'change' : 'input', later);
  await search();

  const element = h('fieldset', { class: 'picker', id: 'vim-picker' }, h('legend', {}, 'VIMs'),
    h('div', { class: 'grid', role: 'search', 'aria-label': 'Search VIMs' },
      field('VIM id starts with', criteria.idPrefix), field('VIM region', criteria.region), field('VIM tag', criteria.tag), field('VIM health', criteria.health)),
    matches, modes, results, more, tickedLine);

  return {
    element,
    targets() {
      const every = element.querySelector('#vim-mode-all').checked;
      if (!every) return ticked.size ? { vimIds: [...ticked] } : null;
      const chosen = current();
      const selector = {
        idPrefix: chosen.idPrefix || undefined, region: chosen.region || undefined,
        tags: chosen.tag ? [chosen.tag] : undefined, health: chosen.health || undefined,
      };
      return { selector: Object.values(selector).some(value => value !== undefined) ? selector : { all: true }, expected: total };
    },
  };
}
