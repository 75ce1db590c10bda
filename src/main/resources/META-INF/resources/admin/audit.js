// The audit page: the trail, filtered by who, what, which flag and when, paged, with its filters in the URL.
import { $, api, esc, problem, renderTicket, when } from './core.js';

const PAGE_SIZE = 50;
// the filters the API takes, with their labels; the URL holds them so a filtered view can be shared
const FIELDS = [
  ['customerId', 'Customer id'], ['organizationId', 'Organization id'], ['flagPath', 'Flag path'],
  ['flagPrefix', 'Flag path starts with'], ['changedBy', 'Actor'], ['action', 'Action'],
];

export async function renderAudit(params = new URLSearchParams()) {
  const superseded = renderTicket();
  const view = $('#view');
  const kinds = ['', 'flag', 'override', 'rollout', 'canary', 'token'];
  view.innerHTML = '<section class="card"><h2>Audit trail</h2><form id="audit-filter" class="row" role="search">'
    + FIELDS.map(([name, label]) => '<div><label for="audit-' + name + '">' + esc(label) + '</label><input id="audit-'
      + name + '" name="' + name + '" value="' + esc(params.get(name)) + '"></div>').join('')
    + '<div><label for="audit-subjectType">Kind</label><select id="audit-subjectType" name="subjectType">'
    + kinds.map((t) => '<option value="' + t + '"' + (params.get('subjectType') === t ? ' selected' : '') + '>'
      + (t || 'any') + '</option>').join('') + '</select></div>'
    + '<div><label for="audit-from">From (your time)</label><input id="audit-from" name="from" type="datetime-local" value="'
      + esc(local(params.get('from'))) + '"></div>'
    + '<div><label for="audit-to">To (your time)</label><input id="audit-to" name="to" type="datetime-local" value="'
      + esc(local(params.get('to'))) + '"></div>'
    + '<button type="submit">Filter</button></form><div id="audit-rows"></div></section>';
  $('#audit-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = '#/audit?' + query(filtersFromForm(), 0);
  });
  const page = Math.max(0, Number(params.get('page')) || 0);
  const filters = new URLSearchParams(params);
  filters.delete('page');
  const result = await api('GET', '/api/admin/audit?' + query(filters, page));
  if (superseded()) return;
  const box = $('#audit-rows');
  if (!result.ok) { box.innerHTML = '<p class="error" role="alert">' + esc(problem(result)) + '</p>'; return; }
  const { total, items } = result.data;
  const first = total ? page * PAGE_SIZE + 1 : 0;
  const last = page * PAGE_SIZE + items.length;
  const pager = '<nav class="row pager" aria-label="Audit pages">'
    + (page > 0 ? '<a href="#/audit?' + esc(query(filters, page - 1)) + '">Newer</a>' : '')
    + '<span class="hint">' + (total ? 'Entries ' + first + '-' + last + ' of ' + total : 'No entries') + '</span>'
    + (last < total ? '<a href="#/audit?' + esc(query(filters, page + 1)) + '">Older</a>' : '') + '</nav>';
  box.innerHTML = pager + '<table><thead><tr><th>When</th><th>Who</th>'
    + '<th>Kind</th><th>Subject</th><th>Change</th><th>Reason</th></tr></thead><tbody id="audit-body">'
    + items.map((e) => '<tr><td>' + esc(when(e.changedAt)) + '</td><td>' + esc(e.changedBy)
      + '</td><td>' + esc(e.subjectType) + '</td><td>' + esc(e.flagPath && e.subject !== e.flagPath
        ? e.subject + ' ' + e.flagPath : e.subject)
      + '</td><td>' + change(e) + '</td><td>' + esc(e.reason) + '</td></tr>').join('') + '</tbody></table>' + pager;
}

function filtersFromForm() {
  const filters = new URLSearchParams();
  for (const [name] of FIELDS) {
    const value = $('#audit-' + name).value.trim();
    if (value) filters.set(name, value);
  }
  if ($('#audit-subjectType').value) filters.set('subjectType', $('#audit-subjectType').value);
  for (const name of ['from', 'to']) {
    const value = $('#audit-' + name).value;
    if (value) filters.set(name, new Date(value).toISOString());
  }
  return filters;
}

function query(filters, page) {
  const q = new URLSearchParams(filters);
  q.set('size', String(PAGE_SIZE));
  q.set('page', String(page));
  return q.toString();
}

// a stored value reads as what was served: on, off, or inherited when the scope had no value of its own
const value = (v) => (v === true ? 'on' : v === false ? 'off' : 'inherited');

function change(e) {
  if (e.action && e.action !== 'set') return esc(e.action.replace(/\./g, ' ')) + details(e.details);
  return esc(value(e.oldValue)) + ' → ' + esc(value(e.newValue));
}

// what a rollout step moved, from the states the audit keeps: tier, status and list sizes
function details(d) {
  if (!d || !d.after || d.after.tier === undefined) return '';
  const b = d.before || {};
  const a = d.after;
  const parts = [];
  if (b.tier !== undefined && b.tier !== a.tier) parts.push('tier ' + b.tier + ' → ' + a.tier + ' (' + a.percentage + ' %)');
  if (b.status !== undefined && b.status !== a.status) parts.push(b.status + ' → ' + a.status);
  const listChange = (name, label) => {
    const before = (b[name] || []).length;
    const after = (a[name] || []).length;
    if (b[name] && before !== after) parts.push(label + ' ' + before + ' → ' + after);
  };
  listChange('whitelistedCustomers', 'whitelist');
  listChange('blacklistedCustomers', 'blacklist');
  return parts.length ? '<div class="hint">' + esc(parts.join('; ')) + '</div>' : '';
}

function local(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':'
    + pad(d.getMinutes());
}
