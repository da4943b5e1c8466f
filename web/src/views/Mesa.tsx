/**
 * The acta page: every source and version of one mesa side by side, cells that differ from the first column
 * highlighted, the photos, the flags, the receipt, and "Verify in my browser" for each version.
 */
import { useState } from 'preact/hooks';
import { getJson } from '../api.ts';
import { Status, useSourceLabel } from '../components/common.tsx';
import { useElection } from '../election.ts';
import { useLoad } from '../fetch.ts';
import { useI18n } from '../i18n/index.ts';
import type { MessageKey } from '../i18n/es.ts';
import { useDebounced, useLive } from '../live.ts';
import { href } from '../router.ts';
import { verifyEntry, type Verification } from '../verify.ts';

import type { CountJson as Count, MesaJson, MesaVersionJson as VersionJson } from '../../../src/server/api/types.ts';

const LOGGED_FLAGS: Readonly<Record<string, MessageKey>> = {
  'exceeds-registered': 'mesa.flag.held',
  'registered-differs': 'mesa.flag.registeredDiffers',
  'paper-inconsistent': 'mesa.flag.paperInconsistent',
};

const sum = (xs: readonly Count[]) => xs.reduce<number>((a, x) => a + (x ?? 0), 0);

/** The mesa page. */
export function Mesa({ mesa }: { mesa: string }) {
  const { t, n } = useI18n();
  const info = useElection();
  const live = useLive();
  const sourceLabel = useSourceLabel();
  const liveSize = useDebounced(live.head?.size, 1000);
  const loaded = useLoad(`mesa:${mesa}:${liveSize ?? ''}`, (signal) => getJson<MesaJson>(`/api/v1/mesas/${encodeURIComponent(mesa)}`, signal), `mesa:${mesa}`);
  const [results, setResults] = useState<Record<number, Verification | 'running'>>({});
  const codes = info.election.choiceCodes;
  const data = loaded.data;

  const verify = async (v: VersionJson) => {
    if (!info.json.logKey) return;
    setResults((r) => ({ ...r, [v.index]: 'running' }));
    const result = await verifyEntry({ index: v.index, mesa, source: v.source }, { logKey: info.json.logKey, ...(info.json.witnesses ? { witnessKeys: info.json.witnesses } : {}) });
    setResults((r) => ({ ...r, [v.index]: result }));
  };

  const rows: { key: string; label: string; value: (v: VersionJson) => Count }[] = [
    { key: 'registered', label: t('totals.registered'), value: (v) => v.registered },
    ...codes.map((c) => ({ key: c, label: `${c} — ${info.name(c)}`, value: (v: VersionJson) => v.votes[c] ?? null })),
    { key: 'blank', label: t('totals.blank'), value: (v) => v.blank },
    { key: 'void', label: t('totals.void'), value: (v) => v.void },
    { key: 'valid*', label: t('mesa.validDerived'), value: (v) => sum(codes.map((c) => v.votes[c] ?? null)) },
    { key: 'cast*', label: t('mesa.castDerived'), value: (v) => sum([...codes.map((c) => v.votes[c] ?? null), v.blank, v.void]) },
  ];

  const flags = (data?.versions ?? []).flatMap((v) => {
    const out: string[] = [];
    const valid = sum(codes.map((c) => v.votes[c] ?? null));
    const cast = valid + (v.blank ?? 0) + (v.void ?? 0);
    const base = { source: sourceLabel(v.source), version: v.version };
    if (v.registered !== null && cast > v.registered) out.push(t('mesa.flag.over', { ...base, cast: n(cast), registered: n(v.registered) }));
    else if (v.registered !== null && v.registered > 0 && cast === v.registered) out.push(t('mesa.flag.full', base));
    const only = valid > 0 ? codes.find((c) => v.votes[c] === valid) : undefined;
    if (only) out.push(t('mesa.flag.onlyOne', { ...base, choice: info.name(only) }));
    const empty = rows.slice(0, -2).filter((r) => r.value(v) === null).map((r) => r.key);
    if (empty.length) out.push(t('mesa.flag.empty', { ...base, fields: empty.join(', ') }));
    // What the log itself says of the entry, judged against the universe when it was appended.
    for (const flag of v.flags ?? []) {
      const key = LOGGED_FLAGS[flag];
      out.push(key ? t(key, base) : t('mesa.flag.entry', { ...base, flag }));
    }
    return out;
  });

  return (
    <div class="mesa">
      <h1>{t('mesa.title', { mesa })}</h1>
      <Status loading={loaded.loading && !data} error={loaded.error}>
        {data && (
          <>
            <nav aria-label={t('breadcrumb')} class="breadcrumbs">
              <ol>
                <li><a href={href('/')}>{t('national')}</a></li>
                {data.geography.map((g, i) => (
                  <li key={i}><a href={href('/', { g: data.geography.slice(0, i + 1) })}>{g}</a></li>
                ))}
              </ol>
            </nav>
            <section aria-labelledby="versions-title">
              <h2 id="versions-title">{t('mesa.versions')}</h2>
              <div class="scroll">
                <table class="versions" data-testid="versions">
                  <thead>
                    <tr>
                      <th scope="col">{t('mesa.field')}</th>
                      {data.versions.map((v) => (
                        <th scope="col" key={v.index} data-index={v.index}>
                          {t('mesa.version', { source: sourceLabel(v.source), version: v.version })}
                          <br />
                          <small>
                            {t('mesa.index', { index: v.index })} · {v.current ? t('mesa.current') : t('mesa.superseded')}
                          </small>
                          {v.keying && (
                            <>
                              <br />
                              <small data-testid="keying" data-keying={v.keying}>{t(`mesa.keying.${v.keying}`)}</small>
                            </>
                          )}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => {
                      const first = data.versions[0] ? r.value(data.versions[0]) : null;
                      return (
                        <tr key={r.key}>
                          <th scope="row">{r.label}</th>
                          {data.versions.map((v) => {
                            const value = r.value(v);
                            const differs = value !== first;
                            return (
                              <td key={v.index} class={`num${differs ? ' differs' : ''}${value === null ? ' empty' : ''}`} data-differs={differs ? 'true' : undefined}>
                                {value === null ? '∅' : n(value)}
                                {differs && <span class="sr-only"> ({t('mesa.differs')})</span>}
                              </td>
                            );
                          })}
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              {data.versions.filter((v) => v.reason).map((v) => (
                <p key={v.index} class="note">{t('mesa.version', { source: sourceLabel(v.source), version: v.version })}: {t('mesa.reason', { reason: v.reason as string })}</p>
              ))}
            </section>
            <section aria-labelledby="diff-title">
              <h2 id="diff-title">{t('mesa.differences')}</h2>
              {data.differences.every((d) => Object.keys(d.fields).length === 0) ? (
                <p data-testid="no-differences">{t('mesa.noDifferences')}</p>
              ) : (
                <ul data-testid="differences">
                  {data.differences.flatMap((d) =>
                    Object.entries(d.fields).map(([field, [a, b]]) => (
                      <li key={`${d.b}:${field}`}>{t('mesa.diffLine', { field, a: a === null ? '∅' : n(a), b: b === null ? '∅' : n(b), sa: sourceLabel(d.a), sb: sourceLabel(d.b) })}</li>
                    )),
                  )}
                </ul>
              )}
            </section>
            <section aria-labelledby="flags-title">
              <h2 id="flags-title">{t('mesa.flags')}</h2>
              {flags.length ? <ul data-testid="flags">{flags.map((f) => <li key={f}>{f}</li>)}</ul> : <p>{t('mesa.noFlags')}</p>}
            </section>
            <section aria-labelledby="photos-title">
              <h2 id="photos-title">{t('mesa.photos')}</h2>
              {data.versions.some((v) => v.images.length) ? (
                <div class="photos">
                  {[...new Set(data.versions.flatMap((v) => v.images))].map((sha, i) => (
                    <a key={sha} href={`/api/v1/images/${sha}`} target="_blank" rel="noopener">
                      <img src={`/api/v1/images/${sha}`} alt={t('mesa.photoAlt', { mesa, n: i + 1 })} loading="lazy" />
                    </a>
                  ))}
                </div>
              ) : (
                <p>{t('mesa.noPhotos')}</p>
              )}
            </section>
            <section aria-labelledby="verify-title">
              <h2 id="verify-title">{t('mesa.receipt')}</h2>
              {data.versions.map((v) => {
                const r = results[v.index];
                return (
                  <div class="verify card" key={v.index} data-testid={`verify-${v.index}`}>
                    <h3>{t('mesa.version', { source: sourceLabel(v.source), version: v.version })} · {t('mesa.index', { index: v.index })}</h3>
                    <p>
                      <a href={`/api/v1/receipts/${v.index}`} download={`acta-receipt-${v.index}.txt`}>{t('mesa.receiptDownload', { index: v.index })}</a> ·{' '}
                      <a href={`/api/v1/entries/${v.index}`} target="_blank" rel="noopener">{t('mesa.entryJson')}</a>
                    </p>
                    <button type="button" onClick={() => void verify(v)} disabled={r === 'running' || !info.json.logKey} aria-label={t('verify.buttonFor', { index: v.index })}>
                      {t('verify.button')}
                    </button>
                    <div aria-live="polite">{r === 'running' ? <p>{t('verify.running')}</p> : r ? <VerifyReport r={r} index={v.index} /> : null}</div>
                  </div>
                );
              })}
            </section>
          </>
        )}
      </Status>
    </div>
  );
}

function VerifyReport({ r, index }: { r: Verification; index: number }) {
  const { t, n } = useI18n();
  const stepName = (id: string) => t(`verify.step.${id}` as MessageKey);
  const detail = (d: Verification['steps'][number]['detail']) => ('text' in d ? d.text : t(d.key as MessageKey, d.vars));
  return (
    <div class={`verify-result ${r.ok ? 'ok' : 'failed'}`} data-testid="verify-result" data-ok={String(r.ok)} data-failed={r.failed} data-ms={Math.round(r.ms)}>
      <p role="status">
        <strong>{r.ok ? t('verify.ok', { index, size: n(r.size ?? 0), ms: Math.round(r.ms) }) : t('verify.failed', { step: stepName(r.failed ?? 'key') })}</strong>
      </p>
      <ol class="steps">
        {r.steps.map((s, i) => (
          <li key={i} class={s.ok === true ? 'pass' : s.ok === false ? 'fail' : 'info'} data-step={s.id}>
            <span class="badge">{s.ok === true ? `✓ ${t('verify.pass')}` : s.ok === false ? `✗ ${t('verify.fail')}` : `ℹ ${t('verify.info')}`}</span> {stepName(s.id)}: {detail(s.detail)}
          </li>
        ))}
      </ol>
    </div>
  );
}
