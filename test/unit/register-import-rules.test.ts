/**
 * The register import from the supervisor's console (R1, R10), called on the core with the
 * harness's deps: what a file that cannot be read, a file without one good row, a register too
 * large for the store and a file that would shrink the register answer, and what a good import
 * stores and records.
 */
import { describe, expect, it } from 'vitest';
import { kvnrCheckDigit } from '../../src-main/core/kvnr.js';
import type { RegisterStore } from '../../src-main/core/ports.js';
import type { InsuredPerson } from '../../src-main/core/register/person.js';
import { importRegisterFromConsole } from '../../src-main/core/supervisor/register-import.js';
import { DEMO_REGISTER } from '../../src-main/demo/demo-register.js';
import { makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';

const HEADER = 'kvnr;first_name;last_name;birth_date;street;postal_code;city;insurance_start;insurance_end;card_number;receipts';
const BOSS = { actor: 'staff:boss-1', terminal: 'counter-1' };
const REASON = 'Monatlicher Abgleich';

function person(n: number): InsuredPerson {
  const body = `B${String(n).padStart(8, '0')}`;
  return {
    kvnr: `${body}${kvnrCheckDigit(body) ?? 0}`,
    firstName: `Vorname${n}`,
    lastName: 'Beispiel',
    birthDate: '1970-01-01',
    street: 'Weg 1',
    postalCode: '53111',
    city: 'Bonn',
    insuranceStart: '2000-01-01',
    cardNumber: '80276883110000012345',
    receipts: [],
  };
}

const row = (p: InsuredPerson) =>
  [p.kvnr, p.firstName, p.lastName, p.birthDate, p.street, p.postalCode, p.city, p.insuranceStart, '', p.cardNumber, ''].join(';');
const csvOf = (persons: readonly InsuredPerson[], extra: readonly string[] = []) => [HEADER, ...persons.map(row), ...extra].join('\n');
const persons = (from: number, count: number) => Array.from({ length: count }, (_, i) => person(from + i));

/** The store with an embedded store's ceiling. */
function capped(store: RegisterStore, maxPersons: number): RegisterStore {
  return {
    getByKvnr: (kvnr) => store.getByKvnr(kvnr),
    findByBirthDate: (date) => store.findByBirthDate(date),
    missingFrom: (kvnrs) => store.missingFrom(kvnrs),
    replaceAll: (list, audit) => store.replaceAll(list, audit),
    count: () => store.count(),
    maxPersons,
  };
}

describe('a register file that cannot be used changes nothing', () => {
  it('a broken CSV structure (an unclosed quote) is refused as STRUCTURE with the line csv-parse names', async () => {
    const h = makeHarness({ register: persons(1, 3) });
    const text = `${csvOf(persons(1, 3))}\n"${row(person(4))}`;
    const answer = await importRegisterFromConsole(h.deps, BOSS, text, REASON);
    expect(answer).toEqual({ ok: false, error: { code: 'CSV_INVALID', details: { problem: 'STRUCTURE', line: 5 } } });
    expect(await h.register.count()).toBe(3);
    expect(h.audit.events().filter((e) => e.type === 'REGISTER_IMPORTED')).toEqual([]);
  });

  it('a file without the required columns is refused with the missing column names', async () => {
    const h = makeHarness();
    const answer = await importRegisterFromConsole(h.deps, BOSS, 'kvnr;first_name;last_name\nA123456780;Erika;Mustermann', REASON);
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'CSV_INVALID',
        details: {
          problem: 'MISSING_COLUMNS',
          missing: ['birth_date', 'street', 'postal_code', 'city', 'insurance_start', 'card_number'],
        },
      },
    });
  });

  it('a file without one valid row is refused as NO_VALID_ROW, listing at most 500 rejected rows but counting all', async () => {
    const h = makeHarness({ register: persons(1, 3) });
    const bad = Array.from({ length: 501 }, (_, i) => `X00000000${i % 10};Bad;Row;1970-01-01;Weg 1;53111;Bonn;2000-01-01;;1;`);
    const answer = await importRegisterFromConsole(h.deps, BOSS, csvOf([], bad), REASON);
    if (answer.ok) throw new Error('expected a refusal');
    expect(answer.error.code).toBe('CSV_INVALID');
    const details = answer.error.details as { problem: string; rejectedCount: number; rejected: { line: number; reasons: string[] }[] };
    expect(details.problem).toBe('NO_VALID_ROW');
    expect(details.rejectedCount).toBe(501);
    expect(details.rejected).toHaveLength(500);
    expect(details.rejected[0]).toEqual({ line: 2, reasons: expect.arrayContaining(['card_number: 20 digits']) as unknown });
    expect(details.rejected.at(-1)?.line).toBe(501);
    expect(await h.register.count()).toBe(3);
  });
});

