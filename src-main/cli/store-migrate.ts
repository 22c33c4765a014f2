/**
 * Moves a single kiosk's embedded store into a branch database (PostgreSQL), losing no account:
 *   npm run store:migrate -- <data directory> <postgres url> --key-file <path for the branch key>
 * Run it with the kiosk stopped (it takes the data directory's lock). The data directory's key
 * becomes the branch key, because codes, keys, tokens and staff TOTP seeds were sealed with it:
 * it is written to --key-file (never into the database), and every terminal of the branch gets a
 * copy. The register is streamed in first; accounts (their mailbox messages split out into their
 * own table), staff, the counter's queue and one STORE_MIGRATED audit entry then go in one
 * transaction, so the database holds all of it or none. The audit file stays in the data
 * directory as the archive of the kiosk's history: the database's chain starts with an entry that
 * names the file trail's last entry and hash, so the two chains are tied. The target must be
 * empty; the data directory is left as it was, so a failed move changes nothing there.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { headPathFor, readHead } from '../audit/audit-head.js';
import { deriveAuditKeys } from '../audit/hash-chain.js';
import { PgAuditTrail } from '../audit/pg-audit-trail.js';
import { verifyAuditFile } from '../audit/verify-trail.js';
import type { Account, MailboxMessage } from '../core/account.js';
import { MARKER_FILE, openDataDirectory, STORE_DIR } from '../startup/data-dir.js';
import { exitOnStartupRefusal } from '../startup/refusal.js';
import { ShardedAccountStore } from '../store/account-store.js';
import { LowdbInboxStore } from '../store/inbox-store.js';
import { FileMailboxStore, MAILBOX_DIR } from '../store/mailbox-store.js';
import { copyInto, copyRow } from '../store/pg/copy-text.js';
import { PgDatabase, type Queryable } from '../store/pg/database.js';
import { describeDatabase } from '../store/pg/branch-store.js';
import { migrateSchema } from '../store/pg/migrate.js';
import { copyLine, replaceRegister } from '../store/pg/register-store.js';
import { LowdbRegisterStore } from '../store/register-store.js';
import { LowdbStaffStore } from '../store/staff-store.js';

const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--key-file');
const keyIndex = process.argv.indexOf('--key-file');
const keyFile = keyIndex >= 0 ? process.argv[keyIndex + 1] : undefined;
const [dirArg, url] = positional;
if (!dirArg || !url || !keyFile) {
  console.error('usage: npm run store:migrate -- <data directory> <postgres url> --key-file <path for the branch key>');
  process.exit(64);
}
const dataDir = resolve(dirArg);
const where = describeDatabase(url);
const fail = (message: string): never => {
  console.error(`not migrated: ${message}`);
  return process.exit(1);
};
if (!existsSync(join(dataDir, MARKER_FILE))) fail(`${dataDir} is not a set-up data directory`);

const opened = await openDataDirectory({
  dataDir,
  auditFile: join(dataDir, 'audit.jsonl'),
  initialRegister: [],
  onLockLost: (error) => fail(`another process took over the data directory (${error.message})`),
}).catch((error: unknown) => exitOnStartupRefusal(error));

/** COPY of rows into `table (columns)` on the transaction's connection (fixed names only). */
const copy = (client: Queryable, table: string, columns: string, rows: AsyncIterable<string>) =>
  copyInto(client, `COPY ${table} (${columns}) FROM STDIN`, rows);

