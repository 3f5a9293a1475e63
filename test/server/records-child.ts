/**
 * The records CLI from this repository's source as a program of its own, for
 * the cases a test cannot see from inside its process: peak memory (RSS is
 * per process) and being killed mid-run. esbuild bundles the source once per
 * test file (dependencies stay in node_modules); the child prints its peak
 * RSS as its last stderr line.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let built: Promise<string> | undefined;
const dirs: string[] = [];

/** Removes the bundles this test file made (call it in `afterAll`). */
export function removeRecordsChildren(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

async function bundle(): Promise<string> {
  const dir = mkdtempSync(join(ROOT, 'node_modules', '.records-child-'));
  dirs.push(dir);
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    [
      `import { runRecordsCli } from ${JSON.stringify(join(ROOT, 'src/server/records-cli.ts'))};`,
      'const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };',
      'process.exitCode = await runRecordsCli(process.argv.slice(2), io);',
      "process.on('exit', () => process.stderr.write(`peak-rss-kb ${process.resourceUsage().maxRSS}\\n`));",
    ].join('\n'),
  );
  const outfile = join(dir, 'records-cli.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  return outfile;
}

export interface ChildRun {
  child: ChildProcess;
  /** Resolves when the child has exited: its status, stderr, and peak RSS in MB (when it printed it). */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; peakMb: number | undefined }>;
}

/** Starts the CLI from source in a child process with `args` and the given environment additions. */
export async function startRecordsChild(args: string[], env: Record<string, string> = {}): Promise<ChildRun> {
  built ??= bundle();
  const script = await built;
  // node_modules/.records-child-*/ sits in the repository, so the bundle's bare imports resolve.
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.resume();
  const done = once(child, 'close').then(([code, signal]) => {
    const kb = /peak-rss-kb (\d+)/.exec(stderr)?.[1];
    return {
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
      stderr,
      peakMb: kb === undefined ? undefined : Number(kb) / 1024,
    };
  });
  return { child, done };
}
