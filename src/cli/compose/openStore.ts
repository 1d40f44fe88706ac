// Opens the journal database with the CLI's rules: never start over silently on an empty
// database when the configured one is missing (create only on an explicit flag or first run).
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import { StorageError } from '../../../storage/storageError.ts';
import { CliError } from '../cliError.ts';

export async function openJournal(path: string, opts: { create: boolean; synchronous?: 'NORMAL' | 'FULL' }): Promise<SqliteJournalStore> {
  try {
    return await SqliteJournalStore.open({ path, create: opts.create ? 'if-missing' : 'never', synchronous: opts.synchronous ?? 'NORMAL' });
  } catch (err) {
    // Storage's messages name the database already; name it only where one does not.
    if (err instanceof StorageError) throw new CliError(err.message.includes(path) ? err.message : `database ${path}: ${err.message}`, 1);
    throw err;
  }
}
