/**
 * The demo behind `npm start`: a simulated election (elections/demo.json, the fictional República de Ejemplo)
 * streamed into the log as a live preliminary count (source `trep`) over a couple of minutes, rural tables
 * arriving later as they do in real counts; then the official count (`computo`) lands in one batch.
 */
import type { Logger } from 'pino';
import type { Acta } from '../core/acta/acta.ts';
import { PARTIES, type SimulatedRow, simulateElection } from '../core/simulate/index.ts';
import { createHash } from 'node:crypto';
import { appendActas, type ImportSigning } from '../log/append.ts';
import { type DataDir, importSigners } from './datadir.ts';

/** Converts one simulated row into the acta its sheet shows. */
export function simulatedActa(row: SimulatedRow): Acta {
  const r = row.recinto;
  return {
    mesa: String(row.mesa),
    geography: [row.country, r.department, r.province, r.municipality, r.locality, r.name],
    registered: row.registered,
    votes: PARTIES.map((p) => row.votes[p]),
    blank: row.blank,
    void: row.void,
    location: [r.lat, r.lon],
  };
}

/** Streams a simulated count into the data directory; resolves when every acta has arrived. */
export async function streamDemo(args: {
  data: DataDir;
  logger: Logger;
  mesas: number;
  seed: string;
  durationMs: number;
  signal?: AbortSignal;
}): Promise<void> {
  const { data, logger } = args;
  const actas = [...simulateElection({ mesas: args.mesas, seed: args.seed }).rows()].map(simulatedActa);
  // The simulated counting centres sign like real ones: each source's registered import key signs its batches.
  // There is no file: the batches name the SHA-256 of the simulation's seed instead.
  const file = createHash('sha256').update(`acta demo ${args.seed} ${args.mesas}`).digest('hex');
  const signing = async (source: string): Promise<(now: Date) => ImportSigning> => {
    const signers = await importSigners(data, source);
    if (!signers.ok) throw new Error(`demo: ${signers.error}`);
    return (now) => ({ signer: signers.value.source, file, now, ...(signers.value.admin ? { admin: signers.value.admin } : {}) });
  };
  const trep = await signing('trep');
  const computo = await signing('computo');
  const ticks = Math.max(1, Math.round(args.durationMs / 1000));
  const perTick = Math.ceil(actas.length / ticks);
  logger.info({ mesas: actas.length, seconds: ticks }, 'demo: streaming the preliminary count');
  for (let start = 0; start < actas.length; start += perTick) {
    if (args.signal?.aborted) return;
    const batch = actas.slice(start, start + perTick).map((acta) => ({ acta }));
    await data.store.write((tx) => appendActas(tx, data.election, 'trep', batch, { importing: trep(new Date()) }));
    await new Promise((r) => setTimeout(r, 1000));
  }
  await data.store.write((tx) => appendActas(tx, data.election, 'computo', actas.map((acta) => ({ acta })), { importing: computo(new Date()) }));
  logger.info('demo: the official count (computo) has landed');
}
