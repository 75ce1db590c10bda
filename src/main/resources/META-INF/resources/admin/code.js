// Flags as code: the configuration document downloaded, a document uploaded to see what applying it would do
// (created, updated field by field, deleted), and applied with a reason.
import { $, api, askReason, busy, canWrite, esc, fail, problem, renderTicket, report } from './core.js';

// the document read from the file, kept while its plan is shown
let uploaded = null;

export async function renderCode() {
  renderTicket();
  uploaded = null;
  const view = $('#view');
  view.innerHTML = '<section class="card"><h2>Flags as code</h2><p class="hint">The configuration document holds '
    + 'every flag\'s definition, sorted, so it diffs cleanly in Git. Applying one makes the catalog match it, in one '
    + 'transaction; a catalog changed since the document was read is refused.</p>'
    + '<div class="row"><button type="button" id="code-download">Download the document</button></div>'
    + (canWrite() ? '<form id="code-upload" class="row"><div><label for="code-file">Document to apply (JSON)</label>'
      + '<input id="code-file" type="file" accept="application/json,.json" required></div>'
      + '<div><label class="kill"><input type="checkbox" id="code-prune"> Delete flags the document leaves out'
      + '</label></div>'
      + '<button type="submit">Show the plan</button></form>' : '')
    + '<div id="code-plan"></div></section>';
  $('#code-download').addEventListener('click', (event) => busy(event.target, download));
  const form = $('#code-upload');
  if (form) form.addEventListener('submit', (event) => { event.preventDefault(); busy(form.querySelector('button'),
    plan); });
}

async function download() {
  const result = await api('GET', '/api/admin/flags/configuration');
  if (!result.ok) { fail(problem(result)); return; }
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([JSON.stringify(result.data, null, 2)
    + '\n'], { type: 'application/json' }));
  link.download = 'rollgate-flags-v' + result.data.version + '.json';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

const pruning = () => ($('#code-prune').checked ? '&prune=true' : '');

async function plan() {
  const file = $('#code-file').files[0];
  if (!file) return;
  try {
    uploaded = JSON.parse(await file.text());
  } catch (e) {
    fail(file.name + ' is not JSON: ' + e.message);
    return;
  }
  const result = await api('PUT', '/api/admin/flags/configuration?dryRun=true' + pruning(), uploaded);
  const box = $('#code-plan');
  if (!result.ok) {
    const errors = (result.data && result.data.errors) || [];
    box.innerHTML = '<p class="error">' + esc(problem(result)) + '</p>' + (errors.length ? '<ul class="criteria">'
      + errors.map((e) => '<li>' + esc(e.field) + ': ' + esc(e.message) + '</li>').join('') + '</ul>' : '');
    return;
  }
  box.innerHTML = drawPlan(result.data);
  const apply = $('#code-apply');
  if (apply) apply.addEventListener('click', () => busy(apply, applyPlan));
}

function drawPlan(p) {
  const list = (title, items, render) => '<h3>' + esc(title) + ' (' + items.length + ')</h3>' + (items.length
    ? '<ul class="plan" data-plan="' + esc(title.toLowerCase()) + '">' + items.map((i) => '<li>' + render(i)
      + '</li>').join('') + '</ul>'
    : '<p class="hint">none</p>');
  const show = (v) => (v === undefined || v === null ? '—' : JSON.stringify(v));
  const changes = p.created.length + p.updated.length + p.deleted.length;
  return '<h3>Plan against catalog version ' + p.version + '</h3>'
    + list('Created', p.created, esc)
    + list('Updated', p.updated, (u) => '<b>' + esc(u.name) + '</b><ul class="diff">' + Object.entries(u.changes)
      .map(([field, c]) => '<li>' + esc(field + ': ' + show(c.before) + ' → ' + show(c.after)) + '</li>').join('')
        + '</ul>')
    + list('Deleted', p.deleted, esc)
    + (p.protectedFromPruning.length ? '<p class="hint">Kept although left out (widget flags, rollouts under way): '
      + esc(p.protectedFromPruning.join(', ')) + '</p>' : '')
    + '<p class="hint">' + p.unchanged.length + ' unchanged.</p>'
    + (changes ? '<button type="button" id="code-apply" class="danger">Apply ' + changes + ' change'
    + (changes === 1 ? '' : 's')
      + '</button>' : '<p>Nothing to apply: the catalog already matches.</p>');
}

async function applyPlan() {
  const reason = await askReason('applying the configuration document', 'The catalog is made to match it in one '
    + 'transaction, audited flag by flag with this reason.');
  if (!reason) return;
  const result = await api('PUT', '/api/admin/flags/configuration?dryRun=false' + pruning(), { ...uploaded, reason });
  if (!report(result, 'Configuration applied: catalog version ' + (result.ok ? result.data.version : ''))) return;
  $('#code-plan').innerHTML = drawPlan(result.data).replace(/<button[^>]*id="code-apply"[^>]*>[^<]*<\/button>/, '')
    + '<p role="status">Applied.</p>';
}
