#!/usr/bin/env node
// gph command-line entry point. The hot read commands (whisper fetch, info, dump) start on a
// fast path that does not load oclif (src/cli/fast-path.ts); everything else, and any unusual
// argument list, goes through oclif.
const FAST_ACTIONS = {
  fetch: ['../dist/cli/actions/whisper-fetch.js', 'whisperFetch'],
  info: ['../dist/cli/actions/whisper-info.js', 'whisperInfo'],
  dump: ['../dist/cli/actions/whisper-dump.js', 'whisperDump'],
};

const argv = process.argv.slice(2);
const fast = argv[0] === 'whisper' ? FAST_ACTIONS[argv[1]] : undefined;
let done = false;
if (fast) {
  const [[actionModule, { runFast }]] = [await Promise.all([import(fast[0]), import('../dist/cli/fast-path.js')])];
  done = await runFast(actionModule[fast[1]], argv.slice(2));
}
if (!done) {
  const { execute } = await import('@oclif/core');
  await execute({ dir: import.meta.url });
}
