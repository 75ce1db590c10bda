// One flag's page: its definition, its rollout, its history, and (for operators) the editor; also the
// form for a new flag.
import { $, TIER_NAME, api, askReason, busy, canWrite, esc, field, lines, problem, renderTicket, report, rolloutOf,
  when } from './core.js';
import { change } from './audit.js';

export async function renderFlag(name) {
  const superseded = renderTicket();
  const view = $('#view');
  if (name === 'new') {
    view.innerHTML = '';
    const editor = document.createElement('section');
    view.append(editor);
    drawEditor(editor, null);
    return;
  }
  const path = encodeURIComponent(name);
  const [flag, rollout, history] = await Promise.all([api('GET', '/api/admin/flags/' + path),
    rolloutOf(name), api('GET', '/api/admin/audit?size=20&flagPath=' + path)]);
  if (superseded()) return;
  if (!flag.ok) { view.innerHTML = '<p class="error" role="alert">' + esc(problem(flag)) + '</p>'; return; }
  const f = flag.data;
  const row = (label, value) => '<tr><th scope="row">' + esc(label) + '</th><td>' + esc(value) + '</td></tr>';
  let html = '<section class="card"><h2>Flag ' + esc(f.name) + '</h2>'
    + (f.description ? '<p>' + esc(f.description) + '</p>' : '')
    + '<table class="policy">' + row('Group', f.group) + (f.alias ? row('Rollout name', f.alias) : '')
    + row('Kill switch', f.enabled ? 'not killed' : 'killed: off for everyone')
    + (f.type ? row('Type', f.type) + row('Variants', Object.entries(f.variants)
      .map(([name, value]) => name + ' = ' + JSON.stringify(value)).join('; '))
      + row('Default variant', f.defaultVariant) + row('Split', splitText(f.split) || 'none')
      : row('Default value', f.defaultValue ? 'on' : 'off'))
    + row('Environment values', Object.entries(f.environmentDefaults).map(([e, v]) => e + ' ' + (v ? 'on' : 'off'))
      .join(', ') || 'none')
    + row('Share of customers', f.rolloutPercentage == null ? 'none' : f.rolloutPercentage + ' % of customers')
    + row('Rules', f.rules.map(ruleText).join('; ') || 'none')
    + row('Needs', f.prerequisites.join(', ') || 'nothing')
    + row('Last evaluated', f.lastEvaluatedAt ? when(f.lastEvaluatedAt) : 'not recorded')
    + (f.staleReason ? row('Potentially stale', f.staleReason) : '') + '</table>'
    + '<p>' + (rollout.ok ? '<a href="#/rollouts/' + path + '">Rollout: ' + esc(rollout.data.status) + ' at '
      + esc(TIER_NAME[rollout.data.tier]) + '</a>' : '<span class="hint">No rollout.</span>') + '</p></section>';
  html += '<section class="card"><h3>History</h3>' + (history.ok && history.data.items.length
    ? '<ul class="history">' + history.data.items.map((e) => '<li>' + esc(when(e.changedAt))
      + ' — ' + esc(e.changedBy) + ': ' + (e.action === 'set' ? esc(e.scope + ' '
      + (e.newValue ? 'on' : 'off')) : change(e))
      + (e.reason ? ' <span class="hint">(' + esc(e.reason) + ')</span>' : '') + '</li>').join('') + '</ul>'
      + '<p><a href="#/audit?flagPath=' + path + '">Full history in the audit</a></p>'
    : '<p class="hint">No changes recorded.</p>') + '</section>';
  view.innerHTML = html;
  if (canWrite()) {
    const editor = document.createElement('section');
    view.append(editor);
    drawEditor(editor, f);
  }
}

function ruleText(rule) {
  const values = Array.isArray(rule.value) ? rule.value.join(', ') : rule.value;
  const test = rule.type === 'attribute'
    ? 'attribute: ' + rule.attribute + ' ' + rule.operator + ' ' + values
    : rule.type + ': ' + values;
  return test + (rule.variant ? ' -> ' + rule.variant : '') + (rule.split ? ' -> split ' + splitText(rule.split) : '');
}

function splitText(split) {
  return (split || []).map((w) => w.variant + ' ' + w.weight).join(', ');
}

/** A rule line as the editor writes it: "type: values", an attribute test, and what a typed flag's rule serves. */
function parseRule(line) {
  const [test, serves] = line.split(' -> ').map((part) => part.trim());
  const at = test.indexOf(':');
  const type = (at < 0 ? test : test.slice(0, at)).trim().toLowerCase();
  let rest = at < 0 ? '' : test.slice(at + 1).trim();
  const rule = { type };
  if (type === 'attribute') {
    const [attribute, operator] = rest.split(/\s+/, 2);
    Object.assign(rule, { attribute, operator });
    rest = rest.slice((attribute || '').length).trim().slice((operator || '').length);
  }
  const values = rest.split(',').map((v) => v.trim()).filter(Boolean);
  // unknown types go to the API as written: it names the line that is wrong
  rule.value = type === 'percentage' ? (values[0] || '') : values;
  if (serves && serves.startsWith('split ')) {
    rule.split = serves.slice(6).split(',').map((w) => w.trim().split(/\s+/))
      .map(([variant, weight]) => ({ variant, weight: Number(weight) }));
  } else if (serves) {
    rule.variant = serves;
  }
  return rule;
}

