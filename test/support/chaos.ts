/**
 * The crash-safety harness behind test/e2e/chaos.test.ts (≥ 20 rounds in CI) and `npm run chaos` (100+): a real
 * `acta serve` takes signed submissions from concurrent devices and is killed with SIGKILL at a random moment,
 * then restarted. After every restart: every receipt a client received still verifies (its entry is unchanged and
 * its checkpoint is consistent with the new one), no checkpoint ever seen is inconsistent with the latest, and
 * at the end `acta verify` recomputes the results from the log.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initDataDir, openDataDir } from '../../src/app/datadir.ts';
import { simulatedActa } from '../../src/app/demo.ts';
import { writeSimulation } from '../../src/cli/simulate.ts';
import { bytesEqual, toBase64 } from '../../src/core/bytes.ts';
import { leafHash } from '../../src/core/merkle/hash.ts';
import { verifyInclusion } from '../../src/core/merkle/verify.ts';
import { openCheckpoint } from '../../src/core/note/open-checkpoint.ts';
import { parseVerifierKey } from '../../src/core/note/keys.ts';
import { parseTlogProof } from '../../src/core/note/proof.ts';
import { simulateElection } from '../../src/core/simulate/index.ts';
import { importFile } from '../../src/app/import.ts';
import { proveConsistent } from '../../src/verify/consistency.ts';
import { openLogSource } from '../../src/verify/source.ts';
import { runActa } from './cli.ts';
import { deviceKey, registerKey, submission } from './field.ts';
import { startServe, type ServeProcess } from './serve.ts';
import { REPO_ROOT } from './shared.ts';

/** What the harness saw. */
export interface ChaosReport {
  readonly rounds: number;
  readonly acknowledged: number;
  readonly lost: number;
  readonly inconsistentCheckpoints: number;
  readonly problems: readonly string[];
  readonly verified: boolean;
}

/** Runs `rounds` kill-and-restart rounds; `perRound` submissions are in flight in each. */
export async function runChaos(options: { rounds: number; perRound?: number; log?: (line: string) => void }): Promise<ChaosReport> {
  const perRound = options.perRound ?? 12;
  const mesas = options.rounds * perRound + 10;
  const root = mkdtempSync(join(tmpdir(), 'acta-chaos-'));
  const dir = join(root, 'data');
  const problems: string[] = [];
  let server: ServeProcess | undefined;
  try {
    const init = await initDataDir(dir, join(REPO_ROOT, 'elections/demo.json'));
    if (!init.ok) throw new Error(init.error);
    const csv = join(root, 'universe.csv');
    await writeSimulation(csv, { mesas, seed: 'chaos', scenario: { type: 'clean' } });
    const key = deviceKey('chaos device');
    const opened = await openDataDir(dir);
    if (!opened.ok) throw new Error(opened.error);
    const imported = await importFile(opened.value, { source: 'computo', path: csv });
    if (!imported.ok) throw new Error(imported.error.message);
    await registerKey(opened.value, key, 'delegado-ciudad', { all: true });
    const logKeyText = opened.value.logKey?.verifierKey ?? '';
    await opened.value.close();
    const logKey = parseVerifierKey(logKeyText);
    if (!logKey.ok) throw new Error('log key');
    const actas = [...simulateElection({ mesas, seed: 'chaos' }).rows()].map(simulatedActa);

    const acknowledged: { index: number; entry: Uint8Array; receipt: string }[] = [];
    const seen: { size: number; root: string }[] = [];
    let next = 0;
    for (let round = 0; round < options.rounds; round++) {
      server = await startServe(dir);
      const url = server.url;
      const batch = actas.slice(next, next + perRound);
      next += perRound;
      const inFlight = batch.map(async (acta) => {
        const votes = Object.fromEntries(['PUEBLO', 'CIUDAD', 'VERDE', 'UNIDAD', 'LIBRE', 'SUR'].map((c, i) => [c, acta.votes[i] ?? null]));
        const body = submission(key, { nonce: randomBytes(16).toString('base64url'), acta: { mesa: acta.mesa, registered: acta.registered, votes, blank: acta.blank, void: acta.void } });
        try {
          const res = await fetch(`${url}/api/v1/actas`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
          if (res.status !== 201) return;
          const json = (await res.json()) as { index: number; receipt: string | null };
          if (!json.receipt) return;
          // The client checks its receipt on arrival (against the entry it is for) before it counts as acknowledged.
          const entry = new Uint8Array(await (await fetch(`${url}/api/v1/entries/${json.index}`)).arrayBuffer());
          acknowledged.push({ index: json.index, entry, receipt: json.receipt });
        } catch {
          // Killed mid-request: not acknowledged, so nothing is owed.
        }
      });
      await new Promise((r) => setTimeout(r, 30 + Math.random() * 400));
      await server.stop('SIGKILL');
      await Promise.all(inFlight);

      server = await startServe(dir);
      const source = openLogSource(server.url);
      if (!source.ok) throw new Error(source.error);
      const note = await (await fetch(`${server.url}/log/checkpoint`)).text();
      const opened2 = openCheckpoint(note, { logKey: logKey.value });
      if (!opened2.ok) throw new Error(`bad checkpoint after restart: ${opened2.error.message}`);
      const latest = { size: opened2.value.checkpoint.size, root: toBase64(opened2.value.checkpoint.rootHash) };
      for (const a of acknowledged) {
        const proof = parseTlogProof(a.receipt);
        if (!proof.ok) throw new Error('receipt');
        const old = openCheckpoint(proof.value.checkpointNote, { logKey: logKey.value });
        if (!old.ok) throw new Error('receipt checkpoint');
        const head = { size: old.value.checkpoint.size, root: toBase64(old.value.checkpoint.rootHash) };
        const rootBytes = old.value.checkpoint.rootHash;
        seen.push(head);
        const included = verifyInclusion({ leafIndex: a.index, treeSize: head.size, leafHash: leafHash(a.entry), proof: proof.value.proof, root: rootBytes });
        const now = new Uint8Array(await (await fetch(`${server.url}/api/v1/entries/${a.index}`)).arrayBuffer());
        if (!included.ok || !bytesEqual(now, a.entry) || a.index >= latest.size) problems.push(`round ${round}: acknowledged entry ${a.index} lost or changed`);
      }
      for (const head of seen.splice(0)) {
        if (head.size > latest.size) {
          problems.push(`round ${round}: checkpoint ${head.size} was published, the log now says ${latest.size}`);
          continue;
        }
        const consistent = await proveConsistent(head, latest, source.value);
        if (!consistent.ok) problems.push(`round ${round}: checkpoint ${head.size} inconsistent with ${latest.size}`);
      }
      options.log?.(`round ${round + 1}/${options.rounds}: log ${latest.size}, ${acknowledged.length} acknowledged, ${problems.length} problems`);
      await server.stop();
      server = undefined;
    }
    server = await startServe(dir);
    const verify = await runActa(['verify', server.url, '--key', logKeyText]);
    if (verify.code !== 0) problems.push(`verify failed: ${verify.stdout}${verify.stderr}`);
    const lost = problems.filter((p) => p.includes('lost')).length;
    return { rounds: options.rounds, acknowledged: acknowledged.length, lost, inconsistentCheckpoints: problems.filter((p) => p.includes('inconsistent') || p.includes('now says')).length, problems, verified: verify.code === 0 };
  } finally {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
