/** GET /api/v1/questions?at=SIZE — the election's disputed questions, each answered from the log as of a tree size. */
import { Hono } from 'hono';
import type { DataDir } from '../../app/datadir.ts';
import { atParam, refuse, unknownParameter } from '../reads/params.ts';
import type { ReadBudget } from '../reads/read-budget.ts';
import { respond } from '../reads/respond.ts';

/** Routes for the questions: one computation per tree size serves every visitor. */
export function questionRoutes(data: DataDir, reads: ReadBudget): Hono {
  const app = new Hono();
  app.get('/questions', async function getQuestions(c) {
    const q = c.req.query();
    const unknown = unknownParameter(q, ['at']);
    if (unknown) return refuse(c, unknown);
    const logSize = await data.store.logSize();
    const at = atParam(q.at, logSize);
    if (!at.ok) return refuse(c, at.error);
    // Without `at`, the latest checkpoint: the answer every visitor between two checkpoints shares.
    const size = at.value ?? Math.min(logSize, (await data.store.latestCheckpoint())?.size ?? logSize);
    const got = await reads.answer(c, JSON.stringify(['questions', size]), { kind: 'questions', at: size });
    return got.ok ? respond(c, got.value) : got.error;
  });
  return app;
}
