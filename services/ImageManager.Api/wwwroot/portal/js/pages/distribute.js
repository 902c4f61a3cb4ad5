import { api } from '../api.js';
import { h, field, input, values } from '../dom.js';
import { attempt, showError } from '../messages.js';
import { imagePicker } from '../imagePicker.js';
import { vimPicker } from '../vimPicker.js';

/** Distribute an image: chosen by name and version, to VIMs ticked or to every VIM a search matches; an optional strategy. */
export async function render(main, { query: parameters, signal }) {
  const [images, vims] = await Promise.all([
    imagePicker({ preset: parameters.get('imageId'), signal }),
    vimPicker({ signal }),
  ]);

  const form = h('form', { id: 'distribute-form' },
    images, vims.element,
    h('fieldset', { class: 'grid' }, h('legend', {}, 'Strategy (optional)'),
      field('At most in parallel', input('maxParallel', { type: 'number', min: 1 })),
      field('Canary wave size', input('canarySize', { type: 'number', min: 1 }), 'these finish before the rest start'),
      field('Stop after failures', input('maxFailures', { type: 'number', min: 0 })),
      field('Deadline', input('deadline', { type: 'datetime-local' }), 'targets not started by then are cancelled')),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', id: 'start-distribution' }, 'Distribute')));

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const data = values(form);
    const targets = vims.targets();
    if (!data.imageId) return showError('Choose an image: search by its name and version, then pick one.');
    if (!targets) return showError('Choose the VIMs: tick some, or choose every VIM that matches the search.');
    const strategy = Object.fromEntries(['maxParallel', 'canarySize', 'maxFailures'].filter(key => data[key]).map(key => [key, Number(data[key])]));
    if (data.deadline) strategy.deadline = new Date(data.deadline).toISOString();
    const body = {
      imageId: data.imageId, vimIds: targets.vimIds, selector: targets.selector,
      strategy: Object.keys(strategy).length ? strategy : undefined,
    };
    await attempt(async () => {
      const started = await api('/distributions', { method: 'POST', body });
      location.hash = `#/distributions/${started.distributionId}`;
    });
  });

  main.append(h('h1', {}, 'Distribute an image'), form);
}
