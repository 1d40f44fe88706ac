// `omm-hedger journal --db FILE [--vault ID] [--since SEQ] [--all] [--json]`: the transitions,
// one a line, with why each happened (--all: every journaled event).
import type { Command } from 'commander';
import { openJournal } from '../compose/openStore.ts';
import { CliError } from '../cliError.ts';

export function register(program: Command): void {
  program
    .command('journal')
    .description('the journaled transitions, one a line, with why each happened')
    .requiredOption('--db <file>', 'SQLite journal')
    .option('--vault <id>', 'only this vault')
    .option('--since <seq>', 'only events after this journal sequence number')
    .option('--all', 'every journaled event, not only state changes')
    .option('--json', 'one JSON object per line (stable; recordedAt is the only wall-clock field)')
    .action(async (o: { db: string; vault?: string; since?: string; all?: boolean; json?: boolean }) => {
      const since = o.since === undefined ? 0 : Number(o.since);
      if (!Number.isInteger(since) || since < 0) throw new CliError(`--since must be a journal sequence number >= 0, got "${o.since}"`);
      const store = await openJournal(o.db, { create: false });
      try {
        const ids = o.vault ? [o.vault] : await store.vaultIds();
        if (o.vault && !(await store.vaultIds()).includes(o.vault)) throw new CliError(`no vault "${o.vault}" in ${o.db}`);
        for (const id of ids) {
          const rows = await store.readJournal({ vaultId: id, sinceSeq: since });
          let out = '';
          for (const r of rows) {
            if (!o.all && r.fromState === r.toState) continue;
            out += o.json
              ? `${JSON.stringify(r)}\n`
              : `${r.vaultId} #${r.seq} ${new Date(r.at).toISOString()} ${r.fromState || '(new)'} -> ${r.toState} on ${r.eventType}: ${r.reason}\n`;
          }
          process.stdout.write(out);
        }
      } finally {
        await store.close();
      }
    });
}
