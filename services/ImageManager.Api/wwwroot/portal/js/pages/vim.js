import { api } from '../api.js';
import { h, field, input, select, values, list, facts, when } from '../dom.js';
import { attempt, flash, showNotice } from '../messages.js';
import { healthBadge } from '../health.js';

/** What each VIM type asks for: its endpoint, its own fields and the credentials it takes (names are the form's). */
const types = {
  'openstack': {
    endpoint: 'Glance URL (used when Keystone\'s catalog names no image endpoint)',
    fields: () => [
      field('Keystone URL (…/v3)', input('identityUrl', { type: 'url' }), 'with Keystone, credentials are needed too'),
      field('Tenant', input('openstackTenant')),
      field('Upload mode', select('uploadMode', [['push', 'push (we send the bytes)'], ['web-download', 'web-download (Glance pulls them)']], 'push')),
    ],
    credentials: () => [
      field('Keystone username', input('osUsername', { autocomplete: 'off' })),
      field('Keystone password', input('osPassword', { type: 'password', autocomplete: 'new-password' })),
      field('User domain', input('osUserDomain', { placeholder: 'Default' })),
      field('Project', input('osProjectName')),
      field('Project domain', input('osProjectDomain', { placeholder: 'Default' })),
      field('Application credential id', input('osApplicationCredentialId')),
      field('Application credential secret', input('osApplicationCredentialSecret', { type: 'password', autocomplete: 'new-password' })),
    ],
    credentialsOf: d => ({ username: d.osUsername, password: d.osPassword, userDomain: d.osUserDomain, projectName: d.osProjectName, projectDomain: d.osProjectDomain,
      applicationCredentialId: d.osApplicationCredentialId, applicationCredentialSecret: d.osApplicationCredentialSecret }),
    tenantOf: d => d.openstackTenant,
  },
  'oci-registry': {
    endpoint: 'Registry URL',
    fields: () => [field('Repository namespace', input('ociNamespace', { placeholder: 'edge/acme' }), 'repositories go under it; optional')],
    credentials: () => [
      field('Registry username', input('ociUsername', { autocomplete: 'off' })),
      field('Registry password', input('ociPassword', { type: 'password', autocomplete: 'new-password' })),
      field('Bearer token', input('ociToken', { type: 'password', autocomplete: 'off' }), 'instead of a username and password'),
    ],
    credentialsOf: d => ({ username: d.ociUsername, password: d.ociPassword, token: d.ociToken }),
    tenantOf: d => d.ociNamespace,
  },
  'onap-multicloud': {
    endpoint: 'Multicloud API base URL',
    fields: () => [field('Multicloud tenant id', input('mcTenant'), 'required: images go to /{vimid}/{tenantid}/images')],
    credentials: () => [
      field('Multicloud username', input('mcUsername', { autocomplete: 'off' })),
      field('Multicloud password', input('mcPassword', { type: 'password', autocomplete: 'new-password' })),
    ],
    credentialsOf: d => ({ username: d.mcUsername, password: d.mcPassword }),
    tenantOf: d => d.mcTenant,
  },
};

/**
 * Add a VIM (#/vims/new) or show and edit one (#/vims/{id}): the fields of its type, TLS, limits, and a test of the
 * connection (the VIM is probed with its settings once saved). Credentials are write-only: shown only as present or not.
 */
