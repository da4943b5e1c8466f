/**
 * The disputed questions, answered from data: each question of the election definition with its answer computed
 * from the log at the current checkpoint (GET /api/v1/questions) — the number, its uncertainty, the method in a
 * paragraph, and links to the evidence (actas, the replay at the moments that matter, API queries, open data).
 */
import { getJson, type QuestionDef, type Summary } from '../api.ts';
import { Status, useOutcomeText, useSourceLabel } from '../components/common.tsx';
import { useElection } from '../election.ts';
import { useLoad } from '../fetch.ts';
import { type I18n, useI18n } from '../i18n/index.ts';
import { useDebounced, useLive } from '../live.ts';
import { href } from '../router.ts';

interface Stats {
  readonly n: number;
  readonly mean: number;
  readonly se: number | null;
  readonly lo: number | null;
  readonly hi: number | null;
}

type Snapshot = Summary & { readonly source: string; readonly size: number };

/** The answers as the API sends them (every field read defensively). */
type AnswerJson =
  | { kind: 'threshold-crossing'; source: string; pauseSize: number | null; atPause: Snapshot | null; final: Snapshot; crossedAt: number | null; crossedAfterPause: boolean | null; votesToUndo: number | null; projectionAtPause?: PauseProjection | null }
  | { kind: 'late-vs-precinct'; source: string; pauseSize: number | null; leader: string | null; runnerUp: string | null; early: number; late: number; lateWithoutMates: number; withinPrecinct: Stats; naiveGap: number | null; examples: { mesa: string; difference: number }[] }
  | { kind: 'extremes'; source: string; actas: number; fullTurnout: number; overTurnout: number; onlyOneParty: number; byParty: Record<string, number>; whereLevel: string; where: { unit: string; full: number; over: number; onlyOne: number; actas: number }[]; examples: { full: string[]; over: string[]; onlyOne: string[] } }
  | { kind: 'sources-agree'; a: string; b: string; compared: number; differing: number; onlyInA: number; onlyInB: number; net: Record<string, number> ; examples: string[] }
  | { kind: 'changed-after-publication'; corrections: number; afterPublication: number; bySource: Record<string, number>; changes: { mesa: string; source: string; from: number; to: number; published: boolean; fields: string[] }[] }
  | { kind: 'unavailable'; reason: string };

/** The projection from the pause (src/app/questions.ts PauseProjection). */
interface PauseProjection {
  source: string;
  finalSource: string;
  pair: [string, string];
  value: number;
  lo: number;
  hi: number;
  counted: number;
  final: number | null;
  covers: boolean | null;
  design: string;
  coverage: number;
  replicates: number;
  stretched: string[];
}

interface QuestionsJson {
  readonly checkpoint: { readonly size: number; readonly root: string };
  readonly questions: readonly { readonly question: QuestionDef; readonly answer: AnswerJson }[];
}

function MesaLinks({ mesas }: { mesas: readonly string[] }) {
  const { t } = useI18n();
  if (!mesas.length) return null;
  return (
    <p class="mesa-links">
      {t('q.evidence.mesas')}:{' '}
      {mesas.slice(0, 20).map((m, i) => (
        <span key={m}>
          {i > 0 && ', '}
          <a href={href(`/mesa/${encodeURIComponent(m)}`)}>{m}</a>
        </span>
      ))}
      {mesas.length > 20 && ' …'}
    </p>
  );
}

const signed = (i: I18n, v: number) => `${v > 0 ? '+' : v < 0 ? '−' : ''}${i.pts(Math.abs(v))}`;

/** The pause a question names (threshold-crossing and late-vs-precinct questions carry one). */
function pauseOf(q: QuestionDef): { readonly source: string; readonly actas: number } {
  if (!('pause' in q)) throw new Error(`question ${q.id} (${q.kind}) names no pause`);
  return q.pause;
}

