/**
 * Capture: pick a mesa within the key's scope, copy the paper acta in ballot order (empty stays empty), see the
 * arithmetic live against the stated totals and the roll, add photos, sign. Bad input is named and nothing is signed.
 */
import { useMemo, useState } from 'preact/hooks';
import type { ActaFields } from '../../../../src/core/submission/build.ts';
import type { ScopeMesa } from '../db.ts';
import { signAndQueue } from '../deliver.ts';
import { arithmeticMessages, disagreements, emptyForm, fieldText, type FormText, formOf, isEmptyActa, type Message, readForm, validReason } from '../form.ts';
import { type MessageKey, useI18n } from '../i18n.ts';
import { go, useAppState } from '../state.ts';

const MAX_PHOTO_BYTES = 8 * 1024 * 1024;

/** JPEG or PNG by their first bytes (what the server sniffs too). */
function isPhoto(bytes: Uint8Array): boolean {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  return starts(0xff, 0xd8, 0xff) || starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
}

/** The acta a queued item signed (its own body: written by this app). */
function signedActa(body: string): ActaFields | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const acta = (parsed as { submission?: { acta?: ActaFields } } | null)?.submission?.acta;
    return acta && typeof acta.mesa === 'string' ? acta : undefined;
  } catch {
    return undefined;
  }
}

type Field = 'blank' | 'void' | 'registered' | 'statedValid' | 'statedCast';
const FIELD_LABEL: Record<Field, MessageKey> = {
  blank: 'capture.blank',
  void: 'capture.void',
  registered: 'capture.registered',
  statedValid: 'capture.statedValid',
  statedCast: 'capture.statedCast',
};

