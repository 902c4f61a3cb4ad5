import { api, query } from '../api.js';
import { h, field, select, table, state, when, bytes, facts } from '../dom.js';
import { attempt, confirmAction, flash, showNotice } from '../messages.js';
import { readEvents } from '../events.js';
import { imageName, imageLink } from '../names.js';
import { segmentBar, groupCounts, describe } from '../progressBar.js';

const shownTargets = 200;
const targetStates = ['pending', 'uploading', 'verifying', 'active', 'failed', 'skipped', 'cancelled', 'removing', 'removed', 'drifted'];

/**
 * A distribution, live: counts, bytes, a progress bar and the targets, kept current from the event stream (read with
 * fetch, resumed with Last-Event-ID; polled when the stream cannot be had), with retry of failed targets and cancel.
 */
export async function render(main, { parameters: [id], query: parameters, signal }) {
  let status = await firstLook(id, signal);
  const targets = new Map((await allTargets(id, signal)).map(target => [target.vimId, target]));
  const name = await imageName(status.imageId, signal);

  const heading = h('h1', {}, `Distribution of ${name ?? 'an image no longer in the catalogue'}`);
  const stateLine = h('p', { id: 'distribution-state' });
  const progress = h('div', { id: 'distribution-progress' });
  const progressLabel = h('p', { id: 'progress-label', 'aria-live': 'polite' });
  const bytesLine = h('p', { id: 'distribution-bytes', 'aria-live': 'polite' });
  const summary = h('div', { id: 'distribution-summary' });
  const filter = select('state', [['', 'every state'], ...targetStates.map(s => [s, s])], parameters.get('state') ?? '', { id: 'target-filter' });
  const tableHolder = h('div', { id: 'targets' });
  const actions = h('div', { class: 'buttons', role: 'group', 'aria-label': 'Actions' });

  const paint = () => {
    stateLine.replaceChildren('State: ', state(status.state), ...(status.outcome ? [' — outcome: ', state(status.outcome)] : []),
      status.stopReason ? h('span', { class: 'error-text' }, ` (${status.stopReason})`) : '');
    // Honest: failed targets are failed, not done; the bytes are those sent so far, while they flow.
    const groups = groupCounts(status.counts);
    progress.replaceChildren(segmentBar('distribution-segments', status.counts, status.targetCount));
    progressLabel.textContent = `${describe(groups)} — of ${status.targetCount} target${status.targetCount === 1 ? '' : 's'}` +
      (status.state === 'completed' ? '. Completed.' : '.');
    bytesLine.textContent = `${bytes(status.bytesSent)} sent` + (status.state !== 'completed' && status.etaSeconds ? `, about ${Math.ceil(status.etaSeconds)} s left` : '') + '.';
    summary.replaceChildren(facts([
      ['Image', imageLink(status.imageId, name)],
      ['Kind', status.kind], ['Requested', when(status.requestedAt)], ['Completed', status.completedAt ? when(status.completedAt) : null],
      ['Retry of', status.retryOf ? h('a', { href: `#/distributions/${status.retryOf}` }, status.retryOf) : null],
      ['Strategy', status.strategy ? Object.entries(status.strategy).filter(([, v]) => v !== null).map(([k, v]) => `${k} ${v}`).join(', ') : null],
      ['Counts', h('span', { id: 'distribution-counts' }, Object.entries(status.counts ?? {}).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`).join(', '))],
    ]));
    const matching = [...targets.values()].filter(target => !filter.value || target.state === filter.value);
    // A page holds a few hundred rows well; thousands of targets are narrowed with the state filter.
    const shown = matching.slice(0, shownTargets);
    tableHolder.replaceChildren(matching.length > shown.length ? h('p', { class: 'muted' }, `The first ${shown.length} of ${matching.length} targets; choose a state to narrow them.`) : '',
      shown.length === 0 ? h('p', {}, 'No target in this state.') :
      table(`Targets${filter.value ? ` (${filter.value})` : ''}`, ['VIM', 'State', 'Attempt#', 'Sent#', 'Image id on the VIM', 'Error (as the VIM said it)', 'Updated'],
        shown.map(target => h('tr', { dataset: { vim: target.vimId } },
          h('td', {}, h('a', { href: `#/vims/${encodeURIComponent(target.vimId)}` }, target.vimId)),
          h('td', { class: 'target-state' }, state(target.state)),
          h('td', { class: 'num' }, target.attempt), h('td', { class: 'num' }, bytes(target.bytesSent)),
          h('td', {}, h('code', {}, target.vimImageId ?? '')),
          h('td', { class: 'error-text' }, target.lastError ?? ''),
          h('td', {}, when(target.updatedAt))))));
    actions.replaceChildren(...[
      status.state !== 'completed' ? h('button', { type: 'button', class: 'danger', id: 'cancel-distribution', onclick: cancel }, 'Cancel pending targets') : null,
      (status.counts?.failed ?? 0) > 0 ? h('button', { type: 'button', id: 'retry-failed', onclick: retry }, `Retry ${status.counts.failed} failed`) : null,
    ].filter(Boolean));
  };

  async function cancel() {
    if (!await confirmAction('Cancel this distribution?', 'Targets not yet under way end cancelled; uploads already running finish.', 'Cancel targets')) return;
    await attempt(async () => {
      await api(`/distributions/${id}/cancel`, { method: 'POST' });
      showNotice('Cancelling the pending targets.');
    });
  }

  async function retry() {
    await attempt(async () => {
      const started = await api(`/distributions/${id}/retry`, { method: 'POST' });
      flash('The failed targets are being distributed again.');
      location.hash = `#/distributions/${started.distributionId ?? started.id}`;
    });
  }

  filter.addEventListener('change', paint);
  paint();
  main.append(heading, h('p', { class: 'muted' }, 'Distribution ', h('code', {}, id)), stateLine, progress, progressLabel, bytesLine, actions,
    h('section', { 'aria-labelledby': 'summary-h' }, h('h2', { id: 'summary-h' }, 'Summary'), summary),
    h('section', { 'aria-labelledby': 'targets-h' }, h('h2', { id: 'targets-h' }, 'Targets'), h('form', { class: 'grid' }, field('Show', filter)), tableHolder));

  if (status.state !== 'completed') void follow(id, signal, async (kind, data) => {
    if (kind === 'target') {
      const target = JSON.parse(data);
      targets.set(target.vimId, { ...targets.get(target.vimId), ...target, lastError: target.error ?? null });
    } else if (kind === 'progress') {
      status = { ...status, ...JSON.parse(data) };
    } else if (kind === 'completed' || kind === 'poll') {
      status = await api(`/distributions/${id}`, { signal });
      for (const target of await allTargets(id, signal)) targets.set(target.vimId, target);
    }
    paint();
    return status.state === 'completed';
  });
}

/** Follows the event stream, reconnecting with Last-Event-ID; falls back to polling the status when streaming fails. */
async function follow(id, signal, onChange) {
  let lastEventId = null;
  let failures = 0;
  while (!signal.aborted) {
    let done = false;
    try {
      await readEvents(`/distributions/${id}/events`, {
        signal, lastEventId,
        onEvent: (name, data, eventId) => {
          if (eventId) lastEventId = eventId;
          failures = 0;
          void onChange(name, data).then(finished => { done ||= finished; });
        },
      });
      // The stream ends after 'completed' (or at once with 204 when it already had): settle on the final state.
      done = await onChange('poll');
    } catch (error) {
      if (signal.aborted) return;
      failures++;
      if (failures > 3) done = await onChange('poll').catch(() => false);
    }
    if (done || signal.aborted) return;
    await new Promise(resolve => setTimeout(resolve, failures > 3 ? 2000 : 500 * failures));
  }
}

/** The status; a distribution appears a moment after it was accepted, so a 404 is asked again for a few seconds. */
async function firstLook(id, signal) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await api(`/distributions/${id}`, { signal });
    } catch (error) {
      if (error?.status !== 404 || attempt >= 20 || signal.aborted) throw error;
      await new Promise(resolve => setTimeout(resolve, 250 * Math.min(attempt, 4)));
    }
  }
}

async function allTargets(id, signal) {
  const found = [];
  let marker = null;
  do {
    const page = await api(`/distributions/${id}/targets${query({ limit: 1000, marker })}`, { signal });
    found.push(...page.targets);
    marker = page.next;
  } while (marker && found.length < 20000);
  return found;
}
