// Switchboard console (docs/console.md): plain JavaScript, no libraries. Every figure comes from the same /api
// endpoints any caller uses, with the API key the operator signed in with (sessionStorage, X-API-Key header).
// Data is always written with textContent, never as HTML.
'use strict';

const KEY_STORE = 'switchboard.apiKey';
const PAGE_SIZE = 20;
const state = { role: null, name: null, dlOffset: 0, dlTotal: 0, dlItems: [], auditItems: [], auditCursors: [] };

// ---- API ---------------------------------------------------------------------------------------------------
class ApiError extends Error {
  constructor(status, problem) {
    super(problem && (problem.detail || problem.title) || ('HTTP ' + status));
    this.status = status;
    this.problem = problem;
  }
}

async function api(method, path) {
  const key = sessionStorage.getItem(KEY_STORE);
  const response = await fetch(path, { method, headers: { 'X-API-Key': key || '', 'Accept': 'application/json' } });
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
  if (response.status === 401) {
    signOut('The key was not accepted.');
    throw new ApiError(401, body);
  }
  if (!response.ok) {
    throw new ApiError(response.status, body);
  }
  return body;
}

// ---- small DOM helpers -------------------------------------------------------------------------------------
const $ = (selector) => document.querySelector(selector);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([name, value]) => {
    if (value === undefined || value === null || value === false) return;
    if (name === 'onclick') node.addEventListener('click', value);
    else if (name === 'className') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  });
  children.flat().forEach((child) => {
    if (child === undefined || child === null) return;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  });
  return node;
}

function rows(tableSelector, list, render, empty) {
  const body = $(tableSelector + ' tbody');
  body.replaceChildren();
  if (!list.length) {
    const columns = $(tableSelector + ' thead tr').children.length;
    body.append(el('tr', {}, el('td', { colspan: columns, className: 'hint' }, empty || 'none')));
    return;
  }
  list.forEach((item) => body.append(render(item)));
}

const na = (value) => (value === null || value === undefined ? 'n/a' : value);
const when = (value) => (value ? new Date(value).toISOString().replace('.000Z', 'Z') : 'never');

function age(seconds) {
  if (seconds === null || seconds === undefined) return 'n/a';
  if (seconds < 120) return Math.round(seconds) + ' s';
  if (seconds < 7200) return Math.round(seconds / 60) + ' min';
  return (seconds / 3600).toFixed(1) + ' h';
}

function say(message, isError) {
  const status = $('#status');
  status.textContent = message || '';
  status.className = isError ? 'error' : '';
}

function failed(error) {
  say(error.status === 403 ? 'Not allowed: ' + error.message : error.message, true);
}

function confirmAction(message) {
  const dialog = $('#confirm');
  $('#confirm-message').textContent = message;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = 'cancel';
    dialog.showModal();
  });
}

// ---- sign-in and roles -------------------------------------------------------------------------------------
// GET /api/whoami names the key and its role; where it does not exist yet (404) every key may act.
async function loadIdentity() {
  try {
    const me = await api('GET', '/api/whoami');
    state.name = me.name;
    state.role = me.role;
  } catch (error) {
    if (error.status !== 404) throw error;
    state.name = 'signed in';
    state.role = 'admin';
  }
  $('#signed-in-as').textContent = state.name + ' (' + state.role + ')';
  document.body.dataset.role = state.role;
}

/** Redrive and discard need the admin role. */
const mayAct = () => state.role === 'admin';

async function signIn(event) {
  event.preventDefault();
  sessionStorage.setItem(KEY_STORE, $('#api-key').value);
  $('#api-key').value = '';
  try {
    await loadIdentity();
    await api('GET', '/api/overview');
  } catch (error) {
    if (error.status !== 401) failed(error);
    return;
  }
  say('');
  showSignedIn();
}

function signOut(message) {
  sessionStorage.removeItem(KEY_STORE);
  state.role = null;
  $('#nav').hidden = true;
  $('#who').hidden = true;
  document.querySelectorAll('.page').forEach((page) => { page.hidden = page.id !== 'page-sign-in'; });
  say(message || '', Boolean(message));
}

function showSignedIn() {
  $('#nav').hidden = false;
  $('#who').hidden = false;
  route();
}

