import { api } from '../api.js';
import { h, field, input } from '../dom.js';
import { attempt, flash } from '../messages.js';
import { metadataFields, metadataOf } from '../metadata.js';

/** Import: an image record whose bytes the Api fetches from a URL (web-download), from the schemes and hosts it allows. */
export async function render(main) {
  const form = h('form', { class: 'grid', id: 'import-form' },
    metadataFields(),
    h('div', { class: 'wide' }, field('File URL', input('uri', { type: 'url', required: true, placeholder: 'https://…/image.qcow2' }))),
    h('div', { class: 'buttons wide' }, h('button', { type: 'submit' }, 'Create and import')));
  let imageId = null;
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const uri = form.elements.uri.value.trim();
    await attempt(async () => {
      // A refused URL leaves the record queued: the next press imports into it rather than making another.
      imageId ??= (await api('/images', { method: 'POST', body: metadataOf(form) })).id;
      await api(`/images/${imageId}/import`, { method: 'POST', body: { method: 'web-download', uri } });
      flash('Import started; the status changes when the bytes are in and validated.');
      location.hash = `#/images/${imageId}`;
    });
  });
  main.append(h('h1', {}, 'Import from a URL'), form);
}
