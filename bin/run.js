#!/usr/bin/env node
// The aep-guardrails command: oclif finds the commands in dist/commands. V8 is tuned for a short batch run
// before anything else is loaded (dist/cli/v8-tuning.js says why).
import { tuneV8ForBatchRun } from '../dist/cli/v8-tuning.js';

tuneV8ForBatchRun();
const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });
