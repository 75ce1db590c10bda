// The flags page: every flag by phase, its kill switch and its rollout with statistics.
import { $, TIER_NAME, TIER_REACH, api, askReason, busy, canWrite, esc, human, pct, problem, refresh, renderTicket,
  report, unmetList } from './core.js';

// Every group's table has the same column widths, so the groups line up as one table.
const COLUMNS = '<colgroup>' + ['flag', 'value', 'kill', 'rollout', 'rates', 'actions']
  .map((c) => '<col class="col-' + c + '">').join('') + '</colgroup>';

export async function renderFlags(params = new URLSearchParams()) {
  const superseded = renderTicket();
  const view = $('#view');
  view.innerHTML = '<p>Loading…</p>';
  const [flags, rollouts, definitions] = await Promise.all([api('GET', '/api/admin/feature-flags'),
    api('GET', '/api/admin/rollouts'), api('GET', '/api/admin/flags?size=500')]);
  // flag hygiene: why a flag is potentially stale (one value for everyone, or unused, for a while)
  const stale = {};
  const ramps = {};
  for (const definition of (definitions.ok ? definitions.data.flags : [])) {
    if (definition.staleReason) stale[definition.name] = definition.staleReason;
    if (definition.rolloutPercentage) ramps[definition.name] = definition.rolloutPercentage;
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
  let html = '<h2>Feature flags <span class="hint">environment ' + esc(flags.data.evaluation.environment)
    + '</span></h2>'
    + (canWrite() ? '<p><a href="#/flag/new">New flag</a></p>' : '')
    + filterForm(Object.keys(groups), params);
  // the widget's phases first, the other groups after them
  const order = (phase) => (/^phase\d/.test(phase) ? '0' : '1') + phase;
  for (const phase of Object.keys(groups).sort((a, b) => order(a).localeCompare(order(b)))) {
    html += '<section class="card" aria-labelledby="phase-' + esc(phase) + '"><h3 id="phase-' + esc(phase) + '">'
      + esc(phase) + '</h3><table class="flag-table">' + COLUMNS + '<thead><tr><th>Flag</th>'
      + '<th><abbr title="What a visitor without a customer or organization gets; look a customer up for theirs">'
      + 'Value (anonymous)</abbr></th><th>Kill switch</th>'
      + '<th>Rollout</th><th>Errors / success</th><th>Actions</th></tr></thead><tbody>';
    for (const feature of groups[phase]) {
      html += flagRow(feature, byFlag[feature.key], stats[feature.key], stale[feature.key], phase, ramps[feature.key]);
    }
    html += '</tbody></table></section>';
  }
  view.innerHTML = html;
  applyFilters();
  $('#flag-filters').addEventListener('input', () => {
    applyFilters();
    // the filters stay in the URL, to share or come back to, without drawing the page again
    history.replaceState(null, '', '#/flags?' + new URLSearchParams(currentFilters()));
  });
  $('#flag-filters').addEventListener('submit', (event) => event.preventDefault());
  // widths through the DOM, not style attributes: the Content-Security-Policy allows no inline styles
  view.querySelectorAll('[data-width]').forEach((bar) => { bar.style.width = bar.dataset.width + '%'; });
  view.querySelectorAll('input[data-kill]').forEach((box) => box.addEventListener('change', () => toggleGlobal(box)));
  view.querySelectorAll('button[data-advance]').forEach((b) => b.addEventListener('click',
    () => busy(b, () => advance(byFlag[b.dataset.advance]))));
  view.querySelectorAll('button[data-rollback]').forEach((b) => b.addEventListener('click',
    () => busy(b, () => rollback(byFlag[b.dataset.rollback]))));
}

function filterForm(groups, params) {
  const option = (value, label, selected) => '<option value="' + esc(value) + '"'
    + (selected === value ? ' selected' : '')
    + '>' + esc(label) + '</option>';
  return '<form id="flag-filters" class="row card" role="search" aria-label="Filter flags">'
    + '<div><label for="flag-search">Search</label><input id="flag-search" type="search" value="' + esc(params.get('q'))
    + '" placeholder="key, rollout name or description"></div>'
    + '<div><label for="flag-group">Group</label><select id="flag-group">'
    + option('', 'any', params.get('group') || '')
    + groups.sort().map((g) => option(g, g, params.get('group'))).join('') + '</select></div>'
    + '<div><label for="flag-state">State</label><select id="flag-state">'
    + [['', 'any'], ['killed', 'killed'], ['rollout', 'has a rollout'], ['no-rollout', 'no rollout'], ['stale',
    'potentially stale']]
      .map(([v, l]) => option(v, l, params.get('state') || '')).join('') + '</select></div>'
    + '<p class="hint" id="flag-count" aria-live="polite"></p></form>';
}

function currentFilters() {
  const filters = {};
  if ($('#flag-search').value.trim()) filters.q = $('#flag-search').value.trim();
  if ($('#flag-group').value) filters.group = $('#flag-group').value;
  if ($('#flag-state').value) filters.state = $('#flag-state').value;
  return filters;
}

/** Shows the rows that match the search and filters, and hides groups left empty. */
function applyFilters() {
  const { q = '', group = '', state = '' } = currentFilters();
  const needle = q.toLowerCase();
  let shown = 0;
  document.querySelectorAll('tr[data-flag]').forEach((row) => {
    const matches = (!needle || row.dataset.search.includes(needle))
      && (!group || row.dataset.group === group)
      && (!state || row.dataset.state.split(' ').includes(state));
    row.hidden = !matches;
    if (matches) shown++;
  });
  document.querySelectorAll('#view section.card[aria-labelledby]').forEach((section) => {
    section.hidden = !section.querySelector('tr[data-flag]:not([hidden])');
  });
  $('#flag-count').textContent = shown + ' of ' + document.querySelectorAll('tr[data-flag]').length + ' flags';
}

function flagRow(feature, rollout, stats, staleReason, phase, ramp) {
  const key = esc(feature.key);
  const disabled = canWrite() ? '' : ' disabled';
  // a flag ramped by its own percentage (no staged rollout) shows that share, not "none"
  let rolloutCell = ramp
    ? '<span class="bar" role="img" aria-label="' + ramp + ' % of customers"><span data-width="' + Number(ramp)
      + '"></span></span> ramp: ' + ramp + ' % of customers'
    : '<span class="off">none</span>';
  let rates = '';
  let actions = '';
  if (rollout) {
    // tier 1 reaches the whitelist only, whatever its nominal percentage
    const reach = rollout.tier === 1 ? 'whitelist only' : rollout.percentage + ' % of customers';
    rolloutCell = '<a href="#/rollouts/' + encodeURIComponent(feature.key) + '" title="' + esc(rollout.currentTier)
      + '">' + esc(TIER_NAME[rollout.tier]) + '</a> '
      + '<span class="bar" role="img" aria-label="' + esc(reach) + '"><span data-width="'
      + Number(rollout.tier === 1 ? 0 : rollout.percentage) + '"></span></span> ' + esc(reach)
      + ' <span class="hint">' + esc(rollout.status) + '</span>';
    if (stats) {
      rates = stats.samples ? pct(stats.errorRate) + ' / ' + pct(stats.successRate) + ' <span class="hint">('
        + stats.samples + ')</span>' : '<span class="hint">no data yet</span>';
    }
    if (canWrite()) {
      if (rollout.status === 'active' && rollout.tier < 4) {
        actions += '<button type="button" data-advance="' + key + '" aria-label="Advance ' + key
          + '">Advance</button> ';
      }
      if (['active', 'paused', 'completed'].includes(rollout.status)) {
        actions += '<button type="button" class="danger" data-rollback="' + key + '" aria-label="Roll back ' + key
          + '">Rollback</button>';
      }
    }
  } else if (canWrite()) {
    actions = '<a class="button" href="#/rollouts/' + encodeURIComponent(feature.key)
      + '" aria-label="Create a rollout of '
      + key + '">Create rollout</a>';
  }
  const states = [feature.killed ? 'killed' : '', rollout || ramp ? 'rollout' : 'no-rollout',
    staleReason ? 'stale' : '']
    .filter(Boolean).join(' ');
  return '<tr data-flag="' + key + '" data-group="' + esc(phase) + '" data-state="' + states + '" data-search="'
    + esc([feature.key, feature.alias, feature.description].filter(Boolean).join(' ').toLowerCase())
    + '"><td><a href="#/flag/' + encodeURIComponent(feature.key) + '"><b>' + key.replace(/\./g, '.<wbr>')
    + '</b></a><div class="hint">' + esc(feature.description) + '</div>'
    + (staleReason ? '<div class="hint stale">Potentially stale: ' + esc(staleReason) + '</div>' : '') + '</td>'
    + '<td class="' + (feature.value ? 'on' : 'off') + '">' + (feature.value ? 'on' : 'off')
    + ' <span class="hint">' + esc(feature.source) + '</span></td>'
    + '<td><label class="kill"><input type="checkbox" data-kill="' + key + '" aria-label="' + key + ' enabled globally"'
    + (feature.killed ? '' : ' checked') + disabled + '> '
    + (feature.killed ? '<b class="off">killed</b>' : 'not killed')
    + '</label></td>'
    + '<td>' + rolloutCell + '</td><td>' + rates + '</td><td>' + actions
    + '<div class="criteria-box" data-criteria="' + key + '"></div></td></tr>';
}

async function toggleGlobal(box) {
  const key = box.dataset.kill;
  const reason = await askReason((box.checked ? 'releasing the kill switch of ' : 'killing ') + key,
    box.checked ? 'Customers get ' + key + ' again as its rules and rollout decide.'
      : key + ' turns off for every customer at once, whatever else says on.');
  if (!reason) { box.checked = !box.checked; return; }
  const result = await api('POST', '/api/admin/feature-flags', { global: true, featureName: key, enabled: box.checked,
    reason });
  if (!report(result, key + (box.checked ? ' released' : ' killed')
    + ' for everyone')) { box.checked = !box.checked; return; }
  refresh();
}

/** Advances a rollout one tier, saying how many customers move; refusals list each unmet criterion. */
export async function advance(rollout) {
  const key = rollout.featureName;
  const reason = await askReason('advancing ' + key, TIER_REACH[rollout.tier] + ' -> '
    + TIER_REACH[Math.min(rollout.tier + 1, 4)] + ', if the criteria are met.');
  if (!reason) return;
  const result = await api('POST', '/api/admin/rollouts/' + encodeURIComponent(key) + '/advance',
    { reason, version: rollout.version });
  if (result.ok) { report(result, key + ' advanced to ' + TIER_NAME[result.data.tier]); await refresh(); return; }
  report(result);
  const box = document.querySelector('[data-criteria="' + CSS.escape(key) + '"]');
  const unmet = (result.data && result.data.unmetCriteria) || [];
  box.innerHTML = '<p class="error">' + esc(human(problem(result))) + '</p>' + (unmet.length ? unmetList(unmet) : '');
}

export async function rollback(rollout) {
  const key = rollout.featureName;
  const reason = await askReason('rolling back ' + key, 'It turns off for every customer at once ('
    + TIER_REACH[rollout.tier] + ' -> ' + TIER_REACH[0] + ').');
  if (!reason) return;
  // an emergency goes through whatever changed since the page was drawn: no version
  const result = await api('POST', '/api/admin/rollouts/' + encodeURIComponent(key) + '/rollback', { reason });
  report(result, key + ' rolled back');
  await refresh();
}
