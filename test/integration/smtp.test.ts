/** Real mail through nodemailer to a local SMTP server (smtp-server), parsed back with mailparser. */
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpMailer } from '../../src-main/delivery/mailer.js';
import { WHO, erikaInput, makeHarness } from '../fixtures/harness.js';
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
    const mailer = new SmtpMailer({ host: '127.0.0.1', port, secure: false, requireTls: false }, 'Kontokiosk <noreply@kontokiosk.invalid>');
    const core = createCore({ ...h.core.deps, mailer });
    const r = await core.registration.register(WHO, erikaInput());
    expect(r.ok && r.value.emailSent).toBe(true);
    expect(received).toHaveLength(1);
    const mail = received[0];
    expect(mail?.to).toEqual(['erika@example.org']);
    const parsed = await simpleParser(mail?.raw ?? Buffer.alloc(0));
    expect(parsed.subject).toBe('Kontokiosk: Ihr Bestätigungscode');
    const code = /\b(\d{8})\b/.exec(parsed.text ?? '')?.[1] ?? '';
    expect(code).toMatch(/^\d{8}$/);
    if (!r.ok) return;
    expect((await core.email.confirm(WHO, r.value.accountId, { email: 'erika@example.org', code })).ok).toBe(true);
  });

  it('an unreachable server does not lose the registration', async () => {
    const h = makeHarness();
    const mailer = new SmtpMailer({ host: '127.0.0.1', port: 1, secure: false, requireTls: false }, 'x <x@kontokiosk.invalid>');
    const core = createCore({ ...h.core.deps, mailer });
    const r = await core.registration.register(WHO, erikaInput());
    expect(r.ok && r.value.emailSent).toBe(false);
    expect(await h.accounts.count()).toBe(1);
  });
});
