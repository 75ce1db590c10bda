// Rollgate admin UI: plain JavaScript over the admin API, no build step. The token lives in
// sessionStorage only, and what the token's roles may not do is not offered.
'use strict';

const TOKEN_KEY = 'rollgate.token';
let session = null;
let generation = 0;

// Each navigation starts a new render; a slower earlier one must not paint over it.
function renderTicket() {
  const mine = ++generation;
  return () => mine !== generation;
}

const $ = (selector, root = document) => root.querySelector(selector);
const esc = (value) => String(value ?? '').replace(/[&<>"']/g,
  (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const pct = (rate) => (rate * 100).toFixed(2) + '%';
const canWrite = () => session && (session.roles.includes('admin') || session.roles.includes('operator'));

async function api(method, path, body) {
  const headers = { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = { detail: text }; }
  if (response.status === 401) { signOut('Your token is no longer accepted; sign in again.'); }
  return { status: response.status, ok: response.ok, data };
}

function toast(message) {
  const box = $('#toast');
  box.textContent = message;
  box.classList.add('show');
  setTimeout(() => box.classList.remove('show'), 2500);
}

function problem(result) {
  return (result.data && (result.data.detail || result.data.title)) || ('HTTP ' + result.status);
}

function askReason(what) {
  const reason = window.prompt('Reason for ' + what + ' (recorded in the audit trail):');
  return reason && reason.trim() ? reason.trim() : null;
}

// ---------------------------------------------------------------- sign in

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
  session = result.data;
  $('#who').textContent = session.principal + ' (' + session.roles.join(', ') + ')';
  $('#sign-in').hidden = true;
  $('#nav').hidden = false;
  $('#view').hidden = false;
  if (!location.hash || location.hash === '#/') location.hash = '#/flags'; else route();
  return true;
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  session = null;
  $('#nav').hidden = true;
  $('#view').hidden = true;
  $('#sign-in').hidden = false;
  $('#sign-in-error').textContent = message || '';
}

// ---------------------------------------------------------------- routing

const routes = [
  [/^#\/flags$/, renderFlags],
  [/^#\/lookup$/, renderLookup],
  [/^#\/rollouts\/(.+)$/, (m) => renderRollout(decodeURIComponent(m[1]))],
  [/^#\/audit$/, renderAudit],
  [/^#\/canary$/, renderCanary],
];

async function route() {
  if (!session) return;
  for (const link of document.querySelectorAll('nav a')) {
    link.classList.toggle('current', location.hash.startsWith(link.getAttribute('href')));
  }
  for (const [pattern, render] of routes) {
    const match = location.hash.match(pattern);
    if (match) { await render(match); $('#main').focus(); return; }
  }
  location.hash = '#/flags';
}

// ---------------------------------------------------------------- flags

async function renderFlags() {
  const superseded = renderTicket();
  const view = $('#view');
  view.innerHTML = '<p>Loading…</p>';
  const [flags, rollouts] = await Promise.all([api('GET', '/api/admin/feature-flags'), api('GET', '/api/admin/rollouts')]);
  if (superseded()) return;
  if (!flags.ok) { view.innerHTML = '<p class="error">' + esc(problem(flags)) + '</p>'; return; }
  const byFlag = {};
  for (const rollout of (rollouts.ok ? rollouts.data : [])) byFlag[rollout.featureName] = rollout;
  const stats = {};
  await Promise.all(Object.keys(byFlag).map(async (key) => {
    const result = await api('GET', '/api/admin/rollouts/' + encodeURIComponent(key) + '/stats');
    if (result.ok) stats[key] = result.data;
  }));
  if (superseded()) return;
  const groups = {};
  for (const feature of flags.data.features) (groups[feature.phase] = groups[feature.phase] || []).push(feature);
  let html = '<h2>Feature flags <span class="hint">environment ' + esc(flags.data.evaluation.environment) + '</span></h2>';
  for (const phase of Object.keys(groups).sort()) {
    html += '<section class="card" aria-labelledby="phase-' + esc(phase) + '"><h3 id="phase-' + esc(phase) + '">'
      + esc(phase) + '</h3><table><thead><tr><th>Flag</th><th>Value</th><th>Enabled globally</th>'
      + '<th>Rollout</th><th>Errors / success</th><th>Actions</th></tr></thead><tbody>';
    for (const feature of groups[phase]) html += flagRow(feature, byFlag[feature.key], stats[feature.key]);
    html += '</tbody></table></section>';
  }
  view.innerHTML = html;
  view.querySelectorAll('input[data-kill]').forEach((box) => box.addEventListener('change', () => toggleGlobal(box)));
  view.querySelectorAll('button[data-advance]').forEach((b) => b.addEventListener('click', () => advance(b.dataset.advance, b)));
  view.querySelectorAll('button[data-rollback]').forEach((b) => b.addEventListener('click', () => rollback(b.dataset.rollback)));
}

function flagRow(feature, rollout, stats) {
  const key = esc(feature.key);
  const disabled = canWrite() ? '' : ' disabled';
  let rolloutCell = '<span class="off">none</span>';
  let rates = '';
  let actions = '';
  if (rollout) {
    rolloutCell = '<a href="#/rollouts/' + encodeURIComponent(feature.key) + '">' + esc(rollout.currentTier) + '</a> '
      + '<span class="bar" role="img" aria-label="' + rollout.percentage + ' percent"><span style="width:'
      + rollout.percentage + '%"></span></span> ' + rollout.percentage + '% <span class="hint">' + esc(rollout.status) + '</span>';
    if (stats) rates = pct(stats.errorRate) + ' / ' + pct(stats.successRate) + ' <span class="hint">(' + stats.samples + ')</span>';
    if (canWrite()) {
      actions = '<button type="button" data-advance="' + key + '" aria-label="Advance ' + key + '">Advance</button> '
        + '<button type="button" class="danger" data-rollback="' + key + '" aria-label="Roll back ' + key + '">Rollback</button>';
    }
  }
  return '<tr data-flag="' + key + '"><td><b>' + key + '</b><div class="hint">' + esc(feature.description) + '</div></td>'
    + '<td class="' + (feature.value ? 'on' : 'off') + '">' + (feature.value ? 'on' : 'off')
    + ' <span class="hint">' + esc(feature.source) + '</span></td>'
    + '<td><input type="checkbox" data-kill="' + key + '" aria-label="' + key + ' enabled globally"'
    + (feature.killed ? '' : ' checked') + disabled + '></td>'
    + '<td>' + rolloutCell + '</td><td>' + rates + '</td><td>' + actions
    + '<div class="criteria-box" data-criteria="' + key + '"></div></td></tr>';
}

async function toggleGlobal(box) {
  const key = box.dataset.kill;
  const reason = askReason((box.checked ? 'enabling ' : 'killing ') + key + ' for everyone');
  if (!reason) { box.checked = !box.checked; return; }
  const result = await api('POST', '/api/admin/feature-flags', { global: true, featureName: key, enabled: box.checked, reason });
  if (!result.ok) { box.checked = !box.checked; toast(problem(result)); return; }
  toast(key + (box.checked ? ' enabled' : ' killed') + ' globally');
  renderFlags();
}

async function advance(key) {
  const result = await api('POST', '/api/admin/rollouts/' + encodeURIComponent(key) + '/advance', {});
  if (result.ok) { toast(key + ' advanced to ' + result.data.currentTier); await route(); return; }
  const box = document.querySelector('[data-criteria="' + CSS.escape(key) + '"]');
  const unmet = (result.data && result.data.unmetCriteria) || [];
  box.innerHTML = '<p class="error">' + esc(problem(result)) + '</p>' + (unmet.length
    ? '<ul class="criteria">' + unmet.map((c) => '<li>' + esc(c.name) + ': needs ' + esc(c.required)
      + ', is ' + esc(c.actual) + '</li>').join('') + '</ul>' : '');
}

async function rollback(key) {
  const reason = askReason('rolling back ' + key);
  if (!reason) return;
  if (!window.confirm('Roll back ' + key + '? It turns off for every customer at once.')) return;
  const result = await api('POST', '/api/admin/rollouts/' + encodeURIComponent(key) + '/rollback', { reason });
  toast(result.ok ? key + ' rolled back' : problem(result));
  await route();
}

// ---------------------------------------------------------------- customer / organization lookup

async function renderLookup() {
  renderTicket();
  const view = $('#view');
  const params = new URLSearchParams(sessionStorage.getItem('rollgate.lookup') || '');
  view.innerHTML = '<section class="card"><h2>Customer and organization lookup</h2><form id="lookup" class="row">'
    + '<div><label for="customerId">Customer id</label><input id="customerId" value="' + esc(params.get('customerId')) + '"></div>'
    + '<div><label for="organizationId">Organization id</label><input id="organizationId" value="' + esc(params.get('organizationId')) + '"></div>'
    + '<button type="submit">Resolve</button></form></section><div id="resolved"></div>';
  $('#lookup').addEventListener('submit', (event) => { event.preventDefault(); resolve(); });
  if (params.toString()) resolve();
}

async function resolve() {
  const superseded = renderTicket();
  const customerId = $('#customerId').value.trim();
  const organizationId = $('#organizationId').value.trim();
  const query = new URLSearchParams();
  if (customerId) query.set('customerId', customerId);
  if (organizationId) query.set('organizationId', organizationId);
  sessionStorage.setItem('rollgate.lookup', query.toString());
  const [flags, customerDoc, orgDoc] = await Promise.all([
    api('GET', '/api/admin/feature-flags?' + query),
    customerId ? api('GET', '/api/admin/customers/' + encodeURIComponent(customerId) + '/flags') : null,
    organizationId ? api('GET', '/api/admin/organizations/' + encodeURIComponent(organizationId) + '/flags') : null,
  ]);
  if (superseded()) return;
  const box = $('#resolved');
  if (!flags.ok) { box.innerHTML = '<p class="error">' + esc(problem(flags)) + '</p>'; return; }
  const customerLeaves = flatten(customerDoc && customerDoc.ok ? customerDoc.data.flags : {});
  const orgLeaves = flatten(orgDoc && orgDoc.ok ? orgDoc.data.flags : {});
  const select = (scope, key, leaves) => {
    const current = key in leaves ? String(leaves[key]) : '';
    return '<select data-scope="' + scope + '" data-key="' + esc(key) + '" aria-label="' + scope + ' override of ' + esc(key) + '"'
      + (canWrite() ? '' : ' disabled') + '>'
      + ['', 'true', 'false'].map((v) => '<option value="' + v + '"' + (v === current ? ' selected' : '') + '>'
        + (v === '' ? 'inherit' : v === 'true' ? 'on' : 'off') + '</option>').join('') + '</select>';
  };
  let html = '<section class="card"><h2>Resolved configuration <span class="hint">source '
    + esc(flags.data.evaluation.source) + '</span></h2><table><thead><tr><th>Flag</th><th>Value</th><th>Source</th>'
    + (customerId ? '<th>Customer override</th>' : '') + (organizationId ? '<th>Organization override</th>' : '')
    + '</tr></thead><tbody>';
  for (const f of flags.data.features) {
    html += '<tr data-flag="' + esc(f.key) + '"><td>' + esc(f.key) + '</td><td class="' + (f.value ? 'on' : 'off') + '">'
      + (f.value ? 'on' : 'off') + '</td><td>' + esc(f.source) + '</td>'
      + (customerId ? '<td>' + select('customer', f.key, customerLeaves) + '</td>' : '')
      + (organizationId ? '<td>' + select('organization', f.key, orgLeaves) + '</td>' : '') + '</tr>';
  }
  html += '</tbody></table>';
  if (canWrite() && (customerId || organizationId)) {
    html += '<form id="save-overrides" class="row"><div><label for="override-reason">Reason</label>'
      + '<input id="override-reason" required size="40"></div><button type="submit">Save overrides</button></form>';
  }
  box.innerHTML = html + '</section>';
  const form = $('#save-overrides');
  if (form) form.addEventListener('submit', (event) => { event.preventDefault(); saveOverrides(customerId, organizationId); });
}

function flatten(node, prefix = '', out = {}) {
  for (const [key, value] of Object.entries(node || {})) {
    const path = prefix ? prefix + '.' + key : key;
    if (value && typeof value === 'object') flatten(value, path, out); else out[path] = value;
  }
  return out;
}

function nest(leaves) {
  const root = {};
  for (const [path, value] of Object.entries(leaves)) {
    const parts = path.split('.');
    let node = root;
    parts.slice(0, -1).forEach((part) => { node = node[part] = node[part] || {}; });
    node[parts[parts.length - 1]] = value;
  }
  return root;
}

async function saveOverrides(customerId, organizationId) {
  const reason = $('#override-reason').value.trim();
  for (const [scope, id] of [['customer', customerId], ['organization', organizationId]]) {
    if (!id) continue;
    const leaves = {};
    document.querySelectorAll('select[data-scope="' + scope + '"]').forEach((s) => {
      if (s.value !== '') leaves[s.dataset.key] = s.value === 'true';
    });
    const path = '/api/admin/' + (scope === 'customer' ? 'customers/' : 'organizations/') + encodeURIComponent(id) + '/flags';
    const result = await api('PUT', path, { flags: nest(leaves), reason });
    if (!result.ok) { toast(problem(result)); return; }
  }
  toast('Overrides saved');
  resolve();
}

// ---------------------------------------------------------------- rollout detail

async function renderRollout(key) {
  const superseded = renderTicket();
  const view = $('#view');
  const base = '/api/admin/rollouts/' + encodeURIComponent(key);
  const [config, stats, timeline] = await Promise.all([api('GET', base), api('GET', base + '/stats'),
    api('GET', base + '/timeline?minutes=120')]);
  if (superseded()) return;
  if (!config.ok) { view.innerHTML = '<p class="error">' + esc(problem(config)) + '</p>'; return; }
  const r = config.data;
  const s = stats.ok ? stats.data : null;
  const stat = (label, value) => '<div class="stat">' + esc(label) + '<b>' + esc(value) + '</b></div>';
  const inTier = r.tierEnteredAt ? Math.round((Date.now() - Date.parse(r.tierEnteredAt)) / 60000) + ' min' : '—';
  let html = '<section class="card"><h2>Rollout of ' + esc(key) + '</h2><div class="stats">'
    + stat('Current tier', r.currentTier) + stat('Percentage', r.percentage + '%') + stat('Status', r.status)
    + stat('Time in tier', inTier)
    + (s ? stat('Enabled customers', s.enabledCustomers) + stat('Errors', s.errorCount) + stat('Error rate', pct(s.errorRate))
      + stat('Success rate', pct(s.successRate)) : '') + '</div>';
  if (r.rollbackReason) html += '<p class="error">Rolled back: ' + esc(r.rollbackReason) + '</p>';
  html += '<h3>Events per minute</h3>' + chart(timeline.ok ? timeline.data : []);
  if (canWrite()) {
    html += '<div class="row">'
      + (r.status === 'active' ? '<button type="button" id="pause">Pause</button>' : '')
      + (r.status === 'paused' ? '<button type="button" id="resume">Resume</button>' : '')
      + '<button type="button" data-advance="' + esc(key) + '">Advance</button>'
      + '<button type="button" class="danger" data-rollback="' + esc(key) + '">Rollback</button></div>'
      + '<div class="criteria-box" data-criteria="' + esc(key) + '"></div>'
      + '<h3>Lists</h3><form id="lists"><label for="whitelist">Whitelisted customers (one per line)</label>'
      + '<textarea id="whitelist" rows="3" cols="50">' + esc(r.whitelistedCustomers.join('\n')) + '</textarea>'
      + '<label for="blacklist">Blacklisted customers (one per line)</label>'
      + '<textarea id="blacklist" rows="3" cols="50">' + esc(r.blacklistedCustomers.join('\n')) + '</textarea>'
      + '<div><button type="submit">Save lists</button></div></form>';
  }
  view.innerHTML = html + '</section>';
  const act = async (action) => {
    const result = await api('POST', base + '/' + action, {});
    toast(result.ok ? key + ' ' + result.data.status : problem(result));
    renderRollout(key);
  };
  if ($('#pause')) $('#pause').addEventListener('click', () => act('pause'));
  if ($('#resume')) $('#resume').addEventListener('click', () => act('resume'));
  view.querySelectorAll('button[data-advance]').forEach((b) => b.addEventListener('click', () => advance(key)));
  view.querySelectorAll('button[data-rollback]').forEach((b) => b.addEventListener('click', () => rollback(key)));
  const lists = $('#lists');
  if (lists) lists.addEventListener('submit', async (event) => {
    event.preventDefault();
    const split = (id) => $(id).value.split('\n').map((v) => v.trim()).filter(Boolean);
    const result = await api('PUT', base + '/lists', { whitelistedCustomers: split('#whitelist'),
      blacklistedCustomers: split('#blacklist'), reason: 'edited in the admin UI' });
    toast(result.ok ? 'Lists saved' : problem(result));
  });
}

function chart(points) {
  if (!points.length) return '<p class="hint">No events in the last two hours.</p>';
  const width = 600;
  const height = 140;
  const max = Math.max(1, ...points.map((p) => p.success + p.error + p.enabled + p.disabled));
  const x = (i) => (points.length === 1 ? width / 2 : (i / (points.length - 1)) * (width - 20) + 10);
  const y = (v) => height - 10 - (v / max) * (height - 20);
  const line = (pick) => points.map((p, i) => x(i).toFixed(1) + ',' + y(pick(p)).toFixed(1)).join(' ');
  const errorRate = (p) => (p.success + p.error ? (p.error / (p.success + p.error)) * max : 0);
  return '<svg class="chart" viewBox="0 0 ' + width + ' ' + height + '" role="img" aria-label="Events and error rate per minute">'
    + '<polyline fill="none" stroke="#2457d6" stroke-width="2" points="' + line((p) => p.success + p.error + p.enabled + p.disabled) + '"/>'
    + '<polyline fill="none" stroke="#b3261e" stroke-width="2" points="' + line(errorRate) + '"/></svg>'
    + '<p class="hint">Blue: events per minute. Red: error rate (scaled to the same height).</p>';
}

// ---------------------------------------------------------------- audit

async function renderAudit() {
  renderTicket();
  const view = $('#view');
  view.innerHTML = '<section class="card"><h2>Audit trail</h2><form id="audit-filter" class="row">'
    + '<div><label for="audit-customer">Customer id</label><input id="audit-customer"></div>'
    + '<div><label for="audit-organization">Organization id</label><input id="audit-organization"></div>'
    + '<div><label for="audit-flag">Flag path</label><input id="audit-flag"></div>'
    + '<button type="submit">Filter</button></form><div id="audit-rows"></div></section>';
  $('#audit-filter').addEventListener('submit', (event) => { event.preventDefault(); loadAudit(); });
  loadAudit();
}

async function loadAudit() {
  const superseded = renderTicket();
  const query = new URLSearchParams({ size: '50' });
  const add = (name, id) => { const v = $(id).value.trim(); if (v) query.set(name, v); };
  add('customerId', '#audit-customer');
  add('organizationId', '#audit-organization');
  add('flagPath', '#audit-flag');
  const result = await api('GET', '/api/admin/audit?' + query);
  if (superseded()) return;
  const box = $('#audit-rows');
  if (!result.ok) { box.innerHTML = '<p class="error">' + esc(problem(result)) + '</p>'; return; }
  box.innerHTML = '<p class="hint">' + result.data.total + ' entries</p><table><thead><tr><th>When</th><th>Who</th>'
    + '<th>Scope</th><th>Flag</th><th>Change</th><th>Reason</th></tr></thead><tbody>'
    + result.data.items.map((e) => '<tr><td>' + esc(new Date(e.changedAt).toLocaleString()) + '</td><td>' + esc(e.changedBy)
      + '</td><td>' + esc(e.scope) + ' ' + esc(e.customerId || e.organizationId || '') + '</td><td>' + esc(e.flagPath)
      + '</td><td>' + (e.action && e.action !== 'set' ? esc(e.action) : esc(e.oldValue) + ' → ' + esc(e.newValue))
      + '</td><td>' + esc(e.reason) + '</td></tr>').join('') + '</tbody></table>';
}

// ---------------------------------------------------------------- canary

async function renderCanary() {
  renderTicket();
  const view = $('#view');
  const service = sessionStorage.getItem('rollgate.canary') || '';
  view.innerHTML = '<section class="card"><h2>Canary deployments</h2><form id="canary-form" class="row">'
    + '<div><label for="canary-service">Service</label><input id="canary-service" value="' + esc(service) + '" required></div>'
    + '<button type="submit">Show</button></form><div id="canary-state"></div></section>';
  $('#canary-form').addEventListener('submit', (event) => { event.preventDefault(); loadCanary(); });
  if (service) loadCanary();
}

async function loadCanary() {
  const superseded = renderTicket();
  const service = $('#canary-service').value.trim();
  sessionStorage.setItem('rollgate.canary', service);
  const base = '/api/admin/canary/' + encodeURIComponent(service);
  const [current, history] = await Promise.all([api('GET', base), api('GET', base + '/history')]);
  if (superseded()) return;
  const box = $('#canary-state');
  let html = '';
  if (current.ok) {
    const d = current.data;
    const side = (label, m) => '<div class="stat">' + label + '<b>' + pct(m.errorRate) + '</b><span class="hint">'
      + m.requests + ' requests, p95 ' + m.latencyP95.toFixed(1) + ' ms</span></div>';
    html += '<h3>' + esc(d.version) + ' — ' + esc(d.status) + ', stage ' + d.currentStage + ' of ' + d.stages.length
      + ' at ' + d.percentage + '%</h3><div class="stats">' + side('Canary errors', d.canary) + side('Stable errors', d.stable) + '</div>';
    if (canWrite()) {
      html += '<div class="row">' + ['advance', 'pause', 'resume'].map((a) => '<button type="button" data-canary="' + a + '">'
        + a[0].toUpperCase() + a.slice(1) + '</button>').join('') + '<button type="button" class="danger" data-canary="rollback">Rollback</button></div>';
    }
  } else {
    html += '<p class="hint">No deployment in flight.</p>';
  }
  if (history.ok && history.data.length) {
    html += '<h3>History</h3><table><thead><tr><th>Version</th><th>Status</th><th>Started</th><th>Reason</th></tr></thead><tbody>'
      + history.data.map((h) => '<tr><td>' + esc(h.version) + '</td><td>' + esc(h.status) + '</td><td>'
        + esc(new Date(h.startedAt).toLocaleString()) + '</td><td>' + esc(h.rollbackReason) + '</td></tr>').join('')
      + '</tbody></table>';
  }
  box.innerHTML = html;
  box.querySelectorAll('button[data-canary]').forEach((b) => b.addEventListener('click', async () => {
    const action = b.dataset.canary;
    let body = {};
    if (action === 'rollback') {
      const reason = askReason('rolling back ' + service);
      if (!reason || !window.confirm('Roll back ' + service + '? Everyone goes back to stable.')) return;
      body = { reason };
    }
    const result = await api('POST', base + '/' + action, body);
    toast(result.ok ? service + ' ' + result.data.status : problem(result));
    loadCanary();
  }));
}

// ---------------------------------------------------------------- start

$('#sign-in-form').addEventListener('submit', (event) => { event.preventDefault(); signIn($('#token').value.trim()); });
$('#sign-out').addEventListener('click', () => signOut());
window.addEventListener('hashchange', route);
if (sessionStorage.getItem(TOKEN_KEY)) signIn(sessionStorage.getItem(TOKEN_KEY));
