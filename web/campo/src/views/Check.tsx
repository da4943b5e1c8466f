/** The public receipt check: paste a receipt or open its link; checked against the log as it is now. */
import { useEffect, useState } from 'preact/hooks';
import { parseLogKey } from '../../../../src/field/server-info.ts';
import { type CheckedReceipt, checkReceiptNow, receiptFromFragment } from '../check.ts';
import { useI18n } from '../i18n.ts';
import { useAppState } from '../state.ts';

type Outcome = { type: 'working' } | { type: 'ok'; value: CheckedReceipt; pinned: boolean } | { type: 'bad'; why: string };

async function serverLogKey(): Promise<string | undefined> {
  try {
    const res = await fetch('/api/v1/election');
    const json: unknown = await res.json();
    const key = (json as { logKey?: unknown } | null)?.logKey;
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}

/** The check page; `fragment` is the receipt from a link. */
export function Check({ fragment }: { fragment?: string | undefined }) {
  const { t } = useI18n();
  const { logKey } = useAppState();
  const [text, setText] = useState(() => (fragment ? (receiptFromFragment(fragment) ?? '') : ''));
  const [outcome, setOutcome] = useState<Outcome | undefined>();

  const run = async (receipt: string) => {
    setOutcome({ type: 'working' });
    // The key pinned on this phone when there is one; otherwise the server's own word (said so on the page).
    const keyText = logKey ?? (await serverLogKey());
    const key = keyText ? parseLogKey(keyText) : undefined;
    if (!key?.ok) {
      setOutcome({ type: 'bad', why: key ? key.error : 'no log key' });
      return;
    }
    const got = await checkReceiptNow(receipt, key.value);
    setOutcome(got.ok ? { type: 'ok', value: got.value, pinned: logKey !== undefined } : { type: 'bad', why: got.error });
  };
  useEffect(() => {
    if (fragment) {
      const receipt = receiptFromFragment(fragment);
      if (receipt === undefined) setOutcome({ type: 'bad', why: 'the link carries no receipt' });
      else {
        setText(receipt);
        void run(receipt);
      }
    }
  }, [fragment]);

  return (
    <section>
      <h1>{t('verify.title')}</h1>
      <label>
        {t('verify.paste')}
        <textarea name="receipt" rows={8} value={text} onInput={(e) => setText(e.currentTarget.value)} spellcheck={false} />
      </label>
      <button type="button" class="primary" data-testid="verify" onClick={() => void run(text)}>
        {t('verify.run')}
      </button>
      {outcome && (
        <div data-testid="verify-result" data-ok={outcome.type === 'working' ? undefined : String(outcome.type === 'ok')} role="status" class={outcome.type === 'bad' ? 'bad' : outcome.type === 'ok' ? 'good' : ''}>
          {outcome.type === 'working' && <p>{t('verify.working')}</p>}
          {outcome.type === 'bad' && <p>{t('verify.bad', { why: outcome.why })}</p>}
          {outcome.type === 'ok' && (
            <>
              <p>
                <strong>{t('verify.ok')}</strong>
              </p>
              <p>{t('verify.entry', { index: outcome.value.index, mesa: outcome.value.mesa, source: outcome.value.source })}</p>
              <p>{t('verify.consistent', { size: outcome.value.currentSize, was: outcome.value.receiptSize })}</p>
              <p class="muted">{t(outcome.pinned ? 'verify.keyPinned' : 'verify.keyServer')}</p>
              <pre class="wrap">{outcome.value.entry}</pre>
            </>
          )}
        </div>
      )}
    </section>
  );
}
