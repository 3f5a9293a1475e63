/**
 * The `symbiosys-receiver` command: flags and environment become options,
 * and the real thing (the CLI source bundled by esbuild as tsup would, run
 * through the bin shim) listens, takes the given keys, writes the file and
 * exits cleanly on SIGINT and SIGTERM.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLI_PORT, parseCliArgs } from '../../src/receiver/cli-options.js';
import type { ReceivedEvent } from '../../src/receiver/index.js';
import { vendorGetUrl } from './harness.js';
import { rawRequest } from './raw-request.js';

describe('parseCliArgs', () => {
  it.each<[string, string[], Record<string, string>, unknown]>([
    ['defaults', [], {}, { port: DEFAULT_CLI_PORT }],
    [
      'every flag',
      ['--port', '0', '--host', '0.0.0.0', '--key', 'a,b', '--file', 'e.ndjson', '--quiet'],
      {},
      { port: 0, host: '0.0.0.0', apiKeys: ['a', 'b'], file: 'e.ndjson', quiet: true },
    ],
    [
      'short flags, repeated keys',
      ['-p', '9000', '-k', 'a', '-k', 'b, c', '-f', 'x', '-q'],
      {},
      { port: 9000, apiKeys: ['a', 'b', 'c'], file: 'x', quiet: true },
    ],
    [
      'keys from the environment',
      [],
      { SYMBIOSYS_RECEIVER_KEYS: 'k1,k2' },
      { port: DEFAULT_CLI_PORT, apiKeys: ['k1', 'k2'] },
    ],
    [
      '--key wins over the environment',
      ['--key=k3'],
      { SYMBIOSYS_RECEIVER_KEYS: 'k1' },
      { port: DEFAULT_CLI_PORT, apiKeys: ['k3'] },
    ],
  ])('%s', (_, argv, env, options) => {
    expect(parseCliArgs(argv, env)).toEqual({ help: false, options });
  });

  it('--help', () => {
    expect(parseCliArgs(['--help'], {})).toEqual({ help: true });
  });

  it.each([
    [['--port', 'http']],
    [['--port', '70000']],
    [['--port', '-1']],
    [['--key', ' , ']],
    [['--nope']],
    [['extra']],
  ])('refuses %j', (argv) => {
    expect(() => parseCliArgs(argv, {})).toThrow();
  });
});

describe('the command', () => {
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'symbiosys-receiver-cli-'));
    mkdirSync(join(dir, 'bin'));
    copyFileSync(
      fileURLToPath(new URL('../../bin/symbiosys-receiver.mjs', import.meta.url)),
      join(dir, 'bin', 'symbiosys-receiver.mjs'),
    );
    await build({
      entryPoints: [fileURLToPath(new URL('../../src/receiver/cli.ts', import.meta.url))],
      outfile: join(dir, 'dist', 'receiver-cli.js'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function run(args: string[], env: Record<string, string> = {}) {
    const child = spawn(process.execPath, [join(dir, 'bin', 'symbiosys-receiver.mjs'), ...args], {
      env: { ...process.env, ...env },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const listening = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "listening" line in: ${stdout}`)), 10_000);
      child.stdout.on('data', () => {
        const match = /listening on (http:\/\/\S+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1] as string);
        }
      });
      child.on('exit', () => reject(new Error(`exited before listening: ${stdout}`)));
    });
    /** Output travels through a pipe, behind the HTTP answer: wait for it. */
    const until = async (pattern: RegExp): Promise<void> => {
      const deadline = Date.now() + 5000;
      while (!pattern.test(stdout) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(stdout).toMatch(pattern);
    };
    return { child, listening, exited, until, output: () => stdout };
  }

  async function stop(cli: ReturnType<typeof run>, signal: NodeJS.Signals): Promise<number | null> {
    cli.child.kill(signal);
    return cli.exited;
  }

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'serves the given keys, writes the file, frees the port on %s',
    async (signal) => {
      const file = join(dir, `${signal}.ndjson`);
      const cli = run(['--port', '0', '--key', 'k1,k2', '--file', file]);
      const url = await cli.listening;
      expect((await fetch(`${url}${vendorGetUrl('/page_viewjs', 'k2')}`)).status).toBe(200);
      expect((await fetch(`${url}${vendorGetUrl('/page_viewjs', 'test-key')}`)).status).toBe(403);
      await cli.until(/200 GET +\/page_viewjs page_view/);
      await cli.until(/403 GET +\/page_viewjs/);

      expect(await stop(cli, signal)).toBe(0);
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      expect(lines.map((line) => (JSON.parse(line) as ReceivedEvent).record.session_id)).toEqual(['1729694623545']);
      await expect(fetch(url)).rejects.toThrow();
    },
  );

  it('takes its keys from SYMBIOSYS_RECEIVER_KEYS, and is silent with --quiet', async () => {
    const cli = run(['--port', '0', '--quiet'], { SYMBIOSYS_RECEIVER_KEYS: 'from-env' });
    const url = await cli.listening;
    expect((await fetch(`${url}${vendorGetUrl('/orderjs', 'from-env')}`)).status).toBe(200);
    expect(await stop(cli, 'SIGTERM')).toBe(0);
    expect(cli.output()).toMatch(/SIGTERM, closing \(1 event/);
    expect(cli.output()).not.toMatch(/200 GET/);
  });

  it("--host 10.0.2.2: listens on loopback, where an Android emulator's requests to 10.0.2.2 arrive", async () => {
    const cli = run(['--port', '0', '--host', '10.0.2.2']);
    const url = await cli.listening;
    const port = new URL(url).port;
    expect(url).toBe(`http://127.0.0.1:${port}`);
    await cli.until(new RegExp(`emulator: +endpoint: 'http://10\\.0\\.2\\.2:${port}'`));
    const asEmulator = await rawRequest(url, {
      path: vendorGetUrl('/page_viewjs'),
      headers: { host: `10.0.2.2:${port}` },
    });
    expect(asEmulator.status).toBe(200);
    expect(await stop(cli, 'SIGTERM')).toBe(0);
  });

  it('exits with 2 and the usage on a bad flag', async () => {
    const cli = run(['--port', 'x']);
    cli.listening.catch(() => {});
    expect(await cli.exited).toBe(2);
    expect(cli.output()).toMatch(/--port must be an integer/);
    expect(cli.output()).toMatch(/Usage: symbiosys-receiver/);
  });
});
