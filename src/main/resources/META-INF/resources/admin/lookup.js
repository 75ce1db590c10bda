// The lookup page: a customer's and an organization's resolved configuration and their override documents.
import { $, api, canWrite, esc, fail, problem, renderTicket, toast, when } from './core.js';

export async function renderLookup(linked = new URLSearchParams()) {
  renderTicket();
  const view = $('#view');
  // the ids come from the link (shareable), else the ones last looked up in this tab
  const params = linked.toString() ? linked : new URLSearchParams(sessionStorage.getItem('rollgate.lookup') || '');
  view.innerHTML = '<section class="card"><h2>Customer and organization lookup</h2><form id="lookup" class="row" role="search">'
    + '<div><label for="customerId">Customer id</label><input id="customerId" value="' + esc(params.get('customerId')) + '"></div>'
    + '<div><label for="organizationId">Organization id</label><input id="organizationId" value="' + esc(params.get('organizationId')) + '"></div>'
    + '<button type="submit">Resolve</button></form></section><div id="resolved"></div>'
    + '<section class="card"><h2>Who has overrides</h2><div class="row" id="holders"></div></section>';
  $('#lookup').addEventListener('submit', (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const id of ['customerId', 'organizationId']) if ($('#' + id).value.trim()) query.set(id, $('#' + id).value.trim());
    const wanted = '#/lookup?' + query;
    if (location.hash === wanted) resolve(); else location.hash = wanted;
  });
  if (params.toString()) resolve();
  holders();
}

// the customers and organizations holding override documents, most recently changed first
async function holders() {
  const [customers, organizations] = await Promise.all([api('GET', '/api/admin/overrides?scope=customer&size=20'),
    api('GET', '/api/admin/overrides?scope=organization&size=20')]);
  const box = $('#holders');
  if (!box) return;
  const list = (title, field, result) => '<div><h3>' + title + '</h3>' + (!result.ok
    ? '<p class="hint">' + esc(problem(result)) + '</p>'
    : '<p class="hint">' + result.data.total + ' in all, latest first</p><ul class="history" data-holders="' + field + '">'
      + result.data.items.map((h) => '<li><a href="#/lookup?' + field + '=' + encodeURIComponent(h.id) + '">' + esc(h.id)
        + '</a> <span class="hint">' + h.flags + ' flag' + (h.flags === 1 ? '' : 's') + ', '
        + esc(when(h.updatedAt)) + '</span></li>').join('') + '</ul>') + '</div>';
  box.innerHTML = list('Customers', 'customerId', customers) + list('Organizations', 'organizationId', organizations);
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
      + (f.value ? 'on' : 'off') + '</td><td>' + esc(f.source) + shadow(f, customerLeaves, orgLeaves) + '</td>'
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

// An override that does not decide the value says what does: the kill switch, a rolled-back rollout, a
// prerequisite that is off, or (for an organization's) the customer's own override.
function shadow(f, customerLeaves, orgLeaves) {
  const own = f.key in customerLeaves ? 'customer' : f.key in orgLeaves ? 'organization' : null;
  if (!own || f.source === own + '_override') return '';
  const by = { disabled: f.killed ? 'the kill switch' : 'a rollback or a disabled rollout',
    prerequisite: 'a prerequisite that is off', customer_override: "the customer's own override" }[f.source];
  return by ? '<div class="hint shadowed">The ' + own + ' override is not used: ' + by + ' decides.</div>' : '';
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
    if (!result.ok) { fail(problem(result)); return; }
  }
  toast('Overrides saved');
  resolve();
}
