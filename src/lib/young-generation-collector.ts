/**
 * A young-generation collection (V8's scavenge) on demand, for a daemon to run when it is idle.
 * Left to itself V8 scavenges when the young generation fills, which for the cache daemon is
 * while a burst of points is being read: a 3–6 ms pause in the middle of it (measured in the
 * steady scenario of bench:cache, one run in two or three). Run right after the writer has
 * emptied the cache, the same scavenge costs ~0.5–3 ms of a thread with nothing else to do, and
 * the next burst starts with an empty young generation. Node has no API for it: V8's --expose-gc
 * is turned on at run time and `gc` taken from a fresh context (where the flag applies).
 */
import v8 from 'node:v8';
import vm from 'node:vm';

type GcFunction = (options?: { type?: 'major' | 'minor' }) => void;

let collector: (() => void) | null | undefined;

/** The collector, or undefined where the engine does not offer one. */
export function youngGenerationCollector(): (() => void) | undefined {
  if (collector === undefined) {
    collector = null;
    try {
      v8.setFlagsFromString('--expose-gc');
      const gc = vm.runInNewContext('gc') as GcFunction | undefined;
      if (typeof gc === 'function') collector = () => gc({ type: 'minor' });
    } catch {
      collector = null;
    }
  }
  return collector ?? undefined;
}
