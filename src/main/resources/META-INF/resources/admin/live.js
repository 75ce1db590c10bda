// Live pages: the service announces every change that could alter an evaluation on its OFREP event stream
// (whoever made it, through whichever replica or in SQL); the page shown is drawn again when one arrives.
// A change arriving while the operator types in a field, or while a form holds edits not yet saved, waits:
// drawing the page again would put the stored values back over what the operator entered.
import { $, refresh } from './core.js';

let source = null;
let updatedAt = null;
let waiting = false;
let timer = null;
let ticker = null;

function show(text) {
  const status = $('#live');
  if (status) status.textContent = text;
}

function typing() {
  const active = document.activeElement;
  return active && $('#view').contains(active) && ['INPUT', 'TEXTAREA', 'SELECT'].includes(active.tagName)
    && active.type !== 'checkbox';
}

/** A form on the page (not a search) whose fields differ from what the page drew. */
function unsaved() {
  const changed = (field) => {
    if (field.type === 'checkbox' || field.type === 'radio') return field.checked !== field.defaultChecked;
    if (field.tagName === 'SELECT') {
      const drawn = Array.from(field.options).findIndex((option) => option.defaultSelected);
      return field.selectedIndex !== Math.max(drawn, 0);
    }
    return 'defaultValue' in field && field.value !== field.defaultValue;
  };
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

async function redraw() {
  if (typing() || unsaved()) { waiting = true; tick(); return; }
  waiting = false;
  // someone else's change is drawn where the operator is: the same scroll position, the same control focused
  const y = window.scrollY;
  const focused = focusKey();
  await refresh();
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
  tick();
}

function onFocusOut() {
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
  show('');
}
