/**
 * info(): the decoded header of a file, plus its size on disk.
 */
import type { Header } from './format.js';
import { type WhisperOptions, resolveOptions } from './options.js';
import { WhisperFile } from './whisper-file.js';

export interface FileInfo extends Header {
  fileSize: number;
}

/** Reads the header of `path`. Throws FILE_NOT_FOUND, or WHISPER_CORRUPT for a bad header. */
export function info(path: string, options: WhisperOptions = {}): FileInfo {
  return WhisperFile.with(path, 'read', resolveOptions(options), (file) => ({ ...file.header(), fileSize: file.size() }));
}
