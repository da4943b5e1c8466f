/** The `acta` command line: one file per command, errors turned into messages and exit codes here only. */
import { Command, CommanderError } from 'commander';
import { registerAudit } from './audit.ts';
import { registerDemo } from './demo.ts';
import { CliError } from './errors.ts';
import { registerExport } from './export.ts';
import { registerForensics } from './forensics.ts';
import { registerImport } from './import.ts';
import { registerInit } from './init.ts';
import { registerKeygen } from './keygen.ts';
import { registerRegistry } from './registry.ts';
import { registerMirror } from './mirror.ts';
import { registerLog } from './log.ts';
import { registerMonitor } from './monitor.ts';
import { registerProject } from './project.ts';
import { registerReconcile } from './reconcile.ts';
import { registerServe } from './serve.ts';
import { registerSimulate } from './simulate.ts';
import { registerSubmit } from './submit.ts';
import { registerTally } from './tally.ts';
import { registerUniverse } from './universe.ts';
import { registerVerify } from './verify.ts';
import { registerWitness } from './witness.ts';

/** Builds the program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('acta')
    .description('Acta: election results anyone can verify')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerInit(program);
  registerImport(program);
  registerUniverse(program);
  registerTally(program);
  registerReconcile(program);
  registerServe(program);
  registerSimulate(program);
  registerLog(program);
  registerDemo(program);
  registerMirror(program);
  registerVerify(program);
  registerMonitor(program);
  registerWitness(program);
  registerRegistry(program);
  registerKeygen(program);
  registerForensics(program);
  registerProject(program);
  registerAudit(program);
  registerExport(program);
  registerSubmit(program);
  return program;
}

/** Runs the CLI with process.argv-style arguments and sets the exit code. */
export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (e instanceof CliError) {
      process.stderr.write(`acta: ${e.message}\n`);
      process.exitCode = e.code;
      return;
    }
    throw e;
  }
}
