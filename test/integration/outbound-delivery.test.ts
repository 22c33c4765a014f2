/**
 * Mail that retries, through the whole app: a mail server that does not answer costs a
 * registration the queue's short wait, and the mail goes out once the server answers; a queued
 * mail survives a restart and is sent by the next start; a recipient the server refuses is given
 * up at once and listed for staff; a CA file that is not there refuses the start, named.
 */
import { simpleParser } from 'mailparser';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openApp, type App } from '../../src-main/app.js';
import { parseConfig } from '../../src-main/config/config.js';
import type { OutgoingMail } from '../../src-main/core/ports.js';
import { StartupRefusal } from '../../src-main/startup/refusal.js';
import { erikaInput, FakeClock, fastPasswords, WHO } from '../fixtures/harness.js';
import { signedInSupervisor } from '../fixtures/supervisor.js';

const ASSETS = resolve(import.meta.dirname, '../../assets');
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-outbound-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function open(dir: string, raw: Record<string, unknown>, extra: { clock?: FakeClock; mailer?: App['core']['deps']['mailer'] } = {}) {
  const app = await openApp({
    dataDir: dir,
    assetsDir: ASSETS,
    config: parseConfig({ ...raw, delivery: { passSeconds: 3600, ...((raw['delivery'] as object | undefined) ?? {}) } }),
    passwords: fastPasswords,
    ...(extra.clock ? { clock: extra.clock } : {}),
    ...(extra.mailer ? { mailer: extra.mailer } : {}),
  });
  let closed = false;
  cleanup.push(async () => {
    if (!closed) await app.close();
  });
  return {
    app,
    close: async () => {
      closed = true;
      await app.close();
    },
  };
}

/** A TCP server that accepts and never says a word, whose connections can be cut. */
async function quietServer(): Promise<{ port: number; stop: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as AddressInfo).port,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** An SMTP server on the given port; `refuse` answers 550 to every recipient. */
async function smtpServer(port: number, refuse = false) {
  const received: Buffer[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(_address, _session, callback) {
      if (!refuse) return callback();
      return callback(Object.assign(new Error('Recipient address rejected'), { responseCode: 550 }));
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks));
        callback();
      });
    },
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  cleanup.push(() => new Promise<void>((done) => server.close(() => done())));
  return { received, port: (server.server.address() as AddressInfo).port };
}

const smtpAt = (port: number) => ({ mail: { smtp: { host: '127.0.0.1', port, requireTls: false, greetingTimeoutMs: 10_000 } } });

