/**
 * The mesa universe as log entries: each mesa's id, geography and registered voters, signed by the registry
 * administrator. Scope (which mesas a key may report), bounds (how many votes a sheet can hold) and the expected
 * count all depend on it, so it lives in the log like everything else a verifier judges by. A change to a
 * registered mesa is a new signed entry that says why; nothing is edited in place.
 */
import { z } from 'zod';
import { adminSignatureSchema, type AdminSignature } from '../registry/registry.ts';
import type { Result } from '../result.ts';
import { decodeStrictEntry } from '../entry/strict-entry.ts';
import { signAsAdmin, verifyAdminSigned } from './admin-signed.ts';
import type { SigningKey } from '../submission/signing.ts';

/** One mesa of the universe. */
export interface UniverseMesa {
  readonly mesa: string;
  /** Values of the geography levels above the mesa, top down. */
  readonly geography: readonly string[];
  /** Registered voters; null where the electoral body publishes none. */
  readonly registered: number | null;
  readonly location?: readonly [number, number];
}

/** A universe change: new mesas, or amendments of registered ones. */
export interface UniverseEntry {
  readonly type: 'universe';
  readonly election: string;
  readonly action: 'add' | 'amend';
  readonly mesas: readonly UniverseMesa[];
  /** Why: the file the mesas were registered from, or what an amendment corrects. */
  readonly reason: string;
  /** After this entry no import may add mesas (the universe was published in full before the count). */
  readonly close?: true;
  readonly admin: AdminSignature;
}

/** Mesas per universe entry: an entry bundle stays small enough to fetch and check on a phone. */
export const MESAS_PER_UNIVERSE_ENTRY = 500;

const CONTEXT = 'acta/universe/v1';
// eslint-disable-next-line no-control-regex -- refusing control characters is the point of this pattern
const CONTROL = /[\u0000-\u001f\u007f]/;
const name = z.string().min(1).max(200).refine((t) => !CONTROL.test(t), 'no control characters');

/** zod schema of a universe entry's JSON. */
export const universeEntrySchema = z.strictObject({
  type: z.literal('universe'),
  election: z.string().min(1).max(64),
  action: z.enum(['add', 'amend']),
  mesas: z
    .array(
      z.strictObject({
        mesa: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
        geography: z.array(name).min(1).max(12),
        registered: z.number().int().min(0).max(1_000_000).nullable(),
        location: z.tuple([z.number().min(-90).max(90), z.number().min(-180).max(180)]).optional(),
      }),
    )
    .min(1)
    .max(MESAS_PER_UNIVERSE_ENTRY),
  reason: name,
  close: z.literal(true).optional(),
  admin: adminSignatureSchema,
});

/** Builds and signs one universe entry. */
export function signUniverseEntry(args: {
  election: string;
  action: 'add' | 'amend';
  mesas: readonly UniverseMesa[];
  reason: string;
  close?: boolean;
  admin: SigningKey;
  nonce: string;
  time: string;
}): UniverseEntry {
  return signAsAdmin<UniverseEntry>(
    CONTEXT,
    {
      type: 'universe',
      election: args.election,
      action: args.action,
      mesas: args.mesas.map(canonicalMesa),
      reason: args.reason,
      ...(args.close ? { close: true as const } : {}),
      admin: { keyId: args.admin.keyId, nonce: args.nonce, time: args.time },
    },
    args.admin.seed,
    args.admin.sign,
  );
}

/** A mesa with only the fields an entry carries (no undefined location). */
function canonicalMesa(m: UniverseMesa): UniverseMesa {
  return { mesa: m.mesa, geography: m.geography, registered: m.registered, ...(m.location ? { location: m.location } : {}) };
}

/** Whether the administrator signature on a universe entry verifies. */
export function verifyUniverseEntry(entry: UniverseEntry, adminPublicKey: string): boolean {
  return verifyAdminSigned(CONTEXT, entry, adminPublicKey);
}

/** Decodes a universe entry strictly (schema, election, no mesa twice, canonical bytes). */
export function decodeUniverseEntry(electionId: string, json: unknown, text: string): Result<UniverseEntry, string> {
  return decodeStrictEntry<UniverseEntry>(universeEntrySchema, electionId, json, text, (e) =>
    new Set(e.mesas.map((m) => m.mesa)).size !== e.mesas.length ? 'a mesa is listed twice in one universe entry' : undefined,
  );
}
