// One flag's page: its definition, its rollout, its history, and (for operators) the editor; also the
// form for a new flag.
import { $, TIER_NAME, api, askReason, busy, canWrite, esc, field, human, lines, problem, problemsBeside,
  renderTicket, report, rolloutOf, when } from './core.js';
import { change } from './audit.js';
import { FLAG_RULE_TYPES, drawRules, offerVariants, readRules, ruleText, splitText } from './rules.js';
import { FLAG_TYPES, drawVariants, readRows, typedFromRows } from './variants.js';

export async function renderFlag(name) {
  const superseded = renderTicket();
  const view = $('#view');
  if (name === 'new') {
    const segments = await segmentKeys();
    if (superseded()) return;
    view.innerHTML = '';
    const editor = document.createElement('section');
    view.append(editor);
    drawEditor(editor, null, segments);
    return;
  }
  const path = encodeURIComponent(name);
  const [flag, rollout, history, segments] = await Promise.all([api('GET', '/api/admin/flags/' + path),
    rolloutOf(name), api('GET', '/api/admin/audit?size=20&flagPath=' + path), segmentKeys()]);
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
  html += '<section class="card"><h3>Explain</h3><form id="flag-explain" role="search" class="row">'
    + field('explain-customer', 'Customer id', '<input id="explain-customer" required>')
    + field('explain-organization', 'Organization id (optional)', '<input id="explain-organization">')
    + '<button type="submit">Explain</button></form><div id="flag-explained"></div></section>';
  view.innerHTML = html;
  $('#flag-explain').addEventListener('submit', (event) => {
    event.preventDefault();
    busy(event.submitter, () => explain(f.name));
  });
  // the page drawn again (a change anywhere) explains the same question again: the answer may have changed
  if (asked && asked.flag === f.name) {
    $('#explain-customer').value = asked.customerId;
    $('#explain-organization').value = asked.organizationId;
    explain(f.name);
  }
  if (canWrite()) {
    const editor = document.createElement('section');
    view.append(editor);
    drawEditor(editor, f, segments);
  }
}

/** The segment keys the rules may name; none when they cannot be read (the API then names a wrong one). */
async function segmentKeys() {
  const result = await api('GET', '/api/admin/segments');
  return result.ok ? result.data.map((s) => s.key) : [];
}

// the question last asked on a flag's page, asked again when the page is drawn again
let asked = null;

/** Each step of the decision for one customer, from the very code that decides. */
async function explain(flag) {
  asked = { flag, customerId: $('#explain-customer').value.trim(), organizationId: $('#explain-organization').value
    .trim() };
  const query = new URLSearchParams({ flag, customerId: asked.customerId });
  const organization = asked.organizationId;
  if (organization) query.set('organizationId', organization);
  const result = await api('GET', '/api/admin/explain?' + query);
  const box = $('#flag-explained');
  if (!result.ok) { box.innerHTML = '<p class="error" role="alert">' + esc(problem(result)) + '</p>'; return; }
  const answer = result.data.flags[0];
  box.innerHTML = '<p>Serves <b>' + esc(typeof answer.value === 'boolean' ? (answer.value ? 'on' : 'off')
    : answer.variant + ' = ' + JSON.stringify(answer.value)) + '</b> <span class="hint">(' + esc(answer.source)
    + ')</span></p>'
    + result.data.warnings.map((w) => '<p class="hint warning">' + esc(w) + '</p>').join('')
    + '<ol class="why">' + answer.steps.map((s) => '<li class="' + s.outcome + '"><b>' + esc(s.step) + '</b> '
      + s.outcome + ': ' + esc(human(s.detail)) + '</li>').join('') + '</ol>';
}

