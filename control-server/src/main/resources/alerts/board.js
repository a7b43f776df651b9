// WareEdge maintenance alert board.
//
// The list comes from GET /api/alerts; the live feed (GET /api/alerts/stream) keeps it current from the list's
// position on. EventSource cannot send the Authorization header, so the feed is read with fetch() and parsed here;
// whenever it ends, fails or goes silent the page reconnects with Last-Event-ID and the server replays what was
// missed, in order. Every feed event carries the alert as it is right after the change, so applying one replaces
// the alert by id (a closed one leaves the board): a replayed event cannot leave a second card behind.
(function () {
  'use strict';

  const SESSION = 'wareedge.alerts.session';
  const FILTERS = 'wareedge.alerts.filters';
  const RETRY_MS = [250, 500, 1000, 2000, 4000];
  // The server sends a heartbeat every 15 s: this long without a byte means the connection died unannounced.
  const SILENCE_MS = 40000;
  // A connection that lasted this long was a good one: the next failure starts the backoff again.
  const STEADY_MS = 10000;
  const READINGS_MS = 5000;
  const TICK_MS = 5000;
  const ARM_MS = 4000;
  const SEVERITY_RANK = { red: 0, yellow: 1 };

  const $ = (id) => document.getElementById(id);
  let session = WareEdgeSession.stored(SESSION);
  let alerts = new Map();
  let lastEventId = null;
  let generation = 0;
  let streamAbort = null;
  let live = false;
  // until when the board was known to be current, while the feed is down (0: not loaded yet)
  let lostAt = 0;
  let wake = null;
  let clockOffset = 0;
  let selectedId = null;
  let history = new Map();
  let readingsTimer = null;
  let armed = null;
  let renderQueued = false;
  let filterKey = '';
  const busy = new Set();
  const cards = new Map();
  const filters = loadFilters();

  function loadFilters() {
    try {
      const f = JSON.parse(localStorage.getItem(FILTERS));
      if (f) return { area: f.area || '', device: f.device || '', showHidden: !!f.showHidden };
    } catch (e) { /* a broken entry starts unfiltered */ }
    return { area: '', device: '', showHidden: false };
  }

  function saveFilters() {
    localStorage.setItem(FILTERS, JSON.stringify(filters));
  }

  // ---- messages ----

  let messageTimer = null;
  function message(kind, text, ms) {
    clearTimeout(messageTimer);
    const m = $('message');
    m.textContent = text || '';
    m.className = text ? kind : '';
    if (text && ms) messageTimer = setTimeout(() => { m.textContent = ''; m.className = ''; }, ms);
  }
  const ok = (text) => message('ok', text, 6000);
  const error = (text) => message('error', text, 20000);
  const note = (text) => message('note', text, 8000);

  // ---- server ----

  function noteServerTime(res) {
    // Ages are server time minus raisedAt: a tablet whose clock is off would show them wrong.
    const date = Date.parse(res.headers.get('Date'));
    if (!Number.isNaN(date)) {
      const offset = date - Date.now();
      clockOffset = Math.abs(offset) > 2000 ? offset : 0;
    }
  }

  function now() {
    return Date.now() + clockOffset;
  }

  /** The answer as {status, data}, or null when the session ended (the log-in screen is then showing). */
  async function api(method, path, body) {
    const headers = { 'Accept': 'application/json', 'Authorization': 'Bearer ' + session.token };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, { method, headers, cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body) });
    noteServerTime(res);
    const text = await res.text();
    let data = null;
    if (text) {
      try { data = JSON.parse(text); } catch (e) { data = { error: text }; }
    }
    if (res.status === 401) {
      expired();
      return null;
    }
    return { status: res.status, data };
  }

  function errorText(r) {
    const d = r.data;
    if (d && d.error) return d.error;
    if (d && d._embedded && d._embedded.errors && d._embedded.errors.length) return d._embedded.errors[0].message;
    if (d && d.message) return d.message;
    return 'the server answered ' + r.status;
  }

  function pause(ms) {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        if (wake === done) wake = null;
        resolve();
      }
      wake = done;
    });
  }

  function backoff(failures) {
    return RETRY_MS[Math.min(failures, RETRY_MS.length - 1)];
  }

  // ---- log in / out ----

  function stop() {
    generation++;
    if (streamAbort) streamAbort.abort();
    if (wake) wake();
    session = null;
    WareEdgeSession.forget(SESSION);
    alerts = new Map();
    lastEventId = null;
    lostAt = 0;
    closeDetail();
    cards.forEach((el) => el.remove());
    cards.clear();
    setLink('off');
    show();
  }

  function logout() {
    stop();
    note('Logged out');
  }

  function expired() {
    if (!session) return;
    stop();
    error('Your session ended: log in again');
  }

  // ---- the list and the feed ----

  function start() {
    const gen = ++generation;
    setLink('connecting');
    show();
    load(gen);
  }

  async function load(gen) {
    let failures = 0;
    while (gen === generation) {
      let r;
      try {
        r = await api('GET', '/api/alerts?state=open&limit=5000');
      } catch (e) {
        r = undefined;
      }
      if (gen !== generation || r === null) return;
      if (r && r.status === 200) {
        alerts = new Map(r.data.alerts.map((a) => [a.id, a]));
        lastEventId = r.data.lastEventId;
        lostAt = Date.now();
        queueRender();
        follow(gen);
        return;
      }
      setLink('reconnecting');
      if (r) error('Cannot load the alerts: ' + errorText(r));
      await pause(backoff(failures++));
    }
  }

  async function follow(gen) {
    let failures = 0;
    while (gen === generation) {
      const abort = new AbortController();
      streamAbort = abort;
      let silence = null;
      const heard = () => {
        clearTimeout(silence);
        silence = setTimeout(() => abort.abort(), SILENCE_MS);
      };
      let opened = 0;
      try {
        heard();
        const res = await fetch('/api/alerts/stream', { cache: 'no-store', signal: abort.signal,
          headers: { 'Accept': 'text/event-stream', 'Authorization': 'Bearer ' + session.token,
            'Last-Event-ID': String(lastEventId) } });
        if (res.status === 401) {
          expired();
          return;
        }
        if (!res.ok || !res.body) throw new Error('the stream answered ' + res.status);
        opened = Date.now();
        setLink('live');
        await readFeed(res.body, gen, heard);
      } catch (e) {
        // refused, cut or silent: resumed below from the last event applied
      } finally {
        clearTimeout(silence);
      }
      if (gen !== generation) return;
      setLink('reconnecting');
      if (opened && Date.now() - opened > STEADY_MS) failures = 0;
      await pause(backoff(failures++));
    }
  }

  async function readFeed(body, gen, heard) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let event = { id: null, data: [] };
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || gen !== generation) return;
        heard();
        buffer += decoder.decode(value, { stream: true });
        let nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).replace(/\r$/, '');
          buffer = buffer.slice(nl + 1);
          if (line === '') {
            if (event.data.length) dispatch(event);
            event = { id: null, data: [] };
          } else if (!line.startsWith(':')) {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            let text = colon < 0 ? '' : line.slice(colon + 1);
            if (text.startsWith(' ')) text = text.slice(1);
            if (field === 'data') event.data.push(text);
            else if (field === 'id') event.id = text;
          }
        }
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  }

  function dispatch(raw) {
    // Only alert events have an id: "ready" and "heartbeat" just say the stream is alive.
    if (!raw.id) return;
    let e;
    try {
      e = JSON.parse(raw.data.join('\n'));
    } catch (x) {
      return;
    }
    const id = Number(raw.id);
    // The server resumes after Last-Event-ID; an older event would put back an older state.
    if (!Number.isFinite(id) || (lastEventId !== null && id <= lastEventId)) return;
    lastEventId = id;
    $('link').dataset.lastEventId = String(id);
    const a = e.alert;
    if (!a) return;
    if (a.state === 'closed') {
      alerts.delete(a.id);
      if (a.id === selectedId && e.actor !== session.user) note('Closed by ' + (a.closedBy || e.actor) + ': ' + a.message);
    } else {
      alerts.set(a.id, a);
    }
    if (a.id === selectedId) {
      history.set(e.id, e);
      renderHistory();
    }
    queueRender();
  }

  function setLink(state) {
    if (live && state !== 'live') lostAt = Date.now();
    live = state === 'live';
    queueRender();
    const el = $('link');
    el.className = state;
    el.textContent = { live: 'live', connecting: 'connecting…', reconnecting: 'reconnecting…', off: '' }[state];
    if (lastEventId !== null) el.dataset.lastEventId = String(lastEventId);
  }

  // ---- actions ----

  async function act(id, what, body, done) {
    if (busy.has(id)) return false;
    busy.add(id);
    queueRender();
    let r;
    try {
      r = await api('POST', '/api/alerts/' + id + '/' + what, body);
    } catch (e) {
      error('No connection: not done, try again');
      return false;
    } finally {
      busy.delete(id);
      queueRender();
    }
    if (!r) return false;
    if (r.status !== 200 && r.status !== 204) {
      error('Not done: ' + errorText(r));
      return false;
    }
    // While the feed is live it brings this change in order with the others; an answer applied on top of it
    // could undo a later change that overtook it. Without the feed, the answer is the best news there is.
    if (!live && r.data && r.data.id) {
      if (r.data.state === 'closed') alerts.delete(r.data.id); else alerts.set(r.data.id, r.data);
      queueRender();
    }
    ok(done);
    return true;
  }

  function acknowledge(id) {
    const a = alerts.get(id);
    if (a) act(id, 'acknowledge', {}, 'Acknowledged: ' + a.message);
  }

  function resolve(id) {
    const a = alerts.get(id);
    if (!a) return;
    // Resolving closes the alert: a stray gloved tap only arms the button, the second tap resolves.
    if (!armed || armed.id !== id || armed.until < Date.now()) {
      armed = { id, until: Date.now() + ARM_MS };
      queueRender();
      setTimeout(queueRender, ARM_MS + 50);
      return;
    }
    armed = null;
    act(id, 'resolve', {}, 'Resolved: ' + a.message);
  }

  async function shelve(duration) {
    const id = selectedId;
    const a = alerts.get(id);
    if (!a) return;
    const reason = $('shelve-reason').value.trim();
    if (!reason) {
      error('Give a reason for shelving');
      $('shelve-reason').focus();
      return;
    }
    if (await act(id, 'shelve', { reason, forDuration: duration }, 'Shelved for ' + duration + ': ' + a.message
        + (filters.showHidden ? '' : ' (hidden; "Show shelved" brings it back)'))) {
      $('shelve-reason').value = '';
      toggleForm(null);
    }
  }

  function unshelve(id) {
    const a = alerts.get(id);
    if (a) act(id, 'unshelve', undefined, 'Back on the board: ' + a.message);
  }

  async function comment() {
    const id = selectedId;
    const text = $('comment-text').value.trim();
    if (!alerts.has(id)) return;
    if (!text) {
      error('Write the comment first');
      $('comment-text').focus();
      return;
    }
    if (await act(id, 'comments', { comment: text }, 'Comment added')) {
      $('comment-text').value = '';
      toggleForm(null);
    }
  }

  // ---- the board ----

  function hiddenByDesign(a) {
    return !!a.shelvedUntil || !!a.suppressedBy;
  }

  function inScope(a) {
    return (!filters.area || a.area === filters.area) && (!filters.device || a.source === filters.device);
  }

  function compare(a, b) {
    return (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9)
      || Date.parse(a.raisedAt) - Date.parse(b.raisedAt) || a.id - b.id;
  }

  function deviceName(source) {
    const parts = source.split('/');
    if (source.startsWith('area:')) return 'area ' + source.slice(5);
    if (source.startsWith('sorter:')) return 'sorter ' + parts[parts.length - 1];
    return parts[parts.length - 1];
  }

  function isDevice(source) {
    return source.indexOf(':') < 0 && source.split('/').length === 3;
  }

  function queueRender() {
    if (renderQueued) return;
    renderQueued = true;
    // Microtasks also run in a background tab, where animation frames stop.
    queueMicrotask(() => {
      renderQueued = false;
      render();
    });
  }

  function render() {
    if (!session) return;
    const all = [...alerts.values()].sort(compare);
    fillFilters(all);
    const scope = all.filter(inScope);
    const open = scope.filter((a) => !hiddenByDesign(a));
    const hidden = scope.length - open.length;
    const shown = filters.showHidden ? scope : open;

    const red = open.filter((a) => a.severity === 'red').length;
    const yellow = open.length - red;
    $('counts').textContent = open.length ? [red ? red + ' red' : '', yellow ? yellow + ' yellow' : '']
      .filter(Boolean).join(' · ') : '';
    document.body.classList.toggle('state-red', red > 0);
    document.body.classList.toggle('state-yellow', red === 0 && yellow > 0);
    document.body.classList.toggle('state-green', open.length === 0 && live);

    const where = [filters.area, filters.device && deviceName(filters.device)].filter(Boolean).join(', ');
    $('all-normal').hidden = open.length > 0;
    // Without the feed nobody can promise all is normal: say since when the board has not heard.
    $('all-normal').classList.toggle('unsure', !live);
    $('all-normal').querySelector('.big-text').textContent = !live && !lostAt ? 'Loading the alerts…'
      : 'All normal' + (where ? ' in ' + where : '') + (live ? '' : ' at ' + when(new Date(lostAt).toISOString()));
    const elsewhere = all.filter((a) => !inScope(a) && !hiddenByDesign(a)).length;
    $('all-normal-note').textContent = [hidden ? hidden + ' shelved or suppressed' : '',
      elsewhere ? elsewhere + ' open outside the filter' : ''].filter(Boolean).join(' · ');

    const toggle = $('hidden-toggle');
    toggle.textContent = filters.showHidden ? 'Hide shelved & suppressed'
      : 'Show shelved & suppressed' + (hidden ? ' (' + hidden + ')' : '');
    toggle.setAttribute('aria-pressed', String(filters.showHidden));

    const keep = new Set(shown.map((a) => a.id));
    for (const [id, card] of cards) {
      if (!keep.has(id)) {
        card.remove();
        cards.delete(id);
      }
    }
    const list = $('cards');
    let prev = null;
    for (const a of shown) {
      let card = cards.get(a.id);
      if (!card) {
        card = newCard(a.id);
        cards.set(a.id, card);
      }
      fillCard(card, a);
      const want = prev ? prev.nextSibling : list.firstChild;
      if (want !== card) list.insertBefore(card, want);
      prev = card;
    }

    if (selectedId !== null) {
      if (alerts.has(selectedId)) fillDetail(alerts.get(selectedId)); else closeDetail();
    }
  }

  function fillFilters(all) {
    const areas = new Set(all.map((a) => a.area).filter(Boolean));
    if (filters.area) areas.add(filters.area);
    const sources = new Set(all.filter((a) => !filters.area || a.area === filters.area).map((a) => a.source));
    if (filters.device) sources.add(filters.device);
    const areaList = [...areas].sort();
    const sourceList = [...sources].sort((x, y) => deviceName(x).localeCompare(deviceName(y)) || x.localeCompare(y));
    const key = areaList.join('\n') + '\u0000' + sourceList.join('\n');
    // Rebuilt only when the choice changes: rebuilding closes a select someone has open.
    if (key === filterKey) return;
    filterKey = key;
    const names = new Map();
    sourceList.forEach((s) => names.set(deviceName(s), (names.get(deviceName(s)) || 0) + 1));
    options($('area-filter'), 'All areas', areaList.map((a) => [a, a]), filters.area);
    options($('device-filter'), 'All devices', sourceList.map((s) =>
      [s, names.get(deviceName(s)) > 1 ? deviceName(s) + ' (' + s + ')' : deviceName(s)]), filters.device);
  }

  function options(select, all, entries, value) {
    select.textContent = '';
    select.appendChild(new Option(all, ''));
    entries.forEach(([v, label]) => select.appendChild(new Option(label, v)));
    select.value = value;
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function newCard(id) {
    const card = el('article', 'card');
    card.dataset.id = String(id);
    const main = el('div', 'card-main');
    main.dataset.action = 'open';
    main.setAttribute('role', 'button');
    main.tabIndex = 0;
    const top = el('div', 'top');
    top.append(el('span', 'sev'), el('span', 'msg'), el('span', 'age'));
    const where = el('div', 'where');
    where.append(el('span', 'device'), el('span', 'area'), el('span', 'state'));
    main.append(top, where, el('div', 'badges'));
    const actions = el('div', 'card-actions');
    actions.append(button('ack', 'Acknowledge'), button('resolve', 'Resolve'), button('shelve', 'Shelve'),
      button('unshelve', 'Unshelve'), button('comment', 'Comment'));
    card.append(main, actions);
    return card;
  }

  function button(action, text) {
    const b = el('button', action, text);
    b.dataset.action = action;
    return b;
  }

  const STATE_NAMES = { active: 'Active', acknowledged: 'Acknowledged', cleared: 'Cleared' };

  function fillCard(card, a) {
    card.className = 'card ' + a.severity + ' ' + a.state + (hiddenByDesign(a) ? ' hidden-by-design' : '')
      + (a.id === selectedId ? ' selected' : '');
    card.dataset.state = a.state;
    card.querySelector('.sev').textContent = a.severity === 'red' ? 'RED' : 'YELLOW';
    card.querySelector('.msg').textContent = a.message;
    card.querySelector('.age').textContent = age(a.raisedAt);
    card.querySelector('.age').title = 'raised ' + when(a.raisedAt);
    card.querySelector('.device').textContent = deviceName(a.source);
    card.querySelector('.device').title = a.source;
    card.querySelector('.area').textContent = a.area || '';
    let state = STATE_NAMES[a.state] || a.state;
    if (a.state === 'acknowledged' && a.ackedBy) state += ' by ' + a.ackedBy;
    if (a.state === 'cleared') state += a.acknowledged ? '' : ', not acknowledged';
    card.querySelector('.state').textContent = state;

    const badges = card.querySelector('.badges');
    badges.textContent = '';
    if (a.shelvedUntil) badges.append(badge('shelved', 'Shelved until ' + when(a.shelvedUntil),
      'by ' + (a.shelvedBy || '?') + ': ' + (a.shelveReason || '')));
    if (a.suppressedBy) badges.append(badge('suppressed', 'Suppressed: ' + suppression(a.suppressedBy)));
    if (a.escalatedAt) badges.append(badge('escalated', 'Escalated ' + when(a.escalatedAt)));
    if (a.chattering) badges.append(badge('chattering', 'Chattering ×' + a.occurrences));

    const isBusy = busy.has(a.id);
    const show = (action, visible) => {
      const b = card.querySelector('button.' + action);
      b.hidden = !visible;
      b.disabled = isBusy;
    };
    show('ack', !a.acknowledged);
    show('resolve', true);
    show('shelve', !a.shelvedUntil);
    show('unshelve', !!a.shelvedUntil);
    show('comment', true);
    const r = card.querySelector('button.resolve');
    const isArmed = armed && armed.id === a.id && armed.until >= Date.now();
    r.textContent = isArmed ? 'Tap again to resolve' : 'Resolve';
    r.classList.toggle('armed', !!isArmed);
  }

  function badge(cls, text, title) {
    const b = el('span', 'badge ' + cls, text);
    if (title) b.title = title;
    return b;
  }

  function suppression(by) {
    if (by === 'out-of-service') return 'device out of service';
    if (by.startsWith('flood:')) return 'alert flood in ' + by.slice(6);
    return by;
  }

  function age(iso) {
    if (!iso) return '';
    const s = Math.max(0, Math.floor((now() - Date.parse(iso)) / 1000));
    if (s < 60) return s + ' s';
    const m = Math.floor(s / 60);
    if (m < 60) return m + ' min';
    const h = Math.floor(m / 60);
    if (h < 24) return h + ' h ' + String(m % 60).padStart(2, '0') + ' min';
    return Math.floor(h / 24) + ' d ' + (h % 24) + ' h';
  }

  function when(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    const time = [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
    const today = new Date();
    if (d.toDateString() === today.toDateString()) return time;
    return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' }) + ' ' + time;
  }

  // ---- the selected alert ----

  function openDetail(id, form) {
    const changed = selectedId !== id;
    selectedId = id;
    $('detail').hidden = false;
    $('layout').classList.add('with-detail');
    if (changed) {
      history = new Map();
      renderHistory();
      $('shelve-reason').value = '';
      $('comment-text').value = '';
      toggleForm(null);
      $('detail').scrollTop = 0;
      $('now').tBodies[0].textContent = '';
      $('readings').tBodies[0].textContent = '';
      loadHistory(id);
      loadReadings();
      clearInterval(readingsTimer);
      readingsTimer = setInterval(loadReadings, READINGS_MS);
    }
    render();
    if (form) toggleForm(form, true);
  }

  function toggleForm(form, open) {
    [['shelve', 'shelve-box', 'd-shelve', 'shelve-reason'], ['comment', 'comment-box', 'd-comment', 'comment-text']]
      .forEach(([name, box, button, field]) => {
        const show = name === form && (open || $(box).hidden);
        $(box).hidden = !show;
        $(button).setAttribute('aria-expanded', String(show));
        if (show) $(field).focus();
      });
  }

  function closeDetail() {
    selectedId = null;
    clearInterval(readingsTimer);
    readingsTimer = null;
    $('detail').hidden = true;
    $('layout').classList.remove('with-detail');
    cards.forEach((c) => c.classList.remove('selected'));
  }

  function fillDetail(a) {
    $('d-message').textContent = a.message;
    $('d-message').className = a.severity;
    $('d-summary').textContent = deviceName(a.source) + ' · ' + (a.area || '') + ' · ' + (STATE_NAMES[a.state] || a.state);
    const facts = [
      ['Source', a.source],
      ['Rule', a.rule + (a.ruleSource ? ' (' + a.ruleSource + ')' : '')],
      ['Value', a.value],
      ['Condition since', when(a.conditionSince)],
      ['Raised', when(a.raisedAt) + ' (' + age(a.raisedAt) + ' ago)'],
      ['Acknowledged', a.ackedAt ? when(a.ackedAt) + ' by ' + a.ackedBy : null],
      ['Cleared', a.clearedAt ? when(a.clearedAt) : null],
      ['Shelved', a.shelvedUntil ? 'until ' + when(a.shelvedUntil) + ' by ' + a.shelvedBy + ': ' + a.shelveReason : null],
      ['Suppressed', a.suppressedBy ? suppression(a.suppressedBy) : null],
      ['Escalated', a.escalatedAt ? when(a.escalatedAt) : null],
      ['Chattering', a.chattering ? a.occurrences + ' occurrences' : null],
    ];
    const dl = $('d-facts');
    dl.textContent = '';
    facts.filter(([, v]) => v !== null && v !== undefined && v !== '').forEach(([k, v]) => {
      dl.append(el('dt', null, k), el('dd', null, String(v)));
    });
    const isBusy = busy.has(a.id);
    $('d-ack').hidden = a.acknowledged;
    $('d-unshelve').hidden = !a.shelvedUntil;
    $('d-shelve').hidden = !!a.shelvedUntil;
    const isArmed = armed && armed.id === a.id && armed.until >= Date.now();
    $('d-resolve').textContent = isArmed ? 'Tap again to resolve' : 'Resolve';
    $('d-resolve').classList.toggle('armed', !!isArmed);
    ['d-ack', 'd-resolve', 'd-unshelve', 'comment-send'].forEach((b) => { $(b).disabled = isBusy; });
    document.querySelectorAll('.shelve-for').forEach((b) => { b.disabled = isBusy; });
  }

  async function loadHistory(id) {
    let r;
    try {
      r = await api('GET', '/api/alerts/' + id + '/history');
    } catch (e) {
      return;
    }
    if (!r || r.status !== 200 || selectedId !== id) return;
    r.data.forEach((e) => history.set(e.id, e));
    renderHistory();
  }

  function renderHistory() {
    const list = $('history');
    list.textContent = '';
    [...history.values()].sort((x, y) => y.id - x.id).forEach((e) => {
      const li = el('li');
      li.append(el('time', null, when(e.at)), el('b', null, ' ' + e.action), document.createTextNode(' by ' + e.actor
        + (e.comment ? ': ' + e.comment : '')));
      list.append(li);
    });
  }

  function formatValue(v, unit) {
    if (v === null || v === undefined) return '—';
    let text = typeof v === 'number' && !Number.isInteger(v) ? String(Math.round(v * 1000) / 1000) : String(v);
    if (text.length > 40) text = text.slice(0, 40) + '…';
    return unit ? text + ' ' + unit : text;
  }

  function quality(q) {
    if (q === null || q === undefined || q === 192) return 'good';
    if (q === 0) return 'bad';
    if (q === 500) return 'stale';
    return 'uncertain (' + q + ')';
  }

  async function loadReadings() {
    const id = selectedId;
    const a = alerts.get(id);
    if (!a) return;
    if (!isDevice(a.source)) {
      $('device-state').textContent = '';
      $('readings-note').textContent = 'Not a device: no readings.';
      return;
    }
    const path = '/api/devices/' + a.source.split('/').map(encodeURIComponent).join('/');
    let device;
    let readings;
    try {
      [device, readings] = await Promise.all([api('GET', path), api('GET', path + '/readings?limit=20')]);
    } catch (e) {
      $('readings-note').textContent = 'No connection: readings as of the last update.';
      return;
    }
    if (!device || !readings || selectedId !== id) return;
    const units = new Map();
    const current = $('now').tBodies[0];
    current.textContent = '';
    if (device.status === 200) {
      const d = device.data;
      $('device-state').textContent = (d.state || '') + (d.profile ? ' · ' + d.profile : '');
      $('device-state').className = 'small ' + String(d.state || '').toLowerCase();
      (d.metrics || []).filter((m) => !m.name.startsWith('Device/')).forEach((m) => {
        units.set(m.name, m.unit);
        const tr = el('tr');
        tr.append(el('th', null, m.name), el('td', 'value', formatValue(m.value, m.unit)),
          el('td', 'small', when(m.timestamp)), el('td', 'small', quality(m.quality)));
        current.append(tr);
      });
    } else {
      $('device-state').textContent = device.status === 404 ? 'not known to the registry' : '';
    }
    const body = $('readings').tBodies[0];
    body.textContent = '';
    if (readings.status === 200) {
      readings.data.forEach((x) => {
        const tr = el('tr');
        tr.append(el('td', 'small', when(x.timestamp)), el('td', 'metric', x.metric),
          el('td', 'value', formatValue(x.value, units.get(x.metric))), el('td', 'small', quality(x.quality)));
        body.append(tr);
      });
      $('readings-note').textContent = readings.data.length ? '' : 'No readings stored for this device.';
    } else {
      $('readings-note').textContent = 'Readings unavailable: ' + errorText(readings);
    }
  }

  // ---- screens ----

  function show() {
    $('login-screen').hidden = !!session;
    $('board-screen').hidden = !session;
    $('logout-btn').hidden = !session;
    $('who').textContent = session ? session.user : '';
    if (!session) {
      document.body.classList.remove('state-red', 'state-yellow', 'state-green');
      $('counts').textContent = '';
      $('username').focus();
    } else {
      queueRender();
    }
  }

  // ---- wiring ----

  WareEdgeSession.form(SESSION, (s) => { session = s; message('', ''); start(); }, error);
  $('logout-btn').addEventListener('click', logout);

  $('cards').addEventListener('click', (e) => {
    const target = e.target.closest('[data-action]');
    const card = e.target.closest('.card');
    if (!target || !card) return;
    const id = Number(card.dataset.id);
    switch (target.dataset.action) {
      case 'open': openDetail(id); break;
      case 'ack': acknowledge(id); break;
      case 'resolve': resolve(id); break;
      case 'shelve': openDetail(id, 'shelve'); break;
      case 'unshelve': unshelve(id); break;
      case 'comment': openDetail(id, 'comment'); break;
    }
  });
  $('cards').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.target.dataset.action === 'open') openDetail(Number(e.target.closest('.card').dataset.id));
  });

  $('d-close').addEventListener('click', closeDetail);
  $('d-ack').addEventListener('click', () => acknowledge(selectedId));
  $('d-resolve').addEventListener('click', () => resolve(selectedId));
  $('d-unshelve').addEventListener('click', () => unshelve(selectedId));
  $('d-shelve').addEventListener('click', () => toggleForm('shelve'));
  $('d-comment').addEventListener('click', () => toggleForm('comment'));
  document.querySelectorAll('.chip').forEach((b) => b.addEventListener('click', () => {
    $('shelve-reason').value = b.dataset.reason;
  }));
  document.querySelectorAll('.shelve-for').forEach((b) => b.addEventListener('click', () => shelve(b.dataset.for)));
  $('comment-send').addEventListener('click', comment);
  $('comment-text').addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); comment(); } });

  $('area-filter').addEventListener('change', (e) => {
    filters.area = e.target.value;
    const d = alerts.size ? [...alerts.values()].find((a) => a.source === filters.device) : null;
    if (filters.area && d && d.area !== filters.area) filters.device = '';
    saveFilters();
    render();
  });
  $('device-filter').addEventListener('change', (e) => {
    filters.device = e.target.value;
    saveFilters();
    render();
  });
  $('hidden-toggle').addEventListener('click', () => {
    filters.showHidden = !filters.showHidden;
    saveFilters();
    render();
  });

  // Back on the network or on screen: retry now rather than at the end of the backoff.
  window.addEventListener('online', () => { if (wake) wake(); });
  document.addEventListener('visibilitychange', () => { if (!document.hidden && wake) wake(); });
  setInterval(() => { if (session) render(); }, TICK_MS);

  show();
  if (session) start();
})();
