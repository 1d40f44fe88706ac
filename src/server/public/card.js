// One vault card: state badge, delta gauge, quotes, machine highlight, hedges, transitions.
import { $, el, fmtBtc, fmtShort, fmtTime, fmtUsd, signCls } from './format.js';

export const MAX_ROWS = 60; // hedges / transitions kept per vault

function renderGauge(v) {
  const c = v.view.context, b = c.bands, d = c.greeks.netBtc;
  const R = Math.max(b.hardBtc * 1.15, Math.abs(d) * 1.1, 1e-9);
  const pct = (x) => ((x + R) / (2 * R)) * 100;
  const g = $('[data-role=gauge]', v.el);
  const zone = (cls, half) => `<div class="zone ${cls}" style="left:${pct(-half)}%;right:${100 - pct(half)}%"></div>`;
  const key = `${R.toFixed(6)}|${b.hardBtc}|${b.hedgeBtc}|${b.quoteBtc}|${b.reentryBtc}`;
  if (g.dataset.key !== key) {
    g.dataset.key = key;
    $('.zones', g).innerHTML = zone('z-hedge', b.hardBtc) + zone('z-quote', b.hedgeBtc) + zone('z-quote-in', b.quoteBtc) + zone('z-reentry', b.reentryBtc);
    const ticks = [[0, '0'], [b.quoteBtc, `quote ${b.quoteBtc.toFixed(2)}`], [-b.quoteBtc, `−${b.quoteBtc.toFixed(2)}`],
      [b.hedgeBtc, `hedge ${b.hedgeBtc.toFixed(2)}`], [-b.hedgeBtc, `−${b.hedgeBtc.toFixed(2)}`],
      [b.hardBtc, `hard ${b.hardBtc.toFixed(2)}`], [-b.hardBtc, `−${b.hardBtc.toFixed(2)}`]];
    $('.ticks', g).innerHTML = ticks.map(([x, l]) => `<span style="left:${pct(x)}%">${l}</span>`).join('');
  }
  const needle = $('.needle', g);
  needle.style.left = `${pct(d)}%`;
  const label = $('span', needle);
  label.textContent = `Δ ${fmtBtc(d)} BTC`;
  // Keep the label inside the gauge on the right edge.
  label.style.left = pct(d) > 82 ? 'auto' : '8px';
  label.style.right = pct(d) > 82 ? '8px' : 'auto';
}

function renderQuotes(v) {
  const q = v.view.context.config.quote;
  const tb = $('[data-role=quotes]', v.el);
  tb.replaceChildren();
  if (!v.view.quotes.length) { const tr = el('tr'); const td = el('td', 'empty', 'no quotes'); td.colSpan = 6; tr.append(td); tb.append(tr); return; }
  for (const x of v.view.quotes) {
    const half = Math.max((x.fairUsd * q.halfSpreadBps) / 1e4, q.minHalfSpreadUsd);
    const eps = Math.max(0.005, x.fairUsd * 1e-6);
    const tr = el('tr');
    const sizeTd = (n) => el('td', n <= 0 ? 'n zero' : n < q.baseSizeContracts ? 'n shrunk' : 'n', String(Number(n.toFixed(2))));
    tr.append(el('td', 'series', x.instrument), sizeTd(x.bidSizeContracts),
      el('td', 'n bid' + (x.bidPriceUsd > x.fairUsd - half + eps ? ' leaned' : ''), fmtUsd(x.bidPriceUsd)),
      el('td', 'n fair', fmtUsd(x.fairUsd)),
      el('td', 'n ask' + (x.askPriceUsd < x.fairUsd + half - eps ? ' leaned' : ''), fmtUsd(x.askPriceUsd)),
      sizeTd(x.askSizeContracts));
    tb.append(tr);
  }
}