/** The editor: every field of a definition; a new flag when {@code f} is null. */
function drawEditor(box, f, segments) {
  const text = (id, value, extra = '') => '<input id="' + id + '" value="' + esc(value) + '"' + extra + '>';
  const type = f ? f.type || 'boolean' : 'boolean';
  box.className = 'card';
  box.innerHTML = '<h3>' + (f ? 'Edit ' + esc(f.name) : 'New flag') + '</h3><form id="flag-form">'
    + (f ? '' : field('flag-name', 'Key (dots nest it in the widget config)', text('flag-name', '', ' required')))
    + field('flag-description', 'Description', text('flag-description', f ? f.description : ''))
    + field('flag-group', 'Group', text('flag-group', f ? f.group : 'default'))
    // a flag keeps its type: what it serves is what its callers read
    + field('flag-type', 'Type', '<select id="flag-type"' + (f ? ' disabled' : '') + '>'
      + FLAG_TYPES.map((t) => '<option' + (t === type ? ' selected' : '') + '>' + t + '</option>').join('')
      + '</select>')
    + '<div id="variant-editor"></div>'
    + '<div id="boolean-fields">'
    + field('flag-default', 'Default value', '<select id="flag-default"><option value="false">off</option>'
      + '<option value="true"' + (f && f.defaultValue ? ' selected' : '') + '>on</option></select>')
    + field('flag-percentage', 'Share of customers (0-100 %, empty for none)',
      '<input id="flag-percentage" type="number" '
      + 'min="0" max="100" value="' + esc(f && f.rolloutPercentage != null ? f.rolloutPercentage : '') + '">')
    + field('flag-environments', 'Environment values, one a line (staging=on)',
      '<textarea id="flag-environments" rows="3">'
      + esc(f ? Object.entries(f.environmentDefaults).map(([e, v]) => e + '=' + (v ? 'on' : 'off')).join('\n') : '')
      + '</textarea>') + '</div>'
    + '<fieldset><legend>Rules: the first that matches decides</legend><div id="flag-rule-builder"></div></fieldset>'
    + field('flag-prerequisites', 'Needs these flags on (comma separated)',
      text('flag-prerequisites', f ? f.prerequisites.join(', ') : ''))
    + '<div class="row"><button type="submit">' + (f ? 'Save' : 'Create') + '</button>'
    + (f ? '<button type="button" class="danger" id="flag-delete">Delete flag</button>' : '') + '</div></form>';
  const form = $('#flag-form', box);
  const rules = $('#flag-rule-builder', box);
  const config = { types: FLAG_RULE_TYPES, segments, variants: null };
  const variants = $('#variant-editor', box);
  const typed = (t) => {
    $('#boolean-fields', box).hidden = t !== 'boolean';
    variants.hidden = t === 'boolean';
    if (t === 'boolean') { variants.innerHTML = ''; return; }
    drawVariants(variants, t, f && f.type === t ? f : null, (names) => offerVariants(rules, names, config));
  };
  typed(type);
  config.variants = type === 'boolean' ? null : Object.keys((f && f.variants) || {});
  drawRules(rules, f ? f.rules : [], config);
  $('#flag-type', box).addEventListener('change', (event) => {
    typed(event.target.value);
    offerVariants(rules, event.target.value === 'boolean' ? null : [], config);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(form.querySelector('button[type="submit"]'), () => save(f));
  });
  if (f) $('#flag-delete', box).addEventListener('click', (event) => busy(event.target, () => remove(f)));
}

/** The definition the form holds, and what is wrong with it before it is sent (a value that is not JSON). */
function definition() {
  const type = $('#flag-type').value;
  const common = {
    description: $('#flag-description').value.trim(),
    group: $('#flag-group').value.trim() || undefined,
    rules: readRules($('#flag-rule-builder')),
    prerequisites: $('#flag-prerequisites').value.split(',').map((p) => p.trim()).filter(Boolean),
  };
  if (type !== 'boolean') {
    const { typed, errors } = typedFromRows(type, readRows($('#variant-editor')), $('#flag-default-variant').value);
    return { body: { ...common, ...typed }, errors };
  }
  const environmentDefaults = {};
  for (const line of lines('#flag-environments')) {
    const [env, value] = line.split('=').map((v) => v.trim());
    environmentDefaults[env] = value === 'on' || value === 'true';
  }
  const percentage = $('#flag-percentage').value.trim();
  return { body: { ...common, defaultValue: $('#flag-default').value === 'true',
    rolloutPercentage: percentage === '' ? undefined : Number(percentage), environmentDefaults }, errors: [] };
}

async function save(f) {
  const { body, errors } = definition();
  problemsBeside($('#flag-form'), errors);
  if (errors.length) return;
  const name = f ? f.name : $('#flag-name').value.trim();
  const reason = await askReason((f ? 'changing ' : 'creating ') + name, f
    ? 'The definition is replaced; every replica serves it within a second.'
    : 'A new flag, off unless its default, rules or share say otherwise.');
  if (!reason) return;
  const result = f
    ? await api('PUT', '/api/admin/flags/' + encodeURIComponent(f.name), { ...body, reason, version: f.version })
    : await api('POST', '/api/admin/flags', { ...body, name, reason });
  if (!report(result, name + (f ? ' saved' : ' created'))) {
    problemsBeside($('#flag-form'), ((result.data && result.data.errors) || []).map((e) => e.field + ': '
      + e.reason));
    return;
  }
  delete $('#flag-form').dataset.edited;
  if (f) renderFlag(f.name); else location.hash = '#/flag/' + encodeURIComponent(name);
}

async function remove(f) {
  const reason = await askReason('deleting ' + f.name, 'The flag, its rollout and every override of it are removed.');
  if (!reason) return;
  const result = await api('DELETE', '/api/admin/flags/' + encodeURIComponent(f.name) + '?version=' + f.version
    + '&reason=' + encodeURIComponent(reason));
  if (report(result, f.name + ' deleted')) location.hash = '#/flags';
}
