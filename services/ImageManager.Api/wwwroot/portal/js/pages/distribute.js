import { api, query } from '../api.js';
import { h, field, input, values, list, state } from '../dom.js';
import { attempt } from '../messages.js';

/** Distribute an image: targets by VIM id, by region and tags, or all; an optional strategy. */
export async function render(main, { query: parameters, signal }) {
  const vims = await allVims(signal);
  const how = parameters.get('by') ?? 'ids';
  const imageInput = input('imageId', { required: true, value: parameters.get('imageId') ?? '', pattern: '[0-9a-fA-F-]{36}', size: 38 });
  const image = parameters.get('imageId') ? await api(`/images/${parameters.get('imageId')}`, { signal }).catch(() => null) : null;

  const choice = (value, label) => h('label', { class: 'inline' },
    h('input', { type: 'radio', name: 'by', value, checked: how === value, id: `by-${value}` }), label);
  const byIds = h('fieldset', { id: 'targets-ids' }, h('legend', {}, 'VIMs'),
    vims.length === 0 ? h('p', {}, 'No VIM is registered. ', h('a', { href: '#/vims/new' }, 'Add one')) : vims.map(vim =>
      h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'vimIds', value: vim.id }), vim.id, ' ',
        h('span', { class: 'muted' }, `${vim.region ?? ''} ${vim.tags.join(', ')} `), state(vim.health.state))));
  const bySelector = h('fieldset', { id: 'targets-selector', class: 'grid' }, h('legend', {}, 'Region and tags'),
    field('Region', input('region')), field('Tags (all of them)', input('tags')));

  const form = h('form', { id: 'distribute-form' },
    h('div', { class: 'grid' }, field('Image id', imageInput, image ? `${image.name} ${image.version} (${image.status})` : null)),
    h('fieldset', {}, h('legend', {}, 'Targets'), choice('ids', 'Chosen VIMs'), choice('selector', 'By region and tags'), choice('all', 'Every VIM')),
    byIds, bySelector,
    h('fieldset', { class: 'grid' }, h('legend', {}, 'Strategy (optional)'),
      field('At most in parallel', input('maxParallel', { type: 'number', min: 1 })),
      field('Canary wave size', input('canarySize', { type: 'number', min: 1 }), 'these finish before the rest start'),
      field('Stop after failures', input('maxFailures', { type: 'number', min: 0 })),
      field('Deadline', input('deadline', { type: 'datetime-local' }), 'targets not started by then are cancelled')),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', id: 'start-distribution' }, 'Distribute')));

  const show = () => {
    const by = form.elements.by.value;
    byIds.hidden = by !== 'ids';
    bySelector.hidden = by !== 'selector';
  };
  form.addEventListener('change', show);
  show();

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const data = values(form);
    const by = form.elements.by.value;
    const strategy = Object.fromEntries(['maxParallel', 'canarySize', 'maxFailures'].filter(key => data[key]).map(key => [key, Number(data[key])]));
    if (data.deadline) strategy.deadline = new Date(data.deadline).toISOString();
    const body = {
      imageId: data.imageId,
      vimIds: by === 'ids' ? [...form.querySelectorAll('input[name="vimIds"]:checked')].map(box => box.value) : undefined,
      selector: by === 'all' ? { all: true } : by === 'selector' ? { region: data.region, tags: data.tags ? list(data.tags) : undefined } : undefined,
      strategy: Object.keys(strategy).length ? strategy : undefined,
    };
    await attempt(async () => {
      const started = await api('/distributions', { method: 'POST', body });
      location.hash = `#/distributions/${started.distributionId}`;
    });
  });

  main.append(h('h1', {}, 'Distribute an image'), form);
}

async function allVims(signal) {
  const found = [];
  let marker = null;
  do {
    const page = await api(`/vims${query({ limit: 1000, marker })}`, { signal });
    found.push(...page.vims);
    marker = page.next;
  } while (marker && found.length < 5000);
  return found;
}
