/**
 * COPY's text format carries any text PostgreSQL stores, exactly (copy-text.ts): persons through
 * the register import (copyLine, replaceRegister), accounts and mailbox messages the way
 * store:migrate sends them (copyRow into `accounts (id, doc)` and `mailbox_messages (account_id,
 * id, doc)`), with tabs, line breaks, carriage returns, backslashes, quotes, `\N`, `\.`, emoji,
 * combining marks and very long names, read back from a real database and compared whole.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account, MailboxMessage } from '../../src-main/core/account.js';
import type { InsuredPerson } from '../../src-main/core/register/person.js';
import { copyInto, copyRow } from '../../src-main/store/pg/copy-text.js';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { copyLine, PgRegisterStore, replaceRegister } from '../../src-main/store/pg/register-store.js';
import { Readable } from 'node:stream';
import { sampleAccount } from '../contract/account-store.contract.js';
import { freshDatabase, pgAdminUrl, type TestDatabase } from '../fixtures/pg.js';

const SPECIAL = [
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\\',
  '\\\\',
  '\\N',
  '\\.',
  '\\t',
  '"',
  "'",
  '\u2028',
  '😀',
  '👩‍👩‍👧',
  'e\u0301',
  'ß',
  '\u00A0',
  '\u001F',
  '\u007F',
];

/** Text PostgreSQL stores (no NUL, no lone surrogate), rich in what COPY treats specially. */
const text = (maxParts = 12) =>
  fc
    .array(
      fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ unit: 'grapheme', maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 })),
      {
        maxLength: maxParts,
      },
    )
    .map((parts) => parts.join(''))
    .filter((s) => s.isWellFormed() && !s.includes('\u0000'));
const longName = fc.integer({ min: 2_000, max: 20_000 }).map((n) => 'Ä\t\\'.repeat(Math.ceil(n / 3)).slice(0, n));
const name = fc.oneof({ weight: 4, arbitrary: text() }, { weight: 1, arbitrary: longName });

const person = (i: number) =>
  fc.record({ kvnr: text(4), firstName: name, lastName: name, street: text(), city: text() }).map((p): InsuredPerson => ({
    // Unique within a register; the rest of the key is arbitrary text.
    kvnr: `${i}|${p.kvnr}`,
    firstName: p.firstName,
    lastName: p.lastName,
    birthDate: '1984-08-12',
    street: p.street,
    postalCode: '51147',
    city: p.city,
    insuranceStart: '2004-01-01',
    cardNumber: '80276883110000012345',
    receipts: [{ date: '2026-03-04', provider: p.street, service: p.city, amountCents: 4213 }],
  }));

describe.skipIf(!pgAdminUrl)('COPY round trip through a real database', () => {
  let database: TestDatabase;
  let db: PgDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
    db = new PgDatabase({ url: database.url });
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it('persons come back from the register exactly as imported, numbered or not', async () => {
    await fc.assert(
      fc.asyncProperty(fc.tuple(person(1), person(2), person(3)), fc.boolean(), async (persons, numbered) => {
        const lines = persons.map((p, i) => copyLine(p, numbered ? i + 2 : undefined));
        await replaceRegister(db, Readable.from(lines), { numbered });
        const register = new PgRegisterStore(db);
        expect(await register.count()).toBe(persons.length);
        for (const p of persons) expect(await register.getByKvnr(p.kvnr)).toEqual(p);
      }),
      { numRuns: 25 },
    );
  });

  it('accounts and their mailbox messages come back exactly as store:migrate sent them', async () => {
    const account = fc.record({ id: text(4), username: name, email: text(), street: text() });
    const message = fc.record({ id: text(4), subject: text(), body: fc.oneof(text(30), longName) });
    await fc.assert(
      fc.asyncProperty(fc.tuple(account, account), fc.array(message, { minLength: 1, maxLength: 4 }), async (pair, messages) => {
        const accounts: Account[] = pair.map((a, i) =>
          sampleAccount(i, {
            id: `${i}|${a.id}`,
            usernameKey: `${i}|${a.username}`,
            kvnr: `${i}|${a.street}`,
            username: a.username,
            email: { email: a.email, resentAt: [] },
          }),
        );
        const mails: MailboxMessage[] = messages.map((m, i) => ({
          id: `${i}|${m.id}`,
          from: 'PERSON',
          subject: m.subject,
          body: m.body,
          at: '2026-11-30T10:00:00.000Z',
          read: false,
        }));
        const owner = accounts[0]?.id ?? '';
        await db.query('TRUNCATE accounts, mailbox_messages');
        await db.tx(async (client) => {
          await copyInto(
            client,
            'COPY accounts (id, doc) FROM STDIN',
            accounts.map((a) => copyRow([a.id, JSON.stringify(a)])),
          );
          await copyInto(
            client,
            'COPY mailbox_messages (account_id, id, doc) FROM STDIN',
            mails.map((m) => copyRow([owner, m.id, JSON.stringify(m)])),
          );
        });
        const stored = await db.query<{ id: string; doc: Account }>('SELECT id, doc FROM accounts ORDER BY id');
        expect(stored.rows).toEqual([...accounts].sort((a, b) => (a.id < b.id ? -1 : 1)).map((a) => ({ id: a.id, doc: a })));
        const back = await db.query<{ account_id: string; id: string; doc: MailboxMessage }>(
          'SELECT account_id, id, doc FROM mailbox_messages ORDER BY added',
        );
        expect(back.rows).toEqual(mails.map((m) => ({ account_id: owner, id: m.id, doc: m })));
      }),
      { numRuns: 25 },
    );
  });
});
