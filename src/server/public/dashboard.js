// omm-hedger dashboard (ES modules, no build step). Loads the snapshot over JSON, then
// follows /events (SSE batches, at most a few a second) and redraws at animation-frame pace.
import { MAX_ROWS, renderHedges, renderView, transitionLi } from './card.js';
import { makeCharts, redrawCharts } from './charts.js';
import { $, fmtTime, getJson, getText } from './format.js';

const MAX_POINTS = 1500;      // per vault, kept for the charts
const MAX_TIMELINE = 200;     // global transition timeline
const vaults = new Map();     // vaultId -> { view, points, hedges: Map, transitions, el, charts, dirty }
const seenTransitions = new Set();
let machineSvg = '';
let ready = false;
let pending = [];
let totalRejected = 0;
let latestAt = 0;

// ---------- card ----------
function addVault(view, history) {
  const card = $('#vault-tpl').content.firstElementChild.cloneNode(true);
  card.dataset.vault = view.vaultId;
  $('.vname', card).textContent = view.vaultId;
  $('[data-role=machine]', card).innerHTML = machineSvg;
  $('#vaults').appendChild(card);
  const v = { view, points: (history && history.points || []).slice(-MAX_POINTS), hedges: new Map(), transitions: [], el: card, charts: null, dirty: true };
  vaults.set(view.vaultId, v);
  v.charts = makeCharts(card);
  for (const h of (history && history.hedges) || []) v.hedges.set(h.clientOrderId, h);
  renderHedges(v, null);
  for (const t of (history && history.transitions) || []) addTransition(t, false);
  renderView(v, false);
  return v;
}


function addTransition(t, isNew) {
  const key = `${t.vaultId}:${t.seq}`;
  if (seenTransitions.has(key)) return;
  seenTransitions.add(key);
  const g = $('#timeline');
  g.prepend(transitionLi(t, true, isNew));
  while (g.children.length > MAX_TIMELINE) { g.lastElementChild.remove(); }
  const v = vaults.get(t.vaultId);
  if (v) {
    const ol = $('[data-role=transitions]', v.el);
    ol.prepend(transitionLi(t, false, isNew));
    while (ol.children.length > MAX_ROWS) ol.lastElementChild.remove();
  }
}

// ---------- live updates ----------
// A transition newer than the vault view moves the badge and diagram at once (the view
// catches up with the next vault update). Newer: by seq when the view has one, else by time.
function followTransition(t) {
  const v = vaults.get(t.vaultId);
  if (!v) return;
  const lt = v.view.lastTransition;
  const newer = !lt || (lt.seq !== undefined ? t.seq > lt.seq : t.at >= lt.at);
  if (!newer || (lt && lt.seq === t.seq)) return;
  const prev = v.view.state;
  v.view = { ...v.view, state: t.to, lastTransition: { at: t.at, from: t.from, to: t.to, event: t.event, reason: t.reason, seq: t.seq } };
  renderView(v, prev !== t.to);
}

function applyBatch(batch) {
  const changedHedges = new Map();
  for (const u of batch.vaults) {
    let v = vaults.get(u.vault.vaultId);
    if (!v) v = addVault(u.vault, null);
    const prevState = v.view.state;
    v.view = u.vault;
    const last = v.points[v.points.length - 1];
    if (!last || u.point.at > last.at) v.points.push(u.point);
    else if (u.point.at === last.at) v.points[v.points.length - 1] = u.point;
    if (v.points.length > MAX_POINTS) v.points.splice(0, v.points.length - MAX_POINTS);
    latestAt = Math.max(latestAt, u.point.at);
    renderView(v, prevState !== u.vault.state);
    v.dirty = true;
  }
  for (const e of batch.events) {
    if (e.kind === 'transition') { addTransition(e.entry, true); followTransition(e.entry); }
    else if (e.kind === 'hedge') {
      const v = vaults.get(e.entry.vaultId);
      if (!v) continue;
      v.hedges.set(e.entry.clientOrderId, e.entry);
      if (v.hedges.size > MAX_ROWS * 2) { const oldest = [...v.hedges.values()].sort((a, b) => a.at - b.at)[0]; v.hedges.delete(oldest.clientOrderId); }
      if (!changedHedges.has(v)) changedHedges.set(v, new Set());
      changedHedges.get(v).add(e.entry.clientOrderId);
      v.dirty = true;
    }
  }
  for (const [v, ids] of changedHedges) renderHedges(v, ids);
  for (const r of batch.rejected) totalRejected += r.count;
  renderSummary();
}

