// The rollout page: statistics, events per minute, lists, and every step of its lifecycle.
import { $, TIER_REACH, api, askReason, busy, canWrite, esc, pct, problem, renderTicket, report } from './core.js';

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
    + stat('Current tier', r.currentTier) + stat('Reaches', TIER_REACH[r.tier]) + stat('Status', r.status)
    + stat('Time in tier', inTier)
    + (s ? stat('Enabled customers', s.enabledCustomers) + stat('Errors', s.errorCount)
      + stat('Error rate', s.samples ? pct(s.errorRate) : 'no data yet')
      + stat('Success rate', s.samples ? pct(s.successRate) : 'no data yet') : '') + '</div>';
  html += '<div class="stats">' + stat('Pauses', r.pauses) + stat('Rollbacks', r.rollbacks)
    + stat('Time to full', r.timeToFullSeconds == null ? 'not yet' : Math.round(r.timeToFullSeconds / 3600) + ' h')
    + stat('Tiers left', r.tierHistory.length) + '</div>';
  if (r.pauseReason) html += '<p class="error">Paused: ' + esc(r.pauseReason) + '</p>';
  if (r.rollbackReason) html += '<p class="error">Rolled back: ' + esc(r.rollbackReason) + '</p>';
  if (s && s.criteria && s.criteria.length && r.status === 'active' && r.tier < 4) {
    html += '<h3>Before advancing</h3><ul class="checklist">' + s.criteria.map((c) => '<li class="' + (c.met ? 'on' : 'off')
      + '">' + (c.met ? '✓ ' : '✗ ') + esc(c.name) + ': needs ' + esc(c.required) + ', is ' + esc(c.actual) + '</li>').join('')
      + '</ul>';
  }
  html += policyTable(r.policy, r.rollbackThreshold);
  html += '<h3>Events per minute</h3>' + chart(timeline.ok ? timeline.data : []);
  if (canWrite()) {
    html += '<div class="row" id="lifecycle">' + actionsFor(r).map((a) => '<button type="button" data-action="' + a.id
      + '"' + (a.danger ? ' class="danger"' : '') + '>' + esc(a.label) + '</button>').join('') + '</div>'
      + '<div class="criteria-box" data-criteria="' + esc(key) + '"></div>'
      + '<h3>Lists</h3><form id="lists"><label for="whitelist">Whitelisted customers (one per line)</label>'
      + '<textarea id="whitelist" rows="3" cols="50">' + esc(r.whitelistedCustomers.join('\n')) + '</textarea>'
      + '<label for="blacklist">Blacklisted customers (one per line)</label>'
      + '<textarea id="blacklist" rows="3" cols="50">' + esc(r.blacklistedCustomers.join('\n')) + '</textarea>'
      + '<div><button type="submit">Save lists</button></div></form>';
  }
  view.innerHTML = html + '</section>';
  const byId = Object.fromEntries(actionsFor(r).map((a) => [a.id, a]));
  view.querySelectorAll('button[data-action]').forEach((b) => b.addEventListener('click',
    () => busy(b, () => perform(key, r, byId[b.dataset.action]))));
  const lists = $('#lists');
  if (lists) lists.addEventListener('submit', async (event) => {
    event.preventDefault();
    const split = (id) => $(id).value.split('\n').map((v) => v.trim()).filter(Boolean);
    const reason = await askReason('saving the lists of ' + key);
    if (!reason) return;
    const result = await api('PUT', base + '/lists', { whitelistedCustomers: split('#whitelist'),
      blacklistedCustomers: split('#blacklist'), reason, version: r.version });
    if (report(result, 'Lists saved')) renderRollout(key);
  });
}

/**
 * The steps the rollout's state allows, each with what it does in words: a draft starts, an active rollout
 * advances (or is forced on), pauses or rolls back, a paused one resumes or rolls back, a completed one can
 * still roll back, and a rolled-back one restarts from the beginning.
 */
function actionsFor(r) {
  const next = TIER_REACH[Math.min(r.tier + 1, 4)];
  const all = {
    start: { id: 'start', label: 'Start', what: 'starting the rollout of ' + r.featureName,
      does: 'Tier 0 -> tier 1: ' + TIER_REACH[1] + '.' },
    advance: { id: 'advance', label: 'Advance', what: 'advancing ' + r.featureName,
      does: TIER_REACH[r.tier] + ' -> ' + next + ', if the criteria are met.' },
    force: { id: 'force', label: 'Force advance', what: 'forcing ' + r.featureName + ' on', force: true,
      does: TIER_REACH[r.tier] + ' -> ' + next + ' without meeting the criteria; audited as forced.' },
    pause: { id: 'pause', label: 'Pause', what: 'pausing ' + r.featureName,
      does: 'Customers keep what they have; the automatic check stops moving it.' },
    resume: { id: 'resume', label: 'Resume', what: 'resuming ' + r.featureName,
      does: 'The automatic check watches it again.' },
    rollback: { id: 'rollback', label: 'Rollback', danger: true, what: 'rolling back ' + r.featureName,
      does: 'It turns off for every customer at once (' + TIER_REACH[r.tier] + ' -> ' + TIER_REACH[0] + ').' },
    restart: { id: 'restart', label: 'Restart', what: 'restarting ' + r.featureName,
      does: 'It starts again at tier 1: ' + TIER_REACH[1] + '.' },
  };
  const ids = {
    draft: ['start'],
    active: r.tier < 4 ? ['advance', 'force', 'pause', 'rollback'] : ['pause', 'rollback'],
    paused: ['resume', 'rollback'],
    completed: ['rollback'],
    rolled_back: ['restart'],
  }[r.status] || [];
  return ids.map((id) => all[id]);
}

/** One lifecycle step: its reason asked in the page, sent with the version this page read. */
async function perform(key, r, action) {
  const reason = await askReason(action.what, action.does);
  if (!reason) return;
  const path = '/api/admin/rollouts/' + encodeURIComponent(key) + '/' + (action.force ? 'advance' : action.id);
  const result = await api('POST', path, { reason, version: r.version, force: action.force ? true : undefined });
  if (result.ok) {
    report(result, key + ': ' + result.data.status + ', ' + TIER_REACH[result.data.tier]);
    await renderRollout(key);
    return;
  }
  report(result);
  const unmet = (result.data && result.data.unmetCriteria) || [];
  if (unmet.length) {
    $('[data-criteria="' + CSS.escape(key) + '"]').innerHTML = '<ul class="criteria">' + unmet.map((c) => '<li>'
      + esc(c.name) + ': needs ' + esc(c.required) + ', is ' + esc(c.actual) + '</li>').join('') + '</ul>';
  }
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
