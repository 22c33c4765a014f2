/**
 * Rows for PostgreSQL's COPY in its text format, and streaming them in on a transaction's
 * connection. Used by the register import and by store:migrate. In that format a backslash, the
 * tab between columns and the line break between rows mean something: each is escaped, so a
 * field holds exactly the text it was given (`\N` stays two characters, never NULL; `\.` never
 * ends the data). What the format cannot carry is what PostgreSQL does not store at all: a NUL.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Queryable } from './database.js';

const copyField = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

/** One row: its fields escaped, tab-separated, ended by a line break. */
export const copyRow = (fields: readonly string[]): string => `${fields.map(copyField).join('\t')}\n`;

/** Streams rows into a `COPY … FROM STDIN` statement on the given connection. */
export async function copyInto(client: Queryable, sql: string, rows: Readable | AsyncIterable<string> | Iterable<string>): Promise<void> {
  const stream = (client as unknown as { query: (s: ReturnType<typeof copyFrom>) => NodeJS.WritableStream }).query(copyFrom(sql));
  await pipeline(rows instanceof Readable ? rows : Readable.from(rows), stream);
}
