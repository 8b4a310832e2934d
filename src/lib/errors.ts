/**
 * The one error family of gph. Every failure a user can cause carries a stable `code`, a one-line
 * message that names the thing and the problem, and a `hint` that says what to do next.
 * `reference` records what the Python reference tool raises in the same situation, so the
 * compatibility mode (GPH_COMPAT=whisper) and the golden-test driver can reproduce it.
 */

/** What the reference implementation (whisper.py and its scripts) reports for the same failure. */
export interface ReferenceError {
  /** Python exception class, e.g. `TimestampNotCovered`, `ValueError`, `struct.error`. */
  type: string;
  /** `str(exception)` as Python prints it. */
  message: string;
}

export interface GphErrorOptions {
  hint?: string;
  cause?: unknown;
  path?: string;
  reference?: ReferenceError;
}

/** An expected failure caused by input, configuration or the environment. */
export class GphError extends Error {
  readonly code: string;
  readonly hint?: string;
  readonly path?: string;
  readonly reference?: ReferenceError;

  constructor(code: string, message: string, options: GphErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GphError';
    this.code = code;
    this.hint = options.hint;
    this.path = options.path;
    this.reference = options.reference;
  }
}

/** A broken invariant inside gph: a bug to be reported, never the user's fault. */
export class InternalError extends Error {
  readonly code = 'INTERNAL';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'InternalError';
  }
}

/** True when `error` is a GphError, optionally with the given code. */
export function isGphError(error: unknown, code?: string): error is GphError {
  return error instanceof GphError && (code === undefined || error.code === code);
}

/** Builds a GphError for a failed system call (ENOENT, EACCES, ...) on `path`. */
export function fileSystemError(error: unknown, path: string, action: string): GphError {
  const errno = error as NodeJS.ErrnoException;
  const code = errno?.code ?? 'EIO';
  const reason = errno?.code === 'ENOENT' ? 'no such file' : errno?.code === 'EACCES' ? 'permission denied' : (errno?.message ?? String(error));
  const hints: Record<string, string> = {
    ENOENT: 'Check the path; create the file first with `gph whisper create`',
    EACCES: 'Check the file permissions or run as a user that may write it',
    EISDIR: 'Give a file, not a directory',
  };
  const pyMessages: Record<string, [string, string]> = {
    ENOENT: ['FileNotFoundError', `[Errno 2] No such file or directory: ${pyQuote(path)}`],
    EACCES: ['PermissionError', `[Errno 13] Permission denied: ${pyQuote(path)}`],
    EISDIR: ['IsADirectoryError', `[Errno 21] Is a directory: ${pyQuote(path)}`],
  };
  const [type, message] = pyMessages[code] ?? ['OSError', errno?.message ?? String(error)];
  return new GphError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_ACCESS', `Cannot ${action} "${path}": ${reason}`, {
    hint: hints[code] ?? 'Check that the path is readable and the disk is healthy',
    cause: error,
    path,
    reference: { type, message },
  });
}

/** The FILE_NOT_FOUND error for a path checked before use. */
export function missingFileError(path: string, action: string): GphError {
  return fileSystemError(Object.assign(new Error(`no such file: ${path}`), { code: 'ENOENT' }), path, action);
}

/** Python's repr() of a str: single quotes unless the text holds a single quote and no double quote. */
export function pyQuote(text: string): string {
  const useDouble = text.includes("'") && !text.includes('"');
  const quote = useDouble ? '"' : "'";
  let out = '';
  for (const ch of text) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return quote + out + quote;
}

/** Why a fetch() with AbortSignal.timeout(timeoutSeconds) failed, in a few words ("connect ECONNREFUSED …"). */
export function fetchFailureReason(error: unknown, timeoutSeconds: number): string {
  if ((error as Error).name === 'TimeoutError') return `no answer within ${timeoutSeconds} s`;
  return (error as { cause?: Error }).cause?.message ?? (error as Error).message;
}
