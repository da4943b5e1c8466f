/**
 * The forensic report as one self-contained HTML page: inline SVG plots (fingerprint heat map, running margin with
 * the projection band, digit histograms, integer-percentage histogram) and the flagged-acta table. No scripts, no
 * external resources; every string from the data is escaped.
 */
import type { DigitTest } from '../../core/forensics/index.ts';
import type { ProjectionResult } from './projection.ts';
import type { ForensicsResult } from './report.ts';

/** Rows of the flagged-acta table shown (the JSON has them all). */
const MAX_TABLE_ROWS = 5000;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—');
const fmtP = (p: number) => (!Number.isFinite(p) ? '—' : p < 1e-4 ? p.toExponential(1) : p.toFixed(4));

/** Renders the page. */
export function renderForensicsHtml(title: string, r: ForensicsResult, projection?: ProjectionResult): string {
  const t = r.tests;
  const late = r.lateCount;
  const parts: string[] = [];
  parts.push(`<h1>${esc(title)}</h1><p>Source <b>${esc(r.source)}</b>, ${r.actas.toLocaleString('en-US')} actas, tree size ${r.checkpoint.size} (root <code>${esc(r.checkpoint.root)}</code>). A flag sends an acta to review; it never says the acta is fraudulent.</p>`);
  parts.push(`<h2>Fingerprint (turnout × ${esc(r.pair[0])} share)</h2>${heatmap(t.fingerprint.heatmap.bins, t.fingerprint.heatmap.counts)}
<p>Fitted incremental fraction f<sub>i</sub> = ${fmt(t.fingerprint.incremental, 3)}, extreme f<sub>e</sub> = ${fmt(t.fingerprint.extreme, 3)}; p = ${fmtP(t.fingerprint.p)} (${esc(t.fingerprint.null)}). Stations in the ≥ 95% / ≥ 95% corner: ${fmt(100 * t.fingerprint.corner, 2)}%.</p>${caveats(t.fingerprint.caveats)}`);
  if (late) {
    parts.push(`<h2>Running margin ${esc(late.pair[0])} − ${esc(late.pair[1])} in arrival order</h2>${runningPlot(late.running, projection)}
<table><tr><th>early (counted by the pause)</th><td>${fmt(late.early.margin)} pts over ${late.early.mesas} mesas${r.earlySource ? ` (${esc(r.earlySource.source)}'s own numbers: ${fmt(r.earlySource.margin)})` : ''}</td></tr>
<tr><th>final</th><td>${fmt(late.final.margin)} pts; change ${fmt(late.change)}</td></tr>
<tr><th>… from geography (which places reported late)</th><td>${fmt(late.decomposition.geography)}</td></tr>
<tr><th>… within recinto</th><td>${fmt(late.decomposition.withinRecinto)}</td></tr>
<tr><th>… within municipality (descriptive)</th><td>${fmt(late.decomposition.withinMunicipality)}</td></tr>
<tr><th>within-recinto gap (late − early mates)</th><td>${fmt(late.withinRecinto.estimate)} pts [${fmt(late.withinRecinto.lo)}, ${fmt(late.withinRecinto.hi)}], permutation p = ${fmtP(late.withinRecinto.p)}, ${late.withinRecinto.groups} recintos</td></tr>
<tr><th>baseline</th><td>${late.baseline.available ? `DiD ${fmt(late.baseline.differenceInDifferences.estimate)} pts [${fmt(late.baseline.differenceInDifferences.lo)}, ${fmt(late.baseline.differenceInDifferences.hi)}], p = ${fmtP(late.baseline.differenceInDifferences.p)}` : esc(late.baseline.note)}</td></tr>
<tr><th>naive before/after</th><td>${fmt(late.naive.before)} → ${fmt(late.naive.after)} pts, z = ${fmt(late.naive.z)}, p = ${fmtP(late.naive.p)}${late.naive.breakFound ? ' — a "break", explained by geography above' : ''}</td></tr></table>${caveats(late.caveats)}`);
  }
  if (projection) {
    parts.push(`<h2>Projection from ${projection.counted.toLocaleString('en-US')} of ${projection.total.toLocaleString('en-US')} mesas</h2><p>Margin ${esc(projection.margin.pair.join(' − '))}: ${fmt(projection.margin.value)} pts [${fmt(projection.margin.lo)}, ${fmt(projection.margin.hi)}] (counted: ${fmt(projection.margin.counted)}). Outcomes: ${Object.entries(projection.outcomes).map(([k, v]) => `${esc(k)} ${fmt(100 * v, 1)}%`).join(', ')}.</p>`);
  }
  const ip = t.integerPercentages;
  parts.push(`<h2>Integer percentages</h2>${barPlot(ip.histogram.turnout, 'turnout, 0.1% bins')}${barPlot(ip.histogram.share, `${esc(r.pair[0])} share, 0.1% bins`)}
<p>${ip.observed} stations with a whole-percentage turnout or share; ${fmt(ip.expected, 1)} expected (sd ${fmt(ip.nullSd, 1)}); ratio ${fmt(ip.ratio, 2)}, p = ${fmtP(ip.p)}.</p>${caveats(ip.caveats)}`);
  parts.push(`<h2>Digits</h2>${t.digits.map(digitBlock).join('')}`);
  const c = t.correlation;
  parts.push(`<h2>Turnout–share correlation</h2><p>Overall r = ${fmt(c.overall, 3)}; within ${esc(c.region)} r = ${fmt(c.withinRegion, 3)} (z = ${fmt(c.z)}, p = ${fmtP(c.p)}).</p>${caveats(c.caveats)}`);
  const shown = r.flags.slice(0, MAX_TABLE_ROWS);
  parts.push(`<h2>Flagged actas (${r.flagged.mesas.toLocaleString('en-US')})</h2><p>${Object.entries(r.flagged.byCode).map(([k, v]) => `${esc(k)}: ${v}`).join(' · ')}</p>
<table class="flags"><tr><th>mesa</th><th>recinto</th><th>severity</th><th>reasons</th></tr>${shown
    .map((f) => `<tr><td>${esc(f.mesa)}</td><td>${esc(f.geography.join(' › '))}</td><td class="${f.severity}">${f.severity}</td><td>${f.flags.map((x) => `<b>${x.code}</b> ${esc(x.reason)}`).join('<br>')}</td></tr>`)
    .join('')}</table>${shown.length < r.flags.length ? `<p>First ${shown.length} shown; the JSON report lists all.</p>` : ''}`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>
body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
.high{color:#b00;font-weight:bold}.medium{color:#c60}.low{color:#666}ul.caveats{color:#555;font-size:13px}svg{display:block;margin:.5em 0}
</style></head><body>${parts.join('\n')}</body></html>\n`;
}

function caveats(list: readonly string[]): string {
  return `<ul class="caveats">${list.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>`;
}

function heatmap(bins: number, counts: readonly number[]): string {
  const cell = 8;
  const size = bins * cell;
  let max = 0;
  for (const c of counts) max = Math.max(max, c);
  const rects: string[] = [];
  for (let a = 0; a < bins; a++) {
    for (let b = 0; b < bins; b++) {
      const c = counts[a * bins + b] ?? 0;
      if (!c) continue;
      const level = Math.log1p(c) / Math.log1p(max);
      rects.push(`<rect x="${40 + a * cell}" y="${size - (b + 1) * cell}" width="${cell}" height="${cell}" fill="rgb(${Math.round(255 - 230 * level)},${Math.round(255 - 180 * level)},${Math.round(255 - 60 * level)})"/>`);
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size + 60}" height="${size + 40}" role="img" aria-label="turnout by winner share"><rect x="40" y="0" width="${size}" height="${size}" fill="none" stroke="#999"/>${rects.join('')}<text x="${40 + size / 2}" y="${size + 30}" text-anchor="middle">turnout 0 → 100%</text><text x="12" y="${size / 2}" transform="rotate(-90 12 ${size / 2})" text-anchor="middle">winner share 0 → 100%</text></svg>`;
}

function runningPlot(points: readonly { counted: number; margin: number }[], projection?: ProjectionResult): string {
  const W = 800;
  const H = 260;
  const ms = points.map((p) => p.margin);
  if (projection) ms.push(projection.margin.lo, projection.margin.hi);
  const lo = Math.min(...ms) - 1;
  const hi = Math.max(...ms) + 1;
  const x = (c: number) => 50 + c * (W - 70);
  const y = (m: number) => 10 + ((hi - m) / (hi - lo)) * (H - 40);
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.counted).toFixed(1)},${y(p.margin).toFixed(1)}`).join('');
  const band = projection
    ? `<rect x="${x(1) - 6}" y="${y(projection.margin.hi)}" width="12" height="${Math.max(1, y(projection.margin.lo) - y(projection.margin.hi))}" fill="#f2a" opacity=".5"/><text x="${x(1) - 10}" y="${y(projection.margin.hi) - 4}" text-anchor="end" font-size="11">projection ${fmt(projection.margin.lo)}–${fmt(projection.margin.hi)}</text>`
    : '';
  const ticks = [lo + 1, (lo + hi) / 2, hi - 1].map((m) => `<text x="44" y="${y(m) + 4}" text-anchor="end" font-size="11">${fmt(m, 1)}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="running margin"><rect x="50" y="10" width="${W - 70}" height="${H - 40}" fill="none" stroke="#999"/>${ticks}<path d="${path}" fill="none" stroke="#1f3a93" stroke-width="1.5"/>${band}<text x="${W / 2}" y="${H - 8}" text-anchor="middle">share of actas counted (arrival order)</text></svg>`;
}

function barPlot(values: readonly number[], label: string, expected?: readonly number[]): string {
  const W = 820;
  const H = 160;
  const max = Math.max(1, ...values, ...(expected ?? []));
  const bw = (W - 60) / values.length;
  const bars = values.map((v, i) => (v ? `<rect x="${(50 + i * bw).toFixed(2)}" y="${(10 + (1 - v / max) * (H - 40)).toFixed(1)}" width="${Math.max(0.8, bw - (bw > 3 ? 1 : 0)).toFixed(2)}" height="${((v / max) * (H - 40)).toFixed(1)}" fill="#1f3a93"/>` : '')).join('');
  const exp = expected ? `<path d="${expected.map((e, i) => `${i ? 'L' : 'M'}${(50 + (i + 0.5) * bw).toFixed(1)},${(10 + (1 - e / max) * (H - 40)).toFixed(1)}`).join('')}" stroke="#c00" fill="none"/>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="${esc(label)}"><rect x="50" y="10" width="${W - 60}" height="${H - 40}" fill="none" stroke="#999"/>${bars}${exp}<text x="${W / 2}" y="${H - 8}" text-anchor="middle">${esc(label)}</text></svg>`;
}

function digitBlock(d: DigitTest): string {
  return `<h3>${esc(d.test)}</h3>${barPlot(d.counts, `${d.test}: observed (bars) and expected (line)`, d.expected)}<p>χ² = ${fmt(d.statistic, 1)} on ${d.df} df, p = ${fmtP(d.p)}, n = ${d.n}${d.mean !== undefined ? `, mean second digit ${fmt(d.mean, 3)} (Benford 4.187)` : ''}. Null: ${esc(d.null)}.</p>${caveats(d.caveats)}`;
}
