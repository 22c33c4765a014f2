/** Real mail through nodemailer to a local SMTP server (smtp-server), parsed back with mailparser. */
import { simpleParser } from 'mailparser';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src-main/config/config.js';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpMailer } from '../../src-main/delivery/mailer.js';
import { WHO, depsWithMailer, erikaInput, makeHarness } from '../fixtures/harness.js';
import { createCore } from '../../src-main/core/index.js';

const received: { from: string; to: string[]; raw: Buffer }[] = [];
let server: SMTPServer;
let port = 0;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('e-mail over SMTP', () => {
  it('sends the registration code through nodemailer and the code reads back', async () => {
    const h = makeHarness();
    const mailer = new SmtpMailer(
      { host: '127.0.0.1', port, secure: false, requireTls: false },
      { from: 'Kontokiosk <noreply@kontokiosk.invalid>', replyTo: 'Service <service@kontokiosk.invalid>' },
    );
    const core = createCore(depsWithMailer(h, mailer));
    const r = await core.registration.register(WHO, erikaInput());
    expect(r.ok && r.value.emailDelivery).toBe('SENT');
    expect(received).toHaveLength(1);
    const mail = received[0];
    expect(mail?.to).toEqual(['erika@example.org']);
    const parsed = await simpleParser(mail?.raw ?? Buffer.alloc(0));
    expect(parsed.subject).toBe('Kontokiosk: Ihr Bestätigungscode');
    // Sent by a machine (RFC 3834): auto-responders keep quiet; answers go to the service address.
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(parsed.replyTo?.value[0]?.address).toBe('service@kontokiosk.invalid');
    const code = /\b(\d{8})\b/.exec(parsed.text ?? '')?.[1] ?? '';
    expect(code).toMatch(/^\d{8}$/);
    if (!r.ok) return;
    expect((await core.email.confirm(WHO, r.value.accountId, { email: 'erika@example.org', code })).ok).toBe(true);
  });

  it('an unreachable server does not lose the registration: the code mail waits in the queue', async () => {
    const h = makeHarness();
    const mailer = new SmtpMailer({ host: '127.0.0.1', port: 1, secure: false, requireTls: false }, { from: 'x <x@kontokiosk.invalid>' });
    const core = createCore(depsWithMailer(h, mailer));
    const r = await core.registration.register(WHO, erikaInput());
    // A refused connection is worth another try: the mail waits in the queue, sealed.
    expect(r.ok && r.value.emailDelivery).toBe('QUEUED');
    expect(await h.accounts.count()).toBe(1);
    expect(await h.outbound.due('9999', 10)).toEqual([expect.objectContaining({ kind: 'EMAIL_CODE', attempts: 1 })]);
  });
});

/**
 * TLS as Debian's exim4 offers it: STARTTLS with a certificate of its own. Verification is never
 * switched off; the operator names the CA (and the certificate's name) instead.
 */
describe('STARTTLS with a self-signed certificate', () => {
  let dir: string;
  let tlsServer: SMTPServer;
  let tlsPort = 0;
  let quiet: Server;
  let quietPort = 0;
  const delivered: Buffer[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kontokiosk-smtp-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=mail.branch.test',
        '-addext',
        'subjectAltName=DNS:mail.branch.test',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    tlsServer = new SMTPServer({
      authOptional: true,
      key: readFileSync(join(dir, 'key.pem')),
      cert: readFileSync(join(dir, 'cert.pem')),
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          delivered.push(Buffer.concat(chunks));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    tlsPort = (tlsServer.server.address() as AddressInfo).port;
    // A server that accepts the connection and then never says a word.
    quiet = createServer(() => undefined);
    await new Promise<void>((resolve) => quiet.listen(0, '127.0.0.1', resolve));
    quietPort = (quiet.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
    await new Promise<void>((resolve) => quiet.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const mail = { to: 'erika@example.org', subject: 'Test', text: 'Hallo', kind: 'TEST' };
  const settings = { host: '127.0.0.1', port: 0, secure: false, requireTls: true };

  it('is refused without the CA: the certificate is checked, never waved through', async () => {
    const mailer = new SmtpMailer({ ...settings, port: tlsPort, servername: 'mail.branch.test' }, { from: 'x <x@kontokiosk.invalid>' });
    await expect(mailer.send(mail)).rejects.toThrow(/self[- ]signed certificate/i);
    expect(delivered).toHaveLength(0);
  });

  it('goes through with the CA named in the configuration', async () => {
    const mailer = new SmtpMailer(
      { ...settings, port: tlsPort, caFile: join(dir, 'cert.pem'), servername: 'mail.branch.test' },
      { from: 'x <x@kontokiosk.invalid>' },
    );
    await mailer.send(mail);
    expect(delivered).toHaveLength(1);
  });

  it('is refused when the certificate names another server', async () => {
    const mailer = new SmtpMailer(
      { ...settings, port: tlsPort, caFile: join(dir, 'cert.pem'), servername: 'other.branch.test' },
      { from: 'x <x@kontokiosk.invalid>' },
    );
    await expect(mailer.send(mail)).rejects.toThrow(/altnames|does not match|Hostname/i);
  });

  it('ignoreTls together with requireTls is refused: plain text is never a silent fallback', () => {
    expect(() => new SmtpMailer({ ...settings, port: tlsPort, ignoreTls: true }, { from: 'x <x@kontokiosk.invalid>' })).toThrow(
      /contradict/,
    );
    expect(() => parseConfig({ mail: { smtp: { host: 'relay', requireTls: true, ignoreTls: true } } })).toThrow(/ignoreTls/);
  });

  it('a server that never answers costs a registration the greeting timeout, not half a minute, and loses nothing', async () => {
    const h = makeHarness();
    const mailer = new SmtpMailer(
      { ...settings, requireTls: false, port: quietPort, greetingTimeoutMs: 300 },
      { from: 'x <x@kontokiosk.invalid>' },
    );
    await expect(mailer.send(mail)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    const core = createCore(depsWithMailer(h, mailer));
    const r = await core.registration.register(WHO, erikaInput());
    expect(r.ok && r.value.emailDelivery).toBe('QUEUED');
    expect(await h.accounts.count()).toBe(1);
    expect(await h.outbound.due('9999', 10)).toEqual([expect.objectContaining({ kind: 'EMAIL_CODE', lastError: 'ETIMEDOUT' })]);
  });
});
