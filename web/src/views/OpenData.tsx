/** Open data: every file at a chosen checkpoint (CSV + JSON), the SHA256SUMS list, and the CLI equivalent. */
import type { CheckpointsJson } from '../../../src/server/api/types.ts';
import { getJson } from '../api.ts';
import { Status, useSourceLabel } from '../components/common.tsx';
import { useLoad } from '../fetch.ts';
import { useI18n } from '../i18n/index.ts';
import { useDebounced, useLive } from '../live.ts';
import { href, navigate, useRouteContext } from '../router.ts';

interface FileJson {
  readonly kind: 'results' | 'actas';
  readonly name: string;
  readonly format: 'csv' | 'json';
  readonly url: string;
  readonly source?: string;
  readonly level?: string | null;
}

interface ManifestJson {
  readonly checkpoint: { readonly size: number; readonly root: string };
  readonly sums: { readonly name: string; readonly url: string };
  readonly files: readonly FileJson[];
}

/** The open-data view. */
export function OpenData() {
  const route = useRouteContext();
  const { t, n } = useI18n();
  const src = useSourceLabel();
  const live = useLive();
  const liveSize = useDebounced(live.head?.size, 1000);
  const at = route.query.get('at');
  const checkpoints = useLoad(`cps:${liveSize ?? ''}`, (signal) => getJson<CheckpointsJson>('/api/v1/checkpoints', signal).then((r) => r.checkpoints.filter((c) => c.size > 0).sort((a, b) => b.size - a.size)), 'cps');
  const manifest = useLoad(`od:${at ?? liveSize ?? ''}`, (signal) => getJson<ManifestJson>(`/api/v1/open-data${at ? `?at=${encodeURIComponent(at)}` : ''}`, signal), 'od');
  const m = manifest.data;
  const sources = m ? [...new Set(m.files.filter((f) => f.kind === 'results').map((f) => f.source as string))] : [];
  const levelsOf = (source: string) => [...new Set(m?.files.filter((f) => f.source === source).map((f) => f.level ?? null))];
  const link = (f: FileJson | undefined) => (f ? <a href={f.url} download={f.name} data-file={f.name}>{f.format.toUpperCase()}</a> : null);
  return (
    <div class="open-data">
      <h1>{t('data.title')}</h1>
      <p>{t('data.intro')}</p>
      {checkpoints.data && checkpoints.data.length > 0 && (
        <p>
          <label>
            {t('data.at')}{' '}
            <select value={String(m?.checkpoint.size ?? '')} onChange={(e) => navigate(href('/data', { at: (e.target as HTMLSelectElement).value }), { replace: true })}>
              {checkpoints.data.map((c) => <option key={c.size} value={String(c.size)}>{n(c.size)} — {new Date(c.signedAt).toLocaleString()}</option>)}
            </select>
          </label>
        </p>
      )}
      <Status loading={manifest.loading && !m} error={manifest.error}>
        {m && (
          <>
            <p>
              <a href={m.sums.url} download={m.sums.name} data-testid="sums">{t('data.sums')}: {m.sums.name}</a>
            </p>
            <h2>{t('data.actas')}</h2>
            <p data-testid="actas-files">
              {link(m.files.find((f) => f.kind === 'actas' && f.format === 'csv'))} · {link(m.files.find((f) => f.kind === 'actas' && f.format === 'json'))}
            </p>
            {sources.map((s) => (
              <section key={s}>
                <h2>{t('data.results', { source: src(s) })}</h2>
                <table class="files">
                  <thead><tr><th scope="col">{t('data.level')}</th><th scope="col">CSV</th><th scope="col">JSON</th></tr></thead>
                  <tbody>
                    {levelsOf(s).map((level) => {
                      const files = m.files.filter((f) => f.source === s && (f.level ?? null) === level);
                      return (
                        <tr key={level ?? 'total'}>
                          <th scope="row">{level ?? t('data.total')}</th>
                          <td>{link(files.find((f) => f.format === 'csv'))}</td>
                          <td>{link(files.find((f) => f.format === 'json'))}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </section>
            ))}
            <p>{t('data.cli')}</p>
            <pre><code>npx acta export --data DIR --out open-data --at {m.checkpoint.size}</code></pre>
          </>
        )}
      </Status>
    </div>
  );
}
