/**
 * E-mail through nodemailer: SMTP when configured, otherwise .eml files in the outbox folder, so a
 * tester can read every message the app sent and staff can open it. Outbox files are named by the
 * account they belong to (pseudonymous id), so they can go with the account.
 */
import nodemailer from 'nodemailer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock, Mailer, OutgoingMail } from '../core/ports.js';
import { writeFileDurably } from '../lib/durable-file.js';
import { outboxName } from './outbox-name.js';

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly requireTls: boolean;
  /**
   * For a relay on this machine without TLS only: no STARTTLS at all. Must be said explicitly; it is
   * refused together with requireTls, and nothing falls back to plain text by itself.
   */
  readonly ignoreTls?: boolean | undefined;
  /** CA certificate(s) (PEM) that sign the server's certificate, e.g. a relay's own CA; verification stays on. */
  readonly caFile?: string | undefined;
  /** The name the server's certificate carries, when it differs from `host` (e.g. host is an IP address). */
  readonly servername?: string | undefined;
  readonly connectionTimeoutMs?: number | undefined;
  readonly greetingTimeoutMs?: number | undefined;
  readonly socketTimeoutMs?: number | undefined;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
}

/** Headers of every mail: it was sent by a machine (RFC 3834), so auto-responders keep quiet; answers go where configured. */
export interface MailHeaders {
  readonly from: string;
  readonly replyTo?: string | undefined;
}

function envelope(headers: MailHeaders, mail: OutgoingMail) {
  return {
    from: headers.from,
    ...(headers.replyTo ? { replyTo: headers.replyTo } : {}),
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}

/** Thrown at construction when the configured CA file cannot serve: the start is refused, naming it. */
export class SmtpCaFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`mail.smtp.caFile ${file}: ${problem}`);
    this.name = 'SmtpCaFileError';
  }
}

function readCaFile(file: string): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new SmtpCaFileError(file, code === 'ENOENT' ? 'the file does not exist' : `the file cannot be read (${code})`);
  }
  // Without a certificate in it every mail would fail later, one by one, with a TLS error.
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new SmtpCaFileError(file, 'the file holds no PEM certificate');
  return pem;
}

/** Anything shaped like an e-mail address in a server's answer. */
const ADDRESS = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g;

export class SmtpMailer implements Mailer {
  private readonly transport;

  constructor(
    settings: SmtpSettings,
    private readonly headers: MailHeaders,
  ) {
    if (settings.ignoreTls && settings.requireTls) throw new Error('ignoreTls and requireTls contradict each other');
    const tls = {
      ...(settings.caFile ? { ca: [readCaFile(settings.caFile)] } : {}),
      ...(settings.servername ? { servername: settings.servername } : {}),
    };
    this.transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      requireTLS: settings.requireTls,
      ignoreTLS: settings.ignoreTls === true,
      ...(Object.keys(tls).length > 0 ? { tls } : {}),
      // A server that accepts and then says nothing must not hold a person at the kiosk for half a minute.
      connectionTimeout: settings.connectionTimeoutMs ?? 5_000,
      greetingTimeout: settings.greetingTimeoutMs ?? 5_000,
      socketTimeout: settings.socketTimeoutMs ?? 10_000,
      ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
    });
  }

  /** Connects, says hello, negotiates TLS and logs in as send() would, and sends nothing (the health check). */
  async verify(): Promise<void> {
    try {
      await this.transport.verify();
    } finally {
      this.transport.close();
    }
  }

  async send(mail: OutgoingMail): Promise<void> {
    try {
      await this.transport.sendMail(envelope(this.headers, mail));
    } catch (error) {
      // The operator learns that and why mail fails, without the address or the content: a server
      // that refuses a recipient names it in its answer ("550 <erika@…>: Recipient address rejected").
      const code = (error as { code?: unknown }).code;
      const why = ((error as Error).message.split('\n')[0] ?? '').replace(ADDRESS, '<address>');
      console.error(`[mail] not sent (${mail.kind}): ${typeof code === 'string' ? code : 'error'} ${why}`.trim());
      throw error;
    }
  }
}

export class OutboxMailer implements Mailer {
  private readonly transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(
    private readonly dir: string,
    private readonly headers: MailHeaders,
    private readonly clock: Clock = { now: () => new Date() },
  ) {}

  async send(mail: OutgoingMail): Promise<void> {
    const info = await this.transport.sendMail(envelope(this.headers, mail));
    await writeFileDurably(join(this.dir, outboxName(mail.kind, 'eml', this.clock.now(), mail.accountId)), info.message as Buffer);
  }
}
