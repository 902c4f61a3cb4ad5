import { api } from '../api.js';
import { h, field, input, select, values, list, facts, state, when } from '../dom.js';
import { attempt, flash } from '../messages.js';

/** Add a VIM (#/vims/new) or show and edit one (#/vims/{id}). Credentials are write-only: shown only as present or not. */
export async function render(main, { parameters: [id], signal }) {
  const vim = id ? await api(`/vims/${encodeURIComponent(id)}`, { signal }) : null;
  const form = h('form', { class: 'grid', id: 'vim-form' },
    field('Id', input('id', { required: true, value: vim?.id ?? '', disabled: Boolean(vim), placeholder: 'cloudowner_region', autocomplete: 'off' })),
    field('Type', select('type', ['openstack', 'oci-registry', 'onap-multicloud'], vim?.type ?? 'openstack', { disabled: Boolean(vim) })),
    field('Endpoint', input('endpoint', { type: 'url', required: !vim, value: vim?.endpoint ?? '' })),
    field('Keystone URL (…/v3)', input('identityUrl', { type: 'url', value: vim?.identityUrl ?? '' })),
    field('Region', input('region', { value: vim?.region ?? '' })),
    field('Tags (comma separated)', input('tags', { value: vim?.tags.join(', ') ?? '' })),
    field('Tenant', input('tenant', { value: vim?.tenant ?? '' })),
    field('Upload mode', select('uploadMode', ['push', 'web-download'], vim?.uploadMode ?? 'push')),
    field('Uploads at once', input('maxConcurrentUploads', { type: 'number', min: 1, value: vim?.limits?.maxConcurrentUploads ?? '' })),
    field('Bandwidth cap (bytes/s)', input('bandwidthBytesPerSecond', { type: 'number', min: 1, value: vim?.limits?.bandwidthBytesPerSecond ?? '' })),
    h('fieldset', { class: 'wide grid' }, h('legend', {}, vim?.hasCredentials ? 'Credentials (set; fill in to replace)' : 'Credentials (optional)'),
      field('Username', input('username', { autocomplete: 'off' })),
      field('Password', input('password', { type: 'password', autocomplete: 'new-password' })),
      field('Project', input('projectName')),
      field('Application credential id', input('applicationCredentialId')),
      field('Application credential secret', input('applicationCredentialSecret', { type: 'password', autocomplete: 'new-password' })),
      field('Token', input('token', { type: 'password', autocomplete: 'off' }))),
    h('div', { class: 'buttons wide' }, h('button', { type: 'submit' }, vim ? 'Save changes' : 'Add VIM'),
      h('a', { class: 'button secondary', href: '#/vims' }, 'Back to the VIMs')));

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const data = values(form);
    const credentials = Object.fromEntries(['username', 'password', 'projectName', 'applicationCredentialId', 'applicationCredentialSecret', 'token']
      .filter(key => data[key]).map(key => [key, data[key]]));
    const limits = Object.fromEntries(['maxConcurrentUploads', 'bandwidthBytesPerSecond'].filter(key => data[key]).map(key => [key, Number(data[key])]));
    const body = {
      endpoint: data.endpoint, identityUrl: data.identityUrl ?? (vim ? null : undefined), region: data.region ?? (vim ? null : undefined),
      tags: list(data.tags), tenant: data.tenant ?? (vim ? null : undefined), uploadMode: data.uploadMode,
      limits: Object.keys(limits).length ? limits : undefined,
      credentials: Object.keys(credentials).length ? credentials : undefined,
    };
    await attempt(async () => {
      if (vim) {
        await api(`/vims/${encodeURIComponent(vim.id)}`, { method: 'PATCH', body, contentType: 'application/merge-patch+json' });
        flash(`${vim.id} saved.`);
      } else {
        await api('/vims', { method: 'POST', body: { id: data.id, type: data.type, ...body } });
        flash(`${data.id} added.`);
      }
      location.hash = '#/vims';
    });
  });

  main.append(h('h1', {}, vim ? `VIM ${vim.id}` : 'Add a VIM'));
  if (vim) {
    main.append(h('section', { 'aria-labelledby': 'health-h' }, h('h2', { id: 'health-h' }, 'Health'), facts([
      ['State', state(vim.health.state)], ['Reason', vim.health.reason], ['Last answered', vim.health.lastAnsweredAt ? when(vim.health.lastAnsweredAt) : null],
      ['Failures in a row', vim.health.consecutiveFailures],
      ['Circuit open until', vim.health.circuitOpenUntil ? when(vim.health.circuitOpenUntil) : null],
      ['Last probe', vim.health.lastProbeAt ? when(vim.health.lastProbeAt) : null],
      ['Last error', vim.health.lastError ? h('span', { class: 'error-text' }, vim.health.lastError) : null],
      ['Images on it', h('a', { href: `#/images?onVim=${encodeURIComponent(vim.id)}` }, 'in the catalogue')],
    ])), h('h2', {}, 'Edit'));
  }
  main.append(form);
}
