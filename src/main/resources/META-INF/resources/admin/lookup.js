// The lookup page: a customer's and an organization's resolved configuration and their override documents.
import { $, api, askReason, busy, canWrite, esc, fail, human, problem, renderTicket, toast, when } from './core.js';

export async function renderLookup(linked = new URLSearchParams()) {
  renderTicket();
  const view = $('#view');
  // the ids come from the link (shareable), else the ones last looked up in this tab
  const params = linked.toString() ? linked : new URLSearchParams(sessionStorage.getItem('rollgate.lookup') || '');
  view.innerHTML = '<section class="card"><h2>Customer and organization lookup</h2>'
    + '<form id="lookup" class="row" role="search">'
    + '<div><label for="customerId">Customer id</label><input id="customerId" value="' + esc(params.get('customerId'))
    + '"></div>'
    + '<div><label for="organizationId">Organization id</label><input id="organizationId" value="'
    + esc(params.get('organizationId')) + '"></div>'
    + '<button type="submit">Resolve</button></form></section><div id="resolved"></div>'
    + '<section class="card"><h2>Who has overrides</h2><div class="row" id="holders"></div></section>';
  $('#lookup').addEventListener('submit', (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const id of ['customerId', 'organizationId']) if ($('#' + id).value.trim()) query.set(id, $('#'
      + id).value.trim());
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
    : '<p class="hint">' + result.data.total + ' in all, latest first</p><ul class="history" data-holders="' + field
      + '">'
      + result.data.items.map((h) => '<li><a href="#/lookup?' + field + '=' + encodeURIComponent(h.id) + '">'
      + esc(h.id)
        + '</a> <span class="hint">' + h.flags + ' flag' + (h.flags === 1 ? '' : 's') + ', '
        + esc(when(h.updatedAt)) + '</span></li>').join('') + '</ul>') + '</div>';
  box.innerHTML = list('Customers', 'customerId', customers) + list('Organizations', 'organizationId', organizations);
}

// Draws the resolved configuration; {@code picks} are override edits to put back over it (after a reload that a
// colleague's change made necessary), left unsaved for the operator to look at and save again.
async function resolve(picks = {}) {
  const superseded = renderTicket();
  const customerId = $('#customerId').value.trim();
  const organizationId = $('#organizationId').value.trim();
  const query = new URLSearchParams();
  if (customerId) query.set('customerId', customerId);
  if (organizationId) query.set('organizationId', organizationId);
  sessionStorage.setItem('rollgate.lookup', query.toString());
  const [flags, customerDoc, orgDoc, explained] = await Promise.all([
    api('GET', '/api/admin/feature-flags?' + query),
    customerId ? api('GET', documentPath('customer', customerId)) : null,
    organizationId ? api('GET', documentPath('organization', organizationId)) : null,
    api('GET', '/api/admin/explain?' + query),
  ]);
  if (superseded()) return;
  const box = $('#resolved');
  if (!flags.ok) { box.innerHTML = '<p class="error">' + esc(problem(flags)) + '</p>'; return; }
  const customerLeaves = flatten(customerDoc && customerDoc.ok ? customerDoc.data.flags : {});
  const orgLeaves = flatten(orgDoc && orgDoc.ok ? orgDoc.data.flags : {});
  const editable = canWrite() && (customerId || organizationId);
  const select = (scope, key, leaves) => {
    const current = key in leaves ? String(leaves[key]) : '';
    return '<select data-scope="' + scope + '" data-key="' + esc(key) + '" aria-label="' + scope + ' override of '
      + esc(key) + '"'
      + (editable ? '' : ' disabled') + '>'
      + ['', 'true', 'false'].map((v) => '<option value="' + v + '"' + (v === current ? ' selected' : '') + '>'
        + (v === '' ? 'inherit' : v === 'true' ? 'on' : 'off') + '</option>').join('') + '</select>';
  };
  let html = '<section class="card"><h2>Resolved configuration <span class="hint">source '
    + esc(flags.data.evaluation.source) + '</span></h2>';
  const why = {};
  if (explained.ok) {
    explained.data.flags.forEach((f) => { why[f.flag] = f.steps; });
    // a question that leaves something out (the organization, say) gets a different answer than the widget would
    html += explained.data.warnings.map((w) => '<p class="hint warning"'
      + (w.startsWith('No organization') ? ' id="no-organization"' : '')
      + '>' + esc(w) + '</p>').join('');
  }
  html += '<div class="row"><div><label for="flag-filter">Show flags containing</label>'
    + '<input id="flag-filter" type="search" '
    + 'autocomplete="off"></div></div>';
  // the pickers sit inside the form, so a live update waits while any of them differs from what was drawn
  html += (editable ? '<form id="save-overrides">' : '')
    + '<table><thead><tr><th>Flag</th><th>Value</th><th>Source</th>'
    + (customerId ? '<th>Customer override</th>' : '') + (organizationId ? '<th>Organization override</th>' : '')
    + '</tr></thead><tbody>';
  for (const f of flags.data.features) {
    html += '<tr data-flag="' + esc(f.key) + '"><td>' + esc(f.key) + '</td><td class="' + (f.value ? 'on' : 'off')
      + '">'
      + (f.value ? 'on' : 'off') + '</td><td>' + esc(f.source) + shadow(f, customerLeaves, orgLeaves)
      + steps(why[f.key]) + '</td>'
      + (customerId ? '<td>' + select('customer', f.key, customerLeaves) + '</td>' : '')
      + (organizationId ? '<td>' + select('organization', f.key, orgLeaves) + '</td>' : '') + '</tr>';
  }
  html += '</tbody></table>';
  if (editable) html += '<div class="row"><button type="submit">Save overrides</button></div></form>';
  box.innerHTML = html + '</section>';
  const filter = $('#flag-filter');
  filter.addEventListener('input', () => {
    const wanted = filter.value.trim().toLowerCase();
    box.querySelectorAll('tr[data-flag]').forEach((row) => {
      row.hidden = !row.dataset.flag.toLowerCase().includes(wanted);
    });
  });
  for (const [scope, keys] of Object.entries(picks)) {
    for (const [key, value] of Object.entries(keys)) {
      const picker = document.querySelector('select[data-scope="' + scope + '"][data-key="' + CSS.escape(key) + '"]');
      if (picker) picker.value = value === null ? '' : String(value);
    }
  }
  const versions = { customer: customerDoc && customerDoc.ok ? customerDoc.data.version : undefined,
    organization: orgDoc && orgDoc.ok ? orgDoc.data.version : undefined };
  const form = $('#save-overrides');
  if (form) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      saveOverrides({ customer: customerId, organization: organizationId }, versions,
        form.querySelector('button[type="submit"]'));
    });
  }
}

