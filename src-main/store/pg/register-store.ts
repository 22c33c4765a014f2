/**
 * The register of insured persons in the branch database: one row per person, found by KVNR (the
 * primary key) and, for the counter's search, by birth date and a normalised name. An import never
 * changes the live table row by row: it loads a staging table with COPY, builds its indexes, and
 * swaps it in within one short transaction, so every terminal sees the old register or the new
 * one, never a mixture, and a failed import leaves the old register untouched. Imports run one
 * at a time; the staging table of one that died (a copy of a register's personal data) is removed
 * by the next.
 */
import { Readable } from 'node:stream';
import type { PgAuditTrail } from '../../audit/pg-audit-trail.js';
import type { AuditEntry, RegisterStore } from '../../core/ports.js';
import { appendInTx } from './audit-in-tx.js';
import type { InsuredPerson } from '../../core/register/person.js';
import { copyInto, copyRow } from './copy-text.js';
import { translate, type PgDatabase, type Queryable } from './database.js';

type Row = { doc: InsuredPerson };

/** Lower case, without accents and anything but letters: how the counter's search compares names. */
export function nameKey(person: Pick<InsuredPerson, 'lastName' | 'firstName'>): string {
  const fold = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLocaleLowerCase('de-DE')
      .replace(/ß/g, 'ss')
      .replace(/[^\p{L}]/gu, '');
  return `${fold(person.lastName)}|${fold(person.firstName)}`;
}

/**
 * One line of COPY's text format (copy-text.ts). With `line` (the row's
 * line in an import file) a fifth column, for naming duplicates (replaceRegister's `numbered`).
 */
export function copyLine(person: InsuredPerson, line?: number): string {
  return copyRow([person.kvnr, person.birthDate, nameKey(person), JSON.stringify(person), ...(line === undefined ? [] : [String(line)])]);
}

export class PgRegisterStore implements RegisterStore {
  /** With `audit`, an import's entries are appended in the swap's transaction. */
  constructor(
    private readonly db: PgDatabase,
    private readonly audit?: PgAuditTrail,
  ) {}

  async getByKvnr(kvnr: string): Promise<InsuredPerson | undefined> {
    return (await this.db.query<Row>('SELECT doc FROM register_persons WHERE kvnr = $1', [kvnr])).rows[0]?.doc;
  }

  async findByBirthDate(birthDate: string): Promise<readonly InsuredPerson[]> {
    const rows = await this.db.query<Row>('SELECT doc FROM register_persons WHERE birth_date = $1 ORDER BY name_key, kvnr', [birthDate]);
    return rows.rows.map((r) => r.doc);
  }

  async missingFrom(kvnrs: ReadonlySet<string>): Promise<readonly string[]> {
    return this.db.tx(async (client) => {
      await client.query('CREATE TEMP TABLE import_kvnrs (kvnr text PRIMARY KEY) ON COMMIT DROP');
      await copyInto(client, 'COPY import_kvnrs (kvnr) FROM STDIN', Readable.from([...kvnrs].map((k) => `${k}\n`)));
      const rows = await client.query<{ kvnr: string }>(
        'SELECT r.kvnr FROM register_persons r WHERE NOT EXISTS (SELECT 1 FROM import_kvnrs i WHERE i.kvnr = r.kvnr) ORDER BY r.kvnr',
      );
      return rows.rows.map((r) => r.kvnr);
    });
  }

  async replaceAll(persons: readonly InsuredPerson[], audit: readonly AuditEntry[] = []): Promise<void> {
    if (audit.length > 0 && !this.audit) throw new Error('this store has no audit trail to record in');
    await replaceRegister(this.db, Readable.from(persons.map((person) => copyLine(person))), {
      beforeCommit: (client) => appendInTx(client, this.audit, audit),
    });
  }

  async count(): Promise<number> {
    return Number((await this.db.query<{ n: string }>('SELECT count(*) AS n FROM register_persons')).rows[0]?.n ?? 0);
  }
}

const IMPORT_LOCK = "SELECT pg_advisory_lock(hashtext('kontokiosk:register-import'))";
const IMPORT_UNLOCK = "SELECT pg_advisory_unlock(hashtext('kontokiosk:register-import'))";
/** The names this module gives staging tables; nothing else is ever dropped by name. */
const STAGING_NAME = /^register_staging_[a-z0-9]+$/;

async function dropLeftStaging(client: Queryable): Promise<void> {
  const left = await client.query<{ name: string }>(
    `SELECT relname AS name FROM pg_class
      WHERE relkind = 'r' AND relname LIKE 'register\\_staging\\_%' AND relnamespace = current_schema()::regnamespace`,
  );
  for (const { name } of left.rows) if (STAGING_NAME.test(name)) await client.query(`DROP TABLE IF EXISTS ${name}`);
}

