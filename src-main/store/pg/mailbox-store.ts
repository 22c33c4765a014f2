/**
 * The secure mailbox's messages in the branch database, a row each. Additions are decided under a
 * transaction-scoped advisory lock of the account, so two terminals writing at once cannot both
 * pass the daily limit.
 */
import type { MailboxMessage } from '../../core/account.js';
import type { MailboxStore } from '../../core/ports.js';
import type { PgDatabase, Queryable } from './database.js';

type Row = { doc: MailboxMessage };

const lockAccount = (client: Queryable, accountId: string) =>
  client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`mailbox:${accountId}`]);

export class PgMailboxStore implements MailboxStore {
  constructor(private readonly db: PgDatabase) {}

  async list(accountId: string): Promise<readonly MailboxMessage[]> {
    const rows = await this.db.query<Row>('SELECT doc FROM mailbox_messages WHERE account_id = $1 ORDER BY added', [accountId]);
    return rows.rows.map((r) => r.doc);
  }

  add<R>(accountId: string, decide: (current: readonly MailboxMessage[]) => { add?: readonly MailboxMessage[]; result: R }): Promise<R> {
    return this.db.tx(async (client) => {
      await lockAccount(client, accountId);
      const current = await client.query<Row>('SELECT doc FROM mailbox_messages WHERE account_id = $1 ORDER BY added', [accountId]);
      const { add, result } = decide(current.rows.map((r) => r.doc));
      for (const message of add ?? []) {
        await client.query('INSERT INTO mailbox_messages (account_id, id, doc) VALUES ($1, $2, $3)', [accountId, message.id, message]);
      }
      return result;
    });
  }

  update<R>(accountId: string, id: string, fn: (current: MailboxMessage) => { next?: MailboxMessage; result: R }): Promise<R | undefined> {
    return this.db.tx(async (client) => {
      const found = await client.query<Row>('SELECT doc FROM mailbox_messages WHERE account_id = $1 AND id = $2 FOR UPDATE', [
        accountId,
        id,
      ]);
      const current = found.rows[0]?.doc;
      if (!current) return undefined;
      const { next, result } = fn(current);
      if (next)
        await client.query('UPDATE mailbox_messages SET doc = $3 WHERE account_id = $1 AND id = $2', [accountId, id, { ...next, id }]);
      return result;
    });
  }

  async remove(accountId: string, id: string): Promise<void> {
    await this.db.query('DELETE FROM mailbox_messages WHERE account_id = $1 AND id = $2', [accountId, id]);
  }

  async removeFor(accountId: string): Promise<number> {
    return (await this.db.query('DELETE FROM mailbox_messages WHERE account_id = $1', [accountId])).rowCount ?? 0;
  }
}
