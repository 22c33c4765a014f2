/** Messages name the branch database by host, port and name, never by anything of its password. */
import { describe, expect, it } from 'vitest';
import { describeDatabase } from '../../src-main/store/pg/branch-store.js';

describe('the branch database in messages', () => {
  it('is host, port and name', () => {
    expect(describeDatabase('postgres://kontokiosk:Geheim-123@db.branch:5433/kontokiosk?sslmode=require')).toBe(
      'db.branch:5433/kontokiosk',
    );
    expect(describeDatabase('postgres://db.branch/kontokiosk')).toBe('db.branch:5432/kontokiosk');
  });

  it('a password with an unencoded slash, which ends the host part early, leaves nothing of itself in the message', () => {
    for (const url of ['postgres://kiosk:1234/Ge@heim@db.branch/kontokiosk', 'postgres://kiosk:5432/abc:def@db/branch']) {
      const said = describeDatabase(url);
      expect(said).toBe('the configured database');
    }
  });

  it('a string that is no URL is not printed at all', () => {
    expect(describeDatabase('host=db password=Geheim-123')).toBe('the configured database');
  });
});
