// The rollout page: statistics, events per minute, lists, and every step of its lifecycle.
import { $, TIER_NAME, TIER_REACH, api, askReason, busy, canWrite, criterion, esc, field, lines, pct, problem,
  remaining, renderTicket, report, rolloutOf, unmetList, when } from './core.js';

export async function renderRollout(key) {
  const superseded = renderTicket();
  const view = $('#view');
  const base = '/api/admin/rollouts/' + encodeURIComponent(key);
  // asked of the list first: a flag without a rollout is no failed request
  const known = await rolloutOf(key);
  if (superseded()) return;
  if (!known.ok) {
    if (known.status === 404 && canWrite()) { drawCreate(view, key, problem(known)); return; }
    view.innerHTML = '<p class="error">' + esc(problem(known)) + '</p>';
    return;
  }
  // the list's entry is the rollout as its own GET answers it: not asked for twice
  const [stats, timeline] = await Promise.all([api('GET', base + '/stats'),
    api('GET', base + '/timeline?minutes=120')]);
  if (superseded()) return;
  const r = known.data;
  const s = stats.ok ? stats.data : null;
  const stat = (label, value) => '<div class="stat">' + esc(label) + '<b>' + esc(value) + '</b></div>';
  const inTier = r.tierEnteredAt ? Math.round((Date.now() - Date.parse(r.tierEnteredAt)) / 60000) + ' min' : '—';
  let html = '<section class="card"><h2>Rollout of ' + esc(key) + '</h2><div class="stats">'
    + stat('Current tier', TIER_NAME[r.tier]) + stat('Reaches', TIER_REACH[r.tier])
    + stat('Status', r.status.replace('_', ' '))
    + stat('Time in tier', inTier) + timeLeft(r, s)
    + (s ? stat('Enabled customers', s.enabledCustomers) + stat('Errors', s.errorCount)
      + stat('Error rate', s.samples ? pct(s.errorRate) : 'no data yet')
      + stat('Success rate', s.samples ? pct(s.successRate) : 'no data yet') : '') + '</div>';
  // the evidence against the policy next to the controls: marked only while the automatic check acts on it (a
  // paused rollout is in an operator's hands), with the streak when the policy waits for several checks
  const p = r.policy;
  const samplesNeeded = p.minSamples[Math.max(1, r.tier) - 1];
  const watched = r.status === 'active' || r.status === 'completed';
  const enough = s && s.samples >= samplesNeeded;
  const band = !enough ? '' : s.errorRate > p.rollbackErrorRate ? 'above the rollback rate'
    : s.errorRate >= p.pauseErrorRate && p.pauseErrorRate < p.rollbackErrorRate ? 'in the pause band' : '';
  html += '<div class="stats">' + '<div class="stat' + (watched && band ? ' breach' : '')
    + '" id="against-policy">Against the policy<b>'
    + (s && s.samples ? pct(s.errorRate) + ' errors' : 'no data yet') + '</b><span class="hint">'
    + (watched && band ? band + '; ' : '') + 'pause from ' + pct(p.pauseErrorRate) + ', roll back above '
    + pct(p.rollbackErrorRate) + '; needs ' + samplesNeeded + ' samples, has ' + (s ? s.samples : 0)
    + ((p.rollbackAfter || 1) > 1 ? '; checks above in a row ' + r.consecutiveBreaches + ' of ' + p.rollbackAfter : '')
    + '</span></div>'
    + stat('Pauses', r.pauses) + stat('Rollbacks', r.rollbacks)
    + stat('Time to full', r.timeToFullSeconds == null ? 'not yet' : Math.round(r.timeToFullSeconds / 3600) + ' h')
    + stat('Tiers passed', r.tierHistory.length) + '</div>';
  if (r.pauseReason) html += '<p class="error">Paused: ' + esc(r.pauseReason) + '</p>';
  if (r.rollbackReason) html += '<p class="error">Rolled back: ' + esc(r.rollbackReason) + '</p>';
  if (s && s.criteria && s.criteria.length && r.status === 'active' && r.tier < 4) {
    html += '<h3>Before advancing</h3><ul class="checklist">' + s.criteria.map((c) => '<li class="'
      + (c.met ? 'on' : 'off')
      + '">' + (c.met ? '✓ ' : '✗ ') + criterion(c) + '</li>').join('')
      + '</ul>';
  }
  html += policyTable(r.policy, r.rollbackThreshold);
  html += '<h3>Events per minute</h3>' + chart(timeline.ok ? timeline.data : [], r.policy.pauseErrorRate);
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
  countDown();
  const byId = Object.fromEntries(actionsFor(r).map((a) => [a.id, a]));
  view.querySelectorAll('button[data-action]').forEach((b) => b.addEventListener('click',
    () => busy(b, () => perform(key, r, byId[b.dataset.action]))));
  const lists = $('#lists');
  if (lists) lists.addEventListener('submit', async (event) => {
    event.preventDefault();
    const reason = await askReason('saving the lists of ' + key);
    if (!reason) return;
    const result = await api('PUT', base + '/lists', { whitelistedCustomers: lines('#whitelist'),
      blacklistedCustomers: lines('#blacklist'), reason, version: r.version });
    if (report(result, 'Lists saved')) renderRollout(key);
  });
}