describe('mail that retries, through the app', () => {
  it('a server that accepts and never answers: the registration answers "on its way" while the try still runs; the mail goes once a server answers', async () => {
    const quiet = await quietServer();
    const clock = new FakeClock(new Date());
    const { app } = await open(tempDir(), { ...smtpAt(quiet.port), delivery: { waitMs: 100 } }, { clock });
    const r = await app.core.registration.register(WHO, erikaInput());
    expect(r.ok && r.value.emailDelivery).toBe('QUEUED');
    if (!r.ok) return;
    // Answered while the first try is still waiting for a greeting that would take 10 s to time out.
    const [held] = await app.core.deps.outbound.due('9999', 10);
    expect(held).toMatchObject({ attempts: 0, state: 'PENDING' });
    // The server goes away; the try fails and waits for its next turn.
    await quiet.stop();
    await vi.waitFor(async () => expect((await app.core.deps.outbound.due('9999', 10))[0]?.attempts).toBe(1), { timeout: 5_000 });
    // A real server answers on the same port now; the next pass after the pause delivers.
    const smtp = await smtpServer(quiet.port);
    clock.advance(30_000);
    expect(await app.outbound.runDue()).toBe(1);
    expect(smtp.received).toHaveLength(1);
    const parsed = await simpleParser(smtp.received[0] ?? Buffer.alloc(0));
    const code = /\b(\d{8})\b/.exec(parsed.text ?? '')?.[1] ?? '';
    expect((await app.core.email.confirm(WHO, r.value.accountId, { email: 'erika@example.org', code })).ok).toBe(true);
    expect(await app.core.deps.outbound.due('9999', 10)).toEqual([]);
  });

  it('a terminal holds a message under way longer than the slowest try its configuration allows, so no other terminal takes it up meanwhile', async () => {
    const quiet = await quietServer();
    cleanup.push(() => quiet.stop());
    const slow = { connectionTimeoutMs: 120_000, greetingTimeoutMs: 120_000, socketTimeoutMs: 300_000 };
    const { app } = await open(tempDir(), { mail: { smtp: { ...smtpAt(quiet.port).mail.smtp, ...slow } }, delivery: { waitMs: 50 } });
    const r = await app.core.registration.register(WHO, erikaInput());
    expect(r.ok && r.value.emailDelivery).toBe('QUEUED');
    const [held] = await app.core.deps.outbound.due('9999', 10);
    const holdMs = new Date(held?.leaseUntil ?? 0).getTime() - new Date(held?.createdAt ?? 0).getTime();
    expect(holdMs).toBe(120_000 + 120_000 + 300_000 + 30_000);
  });

  it('a queued mail survives a restart: the next start sends it', async () => {
    const dir = tempDir();
    const clock = new FakeClock(new Date());
    const down = { send: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNECTION' })) };
    const first = await open(dir, {}, { clock, mailer: down });
    const r = await first.app.core.registration.register(WHO, erikaInput());
    expect(r.ok && r.value.emailDelivery).toBe('QUEUED');
    await first.close();

    const sent: OutgoingMail[] = [];
    clock.advance(30_000);
    const second = await open(dir, {}, { clock, mailer: { send: (mail) => Promise.resolve(void sent.push(mail)) } });
    // The start ran a pass already; this waits for it.
    await second.app.outbound.runDue();
    expect(sent.map((m) => [m.kind, m.to])).toEqual([['EMAIL_CODE', 'erika@example.org']]);
    const code = /\b(\d{8})\b/.exec(sent[0]?.text ?? '')?.[1] ?? '';
    if (!r.ok) return;
    expect((await second.app.core.email.confirm(WHO, r.value.accountId, { email: 'erika@example.org', code })).ok).toBe(true);
  });

  it('a recipient the server refuses is given up at once, the person hears it, and staff see it at the counter', async () => {
    const smtp = await smtpServer(0, true);
    const { app } = await open(tempDir(), smtpAt(smtp.port));
    const r = await app.core.registration.register(WHO, erikaInput());
    expect(r.ok && r.value.emailDelivery).toBe('FAILED');
    // Through the counter's channels, as the console does it.
    const send = await signedInSupervisor(app);
    const list = (await send('undelivered.list', {})) as { ok: boolean; value: { id: string }[] };
    expect(list).toEqual({
      ok: true,
      value: [expect.objectContaining({ channel: 'EMAIL', kind: 'EMAIL_CODE', reason: 'SMTP_550', attempts: 1, username: 'erika.m' })],
    });
    expect(await send('undelivered.dismiss', { id: list.value[0]?.id })).toEqual({ ok: true, value: null });
    expect(await send('undelivered.list', {})).toEqual({ ok: true, value: [] });
    // Nothing was tried again meanwhile, and nothing reached the server.
    expect(smtp.received).toEqual([]);
  });

  it('a CA file that is not there refuses the start and names the file', async () => {
    const missing = join(tempDir(), 'no-such-ca.pem');
    const error = await openApp({
      dataDir: tempDir(),
      assetsDir: ASSETS,
      config: parseConfig({ mail: { smtp: { host: 'mail.branch.test', caFile: missing } } }),
    }).then(
      (app) => app.close().then(() => undefined),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StartupRefusal);
    expect(error).toMatchObject({ code: 'SMTP_CA_UNREADABLE', path: missing });
    expect((error as Error).message).toContain('does not exist');
  });
});
