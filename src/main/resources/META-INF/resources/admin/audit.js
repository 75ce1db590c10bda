// The audit page: the trail, filtered by customer, organization, flag and the kind of thing changed.
import { $, api, esc, problem, renderTicket } from './core.js';

export async function renderAudit() {
  renderTicket();
  const view = $('#view');
  view.innerHTML = '<section class="card"><h2>Audit trail</h2><form id="audit-filter" class="row">'
    + '<div><label for="audit-customer">Customer id</label><input id="audit-customer"></div>'
    + '<div><label for="audit-organization">Organization id</label><input id="audit-organization"></div>'
    + '<div><label for="audit-flag">Flag path</label><input id="audit-flag"></div>'
    + '<div><label for="audit-subject-type">Kind</label><select id="audit-subject-type">'
    + ['', 'flag', 'override', 'rollout', 'canary', 'token'].map((t) => '<option value="' + t + '">'
      + (t || 'any') + '</option>').join('') + '</select></div>'
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
  add('subjectType', '#audit-subject-type');
  const result = await api('GET', '/api/admin/audit?' + query);
  if (superseded()) return;
  const box = $('#audit-rows');
  if (!result.ok) { box.innerHTML = '<p class="error">' + esc(problem(result)) + '</p>'; return; }
  box.innerHTML = '<p class="hint">' + result.data.total + ' entries</p><table><thead><tr><th>When</th><th>Who</th>'
    + '<th>Kind</th><th>Subject</th><th>Change</th><th>Reason</th></tr></thead><tbody>'
    + result.data.items.map((e) => '<tr><td>' + esc(new Date(e.changedAt).toLocaleString()) + '</td><td>' + esc(e.changedBy)
      + '</td><td>' + esc(e.subjectType) + '</td><td>' + esc(e.flagPath && e.subject !== e.flagPath
        ? e.subject + ' ' + e.flagPath : e.subject)
      + '</td><td>' + (e.action && e.action !== 'set' ? esc(e.action) : esc(e.oldValue) + ' → ' + esc(e.newValue))
      + '</td><td>' + esc(e.reason) + '</td></tr>').join('') + '</tbody></table>';
}
