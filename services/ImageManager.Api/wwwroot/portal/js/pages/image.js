import { api, query } from '../api.js';
import { h, field, input, select, table, state, bytes, when, facts, list } from '../dom.js';
import { attempt, confirmAction, flash } from '../messages.js';

const settling = ['queued', 'validating', 'deleting'];

/** One image: its metadata, Validation's verdict, where it is (per VIM), and what may be done with it. */
export async function render(main, { parameters: [id], signal }) {
  const image = await api(`/images/${id}`, { signal });
  const [locations, recent] = await Promise.all([
    api(`/images/${id}/locations`, { signal }),
    api(`/distributions${query({ imageId: id, limit: 10 })}`, { signal }).catch(() => ({ distributions: [] })),
  ]);

  main.append(
    h('h1', {}, `${image.name} ${image.version}`),
    h('p', {}, 'Status: ', h('span', { id: 'image-status', 'aria-live': 'polite' }, state(image.status))),
    actions(image),
    h('div', { class: 'columns' },
      h('section', { 'aria-labelledby': 'meta-h' }, h('h2', { id: 'meta-h' }, 'Metadata'), facts([
        ['Id', h('code', {}, image.id)], ['Kind', image.kind], ['Disk format', image.diskFormat], ['Container format', image.containerFormat],
        ['Vendor', image.vendor], ['Description', image.description], ['Visibility', image.visibility], ['Owner', image.owner],
        ['Tags', image.tags.join(', ')], ['Properties', Object.entries(image.properties).map(([k, v]) => `${k}=${v}`).join(', ')],
        ['Protected', image.protected ? 'yes' : 'no'], ['End of life', image.endOfLife], ['Size', bytes(image.sizeBytes)],
        ['Virtual size', image.virtualSizeBytes ? bytes(image.virtualSizeBytes) : null], ['Uploaded by', image.uploadedBy],
        ['Created', when(image.createdAt)], ['Updated', when(image.updatedAt)],
      ])),
      h('section', { 'aria-labelledby': 'verdict-h', id: 'verdict' }, h('h2', { id: 'verdict-h' }, 'Validation verdict'), verdict(image))),
    h('section', { 'aria-labelledby': 'loc-h' }, h('h2', { id: 'loc-h' }, 'Locations'),
      locations.locations.length === 0
        ? h('p', {}, 'On no VIM yet.')
        : table('Where the image is, per VIM', ['VIM', 'State', 'Image id on the VIM', 'Error', 'Changed'], locations.locations.map(location => h('tr', {},
          h('td', {}, h('a', { href: `#/vims/${encodeURIComponent(location.vimId)}` }, location.vimId)),
          h('td', {}, state(location.state)),
          h('td', {}, h('code', {}, location.vimImageId ?? '')),
          h('td', { class: 'error-text' }, location.error ?? ''),
          h('td', {}, when(location.changedAt)))))),
    h('section', { 'aria-labelledby': 'dist-h' }, h('h2', { id: 'dist-h' }, 'Recent distributions'),
      recent.distributions.length === 0 ? h('p', {}, 'None.') : h('ul', {}, recent.distributions.map(d =>
        h('li', {}, h('a', { href: `#/distributions/${d.id}` }, `${when(d.requestedAt)}: ${d.state}${d.outcome ? ` (${d.outcome})` : ''}, ${d.targetCount} targets`))))),
    editForm(image));

  // While Validation works, look again until the status moves, then show the page anew (leaving the page ends the wait).
  if (settling.includes(image.status)) void watch(image, signal);
}

async function watch(image, signal) {
  while (!signal.aborted) {
    await new Promise(resolve => setTimeout(resolve, 1000));
    if (signal.aborted) return;
    const now = await api(`/images/${image.id}`, { signal }).catch(() => null);
    if (now && now.status !== image.status) {
      flash(`Status is now ${now.status}.`);
      reload();
      return;
    }
  }
}

