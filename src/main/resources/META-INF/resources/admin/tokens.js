// Token management (admins): the tokens with their roles and state, a new token (its secret shown once),
// and revocation.
import { $, api, askReason, busy, esc, problem, renderTicket, report, toast, when } from './core.js';

const ROLES = ['viewer', 'operator', 'organization-operator', 'admin', 'ingest', 'evaluation'];
// the secret of the token just created: it exists only in the answer to its creation, so it stays on the page
// (through live updates and redraws) until the admin dismisses it
let shown = null;

export async function renderTokens() {
  const superseded = renderTicket();
  const view = $('#view');
  const result = await api('GET', '/api/admin/tokens');
  if (superseded()) return;
  if (!result.ok) { view.innerHTML = '<p class="error" role="alert">' + esc(problem(result)) + '</p>'; return; }
  const date = (iso) => (iso ? when(iso) : '');
  const stateOf = (t) => (t.source === 'configuration' ? 'from configuration' : t.revokedAt ? 'revoked '
    + date(t.revokedAt)
    : t.expiresAt && Date.parse(t.expiresAt) <= Date.now() ? 'expired' : 'live');
  view.innerHTML = '<section class="card"><h2>Tokens</h2><form id="token-form" class="row">'
    + '<div><label for="token-name">Name</label><input id="token-name" required maxlength="64"></div>'
    + '<div><label for="token-role">Role</label><select id="token-role">'
    + ROLES.map((r) => '<option>' + r + '</option>').join('') + '</select></div>'
    + '<div><label for="token-organization">Organization (organization-operator only)</label>'
    + '<input id="token-organization"></div>'
    + '<div><label for="token-expires">Expires (your time, optional)</label>'
    + '<input id="token-expires" type="datetime-local"></div>'
    + '<button type="submit">Create token</button></form><div id="token-secret"></div>'
    + '<table><thead><tr><th>Name</th><th>Role</th><th>Organization</th><th>Created</th><th>Expires</th>'
    + '<th>Last used</th>'
    + '<th>State</th><th>Actions</th></tr></thead><tbody id="token-rows">'
    + result.data.map((t) => '<tr data-token="' + esc(t.id || t.name) + '"><td>' + esc(t.name) + '</td><td>'
    + esc(t.role)
      + '</td><td>' + esc(t.organizationId) + '</td><td>' + (t.createdAt ? esc(date(t.createdAt))
      + ' <span class="hint">by '
      + esc(t.createdBy) + '</span>' : '—') + '</td><td>' + esc(date(t.expiresAt) || 'never') + '</td><td>'
      + '<span class="last-used">' + esc(t.lastUsedAt ? date(t.lastUsedAt) : 'never') + '</span></td><td>'
      + esc(stateOf(t))
      + '</td><td>' + (stateOf(t) === 'live' ? '<button type="button" class="danger" data-revoke="' + esc(t.id)
        + '" aria-label="Revoke ' + esc(t.name) + '">Revoke</button>' : '') + '</td></tr>').join('')
    + '</tbody></table></section>';
  showSecret();
  const form = $('#token-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(form.querySelector('button'), create);
  });
  view.querySelectorAll('button[data-revoke]').forEach((b) => b.addEventListener('click',
    () => busy(b, () => revoke(b.dataset.revoke, b.closest('tr').firstChild.textContent))));
}

async function create() {
  // read before the dialog: a page drawn again meanwhile would lose what was typed
  const name = $('#token-name').value.trim();
  const role = $('#token-role').value;
  const organizationId = $('#token-organization').value.trim() || undefined;
  const expires = $('#token-expires').value;
  const reason = await askReason('creating the token ' + name, 'A ' + role + ' token; its secret is shown once.');
  if (!reason) return;
  const result = await api('POST', '/api/admin/tokens', { name, role, reason, organizationId,
    expiresAt: expires ? new Date(expires).toISOString() : undefined });
  if (!report(result, 'Token ' + name + ' created')) return;
  // the secret exists only in this answer: the service keeps a salted hash
  shown = { name, token: result.data.token };
  await renderTokens();
}

function showSecret() {
  const box = $('#token-secret');
  if (!shown || !box) return;
  box.innerHTML = '<div class="secret" role="status"><p>Copy the token of <b>' + esc(shown.name)
    + '</b> now; it is not shown again once dismissed.</p><code id="token-value">' + esc(shown.token) + '</code>'
    + '<div class="row"><button type="button" id="token-copy">Copy</button><button type="button" id="token-dismiss">'
    + 'Dismiss</button></div></div>';
  $('#token-copy').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(shown.token);
      toast('Token copied');
    } catch {
      // no clipboard (an insecure origin, a browser that refuses): selected, for Ctrl+C
      getSelection().selectAllChildren($('#token-value'));
      toast('Selected: press Ctrl+C to copy');
    }
  });
  $('#token-dismiss').addEventListener('click', () => { shown = null; box.innerHTML = ''; });
}

async function revoke(id, name) {
  const reason = await askReason('revoking ' + name, 'Requests with it are refused at once on this replica, '
    + 'within seconds on the others.');
  if (!reason) return;
  const result = await api('DELETE', '/api/admin/tokens/' + encodeURIComponent(id) + '?reason='
    + encodeURIComponent(reason));
  if (report(result, name + ' revoked')) renderTokens();
}
