/**
 * Prometheus metrics for election night (GET /metrics): submissions accepted and refused by code, the sequencer's
 * lag (entries not yet under a checkpoint), the checkpoint's age, its witness cosignatures, and the submission
 * queue depth. Gauges are read from the store at scrape time, so every server in a fleet reports the same truth.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { Store } from '../store/port.ts';

/** The metrics of one server process. */
export interface ServerMetrics {
  readonly registry: Registry;
  readonly submissions: Counter<'result'>;
  /** Submissions being processed right now (the backpressure gauge). */
  readonly inFlight: Gauge;
}

/** Creates the metrics, with gauges that query `store` when scraped. */
export function createMetrics(store: Store): ServerMetrics {
  const registry = new Registry();
  const submissions = new Counter({ name: 'acta_submissions_total', help: 'Field submissions by result (accepted, repeated, or the refusal code).', labelNames: ['result'], registers: [registry] });
  const inFlight = new Gauge({ name: 'acta_submission_queue_depth', help: 'Submissions being processed.', registers: [registry] });
  const state = async () => {
    const [size, checkpoint] = await Promise.all([store.logSize(), store.latestCheckpoint()]);
    return { size, checkpoint };
  };
  new Gauge({
    name: 'acta_log_size',
    help: 'Entries in the log.',
    registers: [registry],
    async collect() {
      this.set((await state()).size);
    },
  });
  new Gauge({
    name: 'acta_sequencer_lag_entries',
    help: 'Entries appended but not yet covered by a signed checkpoint.',
    registers: [registry],
    async collect() {
      const s = await state();
      this.set(s.size - (s.checkpoint?.size ?? 0));
    },
  });
  new Gauge({
    name: 'acta_checkpoint_age_seconds',
    help: 'Seconds since the latest checkpoint was signed.',
    registers: [registry],
    async collect() {
      const c = (await state()).checkpoint;
      this.set(c ? (Date.now() - Date.parse(c.signedAt)) / 1000 : -1);
    },
  });
  new Gauge({
    name: 'acta_checkpoint_cosignatures',
    help: 'Witness cosignatures on the latest checkpoint.',
    registers: [registry],
    async collect() {
      this.set((await state()).checkpoint?.cosignatures ?? 0);
    },
  });
  return { registry, submissions, inFlight };
}
