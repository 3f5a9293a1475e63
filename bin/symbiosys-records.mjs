#!/usr/bin/env node
// The package's `symbiosys-records` command. The CLI (built by tsup from src/server/records-cli.ts)
// only exports its runner, so that importing it never starts it: this file is the program, and runs it.
import { runRecordsCli } from '../dist/records-cli.js';

process.exitCode = await runRecordsCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
