import { api } from '../api.js';
import { h, field, bytes } from '../dom.js';
import { showError, showNotice, flash } from '../messages.js';
import { metadataFields, metadataOf } from '../metadata.js';
import { ResumableUpload } from '../upload.js';

const pendingKey = 'imagemanager.pending-upload';

/** Upload: an image record, then its file in resumable slices with a progress bar. A broken upload resumes with the same file. */
export async function render(main, { query, signal }) {
  const pending = JSON.parse(sessionStorage.getItem(pendingKey) ?? 'null');
  const existing = query.get('imageId') ?? pending?.imageId ?? null;
  const file = h('input', { type: 'file', name: 'file', id: 'f-file', required: true });
  const progress = h('progress', { id: 'upload-progress', max: 1, value: 0, 'aria-label': 'Upload progress' });
  const progressText = h('p', { id: 'upload-progress-text', 'aria-live': 'polite' }, 'Not started.');
  const pause = h('button', { type: 'button', class: 'secondary', disabled: true, id: 'pause-upload' }, 'Pause');
  const start = h('button', { type: 'submit', id: 'start-upload' }, existing ? 'Resume upload' : 'Create and upload');
  const form = h('form', { class: 'grid', id: 'upload-form' },
    existing
      ? h('p', { class: 'wide' }, `Continuing the upload of image ${existing}${pending?.fileName ? ` (file ${pending.fileName}, ${bytes(pending.size)})` : ''}: choose the same file again. `,
        h('button', { type: 'button', class: 'secondary', onclick: () => { sessionStorage.removeItem(pendingKey); location.hash = '#/upload'; } }, 'Start a new upload instead'))
      : h('fieldset', { class: 'wide grid', id: 'metadata' }, h('legend', {}, 'The image'), metadataFields()),
    h('div', { class: 'wide' }, field('Image file', file)),
    h('div', { class: 'buttons wide' }, start, pause));

  let upload = null;
  let imageId = existing;
  pause.addEventListener('click', () => upload?.pause());
  signal.addEventListener('abort', () => upload?.pause());
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const chosen = file.files[0];
    if (!chosen) return;
    start.disabled = true;
    try {
      if (!imageId) {
        const image = await api('/images', { method: 'POST', body: metadataOf(form) });
        imageId = image.id;
        // The record exists now: a second press resumes its upload rather than making another.
        form.querySelector('#metadata').disabled = true;
      }
      sessionStorage.setItem(pendingKey, JSON.stringify({ imageId, fileName: chosen.name, size: chosen.size }));
      pause.disabled = false;
      const began = performance.now();
      upload = new ResumableUpload(imageId, chosen, {
        onProgress: (sent, total) => {
          progress.value = total === 0 ? 1 : sent / total;
          const seconds = (performance.now() - began) / 1000;
          progressText.textContent = `${bytes(sent)} of ${bytes(total)} (${Math.floor(progress.value * 100)}%)${seconds > 1 ? `, ${bytes(sent / seconds)}/s` : ''}`;
        },
        onRetry: message => showNotice(message),
      });
      await upload.run();
      sessionStorage.removeItem(pendingKey);
      flash('Uploaded; Validation is checking the file.');
      location.hash = `#/images/${imageId}`;
    } catch (error) {
      if (signal.aborted) return;
      showError(error.name === 'AbortError'
        ? 'Upload paused. Press "Resume upload" (with the same file) to continue from where the Api stands.'
        : `${error.message}\nThe bytes sent so far are kept: choose the same file and resume.`);
      start.textContent = 'Resume upload';
      start.disabled = false;
      pause.disabled = true;
    }
  });

  main.append(
    h('h1', {}, 'Upload an image'),
    h('p', { class: 'muted' }, 'The file is sent in 16 MiB slices; if the connection breaks, the upload continues from the last byte the Api kept, even after reloading this page.'),
    form,
    h('section', { 'aria-labelledby': 'progress-h' }, h('h2', { id: 'progress-h' }, 'Progress'), progress, progressText));
}
