/**
 * Propagation of one interval from a higher- to a lower-precision archive (whisper.py
 * __propagate): the lower point is recomputed from the higher archive's current slots when the
 * fraction of known slots reaches xFilesFactor.
 */
import { aggregate } from './aggregate.js';
import type { ArchiveInfo, Header } from './format.js';
import { WhisperFile, alignDown, decodeSlots } from './whisper-file.js';

/** Propagates the interval containing `timestamp` from `higher` into `lower`; true when a point was written. */
export function propagate(file: WhisperFile, header: Header, timestamp: number, higher: ArchiveInfo, lower: ArchiveInfo): boolean {
  const lowerStart = alignDown(timestamp, lower.secondsPerPoint);
  const higherBase = file.baseInterval(higher);
  const firstOffset = WhisperFile.slotOffset(higher, higherBase, lowerStart);
  const pointsPerLower = Math.floor(lower.secondsPerPoint / higher.secondsPerPoint);
  const relativeLast = ((firstOffset - higher.offset) + pointsPerLower * 12) % higher.size;
  const bytes = file.readRing(higher, firstOffset, higher.offset + relativeLast);
  const neighbors = decodeSlots(bytes, lowerStart, higher.secondsPerPoint, file.path);
  const known = neighbors.filter((v): v is number => v !== null);
  if (known.length === 0) return false;
  if (!(known.length / neighbors.length >= header.xFilesFactor)) return false;
  const value = aggregate(header.aggregationMethod, known, neighbors);
  const lowerBase = file.baseInterval(lower);
  file.writePoint(WhisperFile.slotOffset(lower, lowerBase, lowerStart), lowerStart, value);
  return true;
}
