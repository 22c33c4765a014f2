/**
 * Database errors name no values (R13, logs): PostgreSQL quotes the conflicting KVNR or username
 * in a constraint violation's detail, the whole failing row (KVNR, e-mail, password hash) in a
 * check or not-null violation, and the JSON or COPY line around a refused character in its
 * context. Errors the branch store throws reach the dispatcher's log as they are, so each must
 * keep its code and constraint for the operator and lose every value.
 */
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PgAccountStore } from '../../src-main/store/pg/account-store.js';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { PgRegisterStore } from '../../src-main/store/pg/register-store.js';
import { DEMO_REGISTER } from '../../src-main/demo/demo-register.js';
import { sampleAccount } from '../contract/account-store.contract.js';
import { freshDatabase, pgAdminUrl, type TestDatabase } from '../fixtures/pg.js';

/** The error as console.error prints it (message, stack and every property). */
async function logged(work: Promise<unknown>): Promise<{ text: string; error: { code?: string; constraint?: string } }> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e as { code?: string; constraint?: string },
  );
  if (!error) throw new Error('expected the database to refuse');
  return { text: inspect(error, { depth: 5 }), error };
}

describe.skipIf(!pgAdminUrl)('errors of the branch store carry no personal data', () => {
  let database: TestDatabase;
  let db: PgDatabase;

  beforeEach(async () => {
    database = await freshDatabase();
    db = new PgDatabase({ url: database.url });
  });
  afterEach(async () => {
    await db.close();
    await database.drop();
  });

  it('a unique violation keeps its code and constraint, not the KVNR or username it names', async () => {
    const store = new PgAccountStore(db);
    await store.insert(sampleAccount(1, { kvnr: 'A123456780', usernameKey: 'erika.m' }));
    await store.insert(sampleAccount(2, { kvnr: 'B987654320', usernameKey: 'max.m' }));
    const kvnr = await logged(store.update('acc-2', (a) => ({ next: { ...a, kvnr: 'A123456780' }, result: null })));
    expect(kvnr.error).toMatchObject({ code: '23505', constraint: 'accounts_kvnr_unique' });
    expect(kvnr.text).not.toContain('A123456780');
    const username = await logged(store.update('acc-2', (a) => ({ next: { ...a, usernameKey: 'erika.m' }, result: null })));
    expect(username.error).toMatchObject({ code: '23505', constraint: 'accounts_username_key_unique' });
    expect(username.text).not.toContain('erika.m');
  });

  it('a check violation does not carry the failing row (the whole account document)', async () => {
    const store = new PgAccountStore(db);
    const account = sampleAccount(3, { kvnr: 'C123456780', email: { email: 'geheim@example.org', resentAt: [] } });
    const refused = await logged(db.query('INSERT INTO accounts (id, doc) VALUES ($1, $2)', ['other-id', account]));
    expect(refused.error).toMatchObject({ code: '23514', constraint: 'accounts_id_matches' });
    for (const value of ['C123456780', 'geheim@example.org', '$argon2id$fake']) expect(refused.text).not.toContain(value);
    expect(await store.count()).toBe(0);
  });

  it('a character the database cannot store is refused without the text around it', async () => {
    // PostgreSQL names the refused character with the document's text just before it.
    const account = sampleAccount(4, { kvnr: 'D123456780', email: { email: 'geheim@example.org\u0000', resentAt: [] } });
    const refused = await logged(new PgAccountStore(db).insert(account));
    expect(refused.error.code).toBe('22P05');
    expect(refused.text).not.toContain('geheim@example.org');
  });

  it('a register with a KVNR twice fails without naming it', async () => {
    const person = DEMO_REGISTER[0];
    if (!person) throw new Error('setup');
    const refused = await logged(new PgRegisterStore(db).replaceAll([person, { ...person, firstName: 'Zweite' }]));
    expect(refused.error.code).toBe('23505');
    expect(refused.text).not.toContain(person.kvnr);
    expect(await new PgRegisterStore(db).count()).toBe(0);
  });
});
