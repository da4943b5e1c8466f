/**
 * From the projection's draws to what is published: shares and margin with 95% intervals (percentiles of the
 * draws), the probability of each outcome of the winner rule, and each kind of place's contribution.
 */
import { decideOutcome } from '../election/rule.ts';
import type { ComponentKind, Projection, ProjectionInput } from './projection.types.ts';
import type { SelectionTerm } from './projection-selection.ts';
import { round, sortedQuantile } from './stats.ts';

/** What the draw loop hands over. */
export interface DrawsOut {
  readonly input: ProjectionInput;
  readonly k: number;
  readonly B: number;
  /** B × k projected totals. */
  readonly totals: Float64Array;
  readonly countedTotals: Float64Array;
  readonly counted: number;
  readonly components: readonly { kind: ComponentKind; mesas: number; registered: number; base: Float64Array; errors: Float64Array }[];
  readonly countedShare: number;
  readonly widening: number;
  readonly stretched: readonly string[];
  readonly selection: SelectionTerm;
}

/** Builds the published projection from the draws. */
export function summarise(o: DrawsOut): Projection {
  const { input, k, B, totals, countedTotals } = o;
  const { choices } = input;
  const mean = new Float64Array(k);
  for (let t = 0; t < B; t++) for (let j = 0; j < k; j++) (mean[j] as number) += (totals[t * k + j] as number) / B;
  const validOf = (arr: Float64Array, off: number) => {
    let s = 0;
    for (let j = 0; j < k; j++) s += arr[off + j] as number;
    return s;
  };
  const meanValid = validOf(mean, 0);
  const order = Array.from({ length: k }, (_, j) => j).sort((x, y) => (mean[y] as number) - (mean[x] as number) || x - y);
  const [a, b] = [order[0] ?? 0, order[1] ?? 0];
  const shareDraws = Array.from({ length: k }, () => new Float64Array(B));
  const marginDraws = new Float64Array(B);
  const outcomeCounts = new Map<string, number>();
  const bump = (key: string) => outcomeCounts.set(key, (outcomeCounts.get(key) ?? 0) + 1);
  for (let t = 0; t < B; t++) {
    const v = validOf(totals, t * k);
    for (let j = 0; j < k; j++) (shareDraws[j] as Float64Array)[t] = (100 * (totals[t * k + j] as number)) / v;
    marginDraws[t] = (100 * ((totals[t * k + a] as number) - (totals[t * k + b] as number))) / v;
    const outcome = decideOutcome(input.rule, choices.map((code, j) => ({ code, votes: Math.round(totals[t * k + j] as number) })));
    switch (outcome.kind) {
      case 'outright':
        bump('first-round');
        bump(`winner:${outcome.winner}`);
        break;
      case 'runoff':
        bump('runoff');
        break;
      case 'tie':
        bump('tie');
        break;
      case 'no-votes':
        bump('no-votes');
        break;
    }
    if (input.rule.type === 'runoff') {
      const sorted = Array.from({ length: k }, (_, j) => totals[t * k + j] as number).sort((x, y) => y - x);
      const top = (100 * (sorted[0] ?? 0)) / v;
      const lead = (100 * ((sorted[0] ?? 0) - (sorted[1] ?? 0))) / v;
      for (const path of input.rule.paths) {
        const sp = Number(path.share.percent.text);
        if (path.share.op === '>' ? top > sp : top >= sp) bump(`share${path.share.op}${path.share.percent.text}`);
        if (path.lead) {
          const lp = Number(path.lead.points.text);
          if (path.lead.op === '>' ? lead > lp : lead >= lp) bump(`lead${path.lead.op}${path.lead.points.text}`);
        }
      }
    }
  }
  const outcomes: Record<string, number> = {};
  for (const key of ['first-round', 'runoff', 'tie']) outcomes[key] = 0;
  for (const [key, c] of outcomeCounts) outcomes[key] = round(c / B, 4);
  const countedValid = validOf(countedTotals, 0);
  const pctl = (x: Float64Array, q: number) => sortedQuantile(Float64Array.from(x).sort(), q);
  const sd = (x: Float64Array) => {
    let m = 0;
    for (const y of x) m += y / x.length;
    let s = 0;
    for (const y of x) s += (y - m) ** 2 / Math.max(1, x.length - 1);
    return Math.sqrt(s);
  };
  const imputedAt: Record<string, number> = {};
  for (const c of o.components) imputedAt[c.kind] = c.mesas;
  return {
    counted: o.counted,
    total: input.registered.length,
    choices: order.map((j) => ({
      code: choices[j] as string,
      share: round((100 * (mean[j] as number)) / meanValid, 3),
      lo: round(pctl(shareDraws[j] as Float64Array, 0.025), 3),
      hi: round(pctl(shareDraws[j] as Float64Array, 0.975), 3),
      counted: round((100 * (countedTotals[j] as number)) / countedValid, 3),
    })),
    margin: {
      pair: [choices[a] as string, choices[b] as string],
      value: round((100 * ((mean[a] as number) - (mean[b] as number))) / meanValid, 3),
      lo: round(pctl(marginDraws, 0.025), 3),
      hi: round(pctl(marginDraws, 0.975), 3),
      counted: round((100 * ((countedTotals[a] as number) - (countedTotals[b] as number))) / countedValid, 3),
    },
    outcomes,
    draws: B,
    imputedAt,
    components: o.components.map((c) => ({
      kind: c.kind,
      mesas: c.mesas,
      registered: c.registered,
      margin: round((100 * ((c.base[a] as number) - (c.base[b] as number))) / meanValid, 3),
      sd: round((100 * sd(c.errors)) / meanValid, 3),
    })),
    countedShare: round(o.countedShare, 4),
    widening: round(o.widening, 3),
    stretched: o.stretched,
    // In points of registered voters' margin, the unit a reader can compare with the counted margin's change.
    selection: { sd: round(100 * o.selection.sd, 3), error: round(100 * o.selection.error, 3), expectedSd: round(100 * o.selection.expectedSd, 3), recintos: o.selection.recintos, registered: o.selection.registered },
    marginDraws: Array.from(marginDraws, (x) => round(x, 3)),
    caveats: [
      'Uncounted recintos are predicted from covariates known before the count (registered voters per mesa, mesas per recinto and per municipality) and from where they are (department slopes, shrunken province, municipality and locality effects); a late place that differs from counted places with the same covariates for another reason biases the projection, and the interval carries that only as far as hiding counted places measured it.',
      'The errors added in each draw were measured out of sample, by hiding counted mesas, recintos and municipalities and predicting them back; they do not carry errors in the universe of mesas or in registered-voter counts.',
      'Turnout is projected with the votes (votes per registered voter), so a missing mesa with an unusual register is projected at the turnout of places like it.',
    ],
  };
}
