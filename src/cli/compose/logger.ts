// Structured JSON logs (pino) on stderr; a pretty, human mode for terminals.
import pino from 'pino';
import pretty from 'pino-pretty';
import type { Logger } from '../../engine/engineTypes.ts';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

export function createLogger(level: LogLevel, prettyMode: boolean | undefined): Logger & pino.Logger {
  const usePretty = prettyMode ?? Boolean(process.stderr.isTTY);
  const dest = usePretty
    ? pretty({ destination: 2, colorize: Boolean(process.stderr.isTTY), translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true })
    : pino.destination({ dest: 2, sync: true });
  return pino({ level, base: { app: 'omm-hedger' } }, dest);
}
