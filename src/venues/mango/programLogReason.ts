// Turns a failed transaction's program logs into a one-line reject reason.
// Mango v3 logs its error as `Program log: <MangoErrorCode>; source: src/<file>.rs:<line>`
// (or a plain message), then the runtime logs `Program <id> failed: <error>`. The client only
// throws "Transaction failed", so the adapter fetches the logs and reads them here.

const LOG_PREFIX = 'Program log: ';
const FAILED_RE = /^Program \w+ failed: (.+)$/;

/** The reason to report, or undefined when the logs say nothing useful. */
export function programLogReason(logs: readonly string[] | null | undefined, err?: unknown): string | undefined {
  let logLine: string | undefined;
  let failedLine: string | undefined;
  for (const line of logs ?? []) {
    const failed = FAILED_RE.exec(line);
    if (failed?.[1] !== undefined) failedLine = failed[1];
    if (line.startsWith(LOG_PREFIX)) {
      const msg = line.slice(LOG_PREFIX.length).trim();
      // "Instruction: X" lines name the instruction; they are not the error.
      if (msg.length > 0 && !msg.startsWith('Instruction:')) logLine = msg;
    }
  }
  if (logLine !== undefined && failedLine !== undefined) return `${logLine} (${failedLine})`;
  if (logLine !== undefined) return logLine;
  if (failedLine !== undefined) return failedLine;
  if (err !== undefined && err !== null) return `transaction error ${JSON.stringify(err)}`;
  return undefined;
}