export async function render(main, { parameters: [id], signal }) {
  const vim = id ? await api(`/vims/${encodeURIComponent(id)}`, { signal }) : null;
  const type = select('type', Object.keys(types), vim?.type ?? 'openstack', { disabled: Boolean(vim) });
  const endpoint = input('endpoint', { type: 'url', required: !vim, value: vim?.endpoint ?? '' });
  const endpointField = field('Endpoint', endpoint, '');
  const perType = Object.fromEntries(Object.entries(types).map(([name, spec]) => [name, {
    fields: h('fieldset', { class: 'wide grid', dataset: { type: name } }, h('legend', {}, `${name} settings`), spec.fields()),
    credentials: h('fieldset', { class: 'wide grid', dataset: { type: name } },
      h('legend', {}, vim?.hasCredentials ? 'Credentials (set; fill in to replace)' : 'Credentials (optional)'), spec.credentials()),
  }]));
  const skip = h('input', { type: 'checkbox', name: 'insecureSkipVerify', id: 'f-insecure', checked: vim?.tls?.insecureSkipVerify ?? false });
  const skipWarning = h('p', { class: 'warning-text', id: 'insecure-warning' },
    'Warning: with verification off, anyone between Image Manager and this VIM can read the credentials and change the images. Use a CA certificate instead.');
  const tls = h('fieldset', { class: 'wide grid' }, h('legend', {}, 'TLS'),
    h('label', { class: 'wide' }, 'CA certificates (PEM)',
      h('textarea', { name: 'caCertificates', id: 'f-ca', placeholder: '-----BEGIN CERTIFICATE-----', 'aria-describedby': 'f-ca-hint' }, vim?.tls?.caCertificates ?? '')),
    h('span', { class: 'muted wide', id: 'f-ca-hint' }, 'the authorities the VIM\'s certificate is checked against; the machine\'s store when empty'),
    h('label', { class: 'inline wide' }, skip, 'Skip certificate verification (insecure)'), skipWarning);

  const form = h('form', { class: 'grid', id: 'vim-form' },
    field('Id', input('id', { required: true, value: vim?.id ?? '', disabled: Boolean(vim), placeholder: 'cloudowner_region', autocomplete: 'off' })),
    field('Type', type),
    endpointField,
    field('Region', input('region', { value: vim?.region ?? '' })),
    field('Tags (comma separated)', input('tags', { value: vim?.tags.join(', ') ?? '' })),
    field('Uploads at once', input('maxConcurrentUploads', { type: 'number', min: 1, value: vim?.limits?.maxConcurrentUploads ?? '' })),
    field('Bandwidth cap (bytes/s)', input('bandwidthBytesPerSecond', { type: 'number', min: 1, value: vim?.limits?.bandwidthBytesPerSecond ?? '' })),
    Object.values(perType).map(parts => parts.fields),
    Object.values(perType).map(parts => parts.credentials),
    tls,
    h('div', { class: 'buttons wide' },
      h('button', { type: 'submit', value: 'save' }, vim ? 'Save changes' : 'Add VIM'),
      h('button', { type: 'submit', value: 'test', class: 'secondary', id: 'save-and-test' }, vim ? 'Save and test connection' : 'Add and test connection'),
      h('a', { class: 'button secondary', href: '#/vims' }, 'Back to the VIMs')));

  // Only the chosen type's fields show; the others are disabled, so they are neither checked nor sent.
  const showType = () => {
    for (const [name, parts] of Object.entries(perType)) {
      for (const part of [parts.fields, parts.credentials]) {
        part.hidden = name !== type.value;
        part.disabled = name !== type.value;
      }
    }
    endpointField.querySelector('.muted')?.remove();
    const hint = h('span', { class: 'muted', id: `${endpoint.id}-hint` }, types[type.value].endpoint);
    endpoint.setAttribute('aria-describedby', hint.id);
    endpointField.append(hint);
    if (vim) fill(perType[vim.type].fields, vim);
  };
  const showWarning = () => { skipWarning.hidden = !skip.checked; };
  type.addEventListener('change', showType);
  skip.addEventListener('change', showWarning);
  showType();
  showWarning();

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const test = event.submitter?.value === 'test';
    const data = values(form);
    const spec = types[type.value];
    const credentials = Object.fromEntries(Object.entries(spec.credentialsOf(data)).filter(([, value]) => value));
    const limits = Object.fromEntries(['maxConcurrentUploads', 'bandwidthBytesPerSecond'].filter(key => data[key]).map(key => [key, Number(data[key])]));
    const cleared = vim ? null : undefined;
    const body = {
      endpoint: data.endpoint, region: data.region ?? cleared, tags: list(data.tags), tenant: spec.tenantOf(data) ?? cleared,
      identityUrl: type.value === 'openstack' ? data.identityUrl ?? cleared : undefined,
      uploadMode: type.value === 'openstack' ? data.uploadMode : undefined,
      tls: { caCertificates: data.caCertificates ?? null, insecureSkipVerify: skip.checked },
      limits: Object.keys(limits).length ? limits : undefined,
      credentials: Object.keys(credentials).length ? credentials : undefined,
    };
    await attempt(async () => {
      const vimId = vim?.id ?? data.id;
      if (vim) await api(`/vims/${encodeURIComponent(vimId)}`, { method: 'PATCH', body, contentType: 'application/merge-patch+json' });
      else await api('/vims', { method: 'POST', body: { id: data.id, type: type.value, ...body } });
      if (!test) {
        flash(`${vimId} ${vim ? 'saved' : 'added'}.`);
        location.hash = '#/vims';
        return;
      }
      // The connection test: the saved settings, probed now (the answer says what was found).
      showNotice(`${vimId} ${vim ? 'saved' : 'added'}; testing the connection…`);
      const health = await api(`/vims/${encodeURIComponent(vimId)}/probe`, { method: 'POST' });
      flash(`Connection test of ${vimId}: ${health.state}${health.reason ? ` (${health.reason})` : ''}${health.lastError ? `: ${health.lastError}` : ''}.`);
      location.hash = `#/vims/${encodeURIComponent(vimId)}`;
      if (vim) window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
  });

  main.append(h('h1', {}, vim ? `VIM ${vim.id}` : 'Add a VIM'));
  if (vim) {
    const healthFacts = h('div', { id: 'vim-health' });
    const paint = health => healthFacts.replaceChildren(facts([
      ['State', healthBadge(health)], ['Reason', health.reason], ['Last answered', health.lastAnsweredAt ? when(health.lastAnsweredAt) : 'never'],
      ['Failures in a row', health.consecutiveFailures],
      ['Circuit open until', health.circuitOpenUntil ? when(health.circuitOpenUntil) : null],
      ['Last probe', health.lastProbeAt ? when(health.lastProbeAt) : null],
      ['Last error', health.lastError ? h('span', { class: 'error-text' }, health.lastError) : null],
      ['Images on it', h('a', { href: `#/images?onVim=${encodeURIComponent(vim.id)}` }, 'in the catalogue')],
    ]));
    paint(vim.health);
    const testButton = h('button', { type: 'button', class: 'secondary', id: 'test-connection', onclick: () => attempt(async () => {
      testButton.disabled = true;
      try {
        const health = await api(`/vims/${encodeURIComponent(vim.id)}/probe`, { method: 'POST' });
        paint(health);
        showNotice(`Connection test of ${vim.id}: ${health.state}${health.reason ? ` (${health.reason})` : ''}.`);
      } finally {
        testButton.disabled = false;
      }
    }) }, 'Test connection');
    main.append(h('section', { 'aria-labelledby': 'health-h' }, h('h2', { id: 'health-h' }, 'Health'), healthFacts, h('div', { class: 'buttons' }, testButton)),
      h('h2', {}, 'Edit'));
  }
  main.append(form);
}

/** The stored values of a VIM into its type's fields (credentials never come back). */
function fill(fieldset, vim) {
  const set = (name, value) => { const control = fieldset.querySelector(`[name="${name}"]`); if (control && value) control.value = value; };
  set('identityUrl', vim.identityUrl);
  set('openstackTenant', vim.tenant);
  set('uploadMode', vim.uploadMode);
  set('ociNamespace', vim.tenant);
  set('mcTenant', vim.tenant);
}
