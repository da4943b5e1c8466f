/** Starts `acta witness` as a child process on a free loopback port and waits until it answers. */
import { type ActaProcess, startActaProcess } from './serve.ts';

/** A running `acta witness`. */
export type WitnessProcess = ActaProcess;

/** Starts the witness over `dir` and resolves once GET / answers. */
export function startWitness(dir: string, extraArgs: readonly string[] = []): Promise<WitnessProcess> {
  return startActaProcess(['witness', '--data', dir, ...extraArgs], '/');
}
