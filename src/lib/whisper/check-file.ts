/**
 * checkFile(): structural checks of a whisper file, stricter than whisper.py's header parse:
 * the header decodes, archives are laid out back to back right after it, their settings follow
 * the archive rules, maxRetention matches, and the file is exactly as long as the layout says.
 */
import fs from 'node:fs';
import { isGphError } from '../errors.js';
import { fileSizeOf, headerSize } from './format.js';
import { resolveOptions } from './options.js';
import { validateArchiveList } from './retention.js';
import { WhisperFile } from './whisper-file.js';

export interface FileCheck {
  path: string;
  ok: boolean;
  /** One line per problem found; empty when ok. */
  problems: string[];
  /** Total slots in the file (when the header could be read). */
  points?: number;
}

/** Checks one file; never throws for a damaged or unreadable file. */
export function checkFile(path: string): FileCheck {
  let header;
  let size;
  try {
    ({ header, size } = WhisperFile.with(path, 'read', resolveOptions(), (file) => ({ header: file.header(), size: file.size() })));
  } catch (error) {
    const message = isGphError(error) ? error.message : String(error);
    return { path, ok: false, problems: [message] };
  }
  const problems: string[] = [];
  if (header.archives.length === 0) problems.push('header lists no archives');
  let expectedOffset = headerSize(header.archives.length);
  header.archives.forEach((archive, i) => {
    if (archive.offset !== expectedOffset) problems.push(`archive ${i} starts at byte ${archive.offset}, expected ${expectedOffset}`);
    if (archive.points === 0 || archive.secondsPerPoint === 0) problems.push(`archive ${i} has ${archive.points} points of ${archive.secondsPerPoint}s`);
    expectedOffset = archive.offset + archive.size;
  });
  try {
    validateArchiveList(header.archives.map((a) => ({ secondsPerPoint: a.secondsPerPoint, points: a.points })));
  } catch (error) {
    if (isGphError(error)) problems.push(`archives break the whisper rules: ${error.message}`);
  }
  const lastRetention = Math.max(0, ...header.archives.map((a) => a.retention));
  if (header.archives.length > 0 && header.maxRetention !== lastRetention) problems.push(`maxRetention is ${header.maxRetention}, archives cover ${lastRetention}`);
  const expectedSize = fileSizeOf(header.archives);
  if (size < expectedSize) problems.push(`file is truncated: ${size} bytes, the archives need ${expectedSize}`);
  else if (size > expectedSize) problems.push(`file has ${size - expectedSize} bytes after the last archive`);
  const points = header.archives.reduce((sum, a) => sum + a.points, 0);
  return { path, ok: problems.length === 0, problems, points };
}

/** Every *.wsp file under `root` (or `root` itself when it is a file), sorted. */
export function listWhisperFiles(root: string): string[] {
  if (!fs.statSync(root).isDirectory()) return [root];
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile() && entry.name.endsWith('.wsp'))
    .map((entry) => `${entry.parentPath ?? (entry as unknown as { path: string }).path}/${entry.name}`)
    .sort();
}
