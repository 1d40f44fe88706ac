// A user-facing CLI failure: printed as one line (no stack trace) with a non-zero exit code.
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'CliError';
  }
}

/** Runs f; what it throws becomes a CliError with the same message (a domain function refusing its input). */
export function asCliError<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}
