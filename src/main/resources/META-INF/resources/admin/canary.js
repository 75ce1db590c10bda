// The canary page: a service's deployment in flight, its controls and its history.
import { $, api, askReason, busy, canWrite, criterion, esc, pct, problem, remaining, renderTicket, report, unmetList,
  when } from './core.js';

// Statuses as an operator reads them.
const STATUS = { active: 'active', paused: 'paused', completed: 'completed', rolled_back: 'rolled back',
  superseded: 'superseded' };
const status = (s) => STATUS[s] || String(s).replace(/_/g, ' ');
// While a deployment is in flight the page follows it: the automation may advance or roll it back at any time.
let follow = null;

export async function renderCanary(params = new URLSearchParams()) {
  renderTicket();
  const view = $('#view');
  // the service comes from the link (shareable), else the one last looked at in this tab
  const service = params.get('service') || sessionStorage.getItem('rollgate.canary') || '';
  view.innerHTML = '<section class="card"><h2>Canary deployments</h2><form id="canary-form" class="row" role="search">'
    + '<div><label for="canary-service">Service</label><input id="canary-service" list="known-services" value="'
    + esc(service)
    + '" required autocomplete="off"><datalist id="known-services"></datalist></div>'
    + '<button type="submit">Show</button></form><div id="canary-state"></div></section>'
    + '<section class="card"><h2>Services</h2><div id="canary-services"></div></section>';
  $('#canary-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const wanted = '#/canary?service=' + encodeURIComponent($('#canary-service').value.trim());
    if (location.hash === wanted) loadCanary(); else location.hash = wanted;
  });
  clearInterval(follow);
  if (service) loadCanary(); else listServices();
}

// every service with deployments: its stable version and what is in flight, each a link to its page (from the list
// the page already read, when it did)
async function listServices(read) {
  const result = read || await api('GET', '/api/admin/canary');
  const box = $('#canary-services');
  if (!box) return;
  if (!result.ok) { box.innerHTML = '<p class="hint">' + esc(problem(result)) + '</p>'; return []; }
  $('#known-services').innerHTML = result.data.map((s) => '<option value="' + esc(s.service) + '"></option>').join('');
  if (!result.data.length) { box.innerHTML = '<p class="hint">No service has deployments yet.</p>'; return []; }
  box.innerHTML = '<table><thead><tr><th>Service</th><th>Stable</th><th>In flight</th></tr></thead><tbody>'
    + result.data.map((s) => '<tr data-service="' + esc(s.service) + '"><td><a href="#/canary?service='
      + encodeURIComponent(s.service) + '">' + esc(s.service) + '</a></td><td>' + esc(s.stableVersion || '—')
      + '</td><td>'
      + (s.inFlightVersion ? esc(s.inFlightVersion) + ' <span class="hint">' + esc(status(s.status)) + ', '
      + s.percentage + ' %</span>'
        : '—') + '</td></tr>').join('') + '</tbody></table>';
  return result.data.map((s) => s.service);
}

// The stages a start form's text names: "percentage:seconds:minRequests:maxError%", comma-separated.
export function parseStages(text) {
  if (!text.trim()) return undefined;
  return text.split(',').map((part) => {
    const [percentage, duration = '0', minRequests = '0', maxError = '5'] = part.trim().split(':').map((n) => n.trim());
    return { percentage: Number(percentage), duration: Number(duration), minRequests: Number(minRequests),
      maxErrorRate: Number(maxError) / 100 };
  });
}

// The last stage's canary numbers of a finished deployment, in words.
function finalNumbers(h) {
  const stages = h.finalMetrics && h.finalMetrics.stages;
  if (!stages || !stages.length) return '—';
  const last = stages[stages.length - 1];
  return 'stage ' + last.stage + ' (' + last.percentage + ' %): ' + last.canary.requests + ' requests, '
    + (last.canary.requests ? pct(last.canary.errorRate) : '—') + ' errors';
}

