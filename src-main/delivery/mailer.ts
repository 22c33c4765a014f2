/**
 * E-mail through nodemailer: SMTP when configured, otherwise .eml files in the outbox folder, so a
 * tester can read every message the app sent and staff can open it. Outbox files are named by the
 * account they belong to (pseudonymous id), so they can go with the account.
 */
import nodemailer from 'nodemailer';
import { join } from 'node:path';
import type { Clock, Mailer, OutgoingMail } from '../core/ports.js';
import { writeFileDurably } from '../lib/durable-file.js';
import { outboxName } from './outbox-name.js';

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly requireTls: boolean;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
}

export class SmtpMailer implements Mailer {
  private readonly transport;

  constructor(
    settings: SmtpSettings,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      requireTLS: settings.requireTls,
      ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
    });
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text });
  }
}

export class OutboxMailer implements Mailer {
  private readonly transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(
    private readonly dir: string,
    private readonly from: string,
    private readonly clock: Clock = { now: () => new Date() },
  ) {}

  async send(mail: OutgoingMail): Promise<void> {
    const info = await this.transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text });
    await writeFileDurably(join(this.dir, outboxName(mail.kind, 'eml', this.clock.now(), mail.accountId)), info.message as Buffer);
  }
}
