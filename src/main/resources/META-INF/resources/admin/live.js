// Live pages: the service announces every change that could alter an evaluation on its OFREP event stream
// (whoever made it, through whichever replica or in SQL); the page shown is drawn again when one arrives.
// A change arriving while the operator types in a field, or while a form holds edits not yet saved, waits:
// drawing the page again would put the stored values back over what the operator entered. So does a change
// arriving while a button is held down: the page drawn under the pointer would take the click. And a page being
// drawn again when the operator starts to act on it (reading what it shows takes a moment) is not drawn: the
// change waits for them as if it had arrived a moment later.
import { $, currentRender, holdBack, refresh } from './core.js';

let source = null;
let updatedAt = null;
let waiting = false;
let timer = null;
let ticker = null;
let pressed = false;

function show(text) {
  const status = $('#live');
  if (status) status.textContent = text;
}

function typing() {
  const active = document.activeElement;
  return active && $('#view').contains(active) && ['INPUT', 'TEXTAREA', 'SELECT'].includes(active.tagName)
    && active.type !== 'checkbox';
}

/** A field whose value differs from what the page drew. */
function changed(field) {
  if (field.type === 'checkbox' || field.type === 'radio') return field.checked !== field.defaultChecked;
  if (field.tagName === 'SELECT') {
    const drawn = Array.from(field.options).findIndex((option) => option.defaultSelected);
    return field.selectedIndex !== Math.max(drawn, 0);
  }
  return 'defaultValue' in field && field.value !== field.defaultValue;
}

/** A form on the page (not a search) whose fields differ from what the page drew. */
function unsaved() {
  // a form whose rows were added or removed says so itself: its fields alone may all look as drawn
  return Array.from($('#view').querySelectorAll('form:not([role="search"])'))
    .some((form) => form.dataset.edited === 'true' || Array.from(form.elements).some(changed));
}

// A stable name for the focused control, to find it again in the page drawn anew: its id, or a data attribute.
function focusKey() {
  const active = document.activeElement;
  if (!active || !$('#view').contains(active)) return null;
  if (active.id) return '#' + CSS.escape(active.id);
  const data = Array.from(active.attributes).find((a) => a.name.startsWith('data-'));
  return data ? active.tagName.toLowerCase() + '[' + data.name + '="' + CSS.escape(data.value) + '"]' : null;
}

/**
 * What is typed into a search form but not yet asked: no edit to save, so no reason for a change to wait, but
 * the operator's words all the same. Kept by id, to be put back into the page drawn anew.
 */
function unasked() {
  return Array.from($('#view').querySelectorAll('form[role="search"] [id]'))
    .filter((field) => field.type !== 'checkbox' && field.type !== 'radio' && 'value' in field && changed(field))
    .map((field) => ({ field, value: field.value }));
}

/** Puts the words back into the search fields of a page drawn anew (the fields that are new). */
function putBack(typed) {
  for (const { field, value } of typed) {
    const anew = document.getElementById(field.id);
    if (anew && anew !== field && $('#view').contains(anew)) anew.value = value;
  }
}

// what tells that the operator acts on the page: a press, a key, words typed, a field entered
const ACTS = ['pointerdown', 'keydown', 'input', 'focusin'];

/** Draws the page again unless the operator acts on it before it is drawn; whether it was drawn. */
async function drawn(typed) {
  const drawing = refresh();
  // a page drawn without reading first is drawn by now, under the operator's eyes: their words go back at once
  putBack(typed);
  const ticket = currentRender();
  let acted = false;
  const act = (event) => {
    if (!$('#view').contains(event.target)) return;
    acted = true;
    holdBack(ticket);
  };
  ACTS.forEach((type) => document.addEventListener(type, act, true));
  try {
    await drawing;
  } finally {
    ACTS.forEach((type) => document.removeEventListener(type, act, true));
  }
  return !acted;
}

async function redraw() {
  if (pressed || typing() || unsaved()) { waiting = true; tick(); return; }
  waiting = false;
  // someone else's change is drawn where the operator is: the same scroll position, the same control focused,
  // the same words in the search fields
  const y = window.scrollY;
  const focused = focusKey();
  const typed = unasked();
  if (!await drawn(typed)) { waiting = true; tick(); return; }
  putBack(typed);
  window.scrollTo(0, y);
  const again = focused && document.querySelector(focused);
  if (again) again.focus({ preventScroll: true });
  updatedAt = Date.now();
  tick();
}

function tick() {
  if (!source) return;
  if (source.readyState !== EventSource.OPEN) { show('Live updates: reconnecting…'); return; }
  if (waiting) { show('Live: a change arrived; shown once your edits are saved or left'); return; }
  const seconds = updatedAt ? Math.round((Date.now() - updatedAt) / 1000) : null;
  show(seconds === null ? 'Live: no change yet' : 'Live: updated ' + seconds + ' s ago');
}

/** Starts listening after sign-in. */
export function startLive() {
  stopLive();
  source = new EventSource('/ofrep/v1/event-stream');
  source.onmessage = () => {
    // a burst of changes (a configuration applied, say) redraws once
    clearTimeout(timer);
    timer = setTimeout(redraw, 250);
  };
  source.onopen = tick;
  source.onerror = tick;
  ticker = setInterval(() => {
    // a save draws its own page; a change that waited for it is shown once nothing is left unsaved
    if (waiting && !typing() && !unsaved()) redraw(); else tick();
  }, 1000);
  document.addEventListener('focusout', onFocusOut);
  document.addEventListener('pointerdown', onPress, true);
  document.addEventListener('pointerup', onRelease, true);
  document.addEventListener('pointercancel', onRelease, true);
  tick();
}

function onFocusOut() {
  if (waiting) setTimeout(redraw, 0);
}

function onPress() {
  pressed = true;
}

// the click the release makes is dispatched before the next task: the page is drawn again after it
function onRelease() {
  pressed = false;
  if (waiting) setTimeout(redraw, 0);
}

/** Stops listening (sign-out). */
export function stopLive() {
  if (source) source.close();
  source = null;
  updatedAt = null;
  waiting = false;
  clearInterval(ticker);
  clearTimeout(timer);
  document.removeEventListener('focusout', onFocusOut);
  document.removeEventListener('pointerdown', onPress, true);
  document.removeEventListener('pointerup', onRelease, true);
  document.removeEventListener('pointercancel', onRelease, true);
  pressed = false;
  show('');
}