/**
 * A flag with no rollout yet: the form that creates one as a draft, with its lists and its policy; what is left
 * blank is the service's default policy, the same one a rollout created through the API gets.
 */
function drawCreate(view, key, why) {
  const number = (id, extra) => '<input id="' + id + '" type="number" placeholder="default" ' + extra + '>';
  view.innerHTML = '<section class="card"><h2>New rollout of ' + esc(key) + '</h2><p class="hint">' + esc(why)
    + '. A new rollout is a draft at tier 0: nobody gets anything until it is started.</p><form id="rollout-create">'
    + field('create-whitelist', 'Whitelisted customers, one a line (tier 1 reaches only them)',
      '<textarea id="create-whitelist" rows="3" cols="50"></textarea>')
    + field('create-blacklist', 'Blacklisted customers, one a line (never enabled by the rollout)',
      '<textarea id="create-blacklist" rows="2" cols="50"></textarea>')
    + '<p class="hint">Its policy: blank fields take the service\'s defaults, shown on the rollout once created.</p>'
    + '<div class="row">'
    + field('create-pause-rate', 'Pause from (% errors)', number('create-pause-rate', 'min="0.1" max="99" step="0.1"'))
    + field('create-error-rate', 'Roll back above (% errors)', number('create-error-rate',
    'min="0.1" max="99" step="0.1"'))
    + field('create-window', 'Over the last (minutes)', number('create-window', 'min="1"')) + '</div>'
    + '<div><label class="kill"><input type="checkbox" id="create-auto"> Advance by itself when the criteria hold'
    + '</label></div>'
    + '<div class="row"><button type="submit">Create rollout</button></div></form></section>';
  const form = $('#rollout-create');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(form.querySelector('button[type="submit"]'), () => create(key));
  });
}

async function create(key) {
  const percent = (id) => ($(id).value === '' ? undefined : Number($(id).value) / 100);
  const policy = { pauseErrorRate: percent('#create-pause-rate'), rollbackErrorRate: percent('#create-error-rate'),
    autoAdvance: $('#create-auto').checked || undefined };
  const body = {
    featureName: key,
    whitelistedCustomers: lines('#create-whitelist'),
    blacklistedCustomers: lines('#create-blacklist'),
    rollbackThreshold: $('#create-window').value ? { timeWindow: Number($('#create-window').value) * 60000 }
      : undefined,
    policy,
  };
  const reason = await askReason('creating a rollout of ' + key,
    'It starts as a draft at tier 0 (no customers); start it on its page.');
  if (!reason) return;
  const result = await api('POST', '/api/admin/rollouts', { ...body, reason });
  // the form is drawn again only on success: a refusal leaves what was entered, beside the reason
  if (report(result, 'Rollout of ' + key + ' created as a draft')) renderRollout(key);
}

/** How long until the rollout has been in its tier long enough to advance, and when that is. */
function timeLeft(r, s) {
  if (!s || !s.timeInTierMetAt || r.status !== 'active' || r.tier >= 4) return '';
  return '<div class="stat">Time left in tier<b data-until="' + esc(s.timeInTierMetAt) + '"></b><span class="hint">'
    + 'may advance from ' + esc(when(s.timeInTierMetAt)) + '</span></div>';
}

let ticking = null;

/** Keeps the time left in tier counting down while the page shows it. */
function countDown() {
  clearInterval(ticking);
  const update = () => {
    const shown = document.querySelectorAll('[data-until]');
    if (!shown.length) { clearInterval(ticking); return; }
    shown.forEach((box) => {
      const left = Date.parse(box.dataset.until) - Date.now();
      box.textContent = left > 0 ? remaining(left) : 'none: long enough';
    });
  };
  update();
  ticking = setInterval(update, 1000);
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
  // an emergency rollback goes through whatever someone paused or resumed meanwhile: it carries no version
  const version = action.id === 'rollback' ? undefined : r.version;
  const result = await api('POST', path, { reason, version, force: action.force ? true : undefined });
  if (result.ok) {
    report(result, key + ': ' + result.data.status + ', ' + TIER_REACH[result.data.tier]);
    await renderRollout(key);
    return;
  }
  report(result);
  const unmet = (result.data && result.data.unmetCriteria) || [];
  if (unmet.length) {
    $('[data-criteria="' + CSS.escape(key) + '"]').innerHTML = unmetList(unmet);
  }
}

