// A user-facing CLI failure: printed as one line (no stack trace) with a non-zero exit code.
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'CliError';
  }
}
