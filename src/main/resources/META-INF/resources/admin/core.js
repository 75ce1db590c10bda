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
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = { detail: text }; }
  if (response.status === 401) { onUnauthorized('Your token is no longer accepted; sign in again.'); }
  return { status: response.status, ok: response.ok, data };
}

export function toast(message) {
  const box = $('#toast');
  box.textContent = message;
  box.classList.add('show');
  setTimeout(() => box.classList.remove('show'), 2500);
}

export function problem(result) {
  return (result.data && (result.data.detail || result.data.title)) || ('HTTP ' + result.status);
}

export function askReason(what) {
  const reason = window.prompt('Reason for ' + what + ' (recorded in the audit trail):');
  return reason && reason.trim() ? reason.trim() : null;
}
