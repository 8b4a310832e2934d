/**
 * What bin/run.js's fast path needs, in one module: the build bundles this file (with esbuild)
 * into dist/cli/actions/fast-bundle.js so start-up loads one file instead of some twenty.
 */
export { runFast } from './fast-path.js';
export { whisperDump } from './actions/whisper-dump.js';
export { whisperFetch } from './actions/whisper-fetch.js';
export { whisperInfo } from './actions/whisper-info.js';
export { renderAction } from './actions/render.js';
