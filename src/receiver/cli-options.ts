/** The receiver CLI's flags and environment, read into `startReceiver` options. */
import { parseArgs } from 'node:util';
import type { ReceiverOptions } from './index.js';

/** A fixed port by default, so a page under test can keep one `endpoint`; `--port 0` picks a free one. */
export const DEFAULT_CLI_PORT = 7878;

export const USAGE = `Usage: symbiosys-receiver [options]

A local Symbiosys Event API: shows what the SDK sends, refuses what the real
API would refuse (400 naming each bad field, 403 for a bad key).

Options:
  -p, --port <n>      port to listen on (default ${DEFAULT_CLI_PORT}; 0 = any free port)
      --host <h>      interface to listen on, and a Host name answered besides
                      localhost, 127.0.0.1 and [::1] (default 127.0.0.1);
                      --host 10.0.2.2 listens on 127.0.0.1 for an Android
                      emulator, which reaches this machine by that address
  -k, --key <k1,k2>   accepted API keys (default: $SYMBIOSYS_RECEIVER_KEYS, else test-key)
  -f, --file <path>   append each accepted event to this NDJSON file
  -q, --quiet         no line per request
  -h, --help          this text

Open the printed URL in a browser for a live log of decoded events.`;

export type CliCommand = { help: true } | { help: false; options: ReceiverOptions };

function keyList(text: string): string[] {
  return text
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
}

/** Throws an `Error` whose message is fit to print above the usage text. */
export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      key: { type: 'string', short: 'k', multiple: true },
      file: { type: 'string', short: 'f' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };

  const portText = values.port ?? String(DEFAULT_CLI_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new Error(`--port must be an integer from 0 to 65535, not "${portText}"`);

  const keyText = values.key?.join(',') ?? env['SYMBIOSYS_RECEIVER_KEYS'];
  const apiKeys = keyText === undefined ? undefined : keyList(keyText);
  if (apiKeys?.length === 0) throw new Error('--key (or SYMBIOSYS_RECEIVER_KEYS) names no key');

  const options: ReceiverOptions = { port };
  if (values.host !== undefined) options.host = values.host;
  if (apiKeys !== undefined) options.apiKeys = apiKeys;
  if (values.file !== undefined) options.file = values.file;
  if (values.quiet) options.quiet = true;
  return { help: false, options };
}