// Each step of the resolution, in order, up to the one that decided: opened on demand, so the table stays short.
function steps(list) {
  if (!list) return '';
  return '<details class="why"><summary>Why</summary><ol>' + list.map((s) => '<li class="' + s.outcome + '"><b>'
    + esc(s.step) + '</b> ' + (s.outcome === 'decided' ? 'decided' : 'passed') + ': ' + esc(human(s.detail))
    + '</li>').join('')
    + '</ol></details>';
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

const documentPath = (scope, id) => '/api/admin/' + (scope === 'customer' ? 'customers/' : 'organizations/')
  + encodeURIComponent(id) + '/flags';

// The pickers an operator moved, per scope: leaf to true, false, or null (back to inherit).
function picked() {
  const picks = {};
  document.querySelectorAll('#save-overrides select[data-scope]').forEach((s) => {
    const drawn = Array.from(s.options).find((option) => option.defaultSelected);
    if (s.value === (drawn ? drawn.value : '')) return;
    (picks[s.dataset.scope] = picks[s.dataset.scope] || {})[s.dataset.key] = s.value === '' ? null : s.value === 'true';
  });
  return picks;
}

// Sends only the leaves the operator changed (a merge), against the versions the page read: a colleague's change
// to the same document meanwhile is refused rather than overwritten, and the operator's picks survive the reload.
async function saveOverrides(ids, versions, button) {
  const picks = picked();
  const scopes = Object.keys(picks);
  if (!scopes.length) { toast('No override was changed'); return; }
  const words = (value) => (value === null ? 'inherit' : value ? 'on' : 'off');
  const consequence = scopes.map((scope) => scope + ' ' + ids[scope] + ': ' + Object.entries(picks[scope])
    .map(([key, value]) => key + ' → ' + words(value)).join(', ')).join('; ');
  const reason = await askReason('save overrides', consequence);
  if (!reason) return;
  await busy(button, async () => {
    for (const scope of scopes) {
      const result = await api('PATCH', documentPath(scope, ids[scope]), { flags: nest(picks[scope]), reason,
        version: versions[scope] });
      if (result.status === 409) {
        fail(problem(result) + ' Your changes are kept: reload to see theirs with yours on top, then save again.',
          () => resolve(picks));
        return;
      }
      if (!result.ok) { fail(problem(result)); return; }
      delete picks[scope];
    }
    toast('Overrides saved');
    await resolve();
  });
}
