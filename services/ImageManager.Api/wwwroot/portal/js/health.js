// A VIM's health as it is: green only for a VIM that answered; never answered is not healthy.
import { h } from './dom.js';

const words = { healthy: 'healthy', unhealthy: 'unhealthy', unknown: 'never answered' };

export function healthBadge(health) {
  const text = words[health?.state] ?? health?.state ?? '—';
  return h('span', { class: `state health-${health?.state ?? 'unknown'}`, title: health?.lastError ?? '' },
    text, health?.state === 'unhealthy' && health.reason ? ` (${health.reason})` : '');
}
