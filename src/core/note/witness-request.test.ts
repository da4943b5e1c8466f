import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBase64 } from '../bytes.ts';
import { unwrap } from '../result.ts';
import { parseSignedNote } from './signed-note.ts';
import { formatAddCheckpointRequest, parseAddCheckpointRequest } from './witness-request.ts';
import { describeVectors } from '../tiles/shared-vectors.testutil.ts';
import { z } from 'zod';
import { signedNoteVectors } from './vectors.testutil.ts';

const c2spSchema = z.object({ witnessAddCheckpointRequest: z.object({ body: z.string(), wantOldSize: z.number(), wantProofLines: z.number() }) });

describeVectors('parseAddCheckpointRequest (C2SP example)', (dir) => {
  const v = signedNoteVectors(dir, 'c2sp-examples.json', c2spSchema).witnessAddCheckpointRequest;
  it('parses old size, proof and checkpoint, and formats back byte for byte', () => {
    const r = unwrap(parseAddCheckpointRequest(v.body));
    expect(r.oldSize).toBe(v.wantOldSize);
    expect(r.proof).toHaveLength(v.wantProofLines);
    expect(unwrap(parseSignedNote(r.checkpointNote)).signatures).toHaveLength(2);
    expect(formatAddCheckpointRequest(r)).toBe(v.body);
  });
});

describe('parseAddCheckpointRequest', () => {
  const hash = toBase64(new Uint8Array(32));
  const note = 'o\n1\n' + hash + '\n\n\u2014 o AAAAAAE=\n';
  it.each([
    ['no old line', `${hash}\n\n${note}`],
    ['old with a leading zero', `old 01\n\n${note}`],
    ['old negative', `old -1\n\n${note}`],
    ['a bad hash', `old 1\nnot-base64\n\n${note}`],
    ['64 proof lines', `old 1\n${`${hash}\n`.repeat(64)}\n${note}`],
    ['no empty line', `old 1\n${hash}\n`],
  ])('rejects %s', (_name, body) => {
    expect(parseAddCheckpointRequest(body).ok).toBe(false);
  });
  it('round-trips (property)', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 63 }), (oldSize, proof) => {
        const r = { oldSize, proof, checkpointNote: note };
        expect(unwrap(parseAddCheckpointRequest(formatAddCheckpointRequest(r)))).toEqual(r);
      }),
      { numRuns: 50 },
    );
  });
});
