import { api, query } from '../api.js';
import { h, field, input, select, table, state, when, values, list, facts } from '../dom.js';
import { attempt, flash } from '../messages.js';
import { actions } from './subscriptions.js';

/** One subscription: its state, an edit form, and its deliveries (filter by state, paged). */
export async function render(main, { parameters: [id], query: parameters, signal }) {
  const path = `/subscriptions/${encodeURIComponent(id)}`;
  const subscription = await api(path, { signal });
  const chosen = parameters.get('state') ?? '';
  const deliveries = await api(`${path}/deliveries${query({ state: chosen, limit: 50, marker: parameters.get('marker') })}`, { signal });

  const form = h('form', { class: 'grid', id: 'subscription-edit' },
    field('Webhook URL', input('url', { type: 'url', required: true, value: subscription.url })),
    field('Event types', input('events', { value: (subscription.events ?? []).join(', ') }), 'comma separated; empty: every event'),
    field('Description', input('description', { value: subscription.description ?? '' })),
    field('New secret', input('secret', { type: 'password', autocomplete: 'new-password' }), 'leave empty to keep it'),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Save changes')));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const data = values(form);
    const patch = { url: data.url, events: list(data.events), description: data.description ?? null, secret: data.secret };
    await attempt(async () => {
      await api(path, { method: 'PATCH', body: patch, contentType: 'application/merge-patch+json' });
      flash('Saved.');
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
  });

  const filter = select('state', [['', 'every state'], ['pending', 'pending'], ['delivered', 'delivered'], ['failed', 'failed']], chosen, { id: 'delivery-filter' });
  filter.addEventListener('change', () => { location.hash = `#/subscriptions/${encodeURIComponent(id)}${query({ state: filter.value })}`; });

  main.append(
    h('h1', {}, 'Subscription'),
    facts([
      ['URL', h('code', {}, subscription.url)], ['State', state(subscription.state)],
      ['Suspended because', subscription.suspendedReason ? h('span', { class: 'error-text' }, subscription.suspendedReason) : null],
      ['Suspended at', subscription.suspendedAt ? when(subscription.suspendedAt) : null],
      ['Failures in a row', subscription.consecutiveFailures], ['Events', (subscription.events ?? []).join(', ') || 'every event'],
      ['Tenant', subscription.tenant], ['Description', subscription.description],
      ['Created', when(subscription.createdAt)], ['Updated', when(subscription.updatedAt)],
    ]),
    actions(subscription),
    h('h2', {}, 'Edit'), form,
    h('h2', {}, 'Deliveries'),
    h('form', { class: 'grid' }, field('Show', filter)),
    deliveries.deliveries.length === 0 ? h('p', {}, 'No delivery.') :
      table('Deliveries, newest first', ['Event', 'Type', 'State', 'Attempts#', 'Last status#', 'Last error', 'Created', 'Last attempt', 'Next attempt'],
        deliveries.deliveries.map(delivery => h('tr', {},
          h('td', {}, h('code', {}, delivery.eventId)), h('td', {}, delivery.eventType), h('td', {}, state(delivery.state)),
          h('td', { class: 'num' }, delivery.attempts), h('td', { class: 'num' }, delivery.lastStatus ?? ''),
          h('td', { class: 'error-text' }, delivery.lastError ?? ''), h('td', {}, when(delivery.createdAt)),
          h('td', {}, when(delivery.lastAttemptAt)), h('td', {}, delivery.nextAttemptAt ? when(delivery.nextAttemptAt) : '')))),
    deliveries.next ? h('a', { class: 'button secondary', href: `#/subscriptions/${encodeURIComponent(id)}${query({ state: chosen, marker: deliveries.next })}` }, 'Older') : null);
}