function verdict(image) {
  if (settling.includes(image.status)) return h('p', {}, image.status === 'deleting' ? 'Being removed from its VIMs.' : 'Waiting for Validation…');
  return facts([
    ['Verdict', h('span', { id: 'verdict-outcome' }, state(image.rejectionReason ? 'rejected' : image.validatedAt ? 'accepted' : 'none'))],
    ['Reasons', image.rejectionReason ? h('span', { class: 'error-text', id: 'rejection-reason' }, image.rejectionReason) : null],
    ['Import error', image.importError ? h('span', { class: 'error-text' }, image.importError) : null],
    ['Detected type', image.detectedType],
    ['Validated', image.validatedAt ? when(image.validatedAt) : null],
    ['SHA-256', image.sha256 ? h('code', {}, image.sha256) : null],
    ['SHA-512', image.sha512 ? h('code', {}, image.sha512) : null],
    ['Declared SHA-256', image.declaredSha256 ? h('code', {}, image.declaredSha256) : null],
    ['Signature', image.signature ? `${image.signature.keyType ?? ''} ${image.signature.hashMethod ?? ''} (certificate ${image.signature.certificateId ?? 'given'})` : null],
  ]);
}

function reload() {
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

function actions(image) {
  const buttons = [];
  if (image.status === 'active') {
    buttons.push(h('a', { class: 'button', href: `#/distribute?imageId=${image.id}` }, 'Distribute'));
    buttons.push(h('a', { class: 'button secondary', href: `#/fleet/${image.id}` }, 'Fleet view'));
    buttons.push(h('button', { type: 'button', class: 'secondary', onclick: () => change(image, 'deactivate', 'Deactivate',
      'A deactivated image stays where it is but cannot be distributed until reactivated.') }, 'Deactivate'));
  }
  if (image.status === 'deactivated') {
    buttons.push(h('button', { type: 'button', class: 'secondary', onclick: () => change(image, 'reactivate', 'Reactivate', 'The image can be distributed again.') }, 'Reactivate'));
  }
  if (image.status === 'queued') buttons.push(h('a', { class: 'button secondary', href: `#/upload?imageId=${image.id}` }, 'Upload its file'));
  if (image.status !== 'deleting') buttons.push(h('button', { type: 'button', class: 'danger', id: 'delete-image', onclick: () => remove(image) }, 'Delete'));
  return h('div', { class: 'buttons', role: 'group', 'aria-label': 'Actions' }, buttons);
}

async function change(image, action, label, text) {
  if (!await confirmAction(`${label} ${image.name} ${image.version}?`, text, label)) return;
  await attempt(async () => {
    await api(`/images/${image.id}/${action}`, { method: 'POST' });
    flash(`${label}d.`);
    reload();
  });
}

async function remove(image) {
  const purge = h('input', { type: 'checkbox', name: 'purge', id: 'purge' });
  const confirmed = await confirmAction(`Delete ${image.name} ${image.version}?`,
    'The image record and its bytes go. An image on VIMs is refused unless it is also removed from every VIM.', 'Delete',
    [h('label', { class: 'inline' }, purge, 'Also remove it from every VIM (purge)')]);
  if (!confirmed) return;
  await attempt(async () => {
    const response = await api(`/images/${image.id}${purge.checked ? '?purge=true' : ''}`, { method: 'DELETE', raw: true });
    flash(response.status === 202 ? `${image.name} is being removed from its VIMs, then deleted.` : `${image.name} ${image.version} deleted.`);
    location.hash = '#/images';
  });
}

function editForm(image) {
  const form = h('form', { class: 'grid', id: 'edit-form' },
    h('label', { class: 'wide' }, 'Description', h('textarea', { name: 'description', id: 'edit-description' }, image.description ?? '')),
    field('Tags (comma separated)', input('tags', { id: 'edit-tags', value: image.tags.join(', ') })),
    field('Visibility', select('visibility', ['private', 'shared', 'public'], image.visibility, { id: 'edit-visibility' })),
    field('End of life', input('endOfLife', { id: 'edit-eol', type: 'date', value: image.endOfLife ?? '' })),
    h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'protected', id: 'edit-protected', checked: image.protected }), 'Protected from deletion'),
    h('div', { class: 'buttons wide' }, h('button', { type: 'submit' }, 'Save changes')));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const data = new FormData(form);
    const patch = {
      description: data.get('description').trim() || null,
      tags: list(data.get('tags')),
      visibility: data.get('visibility'),
      endOfLife: data.get('endOfLife') || null,
      protected: data.get('protected') === 'on',
    };
    await attempt(async () => {
      await api(`/images/${image.id}`, { method: 'PATCH', body: patch, contentType: 'application/merge-patch+json' });
      flash('Saved.');
      reload();
    });
  });
  return h('section', { 'aria-labelledby': 'edit-h' }, h('h2', { id: 'edit-h' }, 'Edit'), form);
}
