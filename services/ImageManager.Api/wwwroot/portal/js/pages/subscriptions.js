import { api, query } from '../api.js';
import { h, field, input, table, state, when, values, list } from '../dom.js';
import { attempt, confirmAction, flash } from '../messages.js';

/** Notification subscriptions: webhooks for lifecycle events; list, add, resume a suspended one, remove. */
export async function render(main, { query: parameters, signal }) {
  const page = await api(`/subscriptions${query({ limit: 100, marker: parameters.get('marker') })}`, { signal });
  const form = h('form', { class: 'grid', id: 'subscription-form' },
    field('Webhook URL', input('url', { type: 'url', required: true, placeholder: 'https://…' })),
    field('Secret', input('secret', { type: 'password', required: true, autocomplete: 'new-password' }), 'signs each delivery; never shown again'),
    field('Event types', input('events', { placeholder: 'org.onap.imagemanager.image.*' }), 'comma separated; empty: every event'),
    field('Description', input('description')),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Subscribe')));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const data = values(form);
    await attempt(async () => {
      const created = await api('/subscriptions', { method: 'POST', body: { url: data.url, secret: data.secret, events: data.events ? list(data.events) : undefined, description: data.description } });
      flash('Subscribed.');
      location.hash = `#/subscriptions/${encodeURIComponent(created.id)}`;
    });
  });

  main.append(
    h('h1', {}, 'Notification subscriptions'),
    page.subscriptions.length === 0 ? h('p', {}, 'No subscription yet.') :
      table('Subscriptions', ['URL', 'Events', 'State', 'Failures in a row#', 'Description', 'Created', 'Actions'], page.subscriptions.map(subscription => h('tr', {},
        h('td', {}, h('a', { href: `#/subscriptions/${encodeURIComponent(subscription.id)}` }, subscription.url)),
        h('td', {}, (subscription.events ?? []).join(', ') || 'every event'),
        h('td', {}, state(subscription.state), subscription.suspendedReason ? h('div', { class: 'error-text' }, subscription.suspendedReason) : null),
        h('td', { class: 'num' }, subscription.consecutiveFailures ?? 0),
        h('td', {}, subscription.description ?? ''), h('td', {}, when(subscription.createdAt)),
        h('td', {}, actions(subscription))))),
    page.next ? h('a', { class: 'button secondary', href: `#/subscriptions${query({ marker: page.next })}` }, 'Next page') : null,
    h('h2', {}, 'Add a subscription'), form);
}

export function actions(subscription, after = () => window.dispatchEvent(new HashChangeEvent('hashchange'))) {
  return h('div', { class: 'buttons' },
    subscription.state === 'suspended' ? h('button', { type: 'button', 'aria-label': `Resume ${subscription.url}`, onclick: () => attempt(async () => {
      await api(`/subscriptions/${encodeURIComponent(subscription.id)}/resume`, { method: 'POST' });
      flash('Resumed.');
      after();
    }) }, 'Resume') : null,
    h('button', { type: 'button', class: 'danger', 'aria-label': `Remove ${subscription.url}`, onclick: async () => {
      if (!await confirmAction('Remove this subscription?', `${subscription.url} will receive no more events.`, 'Remove')) return;
      await attempt(async () => {
        await api(`/subscriptions/${encodeURIComponent(subscription.id)}`, { method: 'DELETE' });
        flash('Subscription removed.');
        if (location.hash.startsWith('#/subscriptions/')) location.hash = '#/subscriptions';
        else after();
      });
    } }, 'Remove'));
}
