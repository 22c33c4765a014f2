/**
 * Two terminals as two processes on one PostgreSQL database (R14): each is the real composition
 * root in its own process, driven through its dispatcher like a renderer. What one terminal does
 * must hold at the other at once: uniqueness, exact lock counting, codes, locks lifted at the
 * counter, sessions ended by a password change.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_REGISTER } from '../../src-main/demo/demo-register.js';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { PgRegisterStore } from '../../src-main/store/pg/register-store.js';
import { crashPerson, crashRegister } from '../fixtures/crash-persons.js';
import { erikaInput } from '../fixtures/harness.js';
import { freshDatabase, pgAdminUrl, type TestDatabase } from '../fixtures/pg.js';

const ROOT = resolve(import.meta.dirname, '../..');

interface Outcome {
  result: { ok: true; value: unknown } | { ok: false; error: { code: string; details?: Record<string, unknown> } };
  session?: string | null;
}

class Terminal {
  private next = 1;
  private readonly waiting = new Map<number, (message: Record<string, unknown>) => void>();
  private constructor(
    private readonly child: ChildProcess,
    readonly name: string,
  ) {
    child.on('message', (message: Record<string, unknown>) => {
      const id = message['id'];
      if (typeof id === 'number') this.waiting.get(id)?.(message);
    });
  }

  static start(name: string, dataDir: string, configPath: string, role: 'kiosk' | 'counter'): Promise<Terminal> {
    const child = fork(join(ROOT, 'test/fixtures/pg-terminal.ts'), [dataDir, configPath, role], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    return new Promise((resolveStart, reject) => {
      child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
      child.once('message', () => resolveStart(new Terminal(child, name)));
    });
  }

  request(message: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.next++;
    return new Promise((resolveRequest, reject) => {
      this.waiting.set(id, (answer) => {
        this.waiting.delete(id);
        if (typeof answer['error'] === 'string') reject(new Error(answer['error']));
        else resolveRequest(answer);
      });
      this.child.send({ ...message, id });
    });
  }

  async call(channel: string, input: unknown, token?: string): Promise<Outcome> {
    const answer = await this.request({ op: 'dispatch', channel, input, token, terminal: this.name });
    return answer['outcome'] as Outcome;
  }

  async mails(): Promise<{ to: string; text: string; kind: string }[]> {
    return (await this.request({ op: 'mails' }))['mails'] as { to: string; text: string; kind: string }[];
  }

  async staff(username: string): Promise<string> {
    return (await this.request({ op: 'staff', username }))['token'] as string;
  }

  async close(): Promise<void> {
    await this.request({ op: 'close' }).catch(() => undefined);
  }
}

const codeIn = (text: string) => /^\s+(\d{6,8})$/m.exec(text)?.[1] ?? '';

describe.skipIf(!pgAdminUrl)('two terminals on one PostgreSQL database', () => {
  let database: TestDatabase;
  let root: string;
  let kioskA: Terminal;
  let kioskB: Terminal;
  let counter: Terminal;

  beforeAll(async () => {
    database = await freshDatabase();
    const db = new PgDatabase({ url: database.url });
    await new PgRegisterStore(db).replaceAll([...DEMO_REGISTER, ...crashRegister(10)]);
    await db.close();
    root = mkdtempSync(join(tmpdir(), 'kontokiosk-branch-'));
    const keyFile = join(root, 'branch.key');
    writeFileSync(keyFile, randomBytes(32), { mode: 0o600 });
    const configPath = join(root, 'config.json');
    writeFileSync(configPath, JSON.stringify({ store: { kind: 'postgres', url: database.url, keyFile } }));
    [kioskA, kioskB, counter] = await Promise.all([
      Terminal.start('kiosk-a', join(root, 'a'), configPath, 'kiosk'),
      Terminal.start('kiosk-b', join(root, 'b'), configPath, 'kiosk'),
      Terminal.start('counter-1', join(root, 'c'), configPath, 'counter'),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([kioskA?.close(), kioskB?.close(), counter?.close()]);
    await database?.drop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('two simultaneous registrations of one KVNR or one username give exactly one account', async () => {
    const sameKvnr = await Promise.all([
      kioskA.call('registration.submit', erikaInput({ username: 'erika.a' })),
      kioskB.call('registration.submit', erikaInput({ username: 'erika.b' })),
    ]);
    expect(sameKvnr.filter((o) => o.result.ok)).toHaveLength(1);
    const refused = sameKvnr.find((o) => !o.result.ok);
    expect(refused?.result.ok === false && refused.result.error.code).toBe('ACCOUNT_EXISTS');

    const max = DEMO_REGISTER[1];
    const otto = DEMO_REGISTER[2];
    if (!max || !otto) throw new Error('demo register too short');
    const person = (p: typeof max) => ({ kvnr: p.kvnr, firstName: p.firstName, lastName: p.lastName, birthDate: p.birthDate });
    const sameUsername = await Promise.all([
      kioskA.call('registration.submit', erikaInput({ ...person(max), email: 'max@example.org', username: 'same.name' })),
      kioskB.call('registration.submit', erikaInput({ ...person(otto), email: 'otto@example.org', username: 'Same.Name' })),
    ]);
    expect(sameUsername.filter((o) => o.result.ok)).toHaveLength(1);
    const taken = sameUsername.find((o) => !o.result.ok);
    expect(taken?.result.ok === false && taken.result.error.code).toBe('USERNAME_TAKEN');
  });

  const codeOf = (outcome: Outcome) => (outcome.result.ok ? 'OK' : outcome.result.error.code);

  /** Registers register person `index` (crash-persons.ts) at the terminal and returns its session there. */
  const register = async (at: Terminal, index: number, username: string): Promise<string> => {
    const p = crashPerson(index);
    const outcome = await at.call(
      'registration.submit',
      erikaInput({
        kvnr: p.kvnr,
        firstName: p.firstName,
        lastName: p.lastName,
        birthDate: p.birthDate,
        email: `${username}@example.org`,
        username,
      }),
    );
    expect(codeOf(outcome)).toBe('OK');
    return outcome.session ?? '';
  };
  const PASSWORD = erikaInput()['password'];

  it('20 simultaneous wrong logins split over both terminals lock after exactly 5 and deactivate on the next', async () => {
    await register(kioskA, 3, 'lock.race');
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? kioskA : kioskB).call('session.login', { username: 'lock.race', password: `Wrong*Guess${i}` }),
      ),
    );
    const codes = attempts.map(codeOf);
    expect(codes.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(4);
    expect(codes.filter((c) => c === 'ACCOUNT_LOCKED')).toHaveLength(1);
    expect(codes.filter((c) => c === 'ACCOUNT_DEACTIVATED')).toHaveLength(15);
    const db = new PgDatabase({ url: database.url });
    try {
      const events = await db.query<{ type: string; n: string }>(
        `SELECT type, count(*) AS n FROM audit_events e JOIN accounts a ON a.id = e.subject
          WHERE a.username_key = 'lock.race' AND type IN ('LOGIN_FAILURE', 'ACCOUNT_LOCKED', 'ACCOUNT_DEACTIVATED') GROUP BY type`,
      );
      const count = Object.fromEntries(events.rows.map((r) => [r.type, Number(r.n)]));
      expect(count).toEqual({ LOGIN_FAILURE: 20, ACCOUNT_LOCKED: 1, ACCOUNT_DEACTIVATED: 1 });
      const account = await db.query<{ doc: { login: { failures: number; deactivatedAt?: string } } }>(
        `SELECT doc FROM accounts WHERE username_key = 'lock.race'`,
      );
      expect(account.rows[0]?.doc.login.failures).toBe(5);
      expect(account.rows[0]?.doc.login.deactivatedAt).toBeDefined();
    } finally {
      await db.close();
    }
  });

  it('an e-mail code sent at terminal A is accepted at terminal B', async () => {
    await register(kioskA, 4, 'walks.over');
    const mail = (await kioskA.mails()).filter((m) => m.to === 'walks.over@example.org').at(-1);
    const code = codeIn(mail?.text ?? '');
    expect(code).toMatch(/^\d{6,8}$/);
    const login = await kioskB.call('session.login', { username: 'walks.over', password: PASSWORD });
    expect(codeOf(login)).toBe('OK');
    const confirmed = await kioskB.call('email.confirm', { email: 'walks.over@example.org', code }, login.session ?? '');
    expect(codeOf(confirmed)).toBe('OK');
  });

  it('a lock lifted at the counter is seen at once at the kiosk', async () => {
    await register(kioskA, 5, 'locked.out');
    const failures = [];
    for (let i = 0; i < 5; i++)
      failures.push(codeOf(await kioskA.call('session.login', { username: 'locked.out', password: `Wrong*Guess${i}` })));
    expect(failures.at(-1)).toBe('ACCOUNT_LOCKED');
    const staff = await counter.staff('desk.one');
    const found = await counter.call(
      'counter.search',
      { query: { by: 'USERNAME', username: 'locked.out' }, reason: 'Person am Schalter' },
      staff,
    );
    const accountId = (found.result.ok ? (found.result.value as { accountId: string }[]) : [])[0]?.accountId ?? '';
    expect(accountId).not.toBe('');
    expect(codeOf(await counter.call('counter.liftLock', { accountId, reason: 'Person am Schalter erkannt' }, staff))).toBe('OK');
    // The other kiosk asks the database, not a copy of its own: the lock is gone there at once.
    expect(codeOf(await kioskB.call('session.login', { username: 'locked.out', password: PASSWORD }))).toBe('OK');
  });

  it('a password changed at one terminal ends the sessions of that account at the other', async () => {
    await register(kioskA, 6, 'two.places');
    const atA = await kioskA.call('session.login', { username: 'two.places', password: PASSWORD });
    const atB = await kioskB.call('session.login', { username: 'two.places', password: PASSWORD });
    expect(codeOf(await kioskB.call('onboarding.state', {}, atB.session ?? ''))).toBe('OK');
    const changed = await kioskA.call('password.change', { currentPassword: PASSWORD, newPassword: 'Neues*Kennwort42' }, atA.session ?? '');
    expect(codeOf(changed)).toBe('OK');
    expect(codeOf(await kioskB.call('onboarding.state', {}, atB.session ?? ''))).toBe('NOT_AUTHENTICATED');
    expect(codeOf(await kioskB.call('session.login', { username: 'two.places', password: 'Neues*Kennwort42' }))).toBe('OK');
  });
});
