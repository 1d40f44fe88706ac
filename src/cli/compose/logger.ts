// Structured JSON logs (pino) on stderr; a pretty, human mode for terminals (pino-pretty is
// imported only then).
import pino from 'pino';
import type { Logger } from '../../engine/engineTypes.ts';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

export async function createLogger(level: LogLevel, prettyMode: boolean | undefined): Promise<Logger & pino.Logger> {
  const usePretty = prettyMode ?? Boolean(process.stderr.isTTY);
  const dest = usePretty
    ? (await import('pino-pretty')).default({ destination: 2, colorize: Boolean(process.stderr.isTTY), translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true })
    : pino.destination({ dest: 2, sync: true });
  return pino({ level, base: { app: 'omm-hedger' } }, dest);
}