function AnswerBody({ q, a, size }: { q: QuestionDef; a: AnswerJson; size: number }) {
  const i18n = useI18n();
  const { t, n, pct, pts } = i18n;
  const { name } = useElection();
  const outcome = useOutcomeText();
  const src = useSourceLabel();
  const section = (answer: string, uncertainty: string, method: string, evidence: preact.ComponentChildren) => (
    <>
      <h3>{t('questions.answer')}</h3>
      <p class="answer" data-testid="answer">{answer}</p>
      <h3>{t('questions.uncertainty')}</h3>
      <p data-testid="uncertainty">{uncertainty}</p>
      <h3>{t('questions.method')}</h3>
      <p class="method">{method}</p>
      <h3>{t('questions.evidence')}</h3>
      <div class="evidence">{evidence}</div>
    </>
  );
  switch (a.kind) {
    case 'threshold-crossing': {
      const pause = pauseOf(q);
      const fin = a.final;
      const [fl] = fin.choices;
      const method = t('q.threshold.method', { source: src(a.source), pauseSource: src(pause.source), actas: n(pause.actas) });
      const finalLine = t('q.threshold.final', { size: n(fin.size), leader: fl ? name(fl.code) : '—', share: fl ? pct(fl.share) : '—', lead: t('meter.points', { value: pts(fin.margin?.points ?? 0) }), outcome: outcome(fin.outcome) });
      let answer: string;
      if (a.pauseSize === null || !a.atPause) answer = t('q.threshold.noPause', { actas: n(pause.actas), source: src(pause.source) });
      else if (a.crossedAt === null) answer = t('q.threshold.never', { share: fl ? pct(fl.share) : '—', lead: t('meter.points', { value: pts(fin.margin?.points ?? 0) }), outcome: outcome(fin.outcome) });
      else if (a.crossedAfterPause) {
        const [pl] = a.atPause.choices;
        answer = t('q.threshold.yes', { actas: n(a.atPause.actas), pause: n(a.pauseSize), leader: pl ? name(pl.code) : '—', share: pl ? pct(pl.share) : '—', lead: t('meter.points', { value: pts(a.atPause.margin?.points ?? 0) }), outcome: outcome(a.atPause.outcome), crossed: n(a.crossedAt) });
      } else answer = t('q.threshold.before', { leader: fl ? name(fl.code) : '—', crossed: n(a.crossedAt), pause: n(a.pauseSize) });
      const pp = a.projectionAtPause;
      // The projection is shown with its interval and calibration, and says so when the final margin fell outside.
      const projection = pp
        ? `${t('q.threshold.projection', { source: src(pp.source), a: name(pp.pair[0]), b: name(pp.pair[1]), value: pts(pp.value), lo: pts(pp.lo), hi: pts(pp.hi), counted: pts(pp.counted), design: pp.design, coverage: Number.isFinite(pp.coverage) ? pct(100 * pp.coverage) : '—', replicates: n(pp.replicates) })} ${pp.final === null || pp.covers === null ? '' : t(pp.covers ? 'q.threshold.projectionCovered' : 'q.threshold.projectionMissed', { final: pts(pp.final) })} ${pp.stretched.map((reason) => t('forensics.projection.stretched', { reason })).join(' ')}`
        : '';
      const uncertainty = `${finalLine} ${a.votesToUndo !== null ? t('q.threshold.undo', { votes: n(a.votesToUndo) }) : ''} ${projection}`;
      return section(
        answer,
        uncertainty,
        method,
        <ul>
          {a.pauseSize !== null && <li><a href={href('/replay', { source: a.source, at: a.pauseSize })}>{t('q.evidence.replayPause')}</a> · <a href={`/api/v1/results?source=${a.source}&at=${a.pauseSize}`}>{t('q.evidence.api')}</a></li>}
          {a.crossedAt !== null && <li><a href={href('/replay', { source: a.source, at: a.crossedAt })}>{t('q.evidence.replayCross')}</a> · <a href={`/api/v1/results?source=${a.source}&at=${a.crossedAt}`}>{t('q.evidence.api')}</a></li>}
          <li><a href={href('/data', { at: size })}>{t('q.evidence.data')}</a></li>
        </ul>,
      );
    }
    case 'late-vs-precinct': {
      const pause = pauseOf(q);
      const w = a.withinPrecinct;
      const leader = a.leader ? name(a.leader) : '—';
      const runnerUp = a.runnerUp ? name(a.runnerUp) : '—';
      if (a.pauseSize === null) return section(t('q.threshold.noPause', { actas: n(pause.actas), source: src(pause.source) }), '—', t('q.late.method', { pauseSource: src(pause.source), leader, runnerUp, source: src(a.source) }), null);
      return section(
        t('q.late.answer', { mean: signed(i18n, w.mean), leader, runnerUp, n: n(w.n), naive: a.naiveGap === null ? '—' : signed(i18n, a.naiveGap) }),
        t('q.late.ci', { lo: w.lo === null ? '—' : signed(i18n, w.lo), hi: w.hi === null ? '—' : signed(i18n, w.hi), se: w.se === null ? '—' : pts(w.se), without: n(a.lateWithoutMates) }),
        t('q.late.method', { pauseSource: src(pause.source), leader, runnerUp, source: src(a.source) }),
        <>
          <MesaLinks mesas={a.examples.map((e) => e.mesa)} />
          <p><a href={href('/replay', { source: pause.source, at: a.pauseSize })}>{t('q.evidence.replayPause')}</a> · <a href={href('/forensics', { source: a.source })}>{t('nav.forensics')}</a></p>
        </>,
      );
    }
    case 'extremes': {
      const parties = Object.entries(a.byParty).map(([c, k]) => `${c} ${n(k)}`).join(', ') || '—';
      return section(
        t('q.extremes.answer', { actas: n(a.actas), source: src(a.source), full: n(a.fullTurnout), over: n(a.overTurnout), onlyOne: n(a.onlyOneParty), parties }),
        t('q.extremes.ci'),
        t('q.extremes.method', { source: src(a.source), level: a.whereLevel }),
        <>
          <div class="scroll">
            <table class="where" data-testid="extremes-where">
              <thead>
                <tr><th scope="col">{a.whereLevel}</th><th scope="col" class="num">100 %</th><th scope="col" class="num">&gt;100 %</th><th scope="col" class="num">1</th><th scope="col" class="num">{t('col.actas')}</th></tr>
              </thead>
              <tbody>
                {a.where.slice(0, 15).map((w) => (
                  <tr key={w.unit}><th scope="row">{w.unit}</th><td class="num">{n(w.full)}</td><td class="num">{n(w.over)}</td><td class="num">{n(w.onlyOne)}</td><td class="num">{n(w.actas)}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
          <MesaLinks mesas={[...a.examples.over, ...a.examples.onlyOne, ...a.examples.full]} />
        </>,
      );
    }
    case 'sources-agree': {
      const net = Object.entries(a.net).filter(([, v]) => v !== 0).map(([c, v]) => `${c} ${v > 0 ? '+' : '−'}${n(Math.abs(v))}`).join(', ') || '0';
      return section(
        t('q.agree.answer', { compared: n(a.compared), differing: n(a.differing), pct: pct(a.compared ? (100 * a.differing) / a.compared : 0), onlyA: n(a.onlyInA), onlyB: n(a.onlyInB), a: src(a.a), b: src(a.b) }),
        t('q.agree.ci', { a: src(a.a), b: src(a.b), net }),
        t('q.agree.method', { a: a.a, b: a.b }),
        <>
          <p><a href={`/api/v1/discrepancies?a=${a.a}&b=${a.b}&at=${size}`}>{t('q.evidence.api')}</a></p>
          <MesaLinks mesas={a.examples} />
        </>,
      );
    }
    case 'changed-after-publication':
      return section(
        t('q.changed.answer', { corrections: n(a.corrections), after: n(a.afterPublication) }),
        t('q.changed.ci'),
        t('q.changed.method'),
        <>
          <MesaLinks mesas={a.changes.map((c) => c.mesa)} />
          <p><a href={href('/data', { at: size })}>{t('q.evidence.data')}</a></p>
        </>,
      );
    case 'unavailable':
      return <p>{t('questions.unavailable', { reason: a.reason })}</p>;
    default:
      return <p>{t('unavailable')}</p>;
  }
}

/** The questions page. */
export function Questions() {
  const { t, lang, n } = useI18n();
  const live = useLive();
  const liveSize = useDebounced(live.head?.size, 3000);
  const loaded = useLoad(`q:${liveSize ?? ''}`, (signal) => getJson<QuestionsJson>('/api/v1/questions', signal), 'q');
  const data = loaded.data;
  return (
    <div class="questions">
      <h1>{t('questions.title')}</h1>
      <Status loading={loaded.loading && !data} error={loaded.error}>
        {data && (
          <>
            <p>{t('questions.intro', { size: n(data.checkpoint.size) })}</p>
            {data.questions.length === 0 && <p>{t('questions.none')}</p>}
            {data.questions.map(({ question, answer }) => (
              <article key={question.id} id={question.id} class="question card" data-testid={`question-${question.id}`} data-kind={question.kind}>
                <h2>
                  <a href={`#${question.id}`}>{question.text[lang]}</a>
                </h2>
                <AnswerBody q={question} a={answer} size={data.checkpoint.size} />
              </article>
            ))}
          </>
        )}
      </Status>
    </div>
  );
}
