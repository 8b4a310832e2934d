#!/usr/bin/env node
// gph command-line entry point. The hot read commands (whisper fetch, info, dump, render) start on a
// fast path that loads one bundled module and not oclif (src/cli/fast-entry.ts, fast-path.ts);
// everything else, and any unusual argument list, goes through oclif.
const FAST_ACTIONS = { fetch: 'whisperFetch', info: 'whisperInfo', dump: 'whisperDump' };

// A reader that goes away (`gph whisper dump x.wsp | head`) ends gph quietly, as the whisper-*
// scripts end on SIGPIPE, instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

const argv = process.argv.slice(2);
const action = argv[0] === 'whisper' ? FAST_ACTIONS[argv[1]] : argv[0] === 'render' ? 'renderAction' : undefined;
let done = false;
if (action) {
  const fast = await import('../dist/cli/actions/fast-bundle.js');
  done = await fast.runFast(fast[action], argv.slice(argv[0] === 'render' ? 1 : 2));
}
if (!done) {
  const { execute } = await import('@oclif/core');
  await execute({ dir: import.meta.url });
}
