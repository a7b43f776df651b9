// WareEdge handheld picking page.
//
// The scanner types what it reads into the focused field and presses Enter. Every scan is checked here at once
// against the task the server handed out (so a wrong scan is refused in milliseconds, also without Wi-Fi), and
// every accepted action is put in an outbox kept in localStorage under an id made here. The outbox is sent in
// order; an action whose answer was lost is sent again with the same id, and the server answers it from its
// record instead of recording it twice. The server stays the judge: an action it refuses is shown as an error.
(function () {
  'use strict';

  const STORE = 'wareedge.handheld.v1';
  const RETRY_MS = [500, 1000, 2000, 3000, 5000];
  const IDLE_POLL_MS = 5000;

  const $ = (id) => document.getElementById(id);
  const state = load();
  let sending = false;
  let failures = 0;
  let pollTimer = null;
  let retryTimer = null;

  function load() {
    try {
      const s = JSON.parse(localStorage.getItem(STORE));
      if (s && Array.isArray(s.outbox)) return s;
    } catch (e) { /* a broken store starts afresh */ }
    return { token: null, badge: null, name: null, tasks: [], step: 'location', outbox: [], online: true };
  }

  function save() {
    localStorage.setItem(STORE, JSON.stringify(state));
  }

  // ---- feedback: colour, sound, vibration ----

  let audio = null;
  function tone(freq, ms, type) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const o = audio.createOscillator();
      const g = audio.createGain();
      o.type = type;
      o.frequency.value = freq;
      g.gain.value = 0.3;
      o.connect(g);
      g.connect(audio.destination);
      o.start();
      o.stop(audio.currentTime + ms / 1000);
    } catch (e) { /* no audio device: the colour still shows */ }
  }

  function ok(text) {
    document.body.classList.remove('error');
    document.body.classList.add('ok');
    $('message').textContent = text || '';
    tone(1760, 80, 'sine');
  }

  function error(text) {
    document.body.classList.remove('ok', 'error');
    void document.body.offsetWidth; // restart the flash animation
    document.body.classList.add('error');
    $('message').textContent = text;
    tone(220, 600, 'square');
    if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
  }

  function note(text) {
    document.body.classList.remove('error', 'ok');
    $('message').textContent = text || '';
  }

  // ---- server ----

  async function call(method, path, body) {
    const headers = { 'Accept': 'application/json' };
    if (state.token) headers['X-Picker-Session'] = state.token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store' });
    let data = null;
    const text = await res.text();
    if (text) {
      try { data = JSON.parse(text); } catch (e) { data = { error: text }; }
    }
    return { status: res.status, data };
  }

  function setOnline(online) {
    state.online = online;
    $('status').textContent = online ? 'online' : 'offline';
    $('status').className = online ? 'online' : 'offline';
  }

  // ---- log in / out ----

  async function login() {
    const badge = $('badge').value.trim();
    const pin = $('pin').value;
    if (!badge) { error('Scan your badge'); $('badge').focus(); return; }
    if (!pin) { $('pin').focus(); return; }
    let r;
    try {
      r = await call('POST', '/api/handheld/login', { badge, pin });
    } catch (e) {
      setOnline(false);
      error('No connection: log in when the Wi-Fi is back');
      return;
    }
    setOnline(true);
    $('pin').value = '';
    if (r.status !== 200) {
      error(r.data && r.data.error ? r.data.error : 'Log-in refused (' + r.status + ')');
      $('pin').focus();
      return;
    }
    const keep = state.badge === r.data.badge ? state.outbox : [];
    Object.assign(state, { token: r.data.token, badge: r.data.badge, name: r.data.name, tasks: [],
      step: 'location', outbox: keep });
    save();
    ok('Hello ' + r.data.name);
    show();
    flush();
  }

  async function logout() {
    if (state.outbox.length) {
      error(state.outbox.length + ' actions are not sent yet: log out when the Wi-Fi is back');
      return;
    }
    try { await call('POST', '/api/handheld/logout'); } catch (e) { /* the server logs idle sessions out */ }
    Object.assign(state, { token: null, badge: null, name: null, tasks: [], step: 'location', outbox: [] });
    save();
    note('Logged out');
    show();
  }

  function loggedOut(message) {
    Object.assign(state, { token: null, tasks: [], step: 'location' });
    save();
    error(message || 'Logged out: scan your badge');
    show();
  }

  // ---- tasks ----

  async function refresh() {
    clearTimeout(pollTimer);
    if (!state.token || state.outbox.length) return; // local work first: the server catches up when it is sent
    let r;
    try {
      r = await call('GET', '/api/handheld/task');
    } catch (e) {
      setOnline(false);
      pollTimer = setTimeout(refresh, IDLE_POLL_MS);
      return;
    }
    setOnline(true);
    if (r.status === 401) { loggedOut(r.data && r.data.error); return; }
    if (state.outbox.length) return; // a scan arrived while the request was out
    showWalk(r.status === 200 ? r.data : null);
  }

  // The server's walk (null: nothing to pick) replaces the local copy once every local action is sent.
  function showWalk(walk) {
    clearTimeout(pollTimer);
    const before = state.tasks.length ? state.tasks[0].id : null;
    state.tasks = walk ? walk.tasks : [];
    if (!state.tasks.length || state.tasks[0].id !== before) state.step = 'location';
    save();
    render();
    if (!state.tasks.length) pollTimer = setTimeout(refresh, IDLE_POLL_MS);
  }

  function current() {
    return state.tasks.length ? state.tasks[0] : null;
  }

  function sameCode(a, b) {
    return a.trim().toUpperCase() === b.trim().toUpperCase();
  }

  function isItem(task, code) {
    return sameCode(code, task.sku) || task.codes.some((c) => sameCode(c, code));
  }

  function onScan(value) {
    const t = current();
    const code = value.trim();
    if (!t || !code) return;
    if (state.step === 'location') {
      if (!sameCode(code, t.location)) {
        error('Wrong location ' + code + ': go to ' + t.location);
        return;
      }
      state.step = 'item';
      save();
      ok('Location OK: scan the item');
    } else if (state.step === 'item') {
      if (!isItem(t, code)) {
        error('Wrong item ' + code + ': pick ' + t.sku);
        return;
      }
      if (t.remaining === 1) {
        queue({ kind: 'confirm', task: t.id, location: t.location, item: code, quantity: 1 });
        return;
      }
      state.step = 'quantity';
      state.item = code;
      save();
      ok('Item OK: how many?');
    } else if (state.step === 'quantity') {
      confirmQuantity(code);
      return;
    }
    render();
  }

  function confirmQuantity(text) {
    const t = current();
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) { error('Enter how many you picked'); return; }
    if (n > t.remaining) { error('Only ' + t.remaining + ' open: put back ' + (n - t.remaining)); return; }
    queue({ kind: 'confirm', task: t.id, location: t.location, item: state.item, quantity: n });
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return 'a-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2);
  }

  // Records the action on this device, applies it to the local copy of the walk, and sends it when it can.
  function queue(action) {
    action.id = newId();
    const t = current();
    state.outbox.push(action);
    if (action.kind === 'confirm') {
      t.picked += action.quantity;
      t.remaining -= action.quantity;
      if (t.remaining <= 0) {
        state.tasks.shift();
        state.step = 'location';
      } else {
        state.step = 'item';
      }
      ok(t.remaining <= 0 ? 'Picked ' + t.sku + ' ✓' : 'Picked ' + action.quantity + ', ' + t.remaining + ' to go');
    } else if (action.kind === 'short') {
      state.tasks.shift();
      state.step = 'location';
      ok('Short pick recorded');
    } else if (action.kind === 'skip') {
      state.tasks.push(state.tasks.shift());
      state.step = 'location';
      ok('Skipped: it comes back at the end of the walk');
    } else {
      ok('Damage reported');
    }
    save();
    render();
    flush();
  }

  async function flush() {
    if (sending) return;
    sending = true;
    clearTimeout(retryTimer);
    let refused = false;
    let walk; // the walk the last answer carried: the next task comes with the action, no second request
    try {
      while (state.outbox.length && state.token) {
        const action = state.outbox[0];
        let r;
        try {
          r = await call('POST', '/api/handheld/actions?next=true', action);
        } catch (e) {
          r = null;
        }
        if (r === null || r.status >= 500) {
          setOnline(false);
          const wait = RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)];
          retryTimer = setTimeout(flush, wait);
          render();
          return;
        }
        failures = 0;
        setOnline(true);
        if (r.status === 401) {
          sending = false;
          loggedOut(r.data && r.data.error);
          return;
        }
        state.outbox.shift();
        save();
        if (r.status !== 200) {
          refused = true;
          walk = undefined;
          error('Not recorded: ' + (r.data && r.data.error ? r.data.error : 'refused (' + r.status + ')'));
        } else {
          walk = r.data.next || null;
        }
        render();
      }
    } finally {
      sending = false;
    }
    if (!state.outbox.length) {
      if (refused) state.tasks = [];
      if (walk === undefined || refused) refresh(); else showWalk(walk);
    }
  }

  // ---- screen ----

  function show() {
    $('login-screen').hidden = !!state.token;
    $('task-screen').hidden = !state.token;
    $('who').textContent = state.token ? state.name + ' (' + state.badge + ')' : 'WareEdge picking';
    render();
    if (!state.token) {
      $('badge').value = '';
      $('badge').focus();
    }
  }

  function render() {
    const waiting = state.outbox.length;
    $('pending').textContent = String(waiting);
    $('pending').className = waiting ? 'waiting' : '';
    if (!state.token) return;
    const t = current();
    $('idle').hidden = !!t;
    $('idle-title').textContent = waiting ? 'Walk done' : 'No task right now';
    $('idle-text').textContent = waiting ? 'Sending your ' + waiting + ' saved scans when the Wi-Fi is back…'
      : 'New tasks appear here by themselves.';
    $('task').hidden = !t || !$('short-box').hidden;
    if (!t) return;
    $('tote').textContent = t.tote;
    $('location').textContent = t.location;
    $('where').textContent = 'Zone ' + t.zone + ' · aisle ' + t.aisle + ' · bay ' + t.bay + ' · level ' + t.level;
    $('qty-remaining').textContent = String(t.remaining);
    $('sku').textContent = t.sku;
    $('description').textContent = t.description;
    $('step').textContent = { location: '1. Scan the location', item: '2. Scan the item',
      quantity: '3. How many? (Enter or Confirm)' }[state.step];
    $('quantity-box').hidden = state.step !== 'quantity';
    $('scan').hidden = state.step === 'quantity';
    const rest = state.tasks.length - 1;
    $('next').textContent = rest > 0 ? 'Then: ' + state.tasks[1].location + (rest > 1 ? ' and ' + (rest - 1) + ' more' : '') : 'Last task of this walk';
    if (state.step === 'quantity') {
      if (!$('qty').value) $('qty').value = String(t.remaining);
      $('qty').focus();
    } else {
      $('qty').value = '';
      $('scan').focus();
    }
  }

  // ---- wiring ----

  function onEnter(el, fn) {
    el.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        const v = el.value;
        el.value = '';
        fn(v);
      }
    });
  }

  onEnter($('badge'), (v) => { $('badge').value = v.trim(); $('pin').focus(); });
  $('pin').addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); login(); } });
  $('login-btn').addEventListener('click', login);
  onEnter($('scan'), onScan);
  onEnter($('qty'), confirmQuantity);
  $('confirm').addEventListener('click', () => confirmQuantity($('qty').value));
  $('qty-minus').addEventListener('click', () => { $('qty').value = Math.max(1, Number($('qty').value) - 1); });
  $('qty-plus').addEventListener('click', () => { $('qty').value = Number($('qty').value) + 1; });
  $('skip-btn').addEventListener('click', () => {
    const t = current();
    if (t) queue({ kind: 'skip', task: t.id });
  });
  $('damage-btn').addEventListener('click', () => {
    const t = current();
    if (t) queue({ kind: 'damage', task: t.id, reason: 'damaged stock at ' + t.location });
  });
  $('short-btn').addEventListener('click', () => {
    $('short-box').hidden = false;
    $('task').hidden = true;
    $('short-found').value = '0';
    $('short-found').focus();
  });
  $('short-cancel').addEventListener('click', () => { $('short-box').hidden = true; render(); });
  document.querySelectorAll('.reason').forEach((b) => b.addEventListener('click', () => {
    const t = current();
    const found = Number($('short-found').value || '0');
    $('short-box').hidden = true;
    if (!t) return;
    if (!Number.isInteger(found) || found < 0 || found >= t.remaining) {
      error('Found must be 0..' + (t.remaining - 1) + ' (all found? confirm instead)');
      render();
      return;
    }
    queue({ kind: 'short', task: t.id, quantity: found, reason: b.dataset.reason });
  }));
  $('logout-btn').addEventListener('click', logout);
  window.addEventListener('online', flush);
  // Gloved taps land anywhere: keep the scan field focused so the next scan is never lost.
  document.addEventListener('click', (e) => {
    if (e.target.tagName !== 'INPUT' && e.target.tagName !== 'BUTTON' && state.token && $('short-box').hidden) render();
  });

  show();
  setOnline(state.online !== false);
  if (state.token) {
    flush();
    refresh();
  }
})();
