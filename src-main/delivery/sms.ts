/**
 * SMS delivery: an HTTP gateway adapter (URL and credentials from the configuration) or, with no
 * gateway configured, text files in the outbox folder, named by the account they belong to. A
 * gateway that answers with an error or not within the timeout makes send() throw, so the core can
 * tell the person and change nothing.
 */
import { join } from 'node:path';
import type { Clock, Sms, SmsGateway } from '../core/ports.js';
import { writeFileDurably } from '../lib/durable-file.js';
import { DeliveryFailure } from './delivery-failure.js';
import { outboxName } from './outbox-name.js';

export interface HttpSmsSettings {
  readonly url: string;
  readonly token?: string | undefined;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  readonly sender: string;
  readonly timeoutMs: number;
}

export class HttpSmsGateway implements SmsGateway {
  constructor(private readonly settings: HttpSmsSettings) {}

  async send(sms: Sms): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.settings.token) headers['authorization'] = `Bearer ${this.settings.token}`;
    else if (this.settings.user) {
      headers['authorization'] = `Basic ${Buffer.from(`${this.settings.user}:${this.settings.password ?? ''}`).toString('base64')}`;
    }
    const response = await fetch(this.settings.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ from: this.settings.sender, to: sms.to, text: sms.text }),
      signal: AbortSignal.timeout(this.settings.timeoutMs),
    });
    await response.body?.cancel();
    if (response.ok) return;
    // 4xx: the gateway refuses this SMS (a number it does not serve, our credentials): trying again cannot help.
    const refused = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
    throw new DeliveryFailure(refused ? 'SMS_REFUSED' : 'SMS_GATEWAY_ERROR', `SMS gateway answered ${response.status}`, refused);
  }
}

export class OutboxSms implements SmsGateway {
  constructor(
    private readonly dir: string,
    private readonly clock: Clock = { now: () => new Date() },
  ) {}

  async send(sms: Sms): Promise<void> {
    await writeFileDurably(join(this.dir, outboxName(sms.kind, 'txt', this.clock.now(), sms.accountId)), `To: ${sms.to}\n\n${sms.text}\n`);
  }
}
