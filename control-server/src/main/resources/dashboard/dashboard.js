// WareEdge operations dashboard.
//
// Every 10 s the page reads the KPI tables, the device registry, the open alerts and the orders at risk of the
// chosen site, and redraws. Nothing is kept between rounds but the charts themselves (uPlot, served from its
// WebJar): a round that fails leaves the last good picture up and says since when it is old.
(function () {
  'use strict';

  const SESSION = 'wareedge.dashboard.session';
  const SITE = 'wareedge.dashboard.site';
  const REFRESH_MS = 10000;
  // the cycle target's last minutes: an order this close to it is shown yellow
  const SOON_S = 300;
  const SORTER_PROFILES = ['generic-sorter'];
  const CONVEYOR_PROFILES = ['conveyor-plc-opcua', 'conveyor-line-opcua'];
  const SEVERITY_RANK = { red: 0, yellow: 1 };
  const SERIES_COLOURS = ['#4da3ff', '#ff8a3d', '#b388ff', '#4dd0e1', '#f06292', '#aed581', '#fff176', '#90a4ae'];

  const $ = (id) => document.getElementById(id);
  let session = WareEdgeSession.stored(SESSION);
  let site = new URLSearchParams(location.search).get('site') || localStorage.getItem(SITE) || 'dc-north';
  let generation = 0;
  let timer = null;
  let lastGood = 0;
  // what the test and a curious supervisor can inspect from the console: the charts and when data last came
  const state = { charts: {}, rounds: 0, updatedAt: null };
  window.dashboard = state;

  let messageTimer = null;
  function message(kind, text, ms) {
    clearTimeout(messageTimer);
    const m = $('message');
    m.textContent = text || '';
    m.className = text ? kind : '';
    if (text && ms) messageTimer = setTimeout(() => { m.textContent = ''; m.className = ''; }, ms);
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  // ---- server ----

  class Expired extends Error {}

  async function get(path) {
    const res = await fetch(path, { cache: 'no-store',
      headers: { 'Accept': 'application/json', 'Authorization': 'Bearer ' + session.token } });
    if (res.status === 401) throw new Expired();
    if (!res.ok) throw new Error(path.split('?')[0] + ' answered ' + res.status);
    return res.json();
  }


  function stop(text) {
    generation++;
    clearTimeout(timer);
    session = null;
    WareEdgeSession.forget(SESSION);
    Object.values(state.charts).forEach((u) => u.destroy());
    state.charts = {};
    show();
    if (text) message('error', text, 20000);
  }

  // ---- the rounds ----

  function start() {
    const gen = ++generation;
    show();
    round(gen);
  }

  async function round(gen) {
    clearTimeout(timer);
    try {
      const [sorted, picks, cycle, devices, alerts, orders] = await Promise.all([
        get(kpi('sortation', 'minute', 60 * 60)),
        get(kpi('zones', 'hour', 12 * 3600)),
        get(kpi('orders', 'hour', 12 * 3600)),
        get('/api/devices'),
        get('/api/alerts?state=open&limit=5000'),
        get('/api/sites/' + encodeURIComponent(site) + '/orders/at-risk?limit=12'),
      ]);
      if (gen !== generation) return;
      renderSites(devices);
      const siteAlerts = alertsOfSite(alerts.alerts);
      drawSorted(sorted);
      drawPicks(picks);
      drawCycle(cycle);
      renderTiles(devices, siteAlerts);
      renderAlerts(siteAlerts);
      renderOrders(orders);
      lastGood = Date.now();
      state.rounds++;
      state.updatedAt = new Date(lastGood).toISOString();
      message('', '');
    } catch (e) {
      if (gen !== generation) return;
      if (e instanceof Expired) {
        stop('Your session ended: log in again');
        return;
      }
      message('error', 'Not updated: ' + (e.message || 'no connection to the control server'), REFRESH_MS);
    }
    renderUpdated();
    timer = setTimeout(() => round(gen), REFRESH_MS);
  }

  /** A KPI table's address over the last `seconds`, the current (unfinished) bucket included. */
  function kpi(kind, bucket, seconds) {
    const step = bucket === 'minute' ? 60000 : 3600000;
    const to = Math.floor(Date.now() / step) * step + step;
    const from = to - seconds * 1000;
    return '/api/sites/' + encodeURIComponent(site) + '/kpis/' + kind + '?bucket=' + bucket
      + '&from=' + new Date(from).toISOString() + '&to=' + new Date(to).toISOString();
  }

  function renderUpdated() {
    const u = $('updated');
    if (!lastGood) {
      u.textContent = '';
      return;
    }
    const age = Math.round((Date.now() - lastGood) / 1000);
    const behind = age * 1000 > 2 * REFRESH_MS;
    u.className = behind ? 'small behind' : 'small';
    u.textContent = behind ? 'data ' + age + ' s old' : 'updated ' + new Date(lastGood).toLocaleTimeString();
  }

  // ---- charts ----

  /** One x (bucket start, in seconds) per window, one y series per key, from a KPI table's column. */
  function pivot(table, column, scale) {
    const col = table.columns.indexOf(column);
    const xs = [...new Set(table.rows.map((r) => Date.parse(r.start) / 1000))].sort((a, b) => a - b);
    const keys = [...new Set(table.rows.map((r) => r.key || site))].sort();
    const at = new Map(xs.map((x, i) => [x, i]));
    const series = keys.map(() => xs.map(() => null));
    table.rows.forEach((r) => {
      const v = r.values[col];
      series[keys.indexOf(r.key || site)][at.get(Date.parse(r.start) / 1000)] = v === null ? null : v * (scale || 1);
    });
    return { keys, data: [xs, ...series] };
  }

  function size(target) {
    const box = $(target);
    return { width: Math.max(240, box.clientWidth), height: 220 };
  }

  /** Draws into a chart, rebuilt only when its series change (a new sorter or zone), else given the new data. */
  function chart(name, target, series, data, axes) {
    const signature = JSON.stringify(series.map((s) => s.label));
    const old = state.charts[name];
    if (old && old.signature === signature) {
      old.setData(data);
      return;
    }
    if (old) old.destroy();
    const opts = Object.assign({}, size(target), {
      series: [{}].concat(series),
      axes: axes || [axis(), axis()],
      scales: { x: { time: true } },
      legend: { live: false },
      cursor: { show: false },
    });
    const u = new uPlot(opts, data, $(target));
    u.signature = signature;
    state.charts[name] = u;
  }

  function axis(extra) {
    return Object.assign({ stroke: '#ccc', grid: { stroke: '#333' }, ticks: { stroke: '#333' } }, extra || {});
  }

  function line(label, i, extra) {
    return Object.assign({ label, stroke: SERIES_COLOURS[i % SERIES_COLOURS.length], width: 2, spanGaps: false }, extra || {});
  }

  function drawSorted(table) {
    const p = pivot(table, 'sorted');
    chart('sorted', 'chart-sorted', p.keys.map((k, i) => line(k, i)), p.data);
  }

  function drawPicks(table) {
    const p = pivot(table, 'picksPerHour');
    chart('picks', 'chart-picks', p.keys.map((k, i) => line(k, i, { points: { show: true } })), p.data);
  }

  function drawCycle(table) {
    const p50 = pivot(table, 'pickSecondsP50', 1 / 60);
    const p90 = pivot(table, 'pickSecondsP90', 1 / 60);
    const within = pivot(table, 'pickedWithinTarget', 100);
    // one row per hour for the whole site: the first series of each pivot
    const data = [p50.data[0], p50.data[1] || [], p90.data[1] || [], within.data[1] || []];
    chart('cycle', 'chart-cycle', [
      line('p50 min', 0, { points: { show: true } }),
      line('p90 min', 1, { points: { show: true } }),
      line('% within target', 3, { scale: '%', dash: [6, 4], points: { show: true } }),
    ], data, [axis(), axis(), axis({ scale: '%', side: 1, grid: { show: false } })]);
  }

  window.addEventListener('resize', () => {
    Object.entries(state.charts).forEach(([name, u]) => u.setSize(size('chart-' + name)));
  });

  // ---- devices ----

  function renderSites(devices) {
    const sites = new Set(devices.map((d) => d.group));
    sites.add(site);
    const select = $('site');
    const wanted = [...sites].sort();
    if ([...select.options].map((o) => o.value).join('\n') !== wanted.join('\n')) {
      select.textContent = '';
      wanted.forEach((s) => select.append(new Option(s, s)));
    }
    select.value = site;
  }

  /** The site's alerts not hidden by design: its devices', its sorters', and those of the areas they are in. */
  function alertsOfSite(all) {
    const own = (a) => a.source.startsWith(site + '/') || a.source.startsWith('sorter:' + site + '/');
    const areas = new Set(all.filter(own).map((a) => a.area).filter(Boolean));
    return all.filter((a) => !a.shelvedUntil && !a.suppressedBy
      && (own(a) || (a.source.startsWith('area:') && areas.has(a.source.slice(5)))));
  }

  function isSorter(d) {
    return String(d.kind || '').toUpperCase() === 'SORTER' || SORTER_PROFILES.includes(d.profile);
  }

  function renderTiles(devices, alerts) {
    const shown = devices.filter((d) => d.group === site && (isSorter(d) || CONVEYOR_PROFILES.includes(d.profile)))
      .sort((a, b) => (isSorter(b) - isSorter(a)) || a.device.localeCompare(b.device));
    const worst = new Map();
    alerts.forEach((a) => {
      const rank = SEVERITY_RANK[a.severity];
      if (rank !== undefined && (!worst.has(a.source) || rank < worst.get(a.source))) worst.set(a.source, rank);
    });
    const tiles = $('tiles');
    tiles.textContent = '';
    shown.forEach((d) => {
      const source = d.group + '/' + d.node + '/' + d.device;
      const ranks = [worst.get(source), worst.get('sorter:' + site + '/' + d.device)].filter((r) => r !== undefined);
      const alertRank = ranks.length ? Math.min(...ranks) : undefined;
      const st = String(d.state || '').toLowerCase();
      const colour = alertRank === 0 || st === 'offline' ? 'red'
        : alertRank === 1 || st === 'stale' ? 'yellow' : 'green';
      const tile = el('div', 'tile ' + colour);
      tile.dataset.source = source;
      tile.dataset.colour = colour;
      tile.append(el('div', 'name', d.device),
        el('div', 'state', (isSorter(d) ? 'sorter' : 'conveyor') + ' · ' + st
          + (alertRank === 0 ? ' · red alert' : alertRank === 1 ? ' · yellow alert' : '')));
      tiles.append(tile);
    });
    $('tiles-note').textContent = shown.length ? '' : 'No sorters or conveyors known at ' + site + '.';
  }

  // ---- alerts and orders ----

  function age(seconds) {
    const s = Math.abs(Math.round(seconds));
    const text = s < 60 ? s + ' s' : s < 3600 ? Math.floor(s / 60) + ' min' : Math.floor(s / 3600) + ' h ' + Math.floor(s % 3600 / 60) + ' min';
    return seconds < 0 ? '-' + text : text;
  }

  function renderAlerts(alerts) {
    const worst = alerts.slice().sort((x, y) => ((SEVERITY_RANK[x.severity] ?? 9) - (SEVERITY_RANK[y.severity] ?? 9))
      || (Date.parse(x.raisedAt) - Date.parse(y.raisedAt)) || (x.id - y.id)).slice(0, 5);
    const list = $('alerts');
    list.textContent = '';
    worst.forEach((a) => {
      const li = el('li', a.severity);
      li.dataset.id = String(a.id);
      const device = a.source.includes('/') ? a.source.slice(a.source.lastIndexOf('/') + 1) : a.source;
      li.append(el('div', 'msg', a.message),
        el('div', 'where', [device, a.area, a.state, age((Date.now() - Date.parse(a.raisedAt)) / 1000) + ' ago']
          .filter(Boolean).join(' · ')));
      list.append(li);
    });
    $('alerts-note').textContent = alerts.length > 5 ? (alerts.length - 5) + ' more open'
      : alerts.length ? '' : 'No open alerts.';
  }

  function renderOrders(orders) {
    const body = $('orders').tBodies[0];
    body.textContent = '';
    orders.forEach((o) => {
      const tr = el('tr', o.secondsLeft < 0 ? 'late' : o.secondsLeft < SOON_S ? 'soon' : '');
      tr.dataset.id = o.id;
      tr.append(el('td', null, o.id), el('td', null, age(o.ageSeconds)),
        el('td', null, o.secondsLeft < 0 ? age(-o.secondsLeft) + ' late' : age(o.secondsLeft)),
        el('td', null, o.linesPicked + ' / ' + o.lines));
      body.append(tr);
    });
    $('orders-note').textContent = orders.length ? '' : 'Every order is picked.';
  }

  // ---- screens ----

  function show() {
    $('login-screen').hidden = !!session;
    $('dashboard-screen').hidden = !session;
    $('logout-btn').hidden = !session;
    $('site-label').hidden = !session;
    $('who').textContent = session ? session.user : '';
    if (!session) {
      lastGood = 0;
      renderUpdated();
      $('username').focus();
    }
  }

  WareEdgeSession.form(SESSION, (s) => { session = s; message('', ''); start(); }, (text) => message('error', text, 20000));
  $('logout-btn').addEventListener('click', () => { stop(); message('note', 'Logged out', 6000); });
  $('site').addEventListener('change', (e) => {
    site = e.target.value;
    localStorage.setItem(SITE, site);
    const url = new URL(location.href);
    url.searchParams.set('site', site);
    history.replaceState(null, '', url);
    Object.values(state.charts).forEach((u) => u.destroy());
    state.charts = {};
    if (session) start();
  });
  setInterval(renderUpdated, 1000);

  show();
  if (session) start();
})();
