/**
 * Rivest's consistent sampler (R. L. Rivest, "Consistent sampling with replacement", arXiv:1808.10016; the
 * sampler Arlo uses). Each id gets a ticket number from SHA-256 of the seed and the id; ids come out in ticket
 * order, so the sample for a subset is the same ids in the same order (consistency across strata and rounds).
 * Ticket numbers are arbitrary-precision decimal fractions kept as strings '0.ddd…' and compared as strings.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8 } from '../bytes.ts';

/** Hex SHA-256 of the UTF-8 text (ids are hashed by their string form). */
export function sha256Hex(text: string): string {
  return toHex(sha256(utf8(text)));
}

/**
 * sha256_uniform: the hash as a decimal integer, zero-padded to 64 digits, digits reversed behind '0.' — the
 * low-order digits, which are the unbiased ones, come first.
 */
export function sha256Uniform(text: string): string {
  const digits = BigInt(`0x${sha256Hex(text)}`).toString(10).padStart(64, '0');
  return `0.${digits.split('').reverse().join('')}`; // ASCII digits only
}

/** Generation-1 ticket: sha256_uniform(sha256_hex(seed) + id). */
export function firstTicket(id: string, seed: string): string {
  return sha256Uniform(sha256Hex(seed) + id);
}

/**
 * The next generation's ticket, uniformly above x: keep x's leading run of 9s as a prefix, append fresh digits
 * from sha256_uniform(x + ':' + i) for i = 1, 2, …, and take the first result greater than x + '0'.
 */
export function nextTicket(x: string): string {
  const x0 = `${x}0`;
  let p = 2;
  while (x0[p] === '9') p++;
  for (let i = 1; ; i++) {
    const y = x0.slice(0, p) + sha256Uniform(`${x}:${i}`).slice(2);
    if (y > x0) return y;
  }
}

/** Display form: the leading 9s after '0.' plus `digits` more digits, truncated. */
export function trimTicket(x: string, digits = 9): string {
  let p = 2;
  while (x[p] === '9') p++;
  return x.slice(0, p + digits);
}

/** One output of the sampler: the id, its (full) ticket and its generation (1 = first draw of that id). */
export interface TicketDraw {
  readonly ticket: string;
  readonly id: string;
  readonly generation: number;
}

/** Options: with replacement re-enters each drawn id with its next ticket; drop/take select a window. */
export interface ConsistentSampleOptions {
  readonly withReplacement?: boolean;
  readonly drop?: number;
  readonly take?: number;
}

function before(a: TicketDraw, b: TicketDraw): boolean {
  return a.ticket < b.ticket || (a.ticket === b.ticket && a.id < b.id);
}

/** Generates draws in increasing ticket order (a binary heap keeps the with-replacement stream lazy). */
export function* consistentSample(ids: Iterable<string>, seed: string, options: ConsistentSampleOptions = {}): Generator<TicketDraw> {
  const seedHex = sha256Hex(seed);
  const heap: TicketDraw[] = [];
  const push = (d: TicketDraw): void => {
    heap.push(d);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      const [c, q] = [heap[i] as TicketDraw, heap[parent] as TicketDraw];
      if (!before(c, q)) break;
      [heap[i], heap[parent]] = [q, c];
      i = parent;
    }
  };
  const pop = (): TicketDraw | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    for (let i = 0; ; ) {
      const [l, r] = [2 * i + 1, 2 * i + 2];
      let m = i;
      if (l < heap.length && before(heap[l] as TicketDraw, heap[m] as TicketDraw)) m = l;
      if (r < heap.length && before(heap[r] as TicketDraw, heap[m] as TicketDraw)) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m] as TicketDraw, heap[i] as TicketDraw];
      i = m;
    }
    return top;
  };
  for (const id of ids) push({ ticket: sha256Uniform(seedHex + id), id, generation: 1 });
  const drop = options.drop ?? 0;
  const take = options.take ?? Infinity;
  for (let emitted = 0; emitted < drop + take; emitted++) {
    const d = pop();
    if (d === undefined) return;
    if (options.withReplacement === true) push({ ticket: nextTicket(d.ticket), id: d.id, generation: d.generation + 1 });
    if (emitted >= drop) yield d;
  }
}
