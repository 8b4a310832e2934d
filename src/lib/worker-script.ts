/**
 * Worker threads run compiled scripts from dist/: when gph runs from its TypeScript sources (the
 * tests, under tsx) the script is not there, and the work runs on the calling thread instead.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** True when the compiled worker script at `url` exists. */
export function workerScriptExists(url: URL): boolean {
  return url.protocol === 'file:' && fs.existsSync(fileURLToPath(url));
}
