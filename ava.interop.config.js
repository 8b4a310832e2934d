// Interop tests against the Debian reference packages and ../shared (run by .ci/run).
export default {
  files: ['test/interop/**/*.test.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  timeout: '5m',
  workerThreads: false,
  concurrency: 2,
};
