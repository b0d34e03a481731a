// The panel's shell: login and logout, the navigation, and a hash router that mounts one page at a
// time (#/chat, #/channels?...). Hash routes keep every page at the server's single path `/`, so the
// panel never needs a catch-all route that could shadow the API.
import { h, replace } from './dom.js';
import { icon } from './icons.js';
import { onUnauthorized, send, errorOf, post } from './api.js';
import { showError, toast } from './ui.js';
import * as chat from './pages/chat.js';
import * as conversations from './pages/conversations.js';
import * as channels from './pages/channels.js';
import * as presets from './pages/presets.js';
import * as tools from './pages/tools.js';
import * as keys from './pages/keys.js';
import * as usage from './pages/usage.js';
import * as memories from './pages/memories.js';

const PAGES = [
  { path: 'chat', title: 'Chat', icon: 'chat', page: chat },
  { path: 'conversations', title: 'Conversations', icon: 'conversations', page: conversations },
  { path: 'channels', title: 'Channels', icon: 'channels', page: channels },
  { path: 'tools', title: 'Tools', icon: 'tools', page: tools },
  { path: 'presets', title: 'Presets', icon: 'presets', page: presets },
  { path: 'memories', title: 'Memories', icon: 'memories', page: memories },
  { path: 'keys', title: 'Keys', icon: 'keys', page: keys },
  { path: 'usage', title: 'Usage', icon: 'usage', page: usage },
];
/** Set once a login succeeded in this tab, so a later 401 reads "session ended" rather than "log in". */
const SESSION_FLAG = 'chatai.loggedIn';

const $ = (id) => document.getElementById(id);
let cleanup = null;
let mountedRoute = null;

/** The current route: {path, params} from "#/path?a=b". */
export function currentRoute() {
  const hash = location.hash.startsWith('#/') ? location.hash.slice(2) : '';
  const [path, query = ''] = hash.split('?');
  return { path: PAGES.some((p) => p.path === path) ? path : 'chat', params: new URLSearchParams(query) };
}

/** Goes to a route; `replace` keeps the history entry (for filters that only refine the same page). */
export function navigate(path, params = {}, { replace: replaceEntry = false } = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();
  const hash = `#/${path}${query ? `?${query}` : ''}`;
  if (replaceEntry) {
    history.replaceState(null, '', hash);
    if (mountedRoute?.startsWith(`${path}?`)) mountedRoute = `${path}?${query}`; // no hashchange follows
  } else if (location.hash !== hash) {
    location.hash = hash;
  }
}

function buildNav() {
  replace($('nav'), PAGES.map(({ path, title, icon: iconName }) =>
    h('li', {}, h('a', { href: `#/${path}`, dataset: { path } }, icon(iconName, 18), h('span', { text: title })))));
}

async function route() {
  const { path, params } = currentRoute();
  const entry = PAGES.find((p) => p.path === path);
  for (const link of $('nav').querySelectorAll('a')) {
    if (link.dataset.path === path) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const key = `${path}?${params}`;
  if (mountedRoute === key) return;
  // A page that only changed its own query (paging, a selected row) updates itself instead of remounting.
  if (mountedRoute?.startsWith(`${path}?`) && cleanup?.update) {
    mountedRoute = key;
    cleanup.update(params);
    return;
  }
  if (typeof cleanup?.dispose === 'function') cleanup.dispose();
  mountedRoute = key;
  document.title = `${entry.title} · ChatAI Server`;
  const main = $('main');
  main.replaceChildren();
  cleanup = (await entry.page.mount(main, { params, navigate })) ?? null;
  // Focus moves to the new page's heading (unless the page focused something itself), so keyboard and
  // screen reader users start reading the page they asked for, not the navigation they left.
  const heading = main.querySelector('.page-title');
  if (heading && !main.contains(document.activeElement)) heading.focus({ preventScroll: true });
}

function showApp() {
  $('boot').hidden = true;
  $('login-view').hidden = true;
  $('app-view').hidden = false;
  mountedRoute = null;
  route();
}

function showLogin(message) {
  if (typeof cleanup?.dispose === 'function') cleanup.dispose();
  cleanup = null;
  mountedRoute = null;
  $('main').replaceChildren();
  $('boot').hidden = true;
  $('app-view').hidden = true;
  $('login-view').hidden = false;
  const note = $('login-message');
  note.hidden = !message;
  note.textContent = message ?? '';
  showError($('login-error'), null);
  $('login-key').focus();
}

async function login(event) {
  event.preventDefault();
  const input = $('login-key');
  const errorRegion = $('login-error');
  if (!input.value.trim()) {
    showError(errorRegion, { message: 'Enter the admin key.' });
    input.focus();
    return;
  }
  $('login-submit').disabled = true;
  try {
    const response = await send('POST', '/api/auth/login', { key: input.value.trim() });
    if (!response.ok) {
      const error = await errorOf(response);
      showError(errorRegion, error, 'Could not log in');
      input.select();
      return;
    }
    // The key has done its job: it is not kept anywhere, not even in the input.
    input.value = '';
    sessionStorage.setItem(SESSION_FLAG, '1');
    showApp();
  } catch (error) {
    showError(errorRegion, error, 'Could not log in');
  } finally {
    $('login-submit').disabled = false;
  }
}

async function logout() {
  try {
    await post('/api/auth/logout');
  } catch (error) {
    toast(error.message, 'error');
  }
  sessionStorage.removeItem(SESSION_FLAG);
  showLogin('You are logged out.');
}

/** Asks the API whether the session cookie (invisible to scripts) is still good. */
async function sessionIsLive() {
  const response = await send('GET', '/api/keys');
  return response.ok;
}

async function start() {
  buildNav();
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  $('skip-link').addEventListener('click', (event) => {
    event.preventDefault(); // "#main" would replace the route in the hash
    $('main').focus();
  });
  window.addEventListener('hashchange', () => { if (!$('app-view').hidden) route(); });
  onUnauthorized(() => {
    if ($('app-view').hidden) return;
    const ended = sessionStorage.getItem(SESSION_FLAG);
    sessionStorage.removeItem(SESSION_FLAG);
    showLogin(ended ? 'Your session ended. Log in again to continue.' : null);
  });
  try {
    if (await sessionIsLive()) showApp();
    else showLogin(sessionStorage.getItem(SESSION_FLAG) ? 'Your session ended. Log in again to continue.' : null);
  } catch {
    showLogin('The server cannot be reached. Is it running?');
  }
}

start();
