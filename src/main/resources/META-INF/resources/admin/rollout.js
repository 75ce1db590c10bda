// The rollout page: statistics, events per minute, lists, pause and resume, advance and rollback.
import { $, api, askReason, canWrite, esc, pct, problem, renderTicket, toast } from './core.js';
import { advance, rollback } from './flags.js';

export async function renderRollout(key) {
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
  html += '<div class="stats">' + stat('Pauses', r.pauses) + stat('Rollbacks', r.rollbacks)
    + stat('Time to full', r.timeToFullSeconds == null ? 'not yet' : Math.round(r.timeToFullSeconds / 3600) + ' h')
    + stat('Tiers left', r.tierHistory.length) + '</div>';
  if (r.pauseReason) html += '<p class="error">Paused: ' + esc(r.pauseReason) + '</p>';
  if (r.rollbackReason) html += '<p class="error">Rolled back: ' + esc(r.rollbackReason) + '</p>';
  html += policyTable(r.policy, r.rollbackThreshold);
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
    const reason = askReason(action === 'pause' ? 'pausing ' + key : 'resuming ' + key);
    if (!reason) return;
    const result = await api('POST', base + '/' + action, { reason });
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

// The rollout's policy as the automatic check applies it, or the original threshold when it has none.
function policyTable(policy, threshold) {
  const row = (label, value) => '<tr><th scope="row">' + esc(label) + '</th><td>' + esc(value) + '</td></tr>';
  if (!policy) {
    return '<h3>Automatic response</h3><table class="policy">'
      + row('Roll back above', pct(threshold.errorRate) + ' on ' + threshold.consecutiveBreaches + ' checks in a row')
      + row('Minimum samples', threshold.minSamples) + '</table>';
  }
  const window = policy.advanceWindow
    ? (policy.advanceWindow.days || ['every day']).join(', ') + ' ' + policy.advanceWindow.from + '-'
      + policy.advanceWindow.to + ' ' + policy.advanceWindow.zone
    : 'any time';
  return '<h3>Policy</h3><table class="policy">'
    + row('Advance by itself', policy.autoAdvance ? 'yes, below ' + pct(policy.advanceErrorRate) + ' errors, ' + window : 'no')
    + row('Pause from', pct(policy.pauseErrorRate) + ' errors, or under ' + pct(policy.minSuccessRate) + ' successes')
    + row('Roll back above', pct(policy.rollbackErrorRate) + ' errors, at the first check')
    + row('Fast track', 'over ' + pct(policy.fastTrackSuccessRate) + ' successes: time in tier × ' + policy.fastTrackFactor)
    + row('Minimum samples (tiers 1-4)', policy.minSamples.join(', ')) + '</table>';
}
