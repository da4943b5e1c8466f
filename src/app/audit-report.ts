/** Plain-text reports of an audit for the CLI: the plan before sampling, and the state after each round. */
import type { AuditState } from '../core/audit/replay.ts';

const n = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
const pct = (x: number, digits = 2) => `${(x * 100).toFixed(digits)}%`;

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** The assertions with their margins, the total error bound and the expected sample sizes, explained. */
export function formatStart(s: AuditState): string {
  const p = s.plan;
  const tightest = p.assertions.reduce((m, a, i) => (a.dilutedMargin < (p.assertions[m]?.dilutedMargin ?? Infinity) ? i : m), 0);
  const width = Math.max(...p.assertions.map((a) => a.id.length)) + 2;
  const alpha = s.spec.riskLimit;
  const lines = [
    `reported results: source ${s.spec.source} at tree size ${n(s.spec.at)} — ${n(p.mesas)} mesas, ${n(p.ballots)} ballots, ${n(p.validVotes)} valid votes`,
    `announced outcome: ${p.outcome}; it is right if every assertion below holds on the paper:`,
    ...p.assertions.map(
      (a, i) =>
        `  ${pad(a.id, width)}margin ${n(a.marginVotes).padStart(12)} votes = ${pct(a.marginOfValid).padStart(7)} of valid votes; diluted margin ${a.dilutedMargin.toFixed(5)}${i === tightest ? '   ← tightest' : ''}`,
    ),
    `risk limit ${pct(alpha, 1)} (${s.spec.method}); total error bound U = ${p.totalErrorBound.toFixed(1)} (≈ 1/diluted margin of the tightest assertion, widened by mesas' registered voters)`,
    `expected sample at ${pct(alpha, 1)} risk (mesas drawn with probability ∝ their error bound, with replacement):`,
    `  if every acta matches its paper: ${p.expected.noErrors.draws ?? '∞'} draws ≈ ${p.expected.noErrors.distinctMesas ?? 'all'} distinct mesas`,
    `    (each clean draw multiplies the Kaplan–Markov test by 1/(1 − 1/U); n = ⌈ln(1/α) / −ln(1 − 1/U)⌉ ≈ U·ln(1/α))`,
  ];
  if (p.expected.assumed.errors.length) {
    const said = p.expected.assumed.errors.map((e) => `${pct(e.rate, 1)} of mesas with ${e.votes} vote${Math.abs(e.votes) === 1 ? '' : 's'} ${e.votes > 0 ? 'against' : 'for'} each assertion`).join(' and ');
    lines.push(`  if ${said}: ${p.expected.assumed.draws ?? '∞ (escalate to a full hand count)'} draws ≈ ${p.expected.assumed.distinctMesas ?? 'all'} distinct mesas — round 1's size`);
  }
  lines.push(`next: acta audit seed --audit ${s.spec.id} --seed DIGITS   (≥ 20 decimal digits, from dice rolled in public, after this entry)`);
  return lines.join('\n');
}

/** Decision, risk per assertion and each round. */
export function formatAudit(s: AuditState): string {
  const width = Math.max(...s.risks.map((r) => r.id.length)) + 2;
  const lines = [
    `audit ${s.spec.id}: source ${s.spec.source} at tree size ${n(s.spec.at)}, risk limit ${pct(s.spec.riskLimit, 1)} (${s.spec.method}), started at entry ${s.startIndex}`,
    s.seed ? `seed ${s.seed.seed} (entry ${s.seed.index})` : 'no seed yet',
    `decision: ${s.decision.toUpperCase()} — ${s.drawsAudited} draws audited, ${s.mesasCounted} mesas counted`,
    ...s.risks.map((r) => `  ${pad(r.id, width)}risk ${r.risk.toPrecision(3).padStart(9)}${r.risk <= s.spec.riskLimit ? '  ✓' : ''}${r.maxTaint > 0 ? `  (largest taint ${r.maxTaint.toFixed(3)})` : ''}`),
  ];
  for (const r of s.rounds) {
    const result = r.result ? ` → ${r.result.decision}${r.result.nextRoundSize !== undefined ? ` (next round: ${r.result.nextRoundSize} draws)` : ''}` : ` — ${r.pending.length} of ${r.mesas.length} mesas still to count`;
    lines.push(`round ${r.round}: draws ${r.firstDraw}–${r.firstDraw + r.size - 1}, ${r.mesas.length} mesas${result}`);
  }
  const differing = s.records.filter((r) => Object.keys(r.differences).length);
  if (differing.length) lines.push(`${differing.length} counted mesa(s) differ from their acta: ${differing.slice(0, 10).map((r) => `${r.mesa} ${JSON.stringify(r.differences)}`).join('; ')}`);
  return lines.join('\n');
}
