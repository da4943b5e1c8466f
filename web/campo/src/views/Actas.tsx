/** "My actas": every acta signed on this phone with its state in words; a delivered one shows its receipt (QR + link). */
import type { Item } from '../db.ts';
import { receiptToFragment } from '../check.ts';
import { type I18n, useI18n } from '../i18n.ts';
import { Qr } from '../Qr.tsx';
import { go, useAppState } from '../state.ts';

function stateText(i18n: I18n, item: Item): string {
  const s = item.state;
  switch (s.type) {
    case 'queued':
      return i18n.t('state.queued');
    case 'accepted':
      return i18n.t('state.accepted', { index: s.index });
    case 'done':
      return i18n.t(s.unchanged ? 'state.unchanged' : 'state.done', { index: s.index });
    case 'failed':
      return i18n.t('state.failed');
  }
}

/** The link anyone can open to check a receipt. */
export function receiptLink(receipt: string): string {
  return `${location.origin}/campo/#/check/${receiptToFragment(receipt)}`;
}

/** The list page. */
export function Actas() {
  const i18n = useI18n();
  const { t } = i18n;
  const { items, deliver } = useAppState();
  const newest = [...items].reverse();
  return (
    <section>
      <h1>{t('actas.title')}</h1>
      {items.some((i) => i.state.type === 'queued' || i.state.type === 'accepted') && (
        <button type="button" data-testid="send-now" onClick={deliver}>
          {t('actas.sendNow')}
        </button>
      )}
      {!items.length && <p>{t('actas.none')}</p>}
      <ul class="items">
        {newest.map((item) => {
          const s = item.state;
          return (
            <li key={item.id} data-testid="item" data-mesa={item.mesa} data-state={s.type} data-index={s.type === 'done' || s.type === 'accepted' ? s.index : undefined} class={`item ${s.type}`}>
              <h2>{t('capture.mesa', { mesa: item.mesa })}</h2>
              <p class="muted">{new Date(item.createdAt).toLocaleString(i18n.lang === 'es' ? 'es-BO' : 'en-US')}</p>
              <p data-testid="item-state">{stateText(i18n, item)}</p>
              {item.reason && <p>{t('actas.reason', { reason: item.reason })}</p>}
              {(s.type === 'queued' || s.type === 'accepted') && s.lastError && <p class="muted">{t('state.lastTry', { why: s.lastError })}</p>}
              {s.type === 'failed' && (
                <p class="bad" data-testid="refusal" data-code={s.code}>
                  {i18n.refusal(s.code, s.message)}
                </p>
              )}
              {s.type === 'done' && (
                <details data-testid="receipt">
                  <summary>{t('receipt.title')}</summary>
                  <p>{t('receipt.copy')}</p>
                  <Qr text={receiptLink(s.receipt)} label={t('receipt.title')} />
                  <p>
                    <a href={receiptLink(s.receipt)} data-testid="receipt-link">
                      {t('receipt.link')}
                    </a>
                  </p>
                  <pre class="wrap receipt-text">{s.receipt}</pre>
                </details>
              )}
              {(s.type === 'done' || s.type === 'failed') && (
                <button type="button" data-testid="correct" onClick={() => go(`/capture/${encodeURIComponent(item.id)}`)}>
                  {t('actas.correct')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
