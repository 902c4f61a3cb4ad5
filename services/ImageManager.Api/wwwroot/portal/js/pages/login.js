import { signIn, signOut, takeSignOutReason, ApiError, credential } from '../api.js';
import { h, field } from '../dom.js';
import { showError } from '../messages.js';

export async function render(main) {
  if (credential()) signOut();
  const reason = takeSignOutReason();
  const secret = h('input', { type: 'password', name: 'credential', id: 'credential', required: true, autocomplete: 'off', spellcheck: 'false' });
  const form = h('form', { class: 'login', id: 'login-form' },
    field('API key or token', secret, 'An API key (imk_…) or a JWT from a trusted issuer; kept in this tab only.'),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Log in')));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const value = secret.value.trim();
    try {
      // The credential is checked by asking for something every role may see.
      const response = await fetch('/api/v1/images?limit=1', { headers: { Authorization: `Bearer ${value}` }, cache: 'no-store' });
      if (response.status === 401) throw await ApiError.from(response);
      // A 403 is a valid credential without the viewer role: the pages show each refusal's reason.
      signIn(value);
      location.hash = '#/overview';
    } catch (error) {
      showError(error instanceof ApiError ? `Login refused: ${error.message}` : error);
      secret.focus();
    }
  });
  main.append(h('h1', {}, 'Log in'), form);
  if (reason) showError(`Logged out: ${reason}`);
}
