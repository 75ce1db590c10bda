// The structured rule builder, for a flag's rules and a segment's: one row a rule, its type, then what that type
// tests (ids, a percentage, an attribute with an operator, segments by name) and, on a typed flag, what it serves.
import { esc } from './core.js';

export const FLAG_RULE_TYPES = ['user', 'group', 'environment', 'percentage', 'attribute', 'segment'];
export const SEGMENT_RULE_TYPES = ['user', 'group', 'environment', 'attribute'];
export const OPERATORS = ['in', 'equals', 'not_in', 'starts_with', 'ends_with', 'contains', 'matches', 'lt', 'lte',
  'gt', 'gte', 'semver_eq', 'semver_lt', 'semver_gt', 'before', 'after'];
const HINT = { user: 'customer-1, customer-2', group: 'beta', environment: 'staging', percentage: '20',
  attribute: 'pro, enterprise' };

/** A split in words and back: "blue 50, green 50". */
export const splitText = (split) => (split || []).map((w) => w.variant + ' ' + w.weight).join(', ');
export function parseSplit(text) {
  return String(text || '').split(',').map((w) => w.trim()).filter(Boolean).map((w) => w.split(/\s+/))
    .map(([variant, weight]) => ({ variant, weight: Number(weight) }));
}

/** A rule in words, as the flag page lists it. */
export function ruleText(rule) {
  const values = Array.isArray(rule.value) ? rule.value.join(', ') : rule.value;
  const test = rule.type === 'attribute'
    ? 'attribute: ' + rule.attribute + ' ' + rule.operator + ' ' + values
    : rule.type + ': ' + values;
  return test + (rule.variant ? ' -> ' + rule.variant : '') + (rule.split ? ' -> split ' + splitText(rule.split) : '');
}

/** A rule as a builder row's fields hold it, in the API's shape (what is wrong, the API names by its field). */
export function ruleFromFields({ type, attribute, operator, values, segments, serves, split }) {
  const rule = { type };
  if (type === 'percentage') {
    rule.value = String(values ?? '').trim() === '' ? '' : Number(values);
  } else if (type === 'segment') {
    rule.value = segments || [];
  } else {
    rule.value = String(values ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  }
  if (type === 'attribute') Object.assign(rule, { attribute: String(attribute ?? '').trim(), operator });
  if (serves === 'split') rule.split = parseSplit(split);
  else if (serves) rule.variant = serves;
  return rule;
}

const options = (list, chosen, label = (v) => v) => list.map((v) => '<option value="' + esc(v) + '"'
  + (chosen.includes(v) ? ' selected' : '') + '>' + esc(label(v)) + '</option>').join('');

function row(rule, n, config) {
  const name = (part) => 'Rule ' + n + ' ' + part;
  const values = Array.isArray(rule.value) ? rule.value.join(', ') : (rule.value ?? '');
  const chosenSegments = rule.type === 'segment' && Array.isArray(rule.value) ? rule.value : [];
  // a segment the catalog lost still shows, so saving does not drop it unseen (the API then names it)
  const segmentKeys = [...new Set([...config.segments, ...chosenSegments])];
  const serves = rule.split ? 'split' : (rule.variant || '');
  let html = '<fieldset class="rule" data-rule><legend>Rule ' + n + '</legend>'
    + '<select data-part="type" aria-label="' + name('type') + '">' + options(config.types, [rule.type]) + '</select>'
    + '<input data-part="attribute" aria-label="' + name('attribute') + '" placeholder="plan" value="'
    + esc(rule.attribute) + '">'
    + '<select data-part="operator" aria-label="' + name('operator') + '">'
    + options(OPERATORS, [rule.operator || 'in'], (o) => o.replaceAll('_', ' ')) + '</select>'
    + '<input data-part="values" aria-label="' + name('values') + '" value="' + esc(rule.type === 'segment' ? ''
      : values) + '">'
    + '<select multiple data-part="segments" aria-label="' + name('segments') + '">'
    + options(segmentKeys, chosenSegments) + '</select>';
  if (config.variants) {
    html += '<select data-part="serves" aria-label="' + name('serves') + '">'
      + options(['', ...config.variants, 'split'], [serves],
        (v) => (v === '' ? 'choose a variant' : v === 'split' ? 'a split' : '-> ' + v)) + '</select>'
      + '<input data-part="split" aria-label="' + name('split') + '" placeholder="blue 50, green 50" value="'
      + esc(splitText(rule.split)) + '">';
  }
  return html + '<button type="button" data-remove aria-label="Remove rule ' + n + '">Remove</button></fieldset>';
}

/** Shows the fields a row's type (and what it serves) uses, and hides the others. */
function fit(fieldset) {
  const part = (p) => fieldset.querySelector('[data-part="' + p + '"]');
  const type = part('type').value;
  part('attribute').hidden = type !== 'attribute';
  part('operator').hidden = type !== 'attribute';
  part('values').hidden = type === 'segment';
  part('values').placeholder = HINT[type] || '';
  part('segments').hidden = type !== 'segment';
  if (part('serves')) part('split').hidden = part('serves').value !== 'split';
}

/** The rules the builder holds now. */
export function readRules(box) {
  return Array.from(box.querySelectorAll('[data-rule]')).map((fieldset) => {
    const part = (p) => fieldset.querySelector('[data-part="' + p + '"]');
    return ruleFromFields({ type: part('type').value, attribute: part('attribute').value,
      operator: part('operator').value, values: part('values').value,
      segments: Array.from(part('segments').selectedOptions).map((o) => o.value),
      serves: part('serves') ? part('serves').value : '', split: part('split') ? part('split').value : '' });
  });
}

/**
 * Draws the builder into {@code box}: config.types (the rule types offered), config.segments (segment keys) and
 * config.variants (a typed flag's variant names, or null). Adding or removing a rule marks the form edited, so a
 * live update waits for it to be saved.
 */
export function drawRules(box, rules, config) {
  box.innerHTML = '<div class="rules">' + rules.map((rule, i) => row(rule, i + 1, config)).join('')
    + (rules.length ? '' : '<p class="hint">No rules: the flag\'s default decides.</p>') + '</div>'
    + '<button type="button" data-add-rule>Add rule</button>';
  box.querySelectorAll('[data-rule]').forEach(fit);
  const edited = () => { const form = box.closest('form'); if (form) form.dataset.edited = 'true'; };
  box.querySelector('[data-add-rule]').addEventListener('click', () => {
    edited();
    drawRules(box, [...readRules(box), { type: config.types[0], value: [] }], config);
    const rows = box.querySelectorAll('[data-rule]');
    rows[rows.length - 1].querySelector('[data-part="type"]').focus();
  });
  box.querySelectorAll('[data-remove]').forEach((button, i) => button.addEventListener('click', () => {
    edited();
    drawRules(box, readRules(box).filter((_, j) => j !== i), config);
  }));
  box.querySelectorAll('[data-rule]').forEach((fieldset) => fieldset.addEventListener('change', () => fit(fieldset)));
}

/**
 * Offers other variant names to every rule, keeping what each serves: the operator renamed, added or removed a
 * variant. The rows are drawn again, so the form is marked edited (what they hold is no longer what was drawn).
 */
export function offerVariants(box, variants, config) {
  config.variants = variants;
  const form = box.closest('form');
  if (form) form.dataset.edited = 'true';
  drawRules(box, readRules(box), config);
}
