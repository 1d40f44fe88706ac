// public/auth answer. Tokens are secrets: errors never quote them (parseWith names fields only).
import { wireAuth } from './wire/schemas.ts';
import { parseWith } from './parseWith.ts';

export interface AuthTokens {
  accessToken: string;
  refreshToken: string;
  /** Lifetime of the access token, seconds. */
  expiresInSec: number;
  scope: string;
}

export function parseAuth(raw: unknown): AuthTokens {
  const w = parseWith(wireAuth, raw, 'auth answer');
  return { accessToken: w.access_token, refreshToken: w.refresh_token, expiresInSec: w.expires_in, scope: w.scope };
}