// ---- pages -------------------------------------------------------------------------------------------------
const pages = {
  'overview': loadOverview,
  'dead-letters': loadDeadLetters,
  'audit': () => loadAudit(null),
  'events': () => Promise.resolve(),
};

function route() {
  if (!sessionStorage.getItem(KEY_STORE)) {
    signOut();
    return;
  }
  const name = (location.hash || '#overview').slice(1);
  const page = pages[name] ? name : 'overview';
  say(''); // a message belongs to the page it was said on
  document.querySelectorAll('.page').forEach((section) => { section.hidden = section.id !== 'page-' + page; });
  document.querySelectorAll('nav a').forEach((link) => link.classList.toggle('active', link.dataset.page === page));
  pages[page]().catch(failed);
}

async function loadOverview() {
  const overview = await api('GET', '/api/overview');
  $('#overview-at').textContent = when(overview.generatedAt);
  rows('#workflows', overview.workflows, (w) => el('tr', { 'data-workflow': w.workflow },
    el('td', {}, w.workflow), el('td', {}, when(w.lastActivity)), el('td', {}, w.action || ''),
    el('td', { className: w.outcome ? 'outcome-' + w.outcome : '' }, w.outcome || ''),
    el('td', { className: 'num' }, w.httpStatus || '')));
  rows('#platforms', overview.platforms, (p) => el('tr', { 'data-platform': p.platform },
    el('td', {}, p.name), el('td', { className: 'num' }, p.budget.used + ' / ' + p.budget.limit),
    el('td', { className: 'num' }, p.budget.waiting),
    el('td', {}, p.token.validUntil ? when(p.token.validUntil) : 'no token held'),
    el('td', { className: 'num' }, p.token.requests + ' (' + p.token.failures + ')')));
  $('#events-received').textContent = na(overview.events.received);
  rows('#sinks', overview.events.sinks, (s) => el('tr', { 'data-sink': s.sink },
    el('td', {}, s.sink), el('td', { className: 'num' }, na(s.delivered)), el('td', { className: 'num pending' }, na(s.pending)),
    el('td', { className: 'num' }, age(s.oldestPendingAgeSeconds)), el('td', { className: 'num' }, na(s.deadLettered))));
  $('#dead-letter-total').textContent = overview.deadLetters.total;
  rows('#dead-letter-sources', overview.deadLetters.bySource, (d) => el('tr', { 'data-source': d.source },
    el('td', {}, el('a', { href: '#dead-letters', onclick: () => { $('#dl-source').value = d.source; } }, d.source)),
    el('td', { className: 'num dead-letter-count' }, d.count)), 'no dead letters');
  const poll = overview.reportPoll || {};
  const fields = [['Completed', when(poll.polledAt)], ['Items', poll.items], ['Delivered', poll.delivered],
    ['Bounces', poll.bounces], ['Bounce rate', poll.bounceRate === undefined ? 'n/a' : poll.bounceRate + ' %'],
    ['Failed', poll.failed]];
  if (poll.lastFailedPoll) {
    fields.push(['Last failed poll', when(poll.lastFailedPoll.at) + ': ' + poll.lastFailedPoll.error
      + ' (' + poll.lastFailedPoll.consecutiveFailures + ' in a row)']);
  }
  $('#report-poll').replaceChildren(...fields.flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, na(value))]));
  await fillSources(overview.deadLetters.bySource.map((d) => d.source));
}

async function fillSources(sources) {
  const select = $('#dl-source');
  const chosen = select.value;
  const known = new Set(sources);
  if (chosen) known.add(chosen);
  select.replaceChildren(el('option', { value: '' }, 'every source'),
    ...[...known].sort().map((source) => el('option', { value: source }, source)));
  select.value = chosen;
}