describe('a register larger than the store holds', () => {
  it('is refused as REGISTER_TOO_LARGE with the count, the ceiling and the way out (PostgreSQL); the ceiling itself is accepted', async () => {
    const h = makeHarness({ register: persons(1, 3) });
    const deps = { ...h.deps, register: capped(h.register, 3) };
    const tooMany = await importRegisterFromConsole(deps, BOSS, csvOf(persons(1, 4)), REASON);
    expect(tooMany).toEqual({ ok: false, error: { code: 'REGISTER_TOO_LARGE', details: { accepted: 4, max: 3, use: 'postgres' } } });
    expect(await h.register.count()).toBe(3);
    const atTheCeiling = await importRegisterFromConsole(deps, BOSS, csvOf(persons(2, 3)), REASON);
    expect(atTheCeiling).toEqual({ ok: true, value: { accepted: 3, rejectedCount: 0, rejected: [] } });
  });

  it('is refused before the shrink check, even when the supervisor confirmed a shrink', async () => {
    const h = makeHarness({ register: persons(1, 10) });
    const deps = { ...h.deps, register: capped(h.register, 2) };
    const answer = await importRegisterFromConsole(deps, BOSS, csvOf(persons(100, 3)), REASON, true);
    expect(answer).toMatchObject({ ok: false, error: { code: 'REGISTER_TOO_LARGE' } });
    expect(await h.register.count()).toBe(10);
  });
});

describe('an import that would shrink the register', () => {
  it('losing a tenth of the register is still allowed; losing more is refused as SHRINKS with the numbers', async () => {
    const h = makeHarness({ register: persons(1, 10) });
    const refused = await importRegisterFromConsole(h.deps, BOSS, csvOf(persons(1, 8), ['kaputt']), REASON);
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'CSV_INVALID',
        details: { problem: 'SHRINKS', current: 10, accepted: 8, removed: 2, removedWithAccount: 0, rejectedCount: 1 },
      },
    });
    expect(await h.register.count()).toBe(10);
    expect(await importRegisterFromConsole(h.deps, BOSS, csvOf(persons(1, 9)), REASON)).toEqual({
      ok: true,
      value: { accepted: 9, rejectedCount: 0, rejected: [] },
    });
    expect(await h.register.count()).toBe(9);
  });

  it('a register of the same size is no shrink, even when every person in it is new', async () => {
    const h = makeHarness({ register: persons(1, 10) });
    expect(await importRegisterFromConsole(h.deps, BOSS, csvOf(persons(50, 10)), REASON)).toMatchObject({ ok: true });
    expect(await h.register.getByKvnr(person(50).kvnr)).toBeDefined();
    expect(await h.register.getByKvnr(person(1).kvnr)).toBeUndefined();
  });

  it('removing one person who has an online account is refused, however small the change', async () => {
    const h = makeHarness();
    await registeredAndConfirmed(h);
    const others = DEMO_REGISTER.filter((p) => p.kvnr !== 'A123456780');
    const answer = await importRegisterFromConsole(h.deps, BOSS, csvOf([...others, person(1)]), REASON);
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'CSV_INVALID', details: { problem: 'SHRINKS', removed: 1, removedWithAccount: 1 } },
    });
    expect(await h.register.getByKvnr('A123456780')).toBeDefined();
  });
});

describe('a good import', () => {
  it('replaces the register and records REGISTER_IMPORTED with the numbers, the reason and the console as its way', async () => {
    const h = makeHarness({ now: '2026-11-29T10:00:00Z', register: persons(1, 10) });
    const answer = await importRegisterFromConsole(h.deps, BOSS, csvOf(persons(1, 8), ['kaputt']), REASON, true);
    expect(answer).toEqual({
      ok: true,
      value: { accepted: 8, rejectedCount: 1, rejected: [{ line: 10, reasons: expect.any(Array) as unknown }] },
    });
    expect(await h.register.count()).toBe(8);
    const entries = h.audit.events().filter((e) => e.type === 'REGISTER_IMPORTED');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: 'staff:boss-1',
      terminal: 'counter-1',
      at: '2026-11-29T10:00:00.000Z',
      data: { accepted: 8, rejected: 1, removed: 2, removedWithAccount: 0, reason: REASON, via: 'console' },
    });
  });

  it('lists at most 500 of its rejected rows and counts them all', async () => {
    const h = makeHarness({ register: persons(1, 3) });
    const bad = Array.from({ length: 501 }, () => 'kaputt');
    const answer = await importRegisterFromConsole(h.deps, BOSS, csvOf(persons(1, 3), bad), REASON);
    if (!answer.ok) throw new Error(answer.error.code);
    expect(answer.value.accepted).toBe(3);
    expect(answer.value.rejectedCount).toBe(501);
    expect(answer.value.rejected).toHaveLength(500);
  });
});
