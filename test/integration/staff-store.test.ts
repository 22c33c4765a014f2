/** The staff and inbox files: unique usernames under concurrency, durable across a restart, damage refused. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LowdbInboxStore } from '../../src-main/store/inbox-store.js';
import { DamagedFileError } from '../../src-main/store/json-file.js';
import { LowdbStaffStore, STAFF_FILE_NAME } from '../../src-main/store/staff-store.js';
import { sampleStaff } from '../fixtures/staff.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-staff-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const staff = sampleStaff;

describe('staff store', () => {
  it('of two inserts of one username at the same time (any case) exactly one succeeds', async () => {
    const store = await LowdbStaffStore.openDirectory(tempDir());
    const results = await Promise.all([store.insert(staff('a', 'anna.schmidt')), store.insert(staff('b', 'Anna.Schmidt'))]);
    expect(results.sort()).toEqual(['OK', 'USERNAME_TAKEN']);
    expect(await store.list()).toHaveLength(1);
  });

  it('keeps confirmed changes across a restart, and updates are exact under concurrency', async () => {
    const dir = tempDir();
    const store = await LowdbStaffStore.openDirectory(dir);
    await store.insert(staff('a', 'anna.schmidt'));
    await Promise.all(
      Array.from({ length: 20 }, () =>
        store.update('a', (s) => ({ next: { ...s, login: { failures: s.login.failures + 1 } }, result: null })),
      ),
    );
    const reopened = await LowdbStaffStore.openDirectory(dir);
    expect((await reopened.get('a'))?.login.failures).toBe(20);
    expect(await reopened.findByUsernameKey('anna.schmidt')).toMatchObject({ id: 'a' });
  });

  it('refuses a damaged file instead of starting without staff accounts, naming no content', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, STAFF_FILE_NAME), JSON.stringify({ records: { a: { ...staff('a', 'anna.schmidt'), role: 'admin' } } }));
    const opened = LowdbStaffStore.openDirectory(dir);
    await expect(opened).rejects.toBeInstanceOf(DamagedFileError);
    await expect(opened).rejects.not.toThrow(/anna/);
  });
});

describe('inbox store', () => {
  it('lists open messages first, newest first, and removes an account’s messages in one write', async () => {
    const dir = tempDir();
    const inbox = await LowdbInboxStore.openDirectory(dir);
    const item = (id: string, accountId: string, at: string) => ({ id, accountId, subject: id, body: 'b', at });
    await inbox.add(item('m1', 'acc-1', '2026-11-30T08:00:00.000Z'));
    await inbox.add(item('m2', 'acc-2', '2026-11-30T09:00:00.000Z'));
    await inbox.add(item('m3', 'acc-1', '2026-11-30T10:00:00.000Z'));
    await inbox.update('m3', (m) => ({ next: { ...m, handledAt: '2026-11-30T11:00:00.000Z' }, result: null }));
    expect((await inbox.list(10)).map((m) => m.id)).toEqual(['m2', 'm1', 'm3']);
    expect(await inbox.removeFor('acc-1')).toBe(2);
    const reopened = await LowdbInboxStore.openDirectory(dir);
    expect((await reopened.list(10)).map((m) => m.id)).toEqual(['m2']);
  });
});
