// Segments: named audiences that flags' rules target. The list, and one segment's page with the flags that name
// it, its history and (for operators) its editor; also the form for a new segment.
import { $, api, askReason, busy, canWrite, esc, field, problem, problemsBeside, renderTicket, report, when }
  from './core.js';
import { change } from './audit.js';
import { SEGMENT_RULE_TYPES, drawRules, readRules, ruleText } from './rules.js';

/** Targeting keys from a text area: one a line, or separated by commas. */
export const keysOf = (text) => String(text || '').split(/[\n,]/).map((k) => k.trim()).filter(Boolean);

export async function renderSegments() {
  const superseded = renderTicket();
  const view = $('#view');
  const result = await api('GET', '/api/admin/segments');
  if (superseded()) return;
  if (!result.ok) { view.innerHTML = '<p class="error" role="alert">' + esc(problem(result)) + '</p>'; return; }
  view.innerHTML = '<section class="card"><h2>Segments</h2><p class="hint">Named audiences: a flag\'s rule of type '
    + 'segment matches everyone in one of the segments it names.</p>'
    + (canWrite() ? '<p><a href="#/segment/new">New segment</a></p>' : '')
    + (result.data.length
      ? '<table><thead><tr><th>Segment</th><th>Description</th><th>Included</th><th>Excluded</th><th>Rules</th>'
        + '<th>Used by</th></tr></thead><tbody>' + result.data.map((s) => '<tr data-segment="' + esc(s.key)
        + '"><td><a href="#/segment/' + encodeURIComponent(s.key) + '">' + esc(s.key) + '</a></td><td>'
        + esc(s.description) + '</td><td>' + s.included.length + '</td><td>' + s.excluded.length + '</td><td>'
        + s.rules.length + '</td><td>' + esc(s.usedBy.join(', ') || 'no flag') + '</td></tr>').join('')
        + '</tbody></table>'
      : '<p class="hint">No segments yet.</p>') + '</section>';
}

export async function renderSegment(key) {
  const superseded = renderTicket();
  const view = $('#view');
  if (key === 'new') {
    view.innerHTML = '';
    const editor = document.createElement('section');
    view.append(editor);
    drawEditor(editor, null);
    return;
  }
  const path = encodeURIComponent(key);
  const [segment, history] = await Promise.all([api('GET', '/api/admin/segments/' + path),
    api('GET', '/api/admin/audit?size=20&subjectType=segment&subject=' + path)]);
  if (superseded()) return;
  if (!segment.ok) { view.innerHTML = '<p class="error" role="alert">' + esc(problem(segment)) + '</p>'; return; }
  const s = segment.data;
  const row = (label, value) => '<tr><th scope="row">' + esc(label) + '</th><td>' + value + '</td></tr>';
  view.innerHTML = '<section class="card"><h2>Segment ' + esc(s.key) + '</h2>'
    + (s.description ? '<p>' + esc(s.description) + '</p>' : '')
    + '<table class="policy">' + row('Always in', esc(s.included.join(', ') || 'nobody'))
    + row('Never in', esc(s.excluded.join(', ') || 'nobody'))
    + row('Anyone else when', esc(s.rules.map(ruleText).join('; ') || 'never (no rules)'))
    + row('Used by', s.usedBy.map((f) => '<a href="#/flag/' + encodeURIComponent(f) + '">' + esc(f) + '</a>')
      .join(', ') || 'no flag') + '</table></section>'
    + '<section class="card"><h3>History</h3>' + (history.ok && history.data.items.length
    ? '<ul class="history">' + history.data.items.map((e) => '<li>' + esc(when(e.changedAt)) + ' — '
      + esc(e.changedBy) + ': ' + change(e) + (e.reason ? ' <span class="hint">(' + esc(e.reason) + ')</span>' : '')
      + '</li>').join('') + '</ul>'
    : '<p class="hint">No changes recorded.</p>') + '</section>';
  if (canWrite()) {
    const editor = document.createElement('section');
    view.append(editor);
    drawEditor(editor, s);
  }
}

function drawEditor(box, s) {
  const area = (id, label, keys) => field(id, label, '<textarea id="' + id + '" rows="3">' + esc(keys.join('\n'))
    + '</textarea>');
  box.className = 'card';
  box.innerHTML = '<h3>' + (s ? 'Edit ' + esc(s.key) : 'New segment') + '</h3><form id="segment-form">'
    + (s ? '' : field('segment-key', 'Key (flags name the segment by it)', '<input id="segment-key" required>'))
    + field('segment-description', 'Description', '<input id="segment-description" value="'
      + esc(s ? s.description : '') + '">')
    + area('segment-included', 'Always in: targeting keys, one a line', s ? s.included : [])
    + area('segment-excluded', 'Never in: targeting keys, one a line', s ? s.excluded : [])
    + '<fieldset><legend>Anyone else is in when one of these matches</legend><div id="segment-rules"></div>'
    + '</fieldset><div class="row"><button type="submit">' + (s ? 'Save' : 'Create') + '</button>'
    + (s ? '<button type="button" class="danger" id="segment-delete">Delete segment</button>' : '')
    + '</div></form>';
  drawRules($('#segment-rules', box), s ? s.rules : [], { types: SEGMENT_RULE_TYPES, segments: [], variants: null });
  const form = $('#segment-form', box);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(form.querySelector('button[type="submit"]'), () => save(s));
  });
  if (s) $('#segment-delete', box).addEventListener('click', (event) => busy(event.target, () => remove(s)));
}

async function save(s) {
  const key = s ? s.key : $('#segment-key').value.trim();
  const body = { key, description: $('#segment-description').value.trim(),
    included: keysOf($('#segment-included').value), excluded: keysOf($('#segment-excluded').value),
    rules: readRules($('#segment-rules')) };
  const reason = await askReason((s ? 'changing segment ' : 'creating segment ') + key, s
    ? 'Every flag naming it follows at once' + (s.usedBy.length ? ': ' + s.usedBy.join(', ') + '.' : '.')
    : 'A new audience; no flag targets it until a rule names it.');
  if (!reason) return;
  const result = s
    ? await api('PUT', '/api/admin/segments/' + encodeURIComponent(key), { ...body, reason, version: s.version })
    : await api('POST', '/api/admin/segments', { ...body, reason });
  problemsBeside($('#segment-form'), []);
  if (!report(result, 'Segment ' + key + (s ? ' saved' : ' created'))) {
    problemsBeside($('#segment-form'), ((result.data && result.data.errors) || []).map((e) => e.field + ': '
      + e.reason));
    return;
  }
  delete $('#segment-form').dataset.edited;
  if (s) renderSegment(key); else location.hash = '#/segment/' + encodeURIComponent(key);
}

async function remove(s) {
  const reason = await askReason('deleting segment ' + s.key, s.usedBy.length
    ? 'Refused while flags name it: ' + s.usedBy.join(', ') + '.' : 'No flag names it.');
  if (!reason) return;
  const result = await api('DELETE', '/api/admin/segments/' + encodeURIComponent(s.key) + '?version=' + s.version
    + '&reason=' + encodeURIComponent(reason));
  if (report(result, 'Segment ' + s.key + ' deleted')) location.hash = '#/segments';
}
