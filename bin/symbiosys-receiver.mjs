#!/usr/bin/env node
// The package's `symbiosys-receiver` command: the CLI itself is built by tsup (src/receiver/cli.ts).
import '../dist/receiver-cli.js';
