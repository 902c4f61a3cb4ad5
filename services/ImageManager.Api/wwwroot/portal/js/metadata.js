import { h, field, input, select, values, list } from './dom.js';

/** The fields of a new image record, shared by the upload and import pages. */
export function metadataFields() {
  return [
    field('Name', input('name', { required: true, autocomplete: 'off' })),
    field('Version', input('version', { required: true, placeholder: '1.0.0' })),
    field('Kind', select('kind', ['vm-image', 'container-image', 'software-package'], 'vm-image')),
    field('Disk format', select('diskFormat', ['', 'qcow2', 'raw', 'vmdk', 'vhd', 'vhdx', 'vdi', 'iso'], 'qcow2'), 'VM images'),
    field('Container format', select('containerFormat', ['', 'bare', 'ovf', 'ova', 'docker', 'oci'], 'bare')),
    field('Vendor', input('vendor')),
    field('Tags (comma separated)', input('tags')),
    field('Expected SHA-256', input('sha256', { pattern: '[0-9a-fA-F]{64}', title: '64 hexadecimal digits' }), 'optional; Validation checks it'),
    h('label', { class: 'wide' }, 'Description', h('textarea', { name: 'description', id: 'f-description' })),
  ];
}

/** The body of POST /images from those fields. */
export function metadataOf(form) {
  const data = values(form);
  const body = {
    name: data.name, version: data.version, kind: data.kind, vendor: data.vendor, description: data.description,
    diskFormat: data.kind === 'vm-image' ? data.diskFormat : undefined,
    containerFormat: data.containerFormat, sha256: data.sha256?.toLowerCase(),
    tags: data.tags ? list(data.tags) : undefined,
  };
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}