async function loadCanary() {
  const superseded = renderTicket();
  const service = $('#canary-service').value.trim();
  sessionStorage.setItem('rollgate.canary', service);
  const base = '/api/admin/canary/' + encodeURIComponent(service);
  // the services list says whether anything is in flight: no deployment is an answer, not a failed request
  const [services, history] = await Promise.all([api('GET', '/api/admin/canary'), api('GET', base + '/history')]);
  const entry = services.ok ? services.data.find((s) => s.service === service) : null;
  const current = entry && entry.inFlightVersion ? await api('GET', base) : { ok: false, status: 404 };
  if (superseded()) return;
  const box = $('#canary-state');
  let html = '';
  if (current.ok) {
    const d = current.data;
    const side = (label, m) => '<div class="stat">' + label + '<b>' + (m.requests ? pct(m.errorRate) : 'no data yet')
      + '</b><span class="hint">' + m.requests + ' requests' + (m.requests ? ', p95 ' + m.latencyP95.toFixed(1)
      + ' ms' : '')
      + '</span></div>';
    html += '<h3>' + esc(d.version) + ' — ' + esc(status(d.status)) + ', stage ' + d.currentStage + ' of '
      + d.stages.length
      + ' at ' + d.percentage + '%</h3><div class="stats">' + side('Canary errors', d.canary)
      + side('Stable errors', d.stable) + '</div>';
    // what the stage needs before it moves on (by itself or by an operator's Advance), and how long it still runs
    html += '<h3>Stage criteria</h3><ul class="criteria" id="canary-criteria">' + d.criteria.map((c) => '<li class="'
      + (c.met ? 'met' : 'unmet') + '">' + (c.met ? '✓ ' : '✗ ') + criterion(c) + '</li>').join('') + '</ul>'
      + (d.stageTimeMetAt ? '<p class="hint" id="canary-time-left">Time left in this stage: '
        + esc(remaining(Date.parse(d.stageTimeMetAt) - Date.now())) + '</p>' : '');
    if (canWrite()) {
      // only what the deployment's state allows: an active one advances (or is forced on) or pauses, a paused one
      // resumes
      const allowed = d.status === 'active' ? ['advance', 'force', 'pause'] : d.status === 'paused' ? ['resume'] : [];
      const label = { advance: 'Advance', force: 'Force advance', pause: 'Pause', resume: 'Resume' };
      html += '<div class="row">' + allowed.map((a) => '<button type="button" data-canary="' + a + '"'
        + (a === 'force' ? ' class="danger"' : '') + '>' + label[a] + '</button>').join('')
        + '<button type="button" class="danger" data-canary="rollback">Rollback</button></div>'
        + '<div id="canary-refusal"></div>';
    }
  } else {
    html += '<p class="hint">No deployment in flight.</p>';
    if (canWrite()) {
      html += '<form id="canary-start" class="row"><div><label for="canary-version">Version to deploy</label>'
        + '<input id="canary-version" required maxlength="128"></div><div><label for="canary-strategy">Strategy</label>'
        + '<select id="canary-strategy"><option value="canary">canary: 10 %, 50 %, 100 % with checks</option>'
        + '<option value="instant">instant: everyone at once (hotfix)</option></select></div>'
        + '<div><label for="canary-stages">Stages (optional)</label><input id="canary-stages" size="36" '
        + 'placeholder="10:300:100:5, 50:600:500:3, 100:0:0:2" aria-describedby="canary-stages-hint">'
        + '<span class="hint" id="canary-stages-hint">percentage:seconds:min requests:max error %</span></div>'
        + '<button type="submit">Start deployment</button></form><p class="hint" id="canary-new-service" hidden></p>';
    }
  }
  if (history.ok && history.data.length) {
    html += '<h3>History</h3><table><thead><tr><th>Version</th><th>Status</th><th>Started</th><th>Finished</th>'
      + '<th>Final numbers</th><th>Reason</th></tr></thead><tbody>'
      + history.data.map((h) => '<tr><td>' + esc(h.version) + '</td><td>' + esc(status(h.status)) + '</td><td>'
        + esc(when(h.startedAt)) + '</td><td>' + (h.finishedAt ? esc(when(h.finishedAt)) : '—') + '</td><td>'
        + esc(finalNumbers(h)) + '</td><td>' + esc(h.rollbackReason) + '</td></tr>').join('')
      + '</tbody></table>';
  }
  box.innerHTML = html;
  listServices(services).then((known) => {
    // a typo in the service name would otherwise start the first deployment of a service nobody runs
    const hint = $('#canary-new-service');
    if (hint && !known.includes(service)) {
      hint.hidden = false;
      hint.textContent = 'No deployment of "' + service + '" is known yet: starting one makes it a new service.';
    }
  });
  clearInterval(follow);
  if (current.ok) {
    const seen = JSON.stringify([current.data.rowVersion, current.data.canary, current.data.stable]);
    follow = setInterval(async () => {
      if (!location.hash.startsWith('#/canary')
        || $('#canary-service').value.trim() !== service) { clearInterval(follow); return; }
      if (document.querySelector('dialog[open]')) return;
      const list = await api('GET', '/api/admin/canary');
      const still = list.ok && list.data.find((s) => s.service === service && s.inFlightVersion);
      const now = still ? await api('GET', base) : { ok: false };
      const moved = !now.ok || JSON.stringify([now.data.rowVersion, now.data.canary, now.data.stable]) !== seen;
      if (moved && !document.querySelector('dialog[open]')) { clearInterval(follow); loadCanary(); } else if (now.ok) {
        const left = $('#canary-time-left');
        if (left && now.data.stageTimeMetAt) left.textContent = 'Time left in this stage: '
          + remaining(Date.parse(now.data.stageTimeMetAt) - Date.now());
      }
    }, 3000);
  }
  const start = $('#canary-start');
  if (start) start.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(start.querySelector('button'), async () => {
      const version = $('#canary-version').value.trim();
      const strategy = $('#canary-strategy').value;
      const stages = strategy === 'instant' ? undefined : parseStages($('#canary-stages').value);
      const first = stages ? stages[0].percentage : 10;
      const reason = await askReason('deploying ' + version + ' of ' + service, strategy === 'instant'
        ? 'Everyone gets ' + version + ' at once.' : version + ' starts with ' + first + ' % of the traffic.');
      if (!reason) return;
      const result = await api('POST', base + '/deployments', { version, strategy, stages, reason });
      if (report(result, service + ' ' + version + ' ' + (result.ok ? result.data.status : ''))) loadCanary();
    });
  });
  const unmetCount = current.ok ? current.data.criteria.filter((c) => !c.met).length : 0;
  const does = { advance: 'More traffic goes to the canary, if the stage criteria hold.',
    force: 'More traffic goes to the canary without the stage checks (' + unmetCount + ' unmet); audited as forced.',
    pause: 'Traffic stays split as it is.', resume: 'The automation watches it again.',
    rollback: 'Everyone goes back to the stable version at once.' };
  box.querySelectorAll('button[data-canary]').forEach((b) => b.addEventListener('click', () => busy(b, async () => {
    const action = b.dataset.canary;
    const reason = await askReason((action === 'force' ? 'forcing the advance' : action) + ' of '
      + service, does[action]);
    if (!reason) return;
    // the row version this page read: a second click, or another operator's step, gets 409 and a reload
    const result = await api('POST', base + '/' + (action === 'force' ? 'advance' : action),
      { reason, rowVersion: current.data.rowVersion, force: action === 'force' ? true : undefined });
    const unmet = (result.data && result.data.unmetCriteria) || [];
    report(result, service + ' ' + (result.ok ? status(result.data.status) : ''));
    await loadCanary();
    if (unmet.length && $('#canary-refusal')) $('#canary-refusal').innerHTML = '<p>Not advanced; unmet:</p>'
      + unmetList(unmet);
  })));
}