/** The capture page; `correcting` is the id of an item whose acta is corrected. */
export function Capture({ correcting }: { correcting?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { device, election, registration, items, deliver, reload } = useAppState();
  const previous = correcting ? items.find((i) => i.id === correcting) : undefined;
  const previousActa = previous ? signedActa(previous.body) : undefined;
  const [query, setQuery] = useState('');
  const [mesa, setMesa] = useState<ScopeMesa | undefined>(() => (previousActa ? registration?.mesas.find((m) => m.mesa === previousActa.mesa) : undefined));
  const [form, setForm] = useState<FormText>(() => (previousActa ? formOf(previousActa) : emptyForm(election?.choices.map((c) => c.code) ?? [])));
  const [inconsistent, setInconsistent] = useState(false);
  const [reason, setReason] = useState('');
  const [photos, setPhotos] = useState<{ name: string; bytes: Uint8Array; url: string }[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  // Double entry: the first operator's keying (hidden from the second), then the fields the two disagree on.
  const [double, setDouble] = useState(false);
  const [firstKeying, setFirstKeying] = useState<FormText | undefined>();
  const [conflict, setConflict] = useState<{ readonly fields: readonly string[]; readonly first: FormText; readonly second: FormText } | undefined>();
  const [notice, setNotice] = useState<string | undefined>();

  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    const all = registration?.mesas ?? [];
    return (q ? all.filter((m) => m.mesa.toLowerCase().includes(q) || m.geography.some((g) => g.toLowerCase().includes(q))) : all).slice(0, 50);
  }, [query, registration]);

  if (!device || !election || !registration || registration.revoked !== null) {
    return (
      <section>
        <h1>{t('capture.title')}</h1>
        <p>{t('capture.needKey')}</p>
        <a href="#/enrol">{t('nav.enrol')}</a>
      </section>
    );
  }
  const choices = election.choices;
  const labelOf = (f: Field) => t(FIELD_LABEL[f]);
  const dispute = (name: string) => (conflict?.fields.includes(name) ? t('double.both', { a: fieldText(conflict.first, name) || t('capture.empty'), b: fieldText(conflict.second, name) || t('capture.empty') }) : undefined);
  const read = mesa ? readForm(mesa.mesa, choices, form, labelOf) : undefined;
  const checks: Message[] = read?.ok ? arithmeticMessages(read.acta, choices.map((c) => c.code), mesa?.registered ?? null) : [];
  // A mesa this phone already sent (and the server did not refuse) is corrected: the server wants a reason.
  const isCorrection = mesa !== undefined && items.some((i) => i.mesa === mesa.mesa && i.state.type !== 'failed');
  const needsReason = inconsistent || isCorrection;

  const setField = (name: string, value: string) => {
    setError(undefined);
    setForm((f) => (name.startsWith('votes.') ? { ...f, votes: { ...f.votes, [name.slice(6)]: value } } : { ...f, [name]: value }));
  };

  // Shows why nothing is signed; false so a guard can `return stopWith(…)`.
  const stopWith = (message: string): false => {
    setError(message);
    return false;
  };

  const addPhotos = async (files: FileList | null) => {
    setError(undefined);
    const added: { name: string; bytes: Uint8Array; url: string }[] = [];
    for (const file of Array.from(files ?? [])) {
      if (file.size > MAX_PHOTO_BYTES) return stopWith(t('error.photoSize', { name: file.name }));
      const bytes = new Uint8Array(await file.arrayBuffer());
      if (!isPhoto(bytes)) return stopWith(t('error.photo', { name: file.name }));
      added.push({ name: file.name, bytes, url: URL.createObjectURL(file) });
    }
    if (photos.length + added.length > 16) return stopWith(t('error.photoCount'));
    setPhotos([...photos, ...added]);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setNotice(undefined);
    if (!mesa || !read) return stopWith(t('error.noMesa'));
    if (!read.ok) return stopWith(t('error.number', { field: read.field }));
    if (isEmptyActa(read.acta)) return stopWith(t('error.nothing'));
    if (checks.length && !inconsistent) return stopWith(t('error.arithmetic'));
    if (needsReason && !validReason(reason.trim())) return stopWith(t('error.reason'));
    if (double && !conflict) {
      if (!firstKeying) {
        // The second operator keys from the paper (or photo) without seeing the first's numbers.
        setFirstKeying(form);
        setForm(emptyForm(choices.map((c) => c.code)));
        setNotice(t('double.firstSaved'));
        return;
      }
      const fields = disagreements(firstKeying, form, choices.map((c) => c.code));
      if (fields.length) {
        // A third operator decides each disputed field, seeing both keyings; nothing is signed until then.
        setConflict({ fields, first: firstKeying, second: form });
        setForm((f) => fields.reduce((acc, name) => (name.startsWith('votes.') ? { ...acc, votes: { ...acc.votes, [name.slice(6)]: '' } } : { ...acc, [name]: '' }), f));
        setNotice(undefined);
        return stopWith(t('double.mismatch', { n: fields.length }));
      }
    }
    setBusy(true);
    try {
      await signAndQueue({
        device,
        election: election.id,
        source: registration.source,
        acta: read.acta,
        photos: photos.map((p) => p.bytes),
        ...(needsReason ? { reason: reason.trim() } : {}),
        inconsistent,
        // Double entry is signed into the acta: agreed at once, or decided by a third operator who saw both.
        ...(double ? { keying: conflict ? ('double-resolved' as const) : ('double' as const) } : {}),
      });
    } finally {
      setBusy(false);
    }
    await reload();
    deliver();
    go('/actas');
  };

  return (
    <section>
      <h1>{t('capture.title')}</h1>
      {!mesa ? (
        <>
          <label>
            {t('capture.search')}
            <input type="search" data-testid="mesa-search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} autocomplete="off" />
          </label>
          {matches.length ? (
            <ul class="mesas">
              {matches.map((m) => (
                <li key={m.mesa}>
                  <button type="button" data-testid="mesa-option" data-mesa={m.mesa} onClick={() => setMesa(m)}>
                    <strong>{m.mesa}</strong> <span>{m.geography.slice(-2).join(' · ')}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('capture.noMesas')}</p>
          )}
        </>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate data-testid="acta-form" data-mesa={mesa.mesa}>
          <h2>
            {t('capture.mesa', { mesa: mesa.mesa })}{' '}
            {!previous && (
              <button type="button" class="link" onClick={() => setMesa(undefined)}>
                ✕
              </button>
            )}
          </h2>
          <p class="muted">{mesa.geography.join(' · ')}</p>
          <p data-testid="universe-registered">{mesa.registered !== null ? t('capture.universe', { n: i18n.n(mesa.registered) }) : t('capture.universeUnknown')}</p>
          <p class="hint">{t('capture.hint')}</p>
          <fieldset>
            <legend>{t('capture.votes')}</legend>
            {choices.map((c) => (
              <Count key={c.code} name={`votes.${c.code}`} label={c.name} value={form.votes[c.code] ?? ''} onInput={setField} dispute={dispute(`votes.${c.code}`)} />
            ))}
          </fieldset>
          <fieldset>
            {(['blank', 'void', 'statedValid', 'statedCast', 'registered'] as const).map((f) => (
              <Count key={f} name={f} label={labelOf(f)} value={form[f]} onInput={setField} dispute={dispute(f)} />
            ))}
          </fieldset>
          <div class={checks.length ? 'checks bad' : 'checks ok'} data-testid="checks" data-issues={checks.length} aria-live="polite">
            <strong>{t('capture.checks')}</strong>
            {checks.length ? (
              <ul>
                {checks.map((c) => (
                  <li key={c.key}>{t(c.key, c.vars)}</li>
                ))}
              </ul>
            ) : (
              <p>{read?.ok ? t('capture.ok') : ''}</p>
            )}
          </div>
          <label class="check">
            <input
              type="checkbox"
              name="double"
              checked={double}
              disabled={firstKeying !== undefined}
              onChange={(e) => {
                setDouble(e.currentTarget.checked);
              }}
            />{' '}
            {t('double.toggle')}
          </label>
          {double && (
            <p class="hint" data-testid="double-phase" data-phase={conflict ? 'third' : firstKeying ? 'second' : 'first'}>
              {t(conflict ? 'double.third' : firstKeying ? 'double.second' : 'double.first')}
            </p>
          )}
          <label class="check">
            <input type="checkbox" name="inconsistent" checked={inconsistent} onChange={(e) => setInconsistent(e.currentTarget.checked)} /> {t('capture.inconsistent')}
          </label>
          {needsReason && (
            <label>
              {t(isCorrection ? 'capture.reasonCorrection' : 'capture.reasonInconsistent')}
              <input type="text" name="reason" maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
            </label>
          )}
          <label>
            {t('capture.photos')}
            <input type="file" name="photos" accept="image/*" capture="environment" multiple onChange={(e) => void addPhotos(e.currentTarget.files)} />
          </label>
          <p class="hint">{t('capture.photosHint')}</p>
          <div class="photos">
            {photos.map((p) => (
              <img key={p.url} src={p.url} alt={p.name} data-testid="photo-preview" />
            ))}
          </div>
          {notice && (
            <p class="good" role="status" data-testid="form-notice">
              {notice}
            </p>
          )}
          {error && (
            <p class="bad" role="alert" data-testid="form-error">
              {error}
            </p>
          )}
          <button type="submit" class="primary" data-testid="sign" disabled={busy}>
            {t('capture.submit')}
          </button>
        </form>
      )}
    </section>
  );
}

function Count({ name, label, value, onInput, dispute }: { name: string; label: string; value: string; onInput: (name: string, value: string) => void; dispute?: string | undefined }) {
  const { t } = useI18n();
  return (
    <label class={dispute ? 'count disputed' : 'count'}>
      <span>
        {label}
        {dispute && (
          <small class="dispute" data-testid="dispute" data-field={name}>
            {dispute}
          </small>
        )}
      </span>
      <input type="text" inputMode="numeric" pattern="[0-9]*" name={name} value={value} placeholder={t('capture.empty')} autocomplete="off" onInput={(e) => onInput(name, e.currentTarget.value)} />
    </label>
  );
}