/**
 * Loads COPY lines (kvnr, birth date, name key, document) into a staging table and swaps it in.
 * The staging table is built outside the swap's transaction, so the live register stays readable
 * while millions of rows load; the swap itself takes a moment. A KVNR twice fails the import.
 * Loading and indexing millions of rows takes minutes, far beyond the statement timeout that keeps
 * a terminal's queries short: this connection goes without it until the swap.
 */
export async function replaceRegister(
  db: PgDatabase,
  lines: Readable,
  options: {
    readonly numbered?: boolean;
    readonly refuseEmpty?: boolean;
    /** Runs in the swap's transaction (the import's audit entry): it commits with the swap or neither does. */
    readonly beforeCommit?: (
      client: Queryable,
      outcome: { readonly persons: number; readonly duplicateLines: readonly number[] },
    ) => Promise<void>;
  } = {},
): Promise<{ readonly persons: number; readonly duplicateLines: readonly number[] } | { readonly empty: true }> {
  let duplicateLines: number[] = [];
  let persons = 0;
  const client = await db.pool.connect();
  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const staging = `register_staging_${suffix}`;
  let broken = false;
  try {
    await client.query('SET statement_timeout = 0');
    // One import at a time (a second waits); so a staging table found now is left by an import
    // that died (process killed, connection lost) and holds a copy of a register: it goes.
    await client.query(IMPORT_LOCK);
    await dropLeftStaging(client);
    await client.query(
      `CREATE UNLOGGED TABLE ${staging} (kvnr text NOT NULL, birth_date text NOT NULL, name_key text NOT NULL, doc jsonb NOT NULL)`,
    );
    try {
      if (options.numbered) {
        // Lines numbered by the import file: a KVNR twice keeps its first line, the later ones are named.
        await client.query(`ALTER TABLE ${staging} ADD COLUMN line integer NOT NULL`);
        await copyInto(client, `COPY ${staging} (kvnr, birth_date, name_key, doc, line) FROM STDIN`, lines);
        await client.query(`CREATE INDEX ${staging}_dup ON ${staging} (kvnr, line)`);
        const removed = await client.query<{ line: number }>(
          `DELETE FROM ${staging} s USING ${staging} t WHERE s.kvnr = t.kvnr AND s.line > t.line RETURNING s.line`,
        );
        duplicateLines = [...new Set(removed.rows.map((r) => r.line))].sort((a, b) => a - b);
        await client.query(`DROP INDEX ${staging}_dup`);
        await client.query(`ALTER TABLE ${staging} DROP COLUMN line`);
      } else {
        await copyInto(client, `COPY ${staging} (kvnr, birth_date, name_key, doc) FROM STDIN`, lines);
      }
      persons = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${staging}`)).rows[0]?.n ?? 0);
      if (persons === 0 && options.refuseEmpty) {
        // Nothing valid to import: the register stays as it is.
        await client.query(`DROP TABLE ${staging}`);
        return { empty: true };
      }
      await client.query(`ALTER TABLE ${staging} SET LOGGED`);
      await client.query(`ALTER TABLE ${staging} ADD CONSTRAINT ${staging}_pkey PRIMARY KEY (kvnr)`);
      await client.query(`CREATE INDEX ${staging}_search ON ${staging} (birth_date, name_key)`);
      // The swap keeps the bound: it must not wait without end for the live table's lock.
      await client.query('RESET statement_timeout');
      await client.query('BEGIN');
      await client.query('LOCK TABLE register_persons IN ACCESS EXCLUSIVE MODE');
      await client.query('DROP TABLE register_persons');
      await client.query(`ALTER TABLE ${staging} RENAME TO register_persons`);
      await client.query(`ALTER INDEX ${staging}_pkey RENAME TO register_persons_pkey`);
      await client.query(`ALTER INDEX ${staging}_search RENAME TO register_persons_search`);
      await options.beforeCommit?.(client, { persons, duplicateLines });
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.query(`DROP TABLE IF EXISTS ${staging}`).catch(() => (broken = true));
      throw error;
    }
  } catch (error) {
    broken = true;
    // Without the values: a duplicate's KVNR or a COPY line must not reach a log or the console.
    throw translate(error);
  } finally {
    if (!broken) await client.query(IMPORT_UNLOCK).catch(() => (broken = true));
    if (!broken) await client.query('RESET statement_timeout').catch(() => (broken = true));
    client.release(broken);
  }
  return { persons, duplicateLines };
}
