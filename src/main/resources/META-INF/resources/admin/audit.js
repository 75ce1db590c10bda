// The audit page: the trail, filtered by who, what, which flag and when, paged, with its filters in the URL.
import { $, api, esc, problem, renderTicket, when } from './core.js';

const PAGE_SIZE = 50;
// the filters the API takes, with their labels; the URL holds them so a filtered view can be shared
// the filters whose values the trail offers (its latest actions and actors), by the API's field
const OFFERED = { action: 'actions', changedBy: 'actors' };
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
      + name + '" name="' + name + '" value="' + esc(params.get(name)) + '"'
      + (OFFERED[name] ? ' list="audit-' + name + '-values" autocomplete="off"><datalist id="audit-' + name
      + '-values">'
        + '</datalist>' : '>') + '</div>').join('')
    + '<div><label for="audit-subjectType">Kind</label><select id="audit-subjectType" name="subjectType">'
    + kinds.map((t) => '<option value="' + t + '"' + (params.get('subjectType') === t ? ' selected' : '') + '>'
      + (t || 'any') + '</option>').join('') + '</select></div>'
    + '<div><label for="audit-from">From (your time)</label>'
    + '<input id="audit-from" name="from" type="datetime-local" value="'
      + esc(local(params.get('from'))) + '"></div>'
    + '<div><label for="audit-to">To (your time)</label><input id="audit-to" name="to" type="datetime-local" value="'
      + esc(local(params.get('to'))) + '"></div>'
    + '<button type="submit">Filter</button></form><div id="audit-rows"></div></section>';
  $('#audit-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = '#/audit?' + query(filtersFromForm(), 0);
  });
  offerValues();
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

async function offerValues() {
  const values = await api('GET', '/api/admin/audit/values');
  if (!values.ok) return;
  for (const [name, field] of Object.entries(OFFERED)) {
    const list = $('#audit-' + name + '-values');
    if (list) list.innerHTML = values.data[field].map((v) => '<option value="' + esc(v) + '"></option>').join('');
  }
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

/** One audit entry's change in words: the action, then what moved field by field. */
export function change(e) {
  if (e.action && e.action !== 'set') {
    const rows = diff(e.details && e.details.before, e.details && e.details.after);
    return esc(e.action.replace(/\./g, ' ')) + (rows.length
      ? '<ul class="diff">' + rows.map((r) => '<li>' + esc(r) + '</li>').join('') + '</ul>' : '');
  }
  return esc(value(e.oldValue)) + ' → ' + esc(value(e.newValue));
}

// fields that move with every write and say nothing of the change
const NOISE = new Set(['version', 'lastEvaluatedAt', 'staleReason']);

/**
 * What moved between two states of a subject, field by field: values as old → new, lists as the entries
 * added and removed, nested objects (a rollout's policy) by their dotted fields. A subject created (no
 * before) lists what it was created with; one deleted (no after), nothing beyond the action.
 */
export function diff(before, after) {
  if (!after) return [];
  const rows = [];
  const show = (v) => (v === undefined || v === null ? '—' : typeof v === 'string' ? '"' + v + '"'
    : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const walk = (b, a, path) => {
    for (const key of [...new Set([...Object.keys(b || {}), ...Object.keys(a || {})])]) {
      if (!path && NOISE.has(key)) continue;
      const x = b ? b[key] : undefined;
      const y = a ? a[key] : undefined;
      const name = path ? path + '.' + key : key;
      if (JSON.stringify(x) === JSON.stringify(y)) continue;
      if (!b) {
        // created: what it was created with, leaving out what is empty
        const empty = y === null || y === undefined || (Array.isArray(y) && !y.length);
        if (!empty) rows.push(name + ': ' + show(y));
        continue;
      }
      if (Array.isArray(x) || Array.isArray(y)) {
        const xs = (x || []).map((v) => JSON.stringify(v));
        const ys = (y || []).map((v) => JSON.stringify(v));
        const moved = [...ys.filter((v) => !xs.includes(v)).map((v) => '+ ' + v),
          ...xs.filter((v) => !ys.includes(v)).map((v) => '− ' + v)];
        rows.push(name + ': ' + (moved.length ? moved.join(', ') : 'reordered'));
      } else if (x && y && typeof x === 'object' && typeof y === 'object') {
        walk(x, y, name);
      } else {
        rows.push(name + ': ' + show(x) + ' → ' + show(y));
      }
    }
  };
  walk(before, after, '');
  return rows;
}

function local(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':'
    + pad(d.getMinutes());
}
