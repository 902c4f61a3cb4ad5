// The two live regions of the page: errors (assertive) and notices (polite).

export function showError(error) {
  const text = error instanceof Error ? error.message : String(error);
  document.getElementById('alert').textContent = text;
  document.getElementById('notice').textContent = '';
}

export function showNotice(text) {
  document.getElementById('notice').textContent = text;
}

let pending = null;

/** A notice for the next page shown (an action that navigates says what it did there). */
export function flash(text) {
  pending = text;
}

export function clearMessages() {
  document.getElementById('alert').textContent = '';
  document.getElementById('notice').textContent = pending ?? '';
  pending = null;
}

/** Runs an action, showing the API's reason if it is refused; returns its result or undefined. */
export async function attempt(action) {
  try {
    document.getElementById('alert').textContent = '';
    return await action();
  } catch (error) {
    if (error?.name !== 'AbortError') showError(error);
    return undefined;
  }
}

/** Asks with the page's confirmation dialog; resolves true when confirmed. extra: nodes shown in the dialog (e.g. an option). */
export function confirmAction(title, text, confirmLabel = 'Confirm', extra = []) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-ok').textContent = confirmLabel;
  document.getElementById('confirm-extra').replaceChildren(...extra);
  return new Promise(resolve => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = 'cancel';
    dialog.showModal();
    // The safe choice has the focus first.
    document.getElementById('confirm-cancel').focus();
  });
}
