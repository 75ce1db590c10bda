// Rollgate admin UI: plain JavaScript modules over the admin API, no build step. The token lives in
// sessionStorage only, and what the token's roles may not do is not offered.
import { $, TOKEN_KEY, api, configure, labelCells, state } from './core.js';
import { renderAudit } from './audit.js';
import { renderCanary } from './canary.js';
import { renderCode } from './code.js';
import { renderFlag } from './flag.js';
import { renderFlags } from './flags.js';
import { startLive, stopLive } from './live.js';
import { renderLookup } from './lookup.js';
import { renderRollout } from './rollout.js';
import { renderSegment, renderSegments } from './segments.js';
import { renderTokens } from './tokens.js';

async function signIn(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  const result = await api('GET', '/api/admin/session');
  if (!result.ok) {
    sessionStorage.removeItem(TOKEN_KEY);
    $('#sign-in-error').textContent = result.status === 403
      ? 'This token cannot use the admin UI (it is an ingest or evaluation token).'
      : 'That token was not accepted.';
    return false;
  }
  state.session = result.data;
  $('#who').textContent = state.session.principal + ' (' + state.session.roles.join(', ') + ')';
  // token management is the admins' alone
  $('#nav-tokens').hidden = !state.session.roles.includes('admin');
  $('#sign-in').hidden = true;
  $('#nav').hidden = false;
  $('#view').hidden = false;
  startLive();
  if (!location.hash || location.hash === '#/') location.hash = '#/flags'; else route();
  return true;
}

function signOut(message) {
  stopLive();
  sessionStorage.removeItem(TOKEN_KEY);
  state.session = null;
  $('#nav').hidden = true;
  $('#view').hidden = true;
  $('#sign-in').hidden = false;
  // nothing of the session stays on the page: not the token, not who it was, not what was shown
  $('#token').value = '';
  $('#who').textContent = '';
  $('#view').innerHTML = '';
  $('#sign-in-error').textContent = message || '';
}

// each page with the nav item it belongs to and the tab's title
const routes = [
  [/^#\/flags(?:\?(.*))?$/, (m) => renderFlags(new URLSearchParams(m[1] || '')), '#/flags', () => 'Flags'],
  [/^#\/flag\/(.+)$/, (m) => renderFlag(decodeURIComponent(m[1])), '#/flags',
    (m) => (m[1] === 'new' ? 'New flag' : 'Flag ' + decodeURIComponent(m[1]))],
  [/^#\/lookup(?:\?(.*))?$/, (m) => renderLookup(new URLSearchParams(m[1] || '')), '#/lookup',
    () => 'Customers & organizations'],
  [/^#\/segments$/, renderSegments, '#/segments', () => 'Segments'],
  [/^#\/segment\/(.+)$/, (m) => renderSegment(decodeURIComponent(m[1])), '#/segments',
    (m) => (m[1] === 'new' ? 'New segment' : 'Segment ' + decodeURIComponent(m[1]))],
  [/^#\/tokens$/, renderTokens, '#/tokens', () => 'Tokens'],
  [/^#\/code$/, renderCode, '#/code', () => 'Flags as code'],
  [/^#\/rollouts\/(.+)$/, (m) => renderRollout(decodeURIComponent(m[1])), '#/flags',
    (m) => 'Rollout of ' + decodeURIComponent(m[1])],
  [/^#\/audit(?:\?(.*))?$/, (m) => renderAudit(new URLSearchParams(m[1] || '')), '#/audit', () => 'Audit'],
  [/^#\/canary(?:\?(.*))?$/, (m) => renderCanary(new URLSearchParams(m[1] || '')), '#/canary',
    (m) => { const service = new URLSearchParams(m[1] || '').get('service'); return service ? 'Canary '
      + service : 'Canary'; }],
];

// Navigation moves focus to the page, at its top with the header in view; drawing the same page again (after a
// change) leaves scroll and focus where they are. The current nav item and the tab's title follow the page.
async function route(options = {}) {
  if (!state.session) return;
  // a refusal belongs to the page it happened on; a redraw of the same page keeps it
  if (!options.keepFocus) $('#alerts').replaceChildren();
  for (const [pattern, render, section, title] of routes) {
    const match = location.hash.match(pattern);
    if (!match) continue;
    for (const link of document.querySelectorAll('nav a')) {
      const current = link.getAttribute('href') === section;
      link.classList.toggle('current', current);
      // screen readers hear which section this is
      if (current) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
    }
    document.title = title(match) + ' — Rollgate';
    await render(match);
    if (!options.keepFocus) {
      window.scrollTo(0, 0);
      $('#main').focus({ preventScroll: true });
    }
    return;
  }
  location.hash = '#/flags';
}

// whatever a page draws, now or later (rows loaded after the page), its cells are named for a phone's stacked rows
let labelling = 0;
new MutationObserver(() => {
  cancelAnimationFrame(labelling);
  labelling = requestAnimationFrame(() => labelCells($('#view')));
}).observe($('#view'), { childList: true, subtree: true });

configure({ unauthorized: signOut, rerender: () => route({ keepFocus: true }) });
$('#sign-in-form').addEventListener('submit', (event) => { event.preventDefault(); signIn($('#token').value.trim()); });
$('#sign-out').addEventListener('click', () => signOut());
window.addEventListener('hashchange', () => route());
if (sessionStorage.getItem(TOKEN_KEY)) signIn(sessionStorage.getItem(TOKEN_KEY));
