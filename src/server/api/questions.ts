/** GET /api/v1/questions?at=SIZE — the election's disputed questions, each answered from the log as of a tree size. */
import { Hono } from 'hono';
import type { DataDir } from '../../app/datadir.ts';
import { answerQuestions, type Answers } from '../../app/questions.ts';
import { errorResponse, intParam } from '../errors.ts';

/** Routes for the questions. Answers of the last few sizes are kept: one read of the log serves every visitor. */
export function questionRoutes(data: DataDir): Hono {
  const app = new Hono();
  const cache = new Map<number, Promise<Answers>>();
  app.get('/questions', async function getQuestions(c) {
    const at = intParam(c.req.query('at'));
    if (at === null) return errorResponse(c, 400, 'bad-at', 'at must be a non-negative integer tree size', 'at');
    const logSize = await data.store.logSize();
    const size = at ?? (await data.store.latestCheckpoint())?.size ?? logSize;
    if (size > logSize) return errorResponse(c, 404, 'at-beyond-log', `at=${size} is beyond the log (size ${logSize})`, 'at');
    let answers = cache.get(size);
    if (!answers) {
      answers = answerQuestions(data.store, data.election, size).then((r) => {
        if (!r.ok) throw new Error(`size ${size} was checked against the log`); // a bug: the size was checked above
        return r.value;
      });
      cache.set(size, answers);
      answers.catch(() => cache.delete(size));
      for (const key of cache.keys()) if (cache.size > 3 && key !== size) cache.delete(key);
    }
    return c.json(await answers);
  });
  return app;
}
