import { api, query } from '../api.js';
import { h, table, count } from '../dom.js';
import { imagePicker } from '../imagePicker.js';

const shownRegions = 25;

/**
 * The fleet at a glance, the landing page: images by status, VIMs by health and region, distributions running and
 * failed, drift found. Every figure is counted on the server; the page never loads the VIMs themselves.
 */
export async function render(main, { signal }) {
  const [images, vims, activity] = await Promise.all([
    api('/images/counts', { signal }),
    api('/fleet/vims', { signal }),
    api('/fleet/activity', { signal }),
  ]);
  const link = (href, text) => h('a', { href }, text);
  const card = (id, title, big, ...lines) => h('section', { class: 'card', id, 'aria-labelledby': `${id}-h` },
    h('h2', { id: `${id}-h` }, title), h('p', { class: 'big' }, big), h('ul', {}, lines.map(line => h('li', {}, line))));
  const statuses = ['active', 'validating', 'queued', 'rejected', 'deactivated', 'deleting'].filter(status => images.byStatus[status]);

  const cards = h('div', { class: 'cards' },
    card('images-card', 'Images', count(images.total),
      ...statuses.map(status => link(`#/images${query({ status })}`, `${count(images.byStatus[status])} ${status}`))),
    card('vims-card', 'VIMs', count(vims.count),
      link('#/vims?health=healthy', h('span', { class: 'health-healthy' }, `${count(vims.byHealth.healthy)} healthy`)),
      link('#/vims?health=unhealthy', h('span', { class: 'health-unhealthy' }, `${count(vims.byHealth.unhealthy)} unhealthy`)),
      link('#/vims?health=unknown', h('span', { class: 'health-unknown' }, `${count(vims.byHealth.unknown)} never answered`)),
      `${count(vims.regions.length)} region${vims.regions.length === 1 ? '' : 's'}`),
    card('distributions-card', 'Distributions', `${count(activity.distributionsRunning)} running`,
      link('#/distributions?state=distributing', `${count(activity.distributionsRunning)} running`),
      h('span', { class: activity.distributionsFailed ? 'error-text' : '' }, `${count(activity.distributionsFailed)} failed`),
      h('span', { class: activity.distributionsPartiallyFailed ? 'warning-text' : '' }, `${count(activity.distributionsPartiallyFailed)} partially failed`),
      `${count(activity.distributionsSucceeded)} succeeded`),
    card('drift-card', 'Drift', `${count(images.driftedLocations)} drifted`,
      'copies that changed or vanished on their VIM since they were verified',
      h('span', { class: images.failedLocations ? 'error-text' : '' }, `${count(images.failedLocations)} image-VIM pairs failed`)));

  // The largest regions first; the rest are a search away on the VIMs page.
  const regions = [...vims.regions].sort((a, b) => b.vims - a.vims || a.region.localeCompare(b.region));
  const regionTable = regions.length === 0 ? h('p', {}, 'No VIM is registered.') : table(
    regions.length > shownRegions ? `The ${shownRegions} largest of ${regions.length} regions` : 'VIMs per region',
    ['Region', 'VIMs#', 'Healthy#', 'Unhealthy#', 'Never answered#'],
    regions.slice(0, shownRegions).map(region => h('tr', { dataset: { region: region.region } },
      h('td', {}, link(`#/vims${query({ region: region.region })}`, region.region || 'no region')),
      h('td', { class: 'num' }, count(region.vims)), h('td', { class: 'num health-healthy' }, count(region.healthy)),
      h('td', { class: 'num health-unhealthy' }, count(region.unhealthy)), h('td', { class: 'num health-unknown' }, count(region.unknown)))));

  const picker = await imagePicker({ signal, legend: 'Where is an image? Choose one for its fleet view', status: '' });
  const go = h('button', { type: 'submit', id: 'open-fleet-view' }, 'Open its fleet view');
  const form = h('form', { id: 'fleet-form' }, picker, h('div', { class: 'buttons' }, go));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const id = form.elements.imageId.value;
    if (id) location.hash = `#/fleet/${id}`;
  });

  main.append(h('h1', {}, 'Fleet overview'), cards,
    h('section', { 'aria-labelledby': 'regions-h' }, h('h2', { id: 'regions-h' }, 'VIMs by region and health'), regionTable),
    h('section', { 'aria-labelledby': 'fleet-h' }, h('h2', { id: 'fleet-h' }, 'Fleet view of an image'), form));
}