async function loadDeadLetters() {
  const source = $('#dl-source').value;
  const query = new URLSearchParams({ offset: state.dlOffset, limit: PAGE_SIZE });
  if (source) query.set('source', source);
  const page = await api('GET', '/api/dead-letters?' + query);
  if (!page.items.length && state.dlOffset > 0) {
    state.dlOffset = Math.max(0, state.dlOffset - PAGE_SIZE);
    return loadDeadLetters();
  }
  state.dlItems = page.items;
  state.dlTotal = page.total === undefined ? page.items.length : page.total;
  rows('#dl-table', page.items, (letter) => el('tr', { 'data-id': letter.id, 'data-source': letter.source },
    el('td', {}, when(letter.createdAt)), el('td', {}, letter.source), el('td', {}, letter.reason),
    el('td', { className: 'num' }, letter.attempts),
    el('td', {},
      el('button', { type: 'button', className: 'inspect', onclick: () => inspect(letter) }, 'Inspect'),
      mayAct() ? el('button', { type: 'button', className: 'redrive act', onclick: () => redrive(letter) }, 'Redrive') : null,
      mayAct() ? el('button', { type: 'button', className: 'discard act danger', onclick: () => discard(letter) }, 'Discard') : null)),
  source ? 'no dead letters from ' + source : 'no dead letters');
  const last = Math.min(state.dlOffset + page.items.length, state.dlTotal);
  $('#dl-page').textContent = state.dlTotal ? (state.dlOffset + 1) + '–' + last + ' of ' + state.dlTotal : '';
  $('#dl-prev').disabled = state.dlOffset === 0;
  $('#dl-next').disabled = last >= state.dlTotal;
  $('#dl-redrive-all').hidden = !mayAct();
  $('#dl-redrive-all').disabled = !source || !page.items.length;
  if (!page.items.some((letter) => letter.id === $('#dl-detail-id').textContent)) $('#dl-detail').hidden = true;
}

function inspect(letter) {
  $('#dl-detail-id').textContent = letter.id;
  $('#dl-detail-fields').replaceChildren(...[['Source', letter.source], ['Reason', letter.reason],
    ['Attempts', letter.attempts], ['Created', when(letter.createdAt)]]
    .flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, value)]));
  $('#dl-detail-payload').textContent = JSON.stringify(letter.payload, null, 2);
  $('#dl-detail').hidden = false;
}

async function redrive(letter) {
  if (!await confirmAction('Redrive dead letter ' + letter.id + ' from ' + letter.source + '?')) return;
  try {
    await api('POST', '/api/dead-letters/' + encodeURIComponent(letter.id) + '/redrive');
    say('Redriven: ' + letter.id + ' (' + letter.source + ')');
  } catch (error) { failed(error); }
  await loadDeadLetters();
}

async function discard(letter) {
  if (!await confirmAction('Discard dead letter ' + letter.id + ' from ' + letter.source + '? It cannot be redriven afterwards.')) return;
  try {
    await api('DELETE', '/api/dead-letters/' + encodeURIComponent(letter.id));
    say('Discarded: ' + letter.id);
  } catch (error) { failed(error); }
  await loadDeadLetters();
}

// POST /api/dead-letters/redrive?source= redrives a whole source at once; where it does not exist (404), each
// letter of the source is redriven in turn.
async function redriveAll() {
  const source = $('#dl-source').value;
  if (!source || !await confirmAction('Redrive every dead letter from ' + source + '?')) return;
  try {
    let count;
    try {
      const answer = await api('POST', '/api/dead-letters/redrive?' + new URLSearchParams({ source }));
      count = answer.redriven !== undefined ? answer.redriven : answer.count;
    } catch (error) {
      if (error.status !== 404) throw error;
      count = 0;
      for (;;) {
        const page = await api('GET', '/api/dead-letters?' + new URLSearchParams({ source, limit: 100 }));
        if (!page.items.length) break;
        for (const letter of page.items) {
          await api('POST', '/api/dead-letters/' + encodeURIComponent(letter.id) + '/redrive');
          count++;
        }
      }
    }
    say('Redriven ' + na(count) + ' dead letter(s) from ' + source);
  } catch (error) { failed(error); }
  state.dlOffset = 0;
  await loadDeadLetters();
}

