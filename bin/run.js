#!/usr/bin/env node
// The aep-guardrails command: oclif finds the commands in dist/commands. V8 is tuned for a short batch run
// before anything else is loaded (dist/cli/v8-tuning.js says why), and oclif is the one-file build of it that
// the commands import too (dist/cli/bundle-commands.js).
import { tuneV8ForBatchRun } from '../dist/cli/v8-tuning.js';

tuneV8ForBatchRun();
// oclif checks Node against its own engines range on load, which requires all of semver (47 modules, ~7 ms of
// every run); npm already holds Node to this package's narrower range (package.json engines).
process.env['OCLIF_DISABLE_ENGINE_WARNING'] ??= '1';
const { execute } = await import('../dist/vendor/oclif-core.js');
await execute({ dir: import.meta.url });
