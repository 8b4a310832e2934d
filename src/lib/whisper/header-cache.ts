/**
 * A cache of decoded headers (whisper.py CACHE_HEADERS). whisper.py keys it by path only, so a
 * file deleted and re-created under the same name keeps its old header; gph also checks the
 * inode and size unless it runs in compatibility mode.
 */
import type { Header } from './format.js';

interface Entry {
  header: Header;
  identity: string;
}

export class HeaderCache {
  private readonly entries = new Map<string, Entry>();

  /** The cached header of `path` if its identity (inode and size) still matches, or when `identity` is undefined. */
  get(path: string, identity?: string): Header | undefined {
    const entry = this.entries.get(path);
    if (!entry) return undefined;
    if (identity !== undefined && entry.identity !== identity) {
      this.entries.delete(path);
      return undefined;
    }
    return entry.header;
  }

  set(path: string, header: Header, identity = ''): void {
    this.entries.set(path, { header, identity });
  }

  /** Forgets `path` (after its metadata changed). */
  delete(path: string): void {
    this.entries.delete(path);
  }

  clear(): void {
    this.entries.clear();
  }
}
