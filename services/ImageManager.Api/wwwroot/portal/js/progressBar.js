// Progress as it is: each target state its own segment (failed in red), never one bar that counts failures as done.
import { h, count } from './dom.js';

/** Groups of target states, in the order the bar shows them. */
export const segments = [
  ['active', 'active', ['active']],
  ['failed', 'failed', ['failed']],
  ['in-progress', 'in progress', ['uploading', 'verifying', 'removing']],
  ['pending', 'pending', ['pending']],
  ['other', 'skipped or cancelled', ['skipped', 'cancelled', 'removed', 'released', 'drifted', 'successor-pending', 'successor-present']],
];

/** The counts per group from the API's counts per state. */
export function groupCounts(counts) {
  return Object.fromEntries(segments.map(([key, , states]) => [key, states.reduce((sum, s) => sum + (counts?.[s] ?? 0), 0)]));
}

/**
 * A bar of one segment per group, widths set through the CSSOM (the content security policy refuses style attributes,
 * not style properties set from a script); role img with the counts as its name.
 */
export function segmentBar(id, counts, total) {
  const groups = groupCounts(counts);
  const bar = h('div', { class: 'segments', id, role: 'img', 'aria-label': describe(groups) });
  for (const [key, label] of segments) {
    if (!groups[key]) continue;
    const part = h('span', { class: `segment segment-${key}`, title: `${count(groups[key])} ${label}`, dataset: { count: groups[key] } });
    part.style.flexGrow = String(groups[key] / Math.max(total, 1));
    bar.append(part);
  }
  return bar;
}

/** "1 active, 2 failed, 0 in progress, 0 pending" (skipped and cancelled when there are some). */
export function describe(groups) {
  return segments.filter(([key]) => key !== 'other' || groups.other > 0).map(([key, label]) => `${count(groups[key])} ${label}`).join(', ');
}
