// The one error type storage throws. `kind` tells the engine and the CLI what went wrong
// without parsing messages: every kind means "stop at once, act on nothing uncommitted".

export type StorageErrorKind =
  /** Not a database, or its pages fail PRAGMA quick_check (SQLITE_CORRUPT / SQLITE_NOTADB). */
  | 'corrupt'
  /** Another connection holds the lock longer than the busy timeout (SQLITE_BUSY / SQLITE_LOCKED). */
  | 'locked'
  /** Disk or max_page_count full (SQLITE_FULL). */
  | 'full'
  /** The database file does not exist and creation was not allowed (or SQLITE_CANTOPEN). */
  | 'missing'
  /** The database schema version is newer than this code knows. */
  | 'too-new'
  /** A broken invariant: duplicate (vault, seq), duplicate fill id, NOT NULL/NaN (SQLITE_CONSTRAINT). */
  | 'constraint'
  /** Used after close. */
  | 'closed'
  /** Anything else: I/O errors, read-only files, misuse. */
  | 'io';

export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly kind: StorageErrorKind;
  /** The sqlite error code when there was one, e.g. 'SQLITE_FULL'. */
  readonly code: string | undefined;

  constructor(kind: StorageErrorKind, message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.code = options?.code;
  }
}

const KIND_BY_CODE: Record<string, StorageErrorKind> = {
  SQLITE_CORRUPT: 'corrupt',
  SQLITE_NOTADB: 'corrupt',
  SQLITE_BUSY: 'locked',
  SQLITE_LOCKED: 'locked',
  SQLITE_FULL: 'full',
  SQLITE_CANTOPEN: 'missing',
  SQLITE_CONSTRAINT: 'constraint',
  SQLITE_MISUSE: 'closed',
};

const HINT_BY_KIND: Partial<Record<StorageErrorKind, string>> = {
  corrupt: 'the database file is damaged; restore it from a backup',
  locked: 'another process holds the database lock',
  full: 'the disk (or the database size limit) is full',
  constraint: 'a storage invariant was broken; nothing of this transaction was written',
};

/** The sqlite error code ('SQLITE_BUSY') of a driver error, if any. */
export function sqliteCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = err.code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
  }
  return undefined;
}

/**
 * Wraps any driver error in a StorageError. `doing` says what we were doing, e.g.
 * "commit to ./data/omm-hedger.db". A StorageError passes through unchanged.
 */
export function toStorageError(err: unknown, doing: string): StorageError {
  if (err instanceof StorageError) return err;
  const code = sqliteCode(err);
  const kind: StorageErrorKind = (code !== undefined ? KIND_BY_CODE[code] : undefined) ?? 'io';
  const detail = err instanceof Error ? err.message : String(err);
  const hint = code === 'SQLITE_NOTADB' ? 'the file is not a database: check the path' : HINT_BY_KIND[kind];
  const message = `${doing} failed: ${detail}${hint === undefined ? '' : ` (${hint})`}`;
  return new StorageError(kind, message, code === undefined ? { cause: err } : { cause: err, code });
}