/**
 * Events per minute (left axis) and the error rate (right axis, in %) over the last two hours, with the
 * rate at which the rollout responds drawn as a dashed line and the minutes as times on the bottom axis.
 */
function chart(points, threshold) {
  if (!points.length) return '<p class="hint">No events in the last two hours.</p>';
  const width = 640;
  const height = 200;
  const left = 48;
  const right = 48;
  const top = 10;
  const bottom = 28;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const total = (p) => p.success + p.error + p.enabled + p.disabled;
  const rate = (p) => (p.success + p.error ? p.error / (p.success + p.error) : 0);
  const maxEvents = Math.max(1, ...points.map(total));
  const maxRate = Math.max(threshold * 1.5, ...points.map(rate), 0.01);
  const x = (i) => left + (points.length === 1 ? plotW / 2 : (i / (points.length - 1)) * plotW);
  const yEvents = (v) => top + plotH - (v / maxEvents) * plotH;
  const yRate = (v) => top + plotH - (v / maxRate) * plotH;
  const line = (y, pick) => points.map((p, i) => x(i).toFixed(1) + ',' + y(pick(p)).toFixed(1)).join(' ');
  const time = (p) => new Date(p.minute).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const label = (tx, ty, text, anchor) => '<text x="' + tx + '" y="' + ty + '" text-anchor="' + anchor + '">'
    + esc(text) + '</text>';
  const ticks = [0, Math.floor((points.length - 1) / 2), points.length - 1]
    .filter((v, i, all) => all.indexOf(v) === i)
    .map((i) => label(x(i).toFixed(1), height - 8, time(points[i]), 'middle')).join('');
  const ty = yRate(threshold).toFixed(1);
  return '<svg class="chart" viewBox="0 0 ' + width + ' ' + height + '" role="img" aria-label="Events per minute and '
    + 'error rate over the last two hours, with the ' + pct(threshold) + ' threshold">'
    + '<g class="axis"><line x1="' + left + '" y1="' + (top + plotH) + '" x2="' + (width - right) + '" y2="' + (top
    + plotH) + '"/>'
    + '<line x1="' + left + '" y1="' + top + '" x2="' + left + '" y2="' + (top + plotH) + '"/>'
    + '<line x1="' + (width - right) + '" y1="' + top + '" x2="' + (width - right) + '" y2="' + (top + plotH) + '"/>'
    + label(left - 6, top + 10, maxEvents, 'end') + label(left - 6, top + plotH, '0', 'end')
    + label(width - right + 6, top + 10, pct(maxRate), 'start') + label(width - right + 6, top + plotH, '0 %', 'start')
    + ticks + '</g>'
    + '<line class="threshold" x1="' + left + '" y1="' + ty + '" x2="' + (width - right) + '" y2="' + ty + '"/>'
    + '<polyline class="events" fill="none" points="' + line(yEvents, total) + '"/>'
    + '<polyline class="errors" fill="none" points="' + line(yRate, rate) + '"/></svg>'
    + '<p class="hint">Blue: events per minute (left axis). Red: error rate (right axis). Dashed: the '
    + pct(threshold) + ' error rate the rollout responds at. Times in '
    + esc(Intl.DateTimeFormat().resolvedOptions().timeZone) + '.</p>';
}

// The rollout's policy as the automatic check applies it (for a rollout created with a threshold, its equivalent).
function policyTable(policy, threshold) {
  const row = (label, value) => '<tr><th scope="row">' + esc(label) + '</th><td>' + esc(value) + '</td></tr>';
  const window = policy.advanceWindow
    ? (policy.advanceWindow.days || ['every day']).join(', ') + ' ' + policy.advanceWindow.from + '-'
      + policy.advanceWindow.to + ' ' + policy.advanceWindow.zone
    : 'any time';
  const checks = (policy.rollbackAfter || 1) > 1 ? 'on ' + policy.rollbackAfter
    + ' checks in a row' : 'at the first check';
  return '<h3>Policy</h3><table class="policy">'
    + row('Advance by itself', policy.autoAdvance ? 'yes, below ' + pct(policy.advanceErrorRate) + ' errors, '
    + window : 'no')
    + row('Pause from', (policy.pauseErrorRate < policy.rollbackErrorRate ? pct(policy.pauseErrorRate)
    + ' errors, or ' : '')
      + 'under ' + pct(policy.minSuccessRate) + ' successes')
    + row('Roll back above', pct(policy.rollbackErrorRate) + ' errors, ' + checks)
    + row('Fast track', policy.fastTrackFactor < 1
      ? 'over ' + pct(policy.fastTrackSuccessRate) + ' successes: time in tier × ' + policy.fastTrackFactor : 'none')
    + row('Minimum samples (tiers 1-4)', policy.minSamples.join(', '))
    + row('Evidence', 'events of the last ' + Math.round(threshold.timeWindow / 60000) + ' min') + '</table>';
}
