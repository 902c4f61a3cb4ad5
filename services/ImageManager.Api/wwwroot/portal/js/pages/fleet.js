import { api, query } from '../api.js';
import { h, field, select, table, count, when } from '../dom.js';
import { healthBadge } from '../health.js';
import { imageName } from '../names.js';

const presences = [['present', 'Present'], ['in-progress', 'In progress'], ['failed', 'Failed'], ['drifted', 'Drifted'], ['missing', 'Missing']];
const sitesPerPage = 50;

/**
 * Where one image is across the fleet (#/fleet/{imageId}): per region, counts of VIMs where it is present, in progress,
 * failed, drifted or missing, counted on the server; a region opens its sites, a page at a time (#/fleet/{id}?region=).
 */
export async function render(main, { parameters: [id], query: parameters, signal }) {
  const name = await imageName(id, signal) ?? 'an image no longer in the catalogue';
  if (parameters.has('region')) return sites(main, id, name, parameters, signal);

  const fleet = await api(`/fleet/images/${id}`, { signal });
  const total = key => fleet.regions.reduce((sum, region) => sum + region[key], 0);
  const keyOf = presence => presence === 'in-progress' ? 'inProgress' : presence;
  const bar = region => {
    const element = h('div', { class: 'segments', role: 'img', 'aria-label': presences.map(([p, label]) => `${count(region[keyOf(p)])} ${label.toLowerCase()}`).join(', ') });
    for (const [presence] of presences) {
      if (!region[keyOf(presence)]) continue;
      const part = h('span', { class: `segment segment-${presence === 'present' ? 'active' : presence === 'missing' ? 'pending' : presence === 'drifted' ? 'other' : presence}` });
      part.style.flexGrow = String(region[keyOf(presence)] / Math.max(region.vims, 1));
      element.append(part);
    }
    return element;
  };

  main.append(
    h('h1', {}, `Fleet view of ${name}`),
    h('p', { id: 'fleet-totals' }, `${count(total('vims'))} VIMs in ${count(fleet.regions.length)} regions: `,
      presences.map(([presence, label], index) => [index ? ', ' : '', h('span', { class: `state state-${presence}` }, `${count(total(keyOf(presence)))} ${label.toLowerCase()}`)])),
    h('p', {}, h('a', { href: `#/images/${id}` }, 'The image\'s page'), ' · ', h('a', { href: `#/distribute?imageId=${id}` }, 'Distribute it')),
    fleet.regions.length === 0 ? h('p', {}, 'No VIM is registered.') : table('The image per region', ['Region', 'VIMs#', ...presences.map(([, label]) => `${label}#`), 'Share'],
      fleet.regions.map(region => h('tr', { dataset: { region: region.region } },
        h('th', { scope: 'row' }, h('a', { href: `#/fleet/${id}${query({ region: region.region })}` }, region.region || 'no region')),
        h('td', { class: 'num' }, count(region.vims)),
        ...presences.map(([presence]) => h('td', { class: `num state-${presence}`, dataset: { presence } }, count(region[keyOf(presence)]))),
        h('td', { class: 'share' }, bar(region))))));
}

async function sites(main, id, name, parameters, signal) {
  const region = parameters.get('region');
  const presence = parameters.get('presence') ?? '';
  const page = await api(`/fleet/images/${id}/sites${query({ region, presence, marker: parameters.get('marker'), limit: sitesPerPage })}`, { signal });
  const filter = select('presence', [['', 'any'], ...presences], presence, { id: 'presence-filter' });
  filter.addEventListener('change', () => { location.hash = `#/fleet/${id}${query({ region, presence: filter.value })}`; });
  main.append(
    h('h1', {}, `${name} in region ${region || '(no region)'}`),
    h('p', {}, h('a', { href: `#/fleet/${id}` }, 'Back to every region')),
    h('form', { class: 'grid' }, field('Presence', filter)),
    page.sites.length === 0 ? h('p', {}, 'No VIM here in this state.') : table(`VIMs of ${region || 'no region'}`, ['VIM', 'Health', 'Image', 'Last target state', 'Error', 'Changed'],
      page.sites.map(site => h('tr', { dataset: { vim: site.vimId } },
        h('td', {}, h('a', { href: `#/vims/${encodeURIComponent(site.vimId)}` }, site.vimId)),
        h('td', {}, healthBadge({ state: site.health })),
        h('td', { class: 'presence' }, h('span', { class: `state state-${site.presence}` }, site.presence)),
        h('td', {}, site.targetState ?? '—'), h('td', { class: 'error-text' }, site.error ?? ''), h('td', {}, when(site.changedAt))))),
    h('nav', { class: 'pager', 'aria-label': 'Pages' },
      parameters.get('marker') ? h('a', { class: 'button secondary', href: `#/fleet/${id}${query({ region, presence })}` }, 'First page') : null,
      page.next ? h('a', { class: 'button secondary', rel: 'next', href: `#/fleet/${id}${query({ region, presence, marker: page.next })}` }, 'Next page') : null));
}
