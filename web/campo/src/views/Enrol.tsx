/** Enrolment: the key is generated on the phone; its id and public key go to the administrator as text and QR. */
import { useEffect, useState } from 'preact/hooks';
import type { Registration } from '../db.ts';
import { enrolDevice, refreshFromServer, registryCommand } from '../device.ts';
import { type I18n, useI18n } from '../i18n.ts';
import { Qr } from '../Qr.tsx';
import { go, useAppState } from '../state.ts';

function scopeText(i18n: I18n, reg: Registration): string {
  const parts: string[] = [];
  if (reg.scope.all) parts.push(i18n.t('enrol.scopeAll'));
  if (reg.scope.mesas?.length) parts.push(i18n.t('enrol.scopeMesas', { list: reg.scope.mesas.join(', ') }));
  if (reg.scope.within?.length) parts.push(i18n.t('enrol.scopeWithin', { list: reg.scope.within.map((w) => w.join(' / ')).join('; ') }));
  return parts.join(' · ');
}

function roleText(i18n: I18n, role: string): string {
  return role === 'official' || role === 'delegate' || role === 'observer' ? i18n.t(`role.${role}`) : role;
}

/** The enrolment page. */
export function Enrol() {
  const i18n = useI18n();
  const { t } = i18n;
  const { device, registration, logKey, reload } = useAppState();
  const [status, setStatus] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const check = async () => {
    if (!device) return;
    setBusy(true);
    const got = await refreshFromServer(device);
    setBusy(false);
    setStatus(got.type === 'unregistered' ? t('enrol.notRegistered') : got.type === 'unreachable' ? t('enrol.unreachable', { why: got.reason }) : undefined);
    await reload();
  };
  // Once per visit, when online: the administrator may have registered the key since.
  useEffect(() => {
    if (device && navigator.onLine) void check();
  }, [device?.keyId]);

  if (!device) {
    return (
      <section>
        <h1>{t('enrol.title')}</h1>
        <p>{t('enrol.none')}</p>
        <button type="button" class="primary" data-testid="generate" onClick={() => void enrolDevice().then(async () => {
          // Stay here (the start page moves on to capture once the key is registered).
          go('/enrol');
          await reload();
        })}>
          {t('enrol.generate')}
        </button>
      </section>
    );
  }
  const qr = JSON.stringify({ keyId: device.keyId, publicKey: device.publicKey });
  return (
    <section>
      <h1>{t('enrol.title')}</h1>
      <dl>
        <dt>{t('enrol.keyId')}</dt>
        <dd><code data-testid="key-id">{device.keyId}</code></dd>
        <dt>{t('enrol.publicKey')}</dt>
        <dd><code data-testid="public-key" class="wrap">{device.publicKey}</code></dd>
      </dl>
      <Qr text={qr} label={`${t('enrol.keyId')} ${device.keyId}`} />
      <p>{t('enrol.admin')}</p>
      <pre class="wrap" data-testid="admin-command">{registryCommand(device, registration?.source)}</pre>
      <button type="button" data-testid="check-registration" disabled={busy} onClick={() => void check()}>
        {t('enrol.check')}
      </button>
      <div data-testid="registration" data-registered={registration ? 'true' : 'false'} role="status">
        {status && <p>{status}</p>}
        {registration && (
          <>
            <p>{t('enrol.registered', { source: registration.source, role: roleText(i18n, registration.role) })}</p>
            {registration.revoked !== null && <p class="bad">{t('enrol.revoked', { reason: registration.revoked })}</p>}
            <p>
              {t('enrol.scope', { n: i18n.n(registration.total) })} <span data-testid="scope">{scopeText(i18n, registration)}</span>
            </p>
          </>
        )}
      </div>
      {logKey && (
        <details>
          <summary>{t('enrol.logKey')}</summary>
          <code class="wrap" data-testid="log-key">{logKey}</code>
        </details>
      )}
    </section>
  );
}
