/**
 * The mail log names why a mail was not sent, never to whom (logs carry no personal data): a
 * server that refuses a recipient quotes the address in its answer, and that answer is what
 * nodemailer's error message carries.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SmtpMailer } from '../../src-main/delivery/mailer.js';

let server: SMTPServer;
let port = 0;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(address, _session, callback) {
      const refused = new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`) as Error & { responseCode: number };
      refused.responseCode = 550;
      callback(refused);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('a recipient the mail server refuses', () => {
  it('is logged with the code and the reason, without the address', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const mailer = new SmtpMailer(
        { host: '127.0.0.1', port, secure: false, requireTls: false },
        { from: 'Kontokiosk <noreply@kontokiosk.invalid>' },
      );
      await expect(
        mailer.send({ kind: 'EMAIL_CODE', to: 'erika.mustermann@example.org', subject: 'Code', text: 'Ihr Code: 12345678' }),
      ).rejects.toThrow();
      const lines = logged.mock.calls.map((call) => call.map(String).join(' '));
      expect(lines).toEqual([expect.stringMatching(/^\[mail\] not sent \(EMAIL_CODE\): EENVELOPE .*Recipient address rejected/)]);
      expect(lines.join('\n')).not.toContain('erika.mustermann');
      expect(lines.join('\n')).not.toContain('12345678');
    } finally {
      logged.mockRestore();
    }
  });
});
