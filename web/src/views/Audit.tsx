/** Audit: the audits (GET /api/v1/audits) and one audit's assertions, rounds and risk — built elsewhere, shown defensively. */
import { getOptionalJson } from '../api.ts';
import { JsonView, jsonText } from '../components/JsonView.tsx';
import { Status } from '../components/common.tsx';
import { useHasRoute } from '../capabilities.ts';
import { useLoad } from '../fetch.ts';
import { useI18n } from '../i18n/index.ts';
import { href } from '../router.ts';

type Json = Record<string, unknown>;

/** The audit list, or one audit when `id` is given. */
export function Audit({ id }: { id?: string | undefined }) {
  const { t } = useI18n();
  const available = useHasRoute('/api/v1/audits');
  const list = useLoad(id || !available ? null : 'audits', (signal) => getOptionalJson<unknown>('/api/v1/audits', signal));
  const one = useLoad(id && available ? `audit:${id}` : null, (signal) => getOptionalJson<Json>(`/api/v1/audits/${encodeURIComponent(id as string)}`, signal));
  if (id) {
    const a = one.data;
    const rest = a ? Object.fromEntries(Object.entries(a).filter(([k]) => !['assertions', 'rounds', 'risk'].includes(k))) : {};
    return (
      <div class="audit">
        <h1>{t('audit.title')}: {id}</h1>
        <p><a href={href('/audit')}>{t('audit.list')}</a></p>
        <Status loading={one.loading && !a} error={one.error}>
          {(!available || (!one.loading && a === undefined)) && <p>{t('unavailable')}</p>}
          {a && (
            <>
              <JsonView value={rest} />
              {(['assertions', 'rounds', 'risk'] as const).map((k) =>
                a[k] !== undefined ? (
                  <section key={k}>
                    <h2>{t(`audit.${k}`)}</h2>
                    <JsonView value={a[k]} />
                  </section>
                ) : null,
              )}
            </>
          )}
        </Status>
      </div>
    );
  }
  const raw = list.data;
  const audits = (Array.isArray(raw) ? raw : raw && typeof raw === 'object' && Array.isArray((raw as Json).audits) ? ((raw as Json).audits as unknown[]) : []) as Json[];
  return (
    <div class="audit">
      <h1>{t('audit.title')}</h1>
      <Status loading={list.loading && !raw} error={list.error}>
        {(!available || (!list.loading && raw === undefined)) && <p data-testid="audit-unavailable">{t('unavailable')}</p>}
        {raw !== undefined && audits.length === 0 && <p>{t('audit.none')}</p>}
        {audits.length > 0 && (
          <ul>
            {audits.map((a, i) => {
              const aid = jsonText(a.id ?? i);
              return (
                <li key={aid}>
                  <a href={href(`/audit/${encodeURIComponent(aid)}`)}>{aid}</a> <JsonView value={Object.fromEntries(Object.entries(a).filter(([k]) => k !== 'id').slice(0, 4))} />
                </li>
              );
            })}
          </ul>
        )}
      </Status>
    </div>
  );
}
