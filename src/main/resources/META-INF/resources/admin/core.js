// Shared by every view: the signed-in session, the API client, messages and small helpers.
export const TOKEN_KEY = 'rollgate.token';
export const state = { session: null };
let generation = 0;
let onUnauthorized = () => {};
let rerender = () => {};

/** Registers what happens when the token stops being accepted, and how the current page is drawn again. */
export function configure(handlers) {
  onUnauthorized = handlers.unauthorized;
  rerender = handlers.rerender;
}

/** Draws the current page again (after a change). */
export function refresh() {
  return rerender();
}

// Each navigation starts a new render; a slower earlier one must not paint over it.
export function renderTicket() {
  const mine = ++generation;
  return () => mine !== generation;
}

/** The render started last. */
export function currentRender() {
  return generation;
}

/** Keeps the render {@code ticket} from painting, as if a newer one had started; a newer one still paints. */
export function holdBack(ticket) {
  if (generation === ticket) generation += 1;
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const esc = (value) => String(value ?? '').replace(/[&<>"']/g,
  (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
export const pct = (rate) => (rate * 100).toFixed(2) + '%';
export const canWrite = () => state.session
  && (state.session.roles.includes('admin') || state.session.roles.includes('operator'));

export async function api(method, path, body) {
  const headers = { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let data;
  try { data = text ? JSON.parse(text) : null; } catch { data = { detail: text }; }
  if (response.status === 401) { onUnauthorized('Your token is no longer accepted; sign in again.'); }
  return { status: response.status, ok: response.ok, data };
}

/**
 * The rollout of a flag, from the list of rollouts: a flag without one is an answer, not a failed request (which
 * the browser would log as an error on every page of such a flag).
 */
export async function rolloutOf(key) {
  const list = await api('GET', '/api/admin/rollouts');
  if (!list.ok) return list;
  const found = list.data.find((r) => r.featureName === key || (r.alias && r.alias === key));
  return found ? { ok: true, status: 200, data: found } : { ok: false, status: 404, data: { detail: 'No rollout of '
    + key } };
}

/** Names every cell after its column, for the stacked rows a phone shows instead of a table. */
export function labelCells(root = document) {
  root.querySelectorAll('table').forEach((table) => {
    const names = Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent.trim());
    if (!names.length) return;
    table.querySelectorAll('tbody tr').forEach((row) => {
      Array.from(row.children).forEach((cell,
        i) => { if (names[i] && cell.tagName === 'TD') cell.dataset.label = names[i]; });
    });
  });
}

/** A short confirmation that goes by itself. */
export function toast(message) {
  const box = $('#toast');
  box.textContent = message;
  box.classList.add('show');
  setTimeout(() => box.classList.remove('show'), 2500);
}

/**
 * A refusal or error: announced, and kept on screen until dismissed. {@code reload}, when given, is offered
 * as a button (after a conflict, to read what someone else changed).
 */
export function fail(message, reload) {
  const item = document.createElement('div');
  item.className = 'alert';
  item.setAttribute('role', 'alert');
  const text = document.createElement('p');
  text.textContent = human(message);
  item.append(text);
  const add = (label, action) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = label;
    button.addEventListener('click', () => { item.remove(); if (action) action(); });
    item.append(button);
  };
  if (reload) add('Reload', reload);
  add('Dismiss');
  $('#alerts').append(item);
}

/** Says how a change went: a toast when it worked, a kept alert when not (a conflict offers a reload). */
export function report(result, success) {
  if (result.ok) { toast(success); return true; }
  if (result.status === 409 && /version|concurrent|changed/i.test(problem(result))) {
    fail(problem(result).replace(/\.?$/, '.') + ' Someone else changed it since this page read it.', refresh);
  } else {
    fail(problem(result));
  }
  return false;
}

export function problem(result) {
  return (result.data && (result.data.detail || result.data.title)) || ('HTTP ' + result.status);
}

/**
 * Asks for the reason of a change in the page, saying what the change will do; resolves to the reason, or
 * null when the operator cancels.
 */
export function askReason(what, consequence) {
  const dialog = $('#ask');
  const input = $('#ask-reason');
  $('#ask-title').textContent = what.charAt(0).toUpperCase() + what.slice(1);
  $('#ask-consequence').textContent = consequence || '';
  input.value = '';
  dialog.returnValue = '';
  dialog.showModal();
  input.focus();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      const reason = dialog.returnValue === 'confirm' ? input.value.trim() : '';
      resolve(reason || null);
    }, { once: true });
  });
}

