/**
 * Letter routes through the app as it runs: with the postal route to a provider (a local server)
 * and the counter route to a printer (a fake `lp` first on PATH), the activation key reaches the
 * provider with the register's address and a PDF that holds the key (entering it confirms the
 * identity), and a temporary password set at the counter reaches lp (logging in with it works).
 * Nothing of either lands in the outbox folder. A letter whose dispatch fails gives the same
 * answer a failing outbox write gives.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src-main/app.js';
import { parseConfig } from '../../src-main/config/config.js';
import type { OutgoingMail } from '../../src-main/core/ports.js';
import { DEMO_REGISTER } from '../../src-main/demo/demo-register.js';
import { jobName } from '../../src-main/delivery/letter-dispatch.js';
import { installFakeLp } from '../fixtures/fake-lp.js';
import { erikaInput, FakeClock, fastPasswords, WHO } from '../fixtures/harness.js';
import { readyStaff } from '../fixtures/staff.js';

const assetsDir = resolve(import.meta.dirname, '../../assets');
const TOKEN = 'tok_live_5f1c0e9a7b3d';
const scratch = mkdtempSync(join(tmpdir(), 'kontokiosk-letter-app-'));
let lp: ReturnType<typeof installFakeLp>;
let server: Server;
let providerUrl = '';
const uploads: { headers: IncomingMessage['headers']; body: Buffer }[] = [];
/** The provider's next answers (status codes); empty: 201. */
const providerAnswers: number[] = [];
const apps: App[] = [];

beforeAll(async () => {
  lp = installFakeLp();
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = providerAnswers.shift() ?? 201;
      if (status === 201) uploads.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(status, { 'content-type': 'application/json' }).end(status === 201 ? '{"id":"L-1"}' : '{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  providerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/letters`;
});
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});
afterAll(async () => {
  lp.restore();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(scratch, { recursive: true, force: true });
});

let serial = 0;
async function open(letters: Record<string, unknown>) {
  const dataDir = join(scratch, `data-${(serial += 1)}`);
  const clock = new FakeClock(new Date('2026-11-30T09:00:00Z'));
  const mails: OutgoingMail[] = [];
  const mailer = {
    send: (mail: OutgoingMail) => {
      mails.push(mail);
      return Promise.resolve();
    },
  };
  const config = parseConfig({ letters });
  mkdirSync(dataDir);
  writeFileSync(join(dataDir, 'letters.token'), `${TOKEN}\n`, { mode: 0o600 });
  const app = await openApp({ dataDir, assetsDir, clock, passwords: fastPasswords, mailer, config });
  apps.push(app);
  return { app, clock, mails };
}

const must = <T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }): T => {
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
};