// The vault's quotes on an options venue (absent on venues without an options book): what the
// committed state wants (BTC, before the venue's rounding) beside what rests there, and MMP.
function renderVenue(v) {
  const box = $('[data-role=venue]', v.el);
  const q = v.view.venueQuotes;
  box.hidden = !q;
  if (!q) return;
  const st = $('[data-role=venue-state]', v.el);
  const frozen = q.mmpFrozenUntil === undefined ? 'MMP armed' : q.mmpFrozenUntil === null ? 'MMP frozen until reset' : `MMP frozen until ${fmtShort(q.mmpFrozenUntil)}`;
  const skipped = Object.entries(q.skipped).filter(([, n]) => n > 0).map(([r, n]) => `${r} ${n}`).join(', ');
  st.textContent = [q.pulled ? 'quotes pulled' : `${q.resting.length} resting`, frozen, q.syncedAt ? `synced ${fmtShort(q.syncedAt)}` : 'not synced yet', skipped ? `skipped: ${skipped}` : ''].filter(Boolean).join(' · ');
  st.className = `venue-state${q.pulled || q.mmpFrozenUntil !== undefined ? ' warn' : ''}`;
  const key = (x) => `${x.instrument}|${x.side}`;
  const resting = new Map(q.resting.map((x) => [key(x), x]));
  const series = [...new Set([...q.wanted, ...q.resting].map((x) => x.instrument))];
  const cell = (x, cls) => el('td', `n ${cls}`, x && x.amountContracts > 0 ? `${Number(x.amountContracts.toFixed(2))} @ ${x.priceBtc.toFixed(4)}` : '–');
  const tb = $('[data-role=venue-quotes]', v.el);
  tb.replaceChildren();
  for (const s of series) {
    for (const side of ['bid', 'ask']) {
      const w = q.wanted.find((x) => x.instrument === s && x.side === side);
      const r = resting.get(`${s}|${side}`);
      const missing = !!w && w.amountContracts > 0 && !r;
      const tr = el('tr');
      if (side === 'bid') { const td = el('td', 'series', s); td.rowSpan = 2; tr.append(td); }
      tr.append(el('td', side, side), cell(w, side), cell(r, `${side}${missing ? ' missing' : ''}`));
      tb.append(tr);
    }
  }
  if (!series.length) { const tr = el('tr'); const td = el('td', 'empty', 'no quotes'); td.colSpan = 4; tr.append(td); tb.append(tr); }
}

function renderMachine(v) {
  const svg = $('svg.machine', v.el);
  if (!svg) return;
  for (const g of svg.querySelectorAll('.st')) {
    const live = g.dataset.state === v.view.state;
    const initial = g.classList.contains('initial');
    g.setAttribute('class', `st${initial ? ' initial' : ''}${live ? ` live st-${v.view.state}` : ''}`);
  }
  const lt = v.view.lastTransition;
  // An arrow from or to a group frame stands for each of its states (data-from-states).
  const at = (e, side, state) => (e.dataset[`${side}States`] ?? e.dataset[side]).split(' ').includes(state);
  for (const e of svg.querySelectorAll('.edge, .elabel')) e.classList.toggle('recent', !!lt && at(e, 'from', lt.from) && at(e, 'to', lt.to));
}

// PnL since the vault's first price (USD) and the book's greeks in trader's units.
function renderRisk(v) {
  const { pnl, risk } = v.view;
  const set = (role, n, d, unit) => {
    const b = $(`[data-role=${role}]`, v.el);
    b.textContent = n === null || n === undefined ? '–' : `${n > 0 ? '+' : n < 0 ? '−' : ''}${fmtUsd(Math.abs(n), d)}${unit}`;
    b.className = n === null || n === undefined ? '' : signCls(n);
  };
  // Fees and funding are costs: shown as what they take from PnL.
  set('pnl-option', pnl && pnl.optionUsd, 0, ' $');
  set('pnl-hedge', pnl && pnl.hedgeUsd, 0, ' $');
  set('pnl-fees', pnl && -pnl.feesUsd, 0, ' $');
  set('pnl-funding', pnl && (pnl.fundingUsd === null ? null : -pnl.fundingUsd), 0, ' $');
  set('pnl-total', pnl && pnl.totalUsd, 0, ' $');
  set('gamma', risk && risk.gammaBtcPerPct, 3, ' BTC');
  set('vega', risk && risk.vegaUsdPerVolPt, 0, ' $');
  set('theta', risk && risk.thetaUsdPerDay, 0, ' $');
  $('[data-role=pnl-since]', v.el).textContent = pnl ? `PnL since ${fmtShort(pnl.sinceAt)} (spot ${fmtUsd(pnl.sinceSpotUsd)})${pnl.fundingUsd === null ? ' · funding not modelled for this venue' : ''}` : 'PnL: no price yet';
}

