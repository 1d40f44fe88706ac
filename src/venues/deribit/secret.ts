// A credential that never prints: String(), JSON.stringify and util.inspect all give
// [redacted]; only reveal() hands the value to the one request that needs it (public/auth).
const REDACTED = '[redacted]';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    if (value.length === 0) throw new Error('a secret must not be empty');
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}
