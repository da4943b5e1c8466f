/** Small shared pieces: outcome in words, totals, party bars, source tabs, loading and error states. */
import type { ComponentChildren } from 'preact';
import type { Outcome } from '../../../src/core/election/rule.ts';
import type { Summary } from '../api.ts';
import { useElection } from '../election.ts';
import { useI18n } from '../i18n/index.ts';
import { href } from '../router.ts';

/** The rule's outcome as a sentence ("Segunda vuelta entre … y …"). */
export function useOutcomeText(): (o: Outcome) => string {
  const { t } = useI18n();
  const { name } = useElection();
  return (o) => {
    switch (o.kind) {
      case 'outright':
        return t('outcome.outright', { winner: name(o.winner) });
      case 'runoff':
        return t('outcome.runoff', { a: name(o.pair[0]), b: name(o.pair[1]) });
      case 'tie':
        return t('outcome.tie', { tied: o.tied.map(name).join(', ') });
      case 'no-votes':
        return t('outcome.none');
    }
  };
}

/** A colour swatch before a party name. */
export function Swatch({ code }: { code: string }) {
  const { colour } = useElection();
  return <span class="swatch" style={{ background: colour(code) }} aria-hidden="true" />;
}

/** Totals of a result as labelled figures. */
export function Totals({ s, expected }: { s: Summary; expected?: number | undefined }) {
  const { t, n, pct } = useI18n();
  const items: [string, string, string?][] = [
    [t('totals.actas'), expected && expected >= s.actas ? t('totals.actasOf', { counted: n(s.actas), expected: n(expected) }) : n(s.actas), expected ? pct((100 * s.actas) / Math.max(1, expected)) : undefined],
    [t('totals.turnout'), pct(s.turnout), `${n(s.cast)} / ${n(s.registered)}`],
    [t('totals.valid'), n(s.valid)],
    [t('totals.blank'), n(s.blank)],
    [t('totals.void'), n(s.void)],
    // Sheets above their mesa's roll: in the log as evidence, in no sum (docs/log.md).
    ...(s.held ? [[t('totals.held'), n(s.held), t('totals.heldSub')] as [string, string, string]] : []),
  ];
  return (
    <dl class="totals" data-testid="totals">
      {items.map(([label, value, sub]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>
            <span class="figure">{value}</span>
            {sub && <span class="sub">{sub}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Votes and shares per party, as a table with bars. */
export function ChoiceBars({ s }: { s: Summary }) {
  const { t, n, pct } = useI18n();
  const { name, colour } = useElection();
  const max = Math.max(1, ...s.choices.map((c) => c.share));
  return (
    <table class="choices" data-testid="choices">
      <caption>{t('choices.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('col.choice')}</th>
          <th scope="col" class="num">{t('col.votes')}</th>
          <th scope="col" class="num">{t('col.share')}</th>
          <th scope="col" class="barcol"><span class="sr-only">%</span></th>
        </tr>
      </thead>
      <tbody>
        {s.choices.map((c) => (
          <tr key={c.code} data-code={c.code}>
            <th scope="row">
              <Swatch code={c.code} />
              <abbr title={name(c.code)}>{c.code}</abbr> <span class="party-name">{name(c.code)}</span>
            </th>
            <td class="num">{n(c.votes)}</td>
            <td class="num share">{pct(c.share)}</td>
            <td class="barcol" aria-hidden="true">
              <span class="bar" style={{ width: `${(100 * c.share) / max}%`, background: colour(c.code) }} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Source tabs: links, so the choice is in the URL. */
export function SourceTabs({ sources, current, path, params }: { sources: readonly { source: string; actas: number }[]; current: string; path: string; params: Readonly<Record<string, string | readonly string[] | number | undefined>> }) {
  const { t, n } = useI18n();
  const label = (s: string) => (s === 'trep' ? t('source.trep') : s === 'computo' ? t('source.computo') : s);
  return (
    <nav class="tabs" aria-label={t('source')}>
      {sources.map((s) => (
        <a key={s.source} href={href(path, { ...params, source: s.source })} aria-current={s.source === current ? 'page' : undefined} data-source={s.source}>
          {label(s.source)} <span class="count">{n(s.actas)}</span>
        </a>
      ))}
    </nav>
  );
}

/** The label of a source in the current language. */
export function useSourceLabel(): (s: string) => string {
  const { t } = useI18n();
  return (s) => (s === 'trep' ? t('source.trep') : s === 'computo' ? t('source.computo') : s);
}

/** Loading / error / content. */
export function Status({ loading, error, children }: { loading?: boolean; error?: Error | undefined; children?: ComponentChildren }) {
  const { t } = useI18n();
  if (error) return <p class="error" role="alert">{t('error', { message: error.message })}</p>;
  if (loading) return <p class="loading" aria-busy="true">{t('loading')}</p>;
  return <>{children}</>;
}

/** A short form of a base64 root for display. */
export function shortRoot(root: string): string {
  return root.length > 16 ? `${root.slice(0, 12)}…` : root;
}

/** The checkpoint a view was computed from. */
export function CheckpointLine({ head }: { head: { size: number; root: string } }) {
  const { t, n } = useI18n();
  return (
    <p class="checkpoint" data-testid="checkpoint" data-size={head.size}>
      {t('checkpoint.line', { size: n(head.size), root: shortRoot(head.root) })}
    </p>
  );
}
