/**
 * The outbound queue in the branch database (delivery/outbound-queue.ts): one row per message,
 * its scheduling fields in columns beside the document. A change holds the row (FOR UPDATE), so
 * two terminals claiming one message decide one after the other and only one holds it.
 */
import type { PgAuditTrail } from '../../audit/pg-audit-trail.js';
import type { OutboundChange, OutboundRecord, OutboundStore } from '../../core/ports.js';
import { appendInTx } from './audit-in-tx.js';
import type { PgDatabase, Queryable } from './database.js';

type Row = { doc: OutboundRecord };

const columns = (r: OutboundRecord) => [r.id, r.accountId ?? null, r.state, r.nextAttemptAt, r.gaveUpAt ?? null, r];

const INSERT = 'INSERT INTO outbound (id, account_id, state, next_attempt_at, gave_up_at, doc) VALUES ($1, $2, $3, $4, $5, $6)';

/** A code that replaces the account's earlier one drops the waiting records of that code (OutboundRecord.supersedes). */
const SUPERSEDED = `DELETE FROM outbound WHERE account_id = $1 AND state = 'PENDING' AND doc->>'kind' = $2 AND id <> $3`;

async function insert(client: Queryable, record: OutboundRecord): Promise<void> {
  await client.query(INSERT, columns(record));
  if (record.supersedes && record.accountId !== undefined) await client.query(SUPERSEDED, [record.accountId, record.kind, record.id]);
}

/** Queues records inside another store's transaction: the change that creates them commits them. */
export async function insertOutboundInTx(client: Queryable, records: readonly OutboundRecord[] | undefined): Promise<void> {
  for (const record of records ?? []) await insert(client, record);
}

export class PgOutboundStore implements OutboundStore {
  /** With `audit`, the entries of a change are appended in the change's transaction. */
  constructor(
    private readonly db: PgDatabase,
    private readonly audit?: PgAuditTrail,
  ) {}

  add(record: OutboundRecord): Promise<void> {
    return this.db.tx((client) => insert(client, record));
  }

  update<R>(id: string, fn: (current: OutboundRecord) => OutboundChange<R>): Promise<R | undefined> {
    return this.db.tx(async (client) => {
      const current = (await client.query<Row>('SELECT doc FROM outbound WHERE id = $1 FOR UPDATE', [id])).rows[0]?.doc;
      if (!current) return undefined;
      const { next, result, audit } = fn(current);
      if (next === null) await client.query('DELETE FROM outbound WHERE id = $1', [id]);
      else if (next !== undefined) {
        await client.query(
          'UPDATE outbound SET account_id = $2, state = $3, next_attempt_at = $4, gave_up_at = $5, doc = $6 WHERE id = $1',
          columns({ ...next, id }),
        );
      }
      await appendInTx(client, this.audit, audit);
      return result;
    });
  }

  async due(now: string, limit: number): Promise<readonly OutboundRecord[]> {
    const rows = await this.db.query<Row>(
      `SELECT doc FROM outbound WHERE state = 'PENDING' AND next_attempt_at <= $1
         AND (doc->>'leaseUntil' IS NULL OR doc->>'leaseUntil' <= $1)
       ORDER BY next_attempt_at, id LIMIT $2`,
      [now, limit],
    );
    return rows.rows.map((r) => r.doc);
  }

  async gaveUp(limit: number): Promise<readonly OutboundRecord[]> {
    const rows = await this.db.query<Row>(`SELECT doc FROM outbound WHERE state = 'GAVE_UP' ORDER BY gave_up_at DESC, id LIMIT $1`, [
      limit,
    ]);
    return rows.rows.map((r) => r.doc);
  }

  async pruneGaveUp(before: string): Promise<number> {
    const result = await this.db.query(`DELETE FROM outbound WHERE state = 'GAVE_UP' AND gave_up_at < $1`, [before]);
    return result.rowCount ?? 0;
  }

  async removeFor(accountId: string): Promise<number> {
    const result = await this.db.query('DELETE FROM outbound WHERE account_id = $1', [accountId]);
    return result.rowCount ?? 0;
  }
}
