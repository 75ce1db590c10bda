// Live pages: the service announces every change that could alter an evaluation on its OFREP event stream
// (whoever made it, through whichever replica or in SQL); the page shown is drawn again when one arrives.
// A change arriving while the operator types in a field waits until the field loses focus.
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

async function redraw() {
  if (typing()) { waiting = true; return; }
  waiting = false;
  await refresh();
  updatedAt = Date.now();
  tick();
}

function tick() {
  if (!source) return;
  if (source.readyState !== EventSource.OPEN) { show('Live updates: reconnecting…'); return; }
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
  ticker = setInterval(tick, 1000);
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
  clearInterval(ticker);
  clearTimeout(timer);
  document.removeEventListener('focusout', onFocusOut);
  show('');
}
