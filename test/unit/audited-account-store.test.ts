/**
 * The embedded stores record an account's audit entries right after its change (the PostgreSQL
 * store records them in the change's transaction): an insert that is refused and a deletion that
 * finds nothing record nothing, so the trail never shows a registration or a deletion that did not
 * happen.
 */
import { describe, expect, it } from 'vitest';
import { MemoryAuditTrail } from '../../src-main/audit/file-audit-trail.js';
import { AuditedAccountStore } from '../../src-main/store/audited-account-store.js';
import { ShardedAccountStore } from '../../src-main/store/account-store.js';
import { sampleAccount } from '../contract/account-store.contract.js';

const entry = (type: 'REGISTRATION' | 'ACCOUNT_DELETED', subject: string) => [
  { event: { type, subject, actor: 'anonymous', terminal: 'kiosk-a' }, at: new Date('2026-03-02T09:00:00Z') },
];

describe('audit entries of inserts and deletions in the embedded store', () => {
  it('a registration is recorded once, and a refused second one of the same person not at all', async () => {
    const audit = new MemoryAuditTrail();
    const store = new AuditedAccountStore(ShardedAccountStore.inMemory(), audit);
    expect(await store.insert(sampleAccount(1), entry('REGISTRATION', 'acc-1'))).toBe('OK');
    expect(await store.insert({ ...sampleAccount(1), id: 'acc-9', username: 'x', usernameKey: 'x' }, entry('REGISTRATION', 'acc-9'))).toBe(
      'KVNR_TAKEN',
    );
    expect(audit.events().map((e) => `${e.type} ${e.subject}`)).toEqual(['REGISTRATION acc-1']);
  });

  it('two deletions of one account record one ACCOUNT_DELETED; deleting an unknown account records nothing', async () => {
    const audit = new MemoryAuditTrail();
    const store = new AuditedAccountStore(ShardedAccountStore.inMemory(), audit);
    await store.insert(sampleAccount(2));
    await Promise.all([store.delete('acc-2', entry('ACCOUNT_DELETED', 'acc-2')), store.delete('acc-2', entry('ACCOUNT_DELETED', 'acc-2'))]);
    await store.delete('acc-3', entry('ACCOUNT_DELETED', 'acc-3'));
    expect(await store.get('acc-2')).toBeUndefined();
    expect(audit.events().map((e) => `${e.type} ${e.subject}`)).toEqual(['ACCOUNT_DELETED acc-2']);
  });

  it('the bare embedded store refuses entries it cannot record, and changes nothing', async () => {
    const bare = ShardedAccountStore.inMemory();
    await expect(bare.insert(sampleAccount(4), entry('REGISTRATION', 'acc-4'))).rejects.toThrow(/AuditedAccountStore/);
    expect(await bare.get('acc-4')).toBeUndefined();
  });
});