async function loadAudit(before) {
  const query = new URLSearchParams({ limit: PAGE_SIZE });
  [['workflow', '#audit-workflow'], ['action', '#audit-action'], ['outcome', '#audit-outcome'],
    ['after', '#audit-after']].forEach(([name, selector]) => {
    const value = $(selector).value.trim();
    if (value) query.set(name, value);
  });
  const cutoff = before || $('#audit-before').value.trim();
  if (cutoff) query.set('before', cutoff);
  const page = await api('GET', '/api/audit?' + query);
  state.auditItems = page.items;
  rows('#audit-table', page.items, (entry) => el('tr', { 'data-id': entry.id },
    el('td', {}, when(entry.timestamp)), el('td', {}, entry.workflow), el('td', {}, entry.action),
    el('td', {}, entry.targetId || ''), el('td', {}, entry.operator || ''),
    el('td', { className: 'outcome-' + entry.outcome }, entry.outcome), el('td', { className: 'num' }, entry.httpStatus || ''),
    el('td', {}, el('button', { type: 'button', className: 'view', onclick: () => viewAudit(entry) }, 'View'))),
  'no audit entries match');
  $('#audit-next').disabled = page.items.length < PAGE_SIZE;
  $('#audit-detail').hidden = true;
}

function viewAudit(entry) {
  $('#audit-detail-id').textContent = entry.id;
  $('#audit-detail-body').textContent = JSON.stringify(entry, null, 2);
  $('#audit-detail').hidden = false;
}

async function lookUpInteraction(event) {
  event.preventDefault();
  const id = $('#interaction-id').value.trim();
  const answer = await api('GET', '/api/interactions/' + encodeURIComponent(id) + '/events');
  const list = $('#events-list');
  list.replaceChildren();
  if (!answer.events.length) {
    list.append(el('li', { className: 'hint' }, 'No events recorded for ' + id));
    return;
  }
  answer.events.forEach((e) => list.append(el('li', { 'data-event-id': e.eventId },
    el('strong', {}, e.detailType), ' ', e.eventId, el('br'),
    el('span', { className: 'hint' }, 'time ' + when(e.time) + ', received ' + when(e.receivedAt)),
    el('table', { className: 'deliveries' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Sink'), el('th', {}, 'State'), el('th', {}, 'Attempts'), el('th', {}, 'Updated'))),
      el('tbody', {}, e.deliveries.map((d) => el('tr', { 'data-sink': d.sink },
        el('td', {}, d.sink), el('td', { className: 'state state-' + d.state }, d.state),
        el('td', { className: 'num' }, d.attempts), el('td', {}, when(d.updatedAt)))))),
    el('details', {}, el('summary', {}, 'Envelope (secrets masked)'), el('pre', {}, JSON.stringify(e.envelope, null, 2))))));
}

// ---- wiring ------------------------------------------------------------------------------------------------
document.addEventListener('DOMContentLoaded', () => {
  $('#sign-in-form').addEventListener('submit', signIn);
  $('#sign-out').addEventListener('click', () => signOut());
  window.addEventListener('hashchange', route);
  document.querySelectorAll('button.refresh').forEach((button) =>
    button.addEventListener('click', () => pages[button.dataset.refresh]().catch(failed)));
  $('#dl-filter').addEventListener('submit', (event) => { event.preventDefault(); state.dlOffset = 0; loadDeadLetters().catch(failed); });
  $('#dl-source').addEventListener('change', () => { state.dlOffset = 0; loadDeadLetters().catch(failed); });
  $('#dl-prev').addEventListener('click', () => { state.dlOffset = Math.max(0, state.dlOffset - PAGE_SIZE); loadDeadLetters().catch(failed); });
  $('#dl-next').addEventListener('click', () => { state.dlOffset += PAGE_SIZE; loadDeadLetters().catch(failed); });
  $('#dl-redrive-all').addEventListener('click', () => redriveAll().catch(failed));
  $('#audit-filter').addEventListener('submit', (event) => { event.preventDefault(); state.auditCursors = []; loadAudit(null).catch(failed); });
  $('#audit-first').addEventListener('click', () => loadAudit(null).catch(failed));
  $('#audit-next').addEventListener('click', () => {
    const oldest = state.auditItems[state.auditItems.length - 1];
    if (oldest) loadAudit(oldest.timestamp).catch(failed);
  });
  $('#events-filter').addEventListener('submit', (event) => lookUpInteraction(event).catch(failed));
  if (sessionStorage.getItem(KEY_STORE)) {
    loadIdentity().then(showSignedIn).catch((error) => { if (error.status !== 401) failed(error); });
  } else {
    signOut();
  }
});
