/**
 * The counter's queue in the branch database: messages persons wrote and help requests from every
 * kiosk of the branch. A help request is decided under a transaction-scoped advisory lock for its
 * terminal, so two taps at once (or two processes) cannot both open one. A change and its audit
 * entries (RecordChange) are written in one transaction: both commit or neither.
 */
import type { PgAuditTrail } from '../../audit/pg-audit-trail.js';
import { isHelpRequest, type HelpRequest, type InboxItem, type InboxRecord } from '../../core/counter/inbox-item.js';
import type { AuditEntry, InboxStore, RecordChange } from '../../core/ports.js';
import { appendInTx } from './audit-in-tx.js';
import type { PgDatabase } from './database.js';

type Row<T> = { doc: T };

export class PgInboxStore implements InboxStore {
  /** With `audit`, the entries of a change are appended in the change's transaction. */
  constructor(
    private readonly db: PgDatabase,
    private readonly audit?: PgAuditTrail,
  ) {}

  async add(item: InboxItem, audit?: readonly AuditEntry[]): Promise<void> {
    const insert = 'INSERT INTO inbox (id, doc) VALUES ($1, $2)';
    // A person's message carries no entry today: one statement, no transaction to wait for.
    if (!audit?.length) {
      await this.db.query(insert, [item.id, item]);
      return;
    }
    await this.db.tx(async (client) => {
      await client.query(insert, [item.id, item]);
      await appendInTx(client, this.audit, audit);
    });
  }

  async get(id: string): Promise<InboxItem | undefined> {
    const found = (await this.db.query<Row<InboxRecord>>('SELECT doc FROM inbox WHERE id = $1 AND NOT is_help', [id])).rows[0]?.doc;
    return found && !isHelpRequest(found) ? found : undefined;
  }

  async list(limit: number): Promise<readonly InboxItem[]> {
    const rows = await this.db.query<Row<InboxItem>>('SELECT doc FROM inbox WHERE NOT is_help ORDER BY closed, at DESC, id LIMIT $1', [
      limit,
    ]);
    return rows.rows.map((r) => r.doc);
  }

  private change<T extends InboxRecord>(id: string, help: boolean, fn: (current: T) => RecordChange<T, unknown>) {
    return this.db.tx(async (client) => {
      const current = (await client.query<Row<T>>('SELECT doc FROM inbox WHERE id = $1 AND is_help = $2 FOR UPDATE', [id, help])).rows[0]
        ?.doc;
      if (!current) return undefined;
      const { next, result, audit } = fn(current);
      if (next) await client.query('UPDATE inbox SET doc = $2 WHERE id = $1', [id, { ...next, id }]);
      await appendInTx(client, this.audit, audit);
      return result;
    });
  }

  update<R>(id: string, fn: (current: InboxItem) => RecordChange<InboxItem, R>): Promise<R | undefined> {
    return this.change(id, false, fn) as Promise<R | undefined>;
  }

  async removeFor(accountId: string): Promise<number> {
    const result = await this.db.query('DELETE FROM inbox WHERE account_id = $1 AND NOT is_help', [accountId]);
    return result.rowCount ?? 0;
  }

  addHelp<R>(
    id: string,
    terminal: string,
    decide: (sameTerminal: readonly HelpRequest[]) => { add?: HelpRequest; result: R; audit?: readonly AuditEntry[] },
  ): Promise<R> {
    return this.db.tx(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`help:${terminal}`]);
      const same = await client.query<Row<HelpRequest>>('SELECT doc FROM inbox WHERE is_help AND terminal = $1', [terminal]);
      const { add, result, audit } = decide(same.rows.map((r) => r.doc));
      if (add) await client.query('INSERT INTO inbox (id, doc) VALUES ($1, $2)', [id, { ...add, id }]);
      await appendInTx(client, this.audit, audit);
      return result;
    });
  }

  async listHelp(limit: number): Promise<readonly HelpRequest[]> {
    const rows = await this.db.query<Row<HelpRequest>>(
      `SELECT doc FROM inbox WHERE is_help ORDER BY closed, CASE WHEN closed THEN NULL ELSE at END ASC, at DESC, id LIMIT $1`,
      [limit],
    );
    return rows.rows.map((r) => r.doc);
  }

  updateHelp<R>(id: string, fn: (current: HelpRequest) => RecordChange<HelpRequest, R>): Promise<R | undefined> {
    return this.change(id, true, fn) as Promise<R | undefined>;
  }

  async pruneHelp(before: string): Promise<number> {
    const result = await this.db.query(`DELETE FROM inbox WHERE is_help AND closed AND at < $1`, [before]);
    return result.rowCount ?? 0;
  }
}