/** A labelled form field: the label, then {@code input} (whose id is {@code id}). */
export const field = (id, label, input) => '<div><label for="' + id + '">' + esc(label) + '</label>' + input + '</div>';

/** What is wrong with what a form sent (or would send), one line each, kept beside it until the next try. */
export function problemsBeside(form, problems) {
  form.querySelectorAll('.criteria').forEach((old) => old.remove());
  if (!problems.length) return;
  const list = document.createElement('ul');
  list.className = 'criteria';
  list.setAttribute('role', 'alert');
  list.innerHTML = problems.map((p) => '<li>' + esc(p) + '</li>').join('');
  form.append(list);
}

/** The non-empty lines of a text area, trimmed: one list entry a line. */
export const lines = (selector) => $(selector).value.split('\n').map((line) => line.trim()).filter(Boolean);

/** Runs a button's request with the button disabled, so a double click sends it once. */
export async function busy(button, action) {
  if (!button || button.disabled) return undefined;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await action();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/** A tier by number, in words: "tier 2 · early adopters". */
export const TIER_NAME = ['tier 0 · disabled', 'tier 1 · internal', 'tier 2 · early adopters', 'tier 3 · general',
  'tier 4 · full'];

/** How many customers a tier reaches, in words. */
export const TIER_REACH = ['no customers', 'whitelisted customers only', '10 % of customers', '50 % of customers',
  'every customer'];

/** A time as the operator reads it: date, time and the zone's name. */
export function when(iso) {
  // dateStyle and timeStyle cannot be combined with the zone's name, so the fields are spelled out
  return new Date(iso).toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit',
    minute: '2-digit', second: '2-digit', timeZoneName: 'short' });
}

/** How long until {@code ms} from now, in words: "47 h 58 min", "3 min 5 s". */
export function remaining(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
  if (d) return d + ' d ' + h + ' h';
  if (h) return h + ' h ' + m + ' min';
  return m ? m + ' min ' + (s % 60) + ' s' : (s % 60) + ' s';
}

/** Durations the API writes as ISO-8601 (PT48H, PT1M35S) in words: "48 h", "1 min 35 s"; tiers by name. */
export function human(text) {
  const duration = /\bP(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?\b/g;
  return String(text ?? '').replace(/\btier_([0-4])_[a-z_]+/g, (whole, n) => TIER_NAME[n]).replace(duration,
    (whole, d, h, m, sec) => {
      const parts = [];
      if (d) parts.push(d + ' d');
      if (h) parts.push(h + ' h');
      if (m) parts.push(m + ' min');
      if (sec) parts.push(Math.round(Number(sec)) + ' s');
      return parts.length ? parts.join(' ') : (whole === 'PT0S' ? '0 s' : whole);
    });
}

/** The criteria an advance did not meet, as the list shown beside the rollout. */
export function unmetList(unmet) {
  return '<ul class="criteria">' + unmet.map((c) => '<li>' + criterion(c) + '</li>').join('') + '</ul>';
}

const CRITERIA = { minSamples: 'Samples', errorRate: 'Error rate', successRate: 'Success rate',
  timeInTier: 'Time in tier',
  canaryRequests: 'Canary requests', timeInStage: 'Time in stage' };

/** One advancement criterion in words: "Time in tier: needs >= 48 h, is 1 min 35 s". */
export function criterion(c) {
  return esc(CRITERIA[c.name] || c.name) + ': needs ' + esc(human(c.required)) + ', is ' + esc(human(c.actual));
}