try {
  await opened.guard(async () => {
    // The kiosk's trail must be intact: its end is what the database's chain is tied to.
    const auditPath = join(dataDir, 'audit.jsonl');
    const check = await verifyAuditFile(auditPath, { key: opened.key });
    if (!check.ok) fail(`the audit trail of ${dataDir} is not intact (${check.code}); run npm run audit:verify first`);
    const head = await readHead(deriveAuditKeys(opened.key).head, headPathFor(auditPath));
    if (head.kind !== 'VALID') fail('the audit head of the data directory is not valid');
    const trailEnd = head.kind === 'VALID' ? head : { seq: 0, hash: '' };

    // The branch key: the data directory's key, copied out. An existing file must be that very key.
    const existing = existsSync(keyFile) ? await readFile(keyFile) : undefined;
    if (existing && !Buffer.from(existing).equals(Buffer.from(opened.key))) fail(`${keyFile} exists and holds another key`);
    if (!existing) await writeFile(keyFile, opened.key, { mode: 0o600, flag: 'wx' });

    await migrateSchema(url, resolve(import.meta.dirname, '../../assets/migrations'));
    const db = new PgDatabase({ url, statementTimeoutMs: 0 });
    try {
      const counts = await db.query<{ n: string }>(
        `SELECT (SELECT count(*) FROM accounts) + (SELECT count(*) FROM staff) + (SELECT count(*) FROM inbox)
              + (SELECT count(*) FROM mailbox_messages) + (SELECT count(*) FROM audit_events) AS n`,
      );
      if (Number(counts.rows[0]?.n ?? 0) > 0) fail(`the branch database at ${where} already holds data; the target must be empty`);

      const store = join(dataDir, STORE_DIR);
      const register = await LowdbRegisterStore.openDirectory(store);
      const accounts = await ShardedAccountStore.openDirectory(store);
      const staff = await LowdbStaffStore.openDirectory(store);
      const inbox = await LowdbInboxStore.openDirectory(store);
      const mailbox = new FileMailboxStore(join(store, MAILBOX_DIR));

      const imported = await replaceRegister(
        db,
        Readable.from(
          (async function* () {
            for await (const person of register.all()) yield copyLine(person);
          })(),
        ),
      );
      const persons = 'empty' in imported ? 0 : imported.persons;

      const moved = { accounts: 0, messages: 0, staff: 0, inbox: 0 };
      await db.tx(async (client) => {
        await copy(
          client,
          'accounts',
          'id, doc',
          (async function* () {
            for await (const account of accounts.all()) {
              // Messages kept in the account by an earlier version leave the document on the way.
              const { messages: _inDocument, ...box } = account.mailbox;
              const doc: Account = { ...account, mailbox: box };
              moved.accounts += 1;
              yield copyRow([account.id, JSON.stringify(doc)]);
            }
          })(),
        );
        await copy(
          client,
          'mailbox_messages',
          'account_id, id, doc',
          (async function* () {
            for await (const account of accounts.all()) {
              const seen = new Set<string>();
              const all: MailboxMessage[] = [...(account.mailbox.messages ?? []), ...(await mailbox.list(account.id))];
              for (const message of all) {
                if (seen.has(message.id)) continue;
                seen.add(message.id);
                moved.messages += 1;
                yield copyRow([account.id, message.id, JSON.stringify(message)]);
              }
            }
          })(),
        );
        for (const member of await staff.list()) {
          await client.query('INSERT INTO staff (id, doc) VALUES ($1, $2)', [member.id, member]);
          moved.staff += 1;
        }
        const queue = [...(await inbox.list(Number.MAX_SAFE_INTEGER)), ...(await inbox.listHelp(Number.MAX_SAFE_INTEGER))];
        for (const item of queue) {
          await client.query('INSERT INTO inbox (id, doc) VALUES ($1, $2)', [item.id, item]);
          moved.inbox += 1;
        }
        await new PgAuditTrail(db, opened.key).appendIn(
          client,
          {
            type: 'STORE_MIGRATED',
            actor: `staff:${userInfo().username}`,
            terminal: hostname(),
            data: {
              accounts: moved.accounts,
              persons,
              staff: moved.staff,
              inbox: moved.inbox,
              messages: moved.messages,
              fileTrailLastSeq: trailEnd.seq,
              fileTrailLastHash: trailEnd.hash,
            },
          },
          new Date(),
        );
      });
      // Read back what the database holds, not what was sent.
      const stored = await db.query<{ a: string }>('SELECT count(*) AS a FROM accounts');
      if (Number(stored.rows[0]?.a ?? -1) !== moved.accounts) fail('the database holds another number of accounts than were read');
      console.log(
        `migrated ${moved.accounts} accounts (${moved.messages} mailbox messages), ${persons} register persons, ` +
          `${moved.staff} staff and ${moved.inbox} queue items from ${dataDir} into the branch database at ${where}`,
      );
      console.log(`the branch key is ${keyFile}: copy it to every terminal of the branch and set store.keyFile to it`);
      console.log(
        `the audit file of ${dataDir} stays there as the kiosk's archive (its last entry, ${trailEnd.seq}, is named in the database's first entry)`,
      );
      console.log(
        `next: set "store": { "kind": "postgres", "url": "…", "keyFile": "${keyFile}" } in config.json and start the kiosk again`,
      );
    } finally {
      await db.close();
    }
  });
} catch (error) {
  exitOnStartupRefusal(error);
}
await opened.release();