function renderSummary() {
  const counts = {};
  let hedges = 0;
  for (const v of vaults.values()) { counts[v.view.state] = (counts[v.view.state] || 0) + 1; hedges += v.view.context.hedges; }
  const s = $('#summary');
  const parts = [`<span>vaults<b>${vaults.size}</b></span>`];
  for (const [st, n] of Object.entries(counts)) parts.push(`<span class="pill"><span class="mini-dot st-${st}" style="width:8px;height:8px;border-radius:50%;background:var(--st)"></span>${st}<b>${n}</b></span>`);
  parts.push(`<span>hedges<b>${hedges}</b></span>`, `<span>rejected<b>${totalRejected}</b></span>`, `<span>market<b>${fmtTime(latestAt)} UTC</b></span>`);
  s.innerHTML = parts.join('');
}

function frame() {
  for (const v of vaults.values()) if (v.dirty && v.charts) { v.dirty = false; redrawCharts(v); }
  requestAnimationFrame(frame);
}

function setConn(kind, text) { const c = $('#conn'); c.className = `conn ${kind}`; $('.label', c).textContent = text; }

// Readiness and feed ages, polled: they change slowly and are not in the update stream.
async function pollStatus() {
  const r = $('#ready');
  try {
    const st = await getJson('/api/status');
    const ages = Object.entries(st.feedAgeMs).map(([k, ms]) => `${k} ${Number.isFinite(ms) ? (ms / 1000).toFixed(1) + 's' : '–'}`).join(' · ');
    const why = Object.values(st.readiness.detail || {}).join('; ');
    r.className = `ready ${st.ready ? 'ok' : 'bad'}`;
    r.textContent = `${st.ready ? 'ready' : 'not ready'}${ages ? ` · feeds ${ages}` : ''}`;
    r.title = why;
  } catch {
    r.className = 'ready bad';
    r.textContent = 'status unavailable';
  }
}

// After a reconnect, fetch the snapshot again: batches sent while we were away are gone.
async function resync() {
  const snap = await getJson('/api/vaults');
  for (const view of snap.vaults) {
    const h = await getJson(`/api/vaults/${encodeURIComponent(view.vaultId)}/history`);
    let v = vaults.get(view.vaultId);
    if (!v) { addVault(view, h); continue; }
    v.view = view;
    v.points = h.points.slice(-MAX_POINTS);
    v.hedges = new Map(h.hedges.map((x) => [x.clientOrderId, x]));
    for (const t of h.transitions) addTransition(t, false);
    renderHedges(v, null);
    renderView(v, false);
    v.dirty = true;
  }
  renderSummary();
}

let source = null;
let hadError = false;
function connect() {
  source = new EventSource('/events');
  source.onopen = () => {
    setConn('live', 'live');
    if (hadError && ready) { hadError = false; resync().catch((err) => setConn('down', `resync failed: ${err.message}`)); }
  };
  source.onerror = () => { hadError = true; setConn('down', 'reconnecting…'); };
  source.onmessage = (m) => {
    const batch = JSON.parse(m.data);
    if (ready) applyBatch(batch); else pending.push(batch);
  };
}

async function boot() {
  connect();
  const [svg, snap] = await Promise.all([getText('/api/machine.svg'), getJson('/api/vaults')]);
  machineSvg = svg;
  const histories = await Promise.all(snap.vaults.map((v) => getJson(`/api/vaults/${encodeURIComponent(v.vaultId)}/history`)));
  snap.vaults.forEach((view, i) => {
    const v = addVault(view, histories[i]);
    const last = v.points[v.points.length - 1];
    if (last) latestAt = Math.max(latestAt, last.at);
  });
  ready = true;
  for (const b of pending) applyBatch(b);
  pending = [];
  renderSummary();
  document.body.dataset.ready = 'true';
  await pollStatus();
  setInterval(() => { pollStatus().catch(() => undefined); }, 5000);
  requestAnimationFrame(frame);
}

let resizeTimer = 0;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    for (const v of vaults.values()) {
      if (!v.charts) continue;
      const w = Math.max(300, $('[data-role=c-price]', v.el).clientWidth);
      for (const c of Object.values(v.charts)) c.setSize({ width: w, height: c.height });
    }
  }, 150);
});

boot().catch((err) => { setConn('down', `failed to load: ${err.message}`); console.error(err); });