export function renderView(v, flash) {
  const { view } = v, c = view.context;
  const badge = $('[data-role=state]', v.el);
  if (badge.textContent !== view.state) {
    badge.textContent = view.state;
    badge.className = `badge st-${view.state}`;
    if (flash) { void badge.offsetWidth; badge.classList.add('flash'); }
  }
  v.el.className = `vault st-${view.state}`;
  const lt = view.lastTransition;
  $('[data-role=since]', v.el).textContent = lt ? `since ${fmtShort(lt.at)} · ${lt.event}${c.haltReason ? ` · ${c.haltReason}` : ''}` : '';
  $('[data-role=spot]', v.el).textContent = fmtUsd(c.spotUsd);
  const dEl = $('[data-role=delta]', v.el); dEl.textContent = fmtBtc(c.greeks.netBtc); dEl.className = signCls(c.greeks.netBtc);
  $('[data-role=odelta]', v.el).textContent = fmtBtc(c.greeks.optionsBtc);
  const pEl = $('[data-role=perp]', v.el); pEl.textContent = fmtBtc(c.perpBtc); pEl.className = signCls(c.perpBtc);
  $('[data-role=nhedges]', v.el).textContent = String(c.hedges);
  renderRisk(v);
  renderGauge(v);
  renderQuotes(v);
  renderVenue(v);
  renderMachine(v);
}

function hedgeRow(h, isNew) {
  const tr = el('tr', isNew ? 'new' : '');
  tr.dataset.order = h.clientOrderId;
  tr.append(el('td', '', fmtShort(h.at)), el('td', 'series', h.clientOrderId), el('td', `side-${h.side}`, h.side),
    el('td', 'n', h.sizeBtc.toFixed(3)), el('td', 'n', h.filledBtc > 0 ? `${h.filledBtc.toFixed(3)} @ ${fmtUsd(h.avgPriceUsd, 1)}` : '–'),
    el('td', 'n', `$${fmtUsd(h.feeUsd)}`), el('td', 'n', h.slippageBps !== undefined ? `${h.slippageBps.toFixed(1)} bp` : '–'),
    el('td', 'n', h.latencyMs !== undefined ? `${Math.round(h.latencyMs)} ms` : '–'));
  const st = el('td'); st.append(el('span', `status ${h.status}`, h.status)); tr.append(st);
  return tr;
}

export function renderHedges(v, changed) {
  const tb = $('[data-role=hedges]', v.el);
  const list = [...v.hedges.values()].sort((a, b) => b.at - a.at).slice(0, MAX_ROWS);
  tb.replaceChildren(...list.map((h) => hedgeRow(h, changed !== null && changed.has(h.clientOrderId))));
  if (!list.length) { const tr = el('tr'); const td = el('td', 'empty', 'no hedges yet'); td.colSpan = 9; tr.append(td); tb.append(tr); }
}

export function transitionLi(t, withVault, isNew) {
  const li = el('li', isNew ? 'new' : '');
  li.dataset.key = `${t.vaultId}:${t.seq}`;
  li.dataset.to = t.to;
  li.append(el('time', '', withVault ? fmtTime(t.at) : fmtShort(t.at)));
  if (withVault) li.append(el('span', 'vid', t.vaultId));
  const arrow = el('span', 'arrow');
  const a = el('span', `mini st-${t.from}`, t.from), b = el('span', `mini st-${t.to}`, t.to);
  arrow.append(a, document.createTextNode(' → '), b);
  const why = el('span', 'why'); why.append(el('span', 'ev', t.event), document.createTextNode(t.reason || ''));
  // The reason is cut to one line; the whole row's tooltip holds all of it.
  li.title = `${t.event}: ${t.reason || ''}`;
  li.append(arrow, why);
  return li;
}
