/**
 * The winner-rule meter: the leader's share against the rule's share lines (40 %, 50 %), the lead against its
 * points line (10), the projection band when the forensics API offers one, and the outcome in words.
 */
import type { Summary } from '../api.ts';
import { useElection } from '../election.ts';
import { useI18n } from '../i18n/index.ts';
import { useOutcomeText } from './common.tsx';

/** The projection as the forensics API returns it (every field optional: built elsewhere). */
export interface ProjectionJson {
  readonly choices?: readonly { readonly code: string; readonly share?: number; readonly lo?: number; readonly hi?: number }[];
  readonly margin?: { readonly value?: number; readonly lo?: number; readonly hi?: number };
  readonly counted?: number;
  readonly total?: number;
}

function Track({ value, max, lines, band, label, colour, testid }: { value: number; max: number; lines: readonly { at: number; label: string }[]; band?: readonly [number, number] | undefined; label: string; colour: string; testid: string }) {
  const x = (v: number) => `${Math.max(0, Math.min(100, (100 * v) / max))}%`;
  return (
    <div class="track" aria-hidden="true" data-testid={testid}>
      {band && <span class="band" style={{ left: x(band[0]), width: `calc(${x(band[1])} - ${x(band[0])})` }} />}
      <span class="fill" style={{ width: x(value), background: colour }} />
      {lines.map((l) => (
        <span key={l.label} class="line" style={{ left: x(l.at) }}>
          <span class="line-label">{l.label}</span>
        </span>
      ))}
      <span class="marker" style={{ left: x(value) }}>
        <span class="marker-label">{label}</span>
      </span>
    </div>
  );
}

/** The meter for a national (or contest-wide) summary. */
export function RuleMeter({ s, projection }: { s: Summary; projection?: ProjectionJson | undefined }) {
  const { t, pct, pts } = useI18n();
  const { json, name, colour } = useElection();
  const outcomeText = useOutcomeText();
  const [leader, runnerUp] = s.choices;
  const rule = json.contest.rule;
  const shareLines = rule.type === 'runoff' ? [...new Set(rule.paths.map((p) => Number(p.share.percent)))].sort((a, b) => a - b) : [];
  const leadLines = rule.type === 'runoff' ? [...new Set(rule.paths.flatMap((p) => (p.lead ? [Number(p.lead.points)] : [])))].sort((a, b) => a - b) : [];
  const lead = s.margin?.points ?? 0;
  const proj = leader ? projection?.choices?.find((c) => c.code === leader.code) : undefined;
  // A band of zero width (nothing left to count) says nothing the marker does not.
  const shareBand = proj?.lo !== undefined && proj.hi !== undefined && proj.hi > proj.lo ? ([proj.lo, proj.hi] as const) : undefined;
  const m = projection?.margin;
  const leadBand = m?.lo !== undefined && m.hi !== undefined && m.hi > m.lo ? ([m.lo, m.hi] as const) : undefined;
  const shareMax = Math.max(60, ...shareLines.map((l) => l + 10), (leader?.share ?? 0) + 5);
  const leadMax = Math.max(20, ...leadLines.map((l) => l * 2), lead + 5);
  return (
    <section class="meter card" aria-labelledby="meter-title" data-testid="rule-meter">
      <h2 id="meter-title">{t('meter.title')}</h2>
      <p class="outcome" data-testid="outcome" data-kind={s.outcome.kind}>
        <strong>{outcomeText(s.outcome)}</strong>
      </p>
      {leader && (
        <>
          <p class="meter-label">
            {t('meter.share', { leader: name(leader.code) })}: <strong>{pct(leader.share)}</strong>
            {shareLines.length > 0 && <> · {shareLines.map((l) => t('meter.line', { value: l })).join(', ')}</>}
            {shareBand && <> · {t('meter.band', { lo: pct(shareBand[0]), hi: pct(shareBand[1]) })}</>}
          </p>
          <Track value={leader.share} max={shareMax} lines={shareLines.map((l) => ({ at: l, label: `${l}%` }))} band={shareBand} label={pct(leader.share)} colour={colour(leader.code)} testid="meter-share" />
        </>
      )}
      {runnerUp && leadLines.length > 0 && (
        <>
          <p class="meter-label">
            {t('meter.lead', { runnerUp: name(runnerUp.code) })}: <strong>{t('meter.points', { value: pts(lead) })}</strong> · {leadLines.map((l) => t('meter.linePoints', { value: l })).join(', ')}
            {leadBand && <> · {t('meter.band', { lo: pts(leadBand[0]), hi: pts(leadBand[1]) })}</>}
          </p>
          <Track value={Math.max(0, lead)} max={leadMax} lines={leadLines.map((l) => ({ at: l, label: String(l) }))} band={leadBand} label={pts(lead)} colour="#333" testid="meter-lead" />
        </>
      )}
      {!projection && <p class="note">{t('meter.noProjection')}</p>}
    </section>
  );
}
