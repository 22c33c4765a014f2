/**
 * One pool of connections to the branch's PostgreSQL database, shared by every store of a
 * terminal. Transactions are retried when PostgreSQL reports a serialisation failure or a deadlock
 * (the work inside is synchronous and free of side effects, see AccountStore.update), and every
 * failure to reach the database becomes a StoreUnavailableError after the transaction was rolled
 * back: nothing is half done, and the next call simply tries again (the pool reconnects by itself).
 */
import pg from 'pg';
import { StoreUnavailableError } from '../../core/ports.js';

export interface PgOptions {
  readonly url: string;
  /** Connections of this terminal (each terminal has its own pool). */
  readonly poolSize?: number;
  /** How long a call waits for a free connection before it answers STORE_UNAVAILABLE. */
  readonly connectionTimeoutMs?: number;
  /** Longest a single statement may run. */
  readonly statementTimeoutMs?: number;
  /**
   * How long this terminal waits for the answer to a statement before it gives the connection up
   * (a server or network that went silent, which the server's own statement timeout cannot end).
   * By default the statement timeout and five seconds more.
   */
  readonly answerTimeoutMs?: number;
  /** The schema the tables are in, when not `public` (a database shared with other applications). */
  readonly schema?: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error('a schema name is lower-case letters, digits and underscores');
  return schema;
}

export type Queryable = Pick<pg.PoolClient, 'query'>;

/** A statement prepared once per connection under its name (the name must always go with the same text). */
export interface NamedStatement {
  readonly name: string;
  readonly text: string;
}

/** SQLSTATEs after which the same transaction may simply run again. */
const RETRYABLE = new Set(['40001', '40P01']);
/** Connection-level SQLSTATE classes and codes: the database went away or refuses work for now. */
const UNAVAILABLE_CLASSES = ['08', '57'];
const NODE_NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);

export function isUniqueViolation(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError && error.code === '23505';
}

function unavailableReason(error: unknown): string | undefined {
  if (error instanceof StoreUnavailableError) return error.reason;
  if (error instanceof pg.DatabaseError) {
    const code = error.code ?? '';
    return UNAVAILABLE_CLASSES.some((c) => code.startsWith(c)) ? `database error ${code}` : undefined;
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code && NODE_NETWORK.has(code)) return code;
    if (
      /timeout exceeded when trying to connect|Connection terminated|connection error|Client has encountered a connection error|Query read timeout/i.test(
        error.message,
      )
    ) {
      return 'no connection';
    }
  }
  return undefined;
}

/**
 * Whether an error means "this terminal cannot use that database" (down, unreachable, wrong
 * credentials, no such database) rather than a fault in what was asked of it.
 */
export function isConnectionFailure(error: unknown): boolean {
  if (unavailableReason(error) !== undefined) return true;
  const code = error instanceof pg.DatabaseError ? (error.code ?? '') : '';
  return code.startsWith('28') || code === '3D000';
}

/**
 * A database error as far as it may reach a log: its SQLSTATE, severity and the names of the
 * constraint, table and column. PostgreSQL quotes the values themselves in `detail` ("Key
 * (kvnr)=(…) already exists", "Failing row contains (…)" with the whole document), in `where`
 * (the JSON or the COPY line around a refused character) and, for data exceptions (class 22), in
 * the message: none of that is kept.
 */
function withoutValues(error: pg.DatabaseError): pg.DatabaseError {
  const code = error.code ?? '';
  const safe = new pg.DatabaseError(code.startsWith('22') ? `the database refused a value (${code})` : error.message, 0, 'error');
  const { severity, schema, table, column, dataType, constraint, routine } = error;
  return Object.assign(safe, { severity, code: error.code, schema, table, column, dataType, constraint, routine });
}

/**
 * Maps a failure to reach the database to StoreUnavailableError and strips the values from any
 * other database error; anything else is left as it is.
 */
export function translate(error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
  const reason = unavailableReason(error);
  if (reason !== undefined) return new StoreUnavailableError(reason);
  return error instanceof pg.DatabaseError ? withoutValues(error) : error;
}

export class PgDatabase {
  readonly pool: pg.Pool;

  constructor(readonly options: PgOptions) {
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
      statement_timeout: options.statementTimeoutMs ?? 30_000,
      query_timeout: options.answerTimeoutMs ?? (options.statementTimeoutMs ?? 30_000) + 5_000,
      // A connection whose peer vanished without a word is found by TCP, not only by the next write.
      keepAlive: true,
      idleTimeoutMillis: 30_000,
      ...(options.schema ? { options: `-c search_path=${checkSchemaName(options.schema)}` } : {}),
    });
    // An idle connection that the server closed must not crash the process; the next call reconnects.
    this.pool.on('error', () => undefined);
    // Nor one that a transaction or an import holds between two statements (the pool listens only
    // to idle ones): the next statement on it fails as STORE_UNAVAILABLE and it is not reused.
    this.pool.on('connect', (client) => client.on('error', () => undefined));
  }

  /**
   * One statement on a pooled connection. A named statement ({ name, text }: the hot paths) is
   * parsed and planned once per connection and then only executed.
   */
  async query<T extends pg.QueryResultRow>(
    statement: string | NamedStatement,
    values: readonly unknown[] = [],
  ): Promise<pg.QueryResult<T>> {
    try {
      const params = values as unknown[];
      return typeof statement === 'string'
        ? await this.pool.query<T>(statement, params)
        : await this.pool.query<T>({ name: statement.name, text: statement.text, values: params });
    } catch (error) {
      throw translate(error);
    }
  }

  /**
   * Runs `work` in one transaction (READ COMMITTED; rows are locked with SELECT … FOR UPDATE where a
   * decision depends on them). Retried on serialisation failures and deadlocks, at most `attempts` times.
   */
  async tx<T>(work: (client: Queryable) => Promise<T>, attempts = 5): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await this.pool.connect();
      } catch (error) {
        throw translate(error);
      }
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        const reason = unavailableReason(error);
        broken = reason !== undefined;
        if (!broken) await client.query('ROLLBACK').catch(() => (broken = true));
        if (!broken && error instanceof pg.DatabaseError && RETRYABLE.has(error.code ?? '')) {
          if (attempt < attempts) continue;
          // Still in conflict after every retry: nothing was changed; the caller may try again later.
          throw new StoreUnavailableError(`the transaction kept conflicting with others (${error.code})`);
        }
        throw translate(error);
      } finally {
        // A connection that failed is not given back to the pool for the next caller.
        client.release(broken);
      }
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