/** The editor: every field of a definition; a new flag when {@code f} is null. */
function drawEditor(box, f) {
  const text = (id, value, extra = '') => '<input id="' + id + '" value="' + esc(value) + '"' + extra + '>';
  box.className = 'card';
  box.innerHTML = '<h3>' + (f ? 'Edit ' + esc(f.name) : 'New flag') + '</h3><form id="flag-form">'
    + (f ? '' : field('flag-name', 'Key (dots nest it in the widget config)', text('flag-name', '', ' required')))
    + field('flag-description', 'Description', text('flag-description', f ? f.description : ''))
    + field('flag-group', 'Group', text('flag-group', f ? f.group : 'default'))
    + field('flag-default', 'Default value', '<select id="flag-default"><option value="false">off</option>'
      + '<option value="true"' + (f && f.defaultValue ? ' selected' : '') + '>on</option></select>')
    + field('flag-percentage', 'Share of customers (0-100 %, empty for none)',
    '<input id="flag-percentage" type="number" '
      + 'min="0" max="100" value="' + esc(f && f.rolloutPercentage != null ? f.rolloutPercentage : '') + '">')
    + field('flag-environments', 'Environment values, one a line (staging=on)',
    '<textarea id="flag-environments" rows="3">'
      + esc(f ? Object.entries(f.environmentDefaults).map(([e, v]) => e + '=' + (v ? 'on' : 'off')).join('\n') : '')
      + '</textarea>')
    + field('flag-rules', 'Rules, one a line (user: a, b / group: beta / environment: staging / percentage: 20)'
      + ' or attribute: plan in pro, enterprise; a typed flag\'s rule ends -> variant, or -> split a 50, b 50',
      '<textarea id="flag-rules" rows="3">' + esc(f ? f.rules.map(ruleText).join('\n') : '') + '</textarea>')
    + field('flag-prerequisites', 'Needs these flags on (comma separated)',
      text('flag-prerequisites', f ? f.prerequisites.join(', ') : ''))
    + '<div class="row"><button type="submit">' + (f ? 'Save' : 'Create') + '</button>'
    + (f ? '<button type="button" class="danger" id="flag-delete">Delete flag</button>' : '') + '</div></form>';
  const form = $('#flag-form', box);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(form.querySelector('button[type="submit"]'), () => save(f));
  });
  if (f) $('#flag-delete', box).addEventListener('click', (event) => busy(event.target, () => remove(f)));
}

function definition() {
  const environmentDefaults = {};
  for (const line of lines('#flag-environments')) {
    const [env, value] = line.split('=').map((v) => v.trim());
    environmentDefaults[env] = value === 'on' || value === 'true';
  }
  const rules = lines('#flag-rules').map(parseRule);
  const percentage = $('#flag-percentage').value.trim();
  return {
    description: $('#flag-description').value.trim(),
    group: $('#flag-group').value.trim() || undefined,
    defaultValue: $('#flag-default').value === 'true',
    rolloutPercentage: percentage === '' ? undefined : Number(percentage),
    environmentDefaults,
    rules,
    prerequisites: $('#flag-prerequisites').value.split(',').map((p) => p.trim()).filter(Boolean),
  };
}

async function save(f) {
  const body = definition();
  const name = f ? f.name : $('#flag-name').value.trim();
  const reason = await askReason((f ? 'changing ' : 'creating ') + name, f
    ? 'The definition is replaced; every replica serves it within a second.'
    : 'A new flag, off unless its default, rules or share say otherwise.');
  if (!reason) return;
  const result = f
    ? await api('PUT', '/api/admin/flags/' + encodeURIComponent(f.name), { ...body, reason, version: f.version })
    : await api('POST', '/api/admin/flags', { ...body, name, reason });
  $('#flag-form').querySelectorAll('.criteria').forEach((old) => old.remove());
  if (!report(result, name + (f ? ' saved' : ' created'))) {
    const errors = (result.data && result.data.errors) || [];
    if (errors.length) {
      const list = document.createElement('ul');
      list.className = 'criteria';
      list.setAttribute('role', 'alert');
      list.innerHTML = errors.map((e) => '<li>' + esc(e.field) + ': ' + esc(e.reason) + '</li>').join('');
      $('#flag-form').append(list);
    }
    return;
  }
  if (f) renderFlag(f.name); else location.hash = '#/flag/' + encodeURIComponent(name);
}

async function remove(f) {
  const reason = await askReason('deleting ' + f.name, 'The flag, its rollout and every override of it are removed.');
  if (!reason) return;
  const result = await api('DELETE', '/api/admin/flags/' + encodeURIComponent(f.name) + '?version=' + f.version
    + '&reason=' + encodeURIComponent(reason));
  if (report(result, f.name + ' deleted')) location.hash = '#/flags';
}
