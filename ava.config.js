// Unit and integration tests: everything that needs only Node and this repository.
export default {
  files: ['test/**/*.test.ts', '!test/interop/**'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  timeout: '2m',
  workerThreads: false,
};
