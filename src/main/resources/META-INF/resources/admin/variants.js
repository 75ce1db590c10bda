// The variant editor of a typed flag: its type, each variant's name, value and weight in the flag's split, and the
// default variant. A boolean flag (the seed's on and off) has none of these.
import { esc } from './core.js';

export const FLAG_TYPES = ['boolean', 'string', 'number', 'object'];

/** A value as the editor shows it: a string as typed, anything else as JSON. */
export const valueText = (type, value) => (type === 'string' ? String(value ?? '') : JSON.stringify(value ?? ''));

/** A value read from the editor for the type, or the error to show beside it. */
export function variantValue(type, text) {
  if (type === 'string') return { value: text };
  if (type === 'number') {
    const number = Number(text);
    return String(text).trim() !== '' && Number.isFinite(number) ? { value: number } : { error: 'must be a number' };
  }
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { error: 'must be JSON: an object, a list, or a value' };
  }
}

/**
 * The typed part of a definition from the editor's rows (name, value text, weight text) and default variant: the
 * API's {type, variants, defaultVariant, split}, with the problems found before sending it. Rows without a weight
 * are left out of the split; no weights at all is no split.
 */
export function typedFromRows(type, rows, defaultVariant) {
  const variants = {};
  const split = [];
  const errors = [];
  rows.forEach((row, i) => {
    const name = row.name.trim();
    if (!name) { errors.push('variant ' + (i + 1) + ': needs a name'); return; }
    const parsed = variantValue(type, row.value);
    if (parsed.error) errors.push('variant ' + name + ': ' + parsed.error); else variants[name] = parsed.value;
    if (String(row.weight).trim() !== '') split.push({ variant: name, weight: Number(row.weight) });
  });
  return { typed: { type, variants, defaultVariant, split: split.length ? split : undefined }, errors };
}

/** One variant's row; its value as text (as typed, or as valueText shows a stored one). */
function variantRow(name, text, weight, n) {
  return '<tr data-variant><td><input data-part="name" aria-label="Variant ' + n + ' name" value="' + esc(name)
    + '"></td><td><input data-part="value" aria-label="Variant ' + n + ' value" value="' + esc(text) + '"></td>'
    + '<td><input data-part="weight" type="number" '
    + 'min="0" aria-label="Variant ' + n + ' weight" value="' + esc(weight ?? '') + '"></td><td>'
    + '<button type="button" data-remove-variant aria-label="Remove variant ' + n + '">Remove</button></td></tr>';
}

/** The rows as the editor holds them now. */
export function readRows(box) {
  return Array.from(box.querySelectorAll('[data-variant]')).map((tr) => ({
    name: tr.querySelector('[data-part="name"]').value,
    value: tr.querySelector('[data-part="value"]').value,
    weight: tr.querySelector('[data-part="weight"]').value,
  }));
}

/**
 * Draws the editor of {@code f}'s variants (a new flag's two empty ones) into {@code box}; {@code changed} is called
 * with the variant names whenever they change, for the rules to offer.
 */
export function drawVariants(box, type, f, changed) {
  const weights = {};
  ((f && f.split) || []).forEach((w) => { weights[w.variant] = w.weight; });
  const rows = f && f.variants
    ? Object.entries(f.variants).map(([name, value]) => ({ name, value, weight: weights[name] }))
    : [{ name: '', value: undefined }, { name: '', value: undefined }];
  draw(box, type, rows.map((r) => ({ name: r.name, value: r.value === undefined ? '' : valueText(type, r.value),
    weight: r.weight ?? '' })), f ? f.defaultVariant : '', changed, false);
}

function draw(box, type, rows, defaultVariant, changed, edited) {
  box.innerHTML = '<table class="variants"><thead><tr><th>Variant</th><th>Value (' + esc(type === 'string'
    ? 'text' : 'JSON') + ')</th><th>Weight in the split (empty: not split)</th><th></th></tr></thead><tbody>'
    + rows.map((r, i) => variantRow(r.name, r.value, r.weight, i + 1)).join('') + '</tbody></table>'
    + '<div class="row"><button type="button" data-add-variant>Add variant</button>'
    + '<div><label for="flag-default-variant">Default variant</label><select id="flag-default-variant">'
    + '</select></div></div>';
  const form = box.closest('form');
  if (edited && form) form.dataset.edited = 'true';
  const names = () => readRows(box).map((r) => r.name.trim()).filter(Boolean);
  const offer = (chosen) => {
    const select = box.querySelector('#flag-default-variant');
    select.innerHTML = names().map((n) => '<option' + (n === chosen ? ' selected' : '') + '>' + esc(n)
      + '</option>').join('');
  };
  offer(defaultVariant);
  box.querySelector('[data-add-variant]').addEventListener('click', () => {
    draw(box, type, [...readRows(box), { name: '', value: '', weight: '' }],
      box.querySelector('#flag-default-variant').value, changed, true);
  });
  box.querySelectorAll('[data-remove-variant]').forEach((button, i) => button.addEventListener('click', () => {
    draw(box, type, readRows(box).filter((_, j) => j !== i), box.querySelector('#flag-default-variant').value,
      changed, true);
    changed(names());
  }));
  box.querySelectorAll('[data-part="name"]').forEach((input) => input.addEventListener('input', () => {
    offer(box.querySelector('#flag-default-variant').value);
    changed(names());
  }));
}
