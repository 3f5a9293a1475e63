/**
 * `symbiosys-receiver`: starts a receiver from flags, prints where it
 * listens, and shuts down cleanly (server closed, file closed) on SIGINT or
 * SIGTERM. Built by tsup into `dist/receiver-cli.js`.
 */
import { listenAddress } from './access.js';
import { USAGE, parseCliArgs } from './cli-options.js';
import type { CliCommand } from './cli-options.js';
import { startReceiver } from './index.js';

async function main(): Promise<void> {
  let command: CliCommand;
  try {
    command = parseCliArgs(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`symbiosys-receiver: ${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (command.help) {
    console.log(USAGE);
    return;
  }

  const { options } = command;
  const receiver = await startReceiver({
    log: (line) => console.log(`${new Date().toTimeString().slice(0, 8)} ${line}`),
    ...options,
  });
  console.log(`Symbiosys receiver listening on ${receiver.url}`);
  console.log(`  live log:  ${receiver.url}/`);
  console.log(`  SDK:       endpoint: '${receiver.url}'`);
  const { host } = options;
  if (host !== undefined && listenAddress(host) !== host) {
    console.log(`  emulator:  endpoint: 'http://${host}:${new URL(receiver.url).port}'`);
  }
  console.log(`  API keys:  ${(options.apiKeys ?? ['test-key']).join(', ')}`);
  if (options.file !== undefined) console.log(`  NDJSON:    ${options.file}`);

  const stop = (signal: NodeJS.Signals): void => {
    console.log(`symbiosys-receiver: ${signal}, closing (${receiver.events.length} event(s) received)`);
    receiver.close().then(
      () => {
        // Nothing is left to keep the loop alive: Node exits with code 0 once stdout drains.
      },
      (error: unknown) => {
        console.error('symbiosys-receiver: could not close cleanly:', error);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`symbiosys-receiver: ${(error as Error).message}`);
  process.exitCode = 1;
});
