// Hash routing in one page: each route renders into <main>; leaving a page aborts what it was doing (streams, polls).
import { credential, signOut } from './api.js';
import { clearMessages, showError } from './messages.js';
import * as login from './pages/login.js';
import * as overview from './pages/overview.js';
import * as fleet from './pages/fleet.js';
import * as catalogue from './pages/catalogue.js';
import * as image from './pages/image.js';
import * as upload from './pages/upload.js';
import * as importPage from './pages/import.js';
import * as distribute from './pages/distribute.js';
import * as distributions from './pages/distributions.js';
import * as distribution from './pages/distribution.js';
import * as vims from './pages/vims.js';
import * as vim from './pages/vim.js';
import * as subscriptions from './pages/subscriptions.js';
import * as subscription from './pages/subscription.js';

const routes = [
  [/^login$/, login],
  [/^overview$/, overview],
  [/^fleet\/([0-9a-f-]{36})$/, fleet],
  [/^images$/, catalogue],
  [/^images\/([0-9a-f-]{36})$/, image],
  [/^upload$/, upload],
  [/^import$/, importPage],
  [/^distribute$/, distribute],
  [/^distributions$/, distributions],
  [/^distributions\/([0-9a-f-]{36})$/, distribution],
  [/^vims$/, vims],
  [/^vims\/new$/, vim],
  [/^vims\/([^/]+)$/, vim],
  [/^subscriptions$/, subscriptions],
  [/^subscriptions\/([^/]+)$/, subscription],
];

let current = null;

async function route() {
  const hash = location.hash;
  // Only "#/..." is a route; other fragments (the skip link's #main) stay in-page.
  if (hash && !hash.startsWith('#/')) return;
  const [path, search] = (hash.slice(2) || 'overview').split('?');
  if (!credential() && path !== 'login') {
    location.hash = '#/login';
    return;
  }

  current?.abort();
  current = new AbortController();
  clearMessages();
  const signedIn = Boolean(credential());
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('logout').hidden = !signedIn;
  for (const link of document.querySelectorAll('#nav a')) {
    if (path === link.getAttribute('href').slice(2) || path.startsWith(`${link.getAttribute('href').slice(2)}/`)) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }

  const main = document.getElementById('main');
  const match = routes.map(([pattern, page]) => [path.match(pattern), page]).find(([found]) => found);
  if (!match) {
    main.replaceChildren(Object.assign(document.createElement('h1'), { textContent: 'Not found' }));
    return;
  }

  const [found, page] = match;
  const parameters = found.slice(1).map(decodeURIComponent);
  const signal = current.signal;
  try {
    main.replaceChildren();
    // Pages append optional parts as null when absent; Element.append would write them as the text "null".
    const target = { append: (...children) => main.append(...children.filter(child => child !== null && child !== undefined && child !== false)) };
    await page.render(target, { parameters, query: new URLSearchParams(search ?? ''), signal });
  } catch (error) {
    if (!signal.aborted) showError(error);
  }

  if (!signal.aborted) {
    // Keyboard and screen-reader users start at the new page's heading.
    const heading = main.querySelector('h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
    document.title = `${heading?.textContent ?? 'Portal'} — Image Manager`;
  }
}

document.getElementById('logout').addEventListener('click', () => signOut());
document.getElementById('skip').addEventListener('click', event => {
  event.preventDefault();
  document.getElementById('main').focus();
});
window.addEventListener('hashchange', route);
route();
