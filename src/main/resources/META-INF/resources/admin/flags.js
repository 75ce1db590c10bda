// The flags page: every flag by phase, its kill switch and its rollout with statistics.
import { $, api, askReason, canWrite, esc, pct, problem, refresh, renderTicket, toast } from './core.js';

export async function renderFlags() {
  const superseded = renderTicket();
  const view = $('#view');
  view.innerHTML = '<p>Loading…</p>';
  const [flags, rollouts, definitions] = await Promise.all([api('GET', '/api/admin/feature-flags'),
    api('GET', '/api/admin/rollouts'), api('GET', '/api/admin/flags?size=500')]);
  // flag hygiene: why a flag is potentially stale (one value for everyone, or unused, for a while)
  const stale = {};
  for (const definition of (definitions.ok ? definitions.data.flags : [])) {
    if (definition.staleReason) stale[definition.name] = definition.staleReason;
  }
  if (superseded()) return;
  if (!flags.ok) { view.innerHTML = '<p class="error">' + esc(problem(flags)) + '</p>'; return; }
  const byFlag = {};
  for (const rollout of (rollouts.ok ? rollouts.data : [])) byFlag[rollout.featureName] = rollout;
  // every rollout's statistics in one request
  const all = Object.keys(byFlag).length ? await api('GET', '/api/admin/rollout-stats') : { ok: false };
  if (superseded()) return;
  const stats = {};
  for (const s of (all.ok ? all.data : [])) stats[s.featureName] = s;
  const groups = {};
  for (const feature of flags.data.features) (groups[feature.phase] = groups[feature.phase] || []).push(feature);
  let html = '<h2>Feature flags <span class="hint">environment ' + esc(flags.data.evaluation.environment) + '</span></h2>';
  for (const phase of Object.keys(groups).sort()) {
    html += '<section class="card" aria-labelledby="phase-' + esc(phase) + '"><h3 id="phase-' + esc(phase) + '">'
      + esc(phase) + '</h3><table><thead><tr><th>Flag</th><th>Value</th><th>Enabled globally</th>'
      + '<th>Rollout</th><th>Errors / success</th><th>Actions</th></tr></thead><tbody>';
    for (const feature of groups[phase]) html += flagRow(feature, byFlag[feature.key], stats[feature.key], stale[feature.key]);
    html += '</tbody></table></section>';
  }
  view.innerHTML = html;
  // widths through the DOM, not style attributes: the Content-Security-Policy allows no inline styles
  view.querySelectorAll('[data-width]').forEach((bar) => { bar.style.width = bar.dataset.width + '%'; });
  view.querySelectorAll('input[data-kill]').forEach((box) => box.addEventListener('change', () => toggleGlobal(box)));
  view.querySelectorAll('button[data-advance]').forEach((b) => b.addEventListener('click', () => advance(b.dataset.advance, b)));
  view.querySelectorAll('button[data-rollback]').forEach((b) => b.addEventListener('click', () => rollback(b.dataset.rollback)));
}

function flagRow(feature, rollout, stats, staleReason) {
  const key = esc(feature.key);
  const disabled = canWrite() ? '' : ' disabled';
  let rolloutCell = '<span class="off">none</span>';
  let rates = '';
  let actions = '';
  if (rollout) {
    rolloutCell = '<a href="#/rollouts/' + encodeURIComponent(feature.key) + '">' + esc(rollout.currentTier) + '</a> '
      + '<span class="bar" role="img" aria-label="' + rollout.percentage + ' percent"><span data-width="'
      + Number(rollout.percentage) + '"></span></span> ' + rollout.percentage + '% <span class="hint">' + esc(rollout.status) + '</span>';
    if (stats) rates = pct(stats.errorRate) + ' / ' + pct(stats.successRate) + ' <span class="hint">(' + stats.samples + ')</span>';
    if (canWrite()) {
      actions = '<button type="button" data-advance="' + key + '" aria-label="Advance ' + key + '">Advance</button> '
        + '<button type="button" class="danger" data-rollback="' + key + '" aria-label="Roll back ' + key + '">Rollback</button>';
    }
  }
  return '<tr data-flag="' + key + '"><td><b>' + key + '</b><div class="hint">' + esc(feature.description) + '</div>'
    + (staleReason ? '<div class="hint stale">Potentially stale: ' + esc(staleReason) + '</div>' : '') + '</td>'
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
  refresh();
}

export async function advance(key) {
  const reason = askReason('advancing ' + key);
  if (!reason) return;
  const result = await api('POST', '/api/admin/rollouts/' + encodeURIComponent(key) + '/advance', { reason });
  if (result.ok) { toast(key + ' advanced to ' + result.data.currentTier); await refresh(); return; }
  const box = document.querySelector('[data-criteria="' + CSS.escape(key) + '"]');
  const unmet = (result.data && result.data.unmetCriteria) || [];
  box.innerHTML = '<p class="error">' + esc(problem(result)) + '</p>' + (unmet.length
    ? '<ul class="criteria">' + unmet.map((c) => '<li>' + esc(c.name) + ': needs ' + esc(c.required)
      + ', is ' + esc(c.actual) + '</li>').join('') + '</ul>' : '');
}

export async function rollback(key) {
  const reason = askReason('rolling back ' + key);
  if (!reason) return;
  if (!window.confirm('Roll back ' + key + '? It turns off for every customer at once.')) return;
  const result = await api('POST', '/api/admin/rollouts/' + encodeURIComponent(key) + '/rollback', { reason });
  toast(result.ok ? key + ' rolled back' : problem(result));
  await refresh();
}