const pdfText = (bytes: Uint8Array): string => {
  const file = join(scratch, `letter-${(serial += 1)}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
};

/** Registers Erika and confirms her e-mail with the code from the recorded mail. */
async function registered(app: App, mails: OutgoingMail[]): Promise<string> {
  const { accountId } = must(await app.core.registration.register(WHO, erikaInput()));
  const code = /\b(\d{8})\b/.exec(mails.at(-1)?.text ?? '')?.[1] ?? '';
  must(await app.core.email.confirm(WHO, accountId, { email: 'erika@example.org', code }));
  return accountId;
}

/** A counter clerk's session on the app's counter dispatcher. */
async function counterClerk(app: App, clock: FakeClock) {
  const staff = await readyStaff({ core: app.core, clock } as unknown as Parameters<typeof readyStaff>[0], 'berta.meier', 'staff');
  const counter = app.dispatcherFor('counter');
  return (channel: string, payload: unknown) => counter.dispatch(channel, payload, { sessionToken: staff.token, terminal: 'counter-1' });
}

const postalHttp = { kind: 'http', url: '', tokenFile: 'letters.token', timeoutMs: 5_000 };

describe('letters through the app', () => {
  it('the activation key goes to the provider with the address and the PDF; the temporary password to the counter printer', async () => {
    const { app, clock, mails } = await open({
      postal: { ...postalHttp, url: providerUrl },
      counter: { kind: 'print', printer: 'Schalter-1' },
    });
    const accountId = await registered(app, mails);

    must(await app.core.identity.requestLetter(WHO, accountId));
    const upload = uploads.at(-1);
    if (!upload) throw new Error('nothing uploaded');
    expect(upload.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const form = await new Request('http://parser.invalid/', {
      method: 'POST',
      headers: { 'content-type': upload.headers['content-type'] ?? '' },
      body: new Uint8Array(upload.body),
    }).formData();
    const erika = DEMO_REGISTER[0];
    expect(JSON.parse(String(form.get('address')))).toEqual({
      name: `${erika?.firstName} ${erika?.lastName}`,
      street: erika?.street,
      postalCode: erika?.postalCode,
      city: erika?.city,
    });
    const file = form.get('file');
    if (!(file instanceof Blob)) throw new Error('no PDF');
    const letter = pdfText(new Uint8Array(await file.arrayBuffer()));
    const key = /\b([A-Z0-9]{4}(?:-[A-Z0-9]{4}){5})\b/.exec(letter)?.[1] ?? '';
    must(await app.core.identity.enterKey(WHO, accountId, key));
    // The audit trail names the letter by the reference the provider got.
    const sent = (await app.core.deps.audit.history(accountId, 50)).find((e) => e.type === 'ACTIVATION_KEY_SENT');
    expect(jobName(String(sent?.data?.['letterRef']))).toBe(form.get('reference'));

    const send = await counterClerk(app, clock);
    const before = lp.calls().length;
    const answer = await send('counter.temporaryPassword', { accountId, reason: 'Passwort vergessen', document: 'ID_CARD' });
    const { letterRef } = must(answer.result) as { letterRef: string };
    const calls = lp.calls();
    expect(calls).toHaveLength(before + 1);
    const printed = calls.at(-1);
    expect(printed?.args).toEqual(['-d', 'Schalter-1', '-t', jobName(letterRef)]);
    expect(printed?.input.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const password = /\b([a-z2-9]{4} [a-z2-9]{4} [a-z2-9]{4})\b/.exec(pdfText(printed?.input ?? new Uint8Array()))?.[1] ?? '';
    expect((await app.core.login.withPassword(WHO, { username: 'erika.m', password })).ok).toBe(true);

    // Neither letter was left in the outbox folder.
    expect(readdirSync(join(app.paths.outbox, 'letters'))).toEqual([]);
    expect(await app.letterRoutes.counter.probe()).toMatchObject({ ok: true });
    expect(await app.letterRoutes.postal.probe()).toMatchObject({ ok: true });
  });

  it('a printer that does not exist gives the same answer as an outbox that cannot be written', async () => {
    const printing = await open({ counter: { kind: 'print', printer: 'nosuch' } });
    const outbox = await open({});
    const answers = [];
    for (const { app, clock, mails } of [printing, outbox]) {
      const accountId = await registered(app, mails);
      const send = await counterClerk(app, clock);
      // The outbox's letters folder becomes a file: no write there can succeed, not even as root.
      if (app === outbox.app) {
        rmSync(join(app.paths.outbox, 'letters'), { recursive: true });
        writeFileSync(join(app.paths.outbox, 'letters'), '');
      }
      answers.push((await send('counter.temporaryPassword', { accountId, reason: 'Passwort vergessen', document: 'ID_CARD' })).result);
    }
    expect(answers[0]).toEqual({ ok: false, error: { code: 'INTERNAL' } });
    expect(answers[1]).toEqual(answers[0]);
  });

  it('a provider that is down gets the letter later: the key is stored now, the letter goes once the provider answers', async () => {
    const { app, clock, mails } = await open({ postal: { ...postalHttp, url: providerUrl } });
    const accountId = await registered(app, mails);
    const before = uploads.length;
    providerAnswers.push(503);
    must(await app.core.identity.requestLetter(WHO, accountId));
    expect(uploads).toHaveLength(before);
    const [waiting] = await app.core.deps.outbound.due('9999', 10);
    expect(waiting).toMatchObject({ channel: 'LETTER', kind: 'ACTIVATION_KEY', attempts: 1, lastError: 'PROVIDER_ERROR' });
    // Sealed in the queue: the key is not readable there.
    expect(JSON.stringify(waiting)).not.toMatch(/[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    clock.advance(30_000);
    expect(await app.outbound.runDue()).toBe(1);
    expect(uploads).toHaveLength(before + 1);
    const form = await new Request('http://parser.invalid/', {
      method: 'POST',
      headers: { 'content-type': uploads.at(-1)?.headers['content-type'] ?? '' },
      body: new Uint8Array(uploads.at(-1)?.body ?? Buffer.alloc(0)),
    }).formData();
    const file = form.get('file');
    if (!(file instanceof Blob)) throw new Error('no PDF');
    const key = /\b([A-Z0-9]{4}(?:-[A-Z0-9]{4}){5})\b/.exec(pdfText(new Uint8Array(await file.arrayBuffer())))?.[1] ?? '';
    must(await app.core.identity.enterKey(WHO, accountId, key));
    // The reference the audit trail names is the one the provider got, though it went later.
    const sent = (await app.core.deps.audit.history(accountId, 50)).find((e) => e.type === 'ACTIVATION_KEY_SENT');
    expect(jobName(String(sent?.data?.['letterRef']))).toBe(form.get('reference'));
  });

  it('a provider that refuses the letter for good: nothing is stored, the answer says so, staff see it', async () => {
    const { app, mails } = await open({ postal: { ...postalHttp, url: providerUrl } });
    const accountId = await registered(app, mails);
    providerAnswers.push(422);
    await expect(app.core.identity.requestLetter(WHO, accountId)).rejects.toThrow();
    expect((await app.core.deps.accounts.get(accountId))?.identity.letter).toBeUndefined();
    expect(await app.core.deps.outbound.gaveUp(10)).toEqual([
      expect.objectContaining({ channel: 'LETTER', kind: 'ACTIVATION_KEY', lastError: 'PROVIDER_REFUSED', accountId }),
    ]);
  });
});
