// The canary page: a service's deployment in flight, its controls and its history.
import { $, api, askReason, busy, canWrite, esc, pct, problem, renderTicket, report, when } from './core.js';

export async function renderCanary(params = new URLSearchParams()) {
  renderTicket();
  const view = $('#view');
  // the service comes from the link (shareable), else the one last looked at in this tab
  const service = params.get('service') || sessionStorage.getItem('rollgate.canary') || '';
  view.innerHTML = '<section class="card"><h2>Canary deployments</h2><form id="canary-form" class="row" role="search">'
    + '<div><label for="canary-service">Service</label><input id="canary-service" value="' + esc(service) + '" required></div>'
    + '<button type="submit">Show</button></form><div id="canary-state"></div></section>'
    + '<section class="card"><h2>Services</h2><div id="canary-services"></div></section>';
  $('#canary-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const wanted = '#/canary?service=' + encodeURIComponent($('#canary-service').value.trim());
    if (location.hash === wanted) loadCanary(); else location.hash = wanted;
  });
  if (service) loadCanary(); else listServices();
}

// every service with deployments: its stable version and what is in flight, each a link to its page
async function listServices() {
  const result = await api('GET', '/api/admin/canary');
  const box = $('#canary-services');
  if (!box) return;
  if (!result.ok) { box.innerHTML = '<p class="hint">' + esc(problem(result)) + '</p>'; return; }
  if (!result.data.length) { box.innerHTML = '<p class="hint">No service has deployments yet.</p>'; return; }
  box.innerHTML = '<table><thead><tr><th>Service</th><th>Stable</th><th>In flight</th></tr></thead><tbody>'
    + result.data.map((s) => '<tr data-service="' + esc(s.service) + '"><td><a href="#/canary?service='
      + encodeURIComponent(s.service) + '">' + esc(s.service) + '</a></td><td>' + esc(s.stableVersion || '—') + '</td><td>'
      + (s.inFlightVersion ? esc(s.inFlightVersion) + ' <span class="hint">' + esc(s.status) + ', ' + s.percentage + ' %</span>'
        : '—') + '</td></tr>').join('') + '</tbody></table>';
}

async function loadCanary() {
  const superseded = renderTicket();
  const service = $('#canary-service').value.trim();
  sessionStorage.setItem('rollgate.canary', service);
  const base = '/api/admin/canary/' + encodeURIComponent(service);
  const [current, history] = await Promise.all([api('GET', base), api('GET', base + '/history')]);
  if (superseded()) return;
  const box = $('#canary-state');
  let html = '';
  if (current.ok) {
    const d = current.data;
    const side = (label, m) => '<div class="stat">' + label + '<b>' + (m.requests ? pct(m.errorRate) : 'no data yet')
      + '</b><span class="hint">' + m.requests + ' requests' + (m.requests ? ', p95 ' + m.latencyP95.toFixed(1) + ' ms' : '')
      + '</span></div>';
    html += '<h3>' + esc(d.version) + ' — ' + esc(d.status) + ', stage ' + d.currentStage + ' of ' + d.stages.length
      + ' at ' + d.percentage + '%</h3><div class="stats">' + side('Canary errors', d.canary) + side('Stable errors', d.stable) + '</div>';
    if (canWrite()) {
      // only what the deployment's state allows: an active one advances or pauses, a paused one resumes
      const allowed = d.status === 'active' ? ['advance', 'pause'] : d.status === 'paused' ? ['resume'] : [];
      html += '<div class="row">' + allowed.map((a) => '<button type="button" data-canary="' + a + '">'
        + a[0].toUpperCase() + a.slice(1) + '</button>').join('') + '<button type="button" class="danger" data-canary="rollback">Rollback</button></div>';
    }
  } else {
    html += '<p class="hint">No deployment in flight.</p>';
    if (canWrite()) {
      html += '<form id="canary-start" class="row"><div><label for="canary-version">Version to deploy</label>'
        + '<input id="canary-version" required maxlength="128"></div><div><label for="canary-strategy">Strategy</label>'
        + '<select id="canary-strategy"><option value="canary">canary: 10 %, 50 %, 100 % with checks</option>'
        + '<option value="instant">instant: everyone at once (hotfix)</option></select></div>'
        + '<button type="submit">Start deployment</button></form>';
    }
  }
  if (history.ok && history.data.length) {
    html += '<h3>History</h3><table><thead><tr><th>Version</th><th>Status</th><th>Started</th><th>Reason</th></tr></thead><tbody>'
      + history.data.map((h) => '<tr><td>' + esc(h.version) + '</td><td>' + esc(h.status) + '</td><td>'
        + esc(when(h.startedAt)) + '</td><td>' + esc(h.rollbackReason) + '</td></tr>').join('')
      + '</tbody></table>';
  }
  box.innerHTML = html;
  listServices();
  const start = $('#canary-start');
  if (start) start.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(start.querySelector('button'), async () => {
      const version = $('#canary-version').value.trim();
      const strategy = $('#canary-strategy').value;
      const reason = await askReason('deploying ' + version + ' of ' + service, strategy === 'instant'
        ? 'Everyone gets ' + version + ' at once.' : version + ' starts with 10 % of the traffic.');
      if (!reason) return;
      const result = await api('POST', base + '/deployments', { version, strategy, reason });
      if (report(result, service + ' ' + version + ' ' + (result.ok ? result.data.status : ''))) loadCanary();
    });
  });
  const does = { advance: 'More traffic goes to the canary.', pause: 'Traffic stays split as it is.',
    resume: 'The automation watches it again.', rollback: 'Everyone goes back to the stable version at once.' };
  box.querySelectorAll('button[data-canary]').forEach((b) => b.addEventListener('click', () => busy(b, async () => {
    const action = b.dataset.canary;
    const reason = await askReason(action + ' of ' + service, does[action]);
    if (!reason) return;
    // the row version this page read: a second click, or another operator's step, gets 409 and a reload
    const result = await api('POST', base + '/' + action, { reason, rowVersion: current.data.rowVersion });
    report(result, service + ' ' + (result.ok ? result.data.status : ''));
    loadCanary();
  })));
}
