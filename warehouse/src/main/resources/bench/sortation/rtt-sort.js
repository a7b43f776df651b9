// Induction -> divert round-trip driver: the peers' nodebench/rtt.js (../shared/peers) with its payload adapted to
// docs/sorter-protocol.md. Publishes inductions {seq, pass, codes:[tag], ts} on --req at a fixed open-loop rate
// (--rate) or with N outstanding (--window), matches each reply on --resp by "seq" (a divert command carries no
// timestamps, so send times are kept here), prints p50/p90/p99/p99.9/max, the coordinated-omission-corrected p99
// and how many replies took over 40 ms.
const mqtt = require('mqtt');
const a = Object.fromEntries(process.argv.slice(2).map(s => { const [k, v] = s.replace(/^--/, '').split('='); return [k, v ?? 'true']; }));
const url = a.url || 'mqtt://127.0.0.1:1883';
const rate = +(a.rate || 1000), dur = +(a.duration || 20), warm = +(a.warmup || 3), qos = +(a.qos || 0);
const win = a.window ? +a.window : 0;
const reqT = a.req || 'wh/req', respT = a.resp || 'wh/resp';
const label = a.label || '';
const seq0 = +(a.seq0 || Date.now() * 1000);
const now = () => Number(process.hrtime.bigint()) / 1e6; // ms
const c = mqtt.connect(url, { clientId: 'rtt-sort-' + process.pid, clean: true, reconnectPeriod: 0 });
let sent = 0, recv = 0, lat = [], intendedLat = [], t0, measStart, measEnd, done = false, outstanding = 0;
const pending = new Map(); // seq -> [sent ms, intended ms]
function payload(id) {
  return '{"seq":' + (seq0 + id) + ',"pass":0,"codes":["E2801160600002' + String(id % 100000).padStart(5, '0') + '"],"ts":' + Date.now() + '}';
}
const seqRe = /"seq":(\d+)/;
c.on('message', (topic, buf) => {
  const tr = now();
  const m = seqRe.exec(buf.toString());
  if (!m) return;
  const p = pending.get(+m[1]);
  if (!p) return; // a second reply for the same item: not counted
  pending.delete(+m[1]);
  recv++; outstanding--;
  if (p[0] >= measStart && p[0] < measEnd) { lat.push(tr - p[0]); if (p[1]) intendedLat.push(tr - p[1]); }
  if (win && !done) pump();
});
function send(id, ti) { pending.set(seq0 + id, [now(), ti]); c.publish(reqT, payload(id), { qos }); }
function pump() { while (outstanding < win && !done) { send(sent++, 0); outstanding++; } }
function pct(arr, p) { if (!arr.length) return NaN; return arr[Math.min(arr.length - 1, Math.floor(p / 100 * arr.length))]; }
c.on('connect', () => {
  if (a.nodelay !== '0') c.stream.setNoDelay(true);
  c.subscribe(respT, { qos }, () => {
    t0 = now(); measStart = t0 + warm * 1000; measEnd = measStart + dur * 1000;
    if (win) { pump(); }
    else {
      const tick = () => {
        if (done) return;
        const t = now();
        const due = Math.floor((t - t0) * rate / 1000);
        while (sent < due) { const ti = t0 + sent * 1000 / rate; send(sent, ti); sent++; }
        setTimeout(tick, 1);
      };
      tick();
    }
    setTimeout(() => { done = true; }, (warm + dur) * 1000);
    setTimeout(report, (warm + dur + 3) * 1000);
  });
});
function report() {
  lat.sort((x, y) => x - y); intendedLat.sort((x, y) => x - y);
  const n = lat.length;
  const r = { label, mode: win ? `closed-loop window=${win}` : `open-loop ${rate}/s`, qos, measured: n,
    achieved_per_s: +(n / dur).toFixed(0), sent, recv, lost: sent - recv,
    p50_ms: +pct(lat, 50).toFixed(3), p90_ms: +pct(lat, 90).toFixed(3), p99_ms: +pct(lat, 99).toFixed(3),
    p999_ms: +pct(lat, 99.9).toFixed(3), max_ms: +(lat[n - 1] || NaN).toFixed(3), over_40ms: lat.filter(x => x > 40).length };
  if (intendedLat.length) { r.co_p99_ms = +pct(intendedLat, 99).toFixed(3); }
  const cpu = process.cpuUsage(); r.driver_cpu_ms = Math.round((cpu.user + cpu.system) / 1000);
  console.log(JSON.stringify(r));
  c.end(true, () => process.exit(0));
}
