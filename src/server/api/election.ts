/** GET /api/v1/election, /api/v1/sources, /api/v1/mesas/:mesa, /api/v1/checkpoints. */
import { decodeEntry } from '../../core/basis/log-entry.ts';
import { Hono } from 'hono';
import type { DataDir } from '../../app/datadir.ts';
import { actaDifferences } from '../../core/acta/acta.ts';
import { errorResponse, intParam } from '../errors.ts';

const MESA = /^[A-Za-z0-9_.-]{1,64}$/;

/** Read-only routes about the election and its actas. */
export function electionRoutes(data: DataDir, witnesses: { keys: readonly string[]; quorum: number } = { keys: [], quorum: 0 }): Hono {
  const { store, election } = data;
  const app = new Hono();

  app.get('/election', function getElection(c) {
    const { winnerRule: _rule, choiceCodes: _codes, ...definition } = election;
    // The keys observers pin: the log's, the registry administrator's, and the witnesses' with the quorum.
    return c.json({ ...definition, logKey: data.logKey?.verifierKey ?? null, adminKey: data.adminKey ?? null, witnesses: witnesses.keys, quorum: witnesses.quorum });
  });

  app.get('/sources', async function getSources(c) {
    const at = intParam(c.req.query('at'));
    if (at === null) return errorResponse(c, 400, 'bad-at', 'at must be a non-negative integer', 'at');
    return c.json({ sources: await store.sources(at) });
  });

  app.get('/checkpoints', async function getCheckpoints(c) {
    return c.json({ checkpoints: await store.checkpoints() });
  });

  app.get('/mesas/:mesa', async function getMesa(c) {
    const mesa = c.req.param('mesa');
    if (!MESA.test(mesa)) return errorResponse(c, 400, 'bad-mesa', 'a mesa id is 1–64 letters, digits, _ . -', 'mesa');
    const versions = await store.mesaVersions(mesa);
    if (!versions.length) return errorResponse(c, 404, 'unknown-mesa', `no acta for mesa ${mesa}`, 'mesa');
    const latestBySource = new Map<string, (typeof versions)[number]>();
    for (const v of versions) latestBySource.set(v.source, v);
    const sources = [...latestBySource.values()];
    const [first] = sources;
    const codes = election.choiceCodes;
    // How each version entered: an official import in a signed batch, or a device's signed submission — read from
    // its own entry, so the page shows what the log says (flags included), not what a table says.
    const entries = await Promise.all(versions.map(async (v) => {
      const [bytes] = await store.readEntries(v.index, v.index + 1);
      const decoded = bytes ? decodeEntry(election, bytes) : undefined;
      return decoded?.ok && decoded.value.type === 'acta' ? decoded.value : undefined;
    }));
    const roleOf = (source: string) => election.sources.find((s) => s.name === source)?.role ?? null;
    return c.json({
      mesa,
      geography: first?.acta.geography ?? [],
      versions: versions.map((v, i) => ({
        index: v.index,
        source: v.source,
        version: v.version,
        supersedes: v.supersedes,
        current: latestBySource.get(v.source) === v,
        registered: v.acta.registered,
        votes: Object.fromEntries(codes.map((code, i) => [code, v.acta.votes[i] ?? null])),
        blank: v.acta.blank,
        void: v.acta.void,
        images: v.acta.images ?? [],
        submitter: v.submitter,
        reason: v.reason,
        role: roleOf(v.source),
        via: entries[i]?.import ? 'import' : entries[i]?.submission ? 'submission' : null,
        flags: entries[i]?.flags ?? [],
        held: v.acta.held ?? false,
        keying: entries[i]?.submission?.keying ?? null,
      })),
      // Field-level differences of each source's current version against the first source's.
      differences: first ? sources.slice(1).map((s) => ({ a: first.source, b: s.source, fields: actaDifferences(election, first.acta, s.acta) })) : [],
    });
  });
  return app;
}
