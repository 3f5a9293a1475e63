#!/usr/bin/env node
// The package's `symbiosys-records` command: the CLI itself is built by tsup (src/server/ndjson-cli.ts).
import '../dist/records-cli.js';
