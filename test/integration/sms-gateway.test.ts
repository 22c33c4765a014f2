/** The SMS HTTP adapter against a local HTTP server started by the test. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryFailure } from '../../src-main/delivery/delivery-failure.js';
import { HttpSmsGateway } from '../../src-main/delivery/sms.js';
import { WHO } from '../fixtures/harness.js';
import { activeAccount, CARD_DIGITS } from '../fixtures/active.js';
import { createCore } from '../../src-main/core/index.js';

let server: Server;
let base = '';
let mode: 'ok' | 'error' | 'refuse' | 'busy' | 'hang' = 'ok';
const received: { headers: IncomingMessage['headers']; body: { from: string; to: string; text: string } }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (mode === 'hang') return;
      received.push({ headers: req.headers, body: JSON.parse(body) as { from: string; to: string; text: string } });
      const status = { ok: 202, error: 500, refuse: 400, busy: 429 }[mode];
      res.writeHead(status).end(mode === 'ok' ? '{"id":"1"}' : 'boom');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const gateway = (timeoutMs = 2_000) => new HttpSmsGateway({ url: base, token: 'secret-token', sender: 'Kontokiosk', timeoutMs });

describe('HTTP SMS gateway', () => {
  it('posts sender, number and text with the configured credentials', async () => {
    mode = 'ok';
    await gateway().send({ to: '+4915123456789', text: 'Hallo', kind: 'TEST' });
    expect(received.at(-1)?.body).toEqual({ from: 'Kontokiosk', to: '+4915123456789', text: 'Hallo' });
    expect(received.at(-1)?.headers.authorization).toBe('Bearer secret-token');
  });

  it('an answer of 500 and a gateway that does not answer in time both fail', async () => {
    mode = 'error';
    await expect(gateway().send({ to: '+4915123456789', text: 'x', kind: 'TEST' })).rejects.toThrow('500');
    mode = 'hang';
    await expect(gateway(200).send({ to: '+4915123456789', text: 'x', kind: 'TEST' })).rejects.toThrow();
  });

  it('a 4xx refusal is permanent (retrying cannot help); 5xx, 429 and no answer are worth another try', async () => {
    const outcome = async (m: typeof mode, timeoutMs = 2_000) => {
      mode = m;
      return gateway(timeoutMs)
        .send({ to: '+4915123456789', text: 'x', kind: 'TEST' })
        .then(
          () => 'sent',
          (e: unknown) => (e instanceof DeliveryFailure ? `${e.code}:${e.permanent ? 'permanent' : 'again'}` : 'again'),
        );
    };
    expect(await outcome('refuse')).toBe('SMS_REFUSED:permanent');
    expect(await outcome('error')).toBe('SMS_GATEWAY_ERROR:again');
    expect(await outcome('busy')).toBe('SMS_GATEWAY_ERROR:again');
    expect(await outcome('hang', 200)).toBe('again');
  });

  it('enrolment through a failing gateway tells the person and leaves no half-enrolled state', async () => {
    const { h, id } = await activeAccount();
    const core = createCore({ ...h.core.deps, sms: gateway(200) });
    await core.mtan.start(id);
    await core.mtan.enterCard(WHO, id, CARD_DIGITS);
    for (const failing of ['error', 'hang'] as const) {
      mode = failing;
      expect(await core.mtan.sendCode(WHO, id, '0151 23456789')).toEqual({
        ok: false,
        error: { code: 'DELIVERY_FAILED', details: { channel: 'SMS' } },
      });
      const account = await h.accounts.get(id);
      expect(account?.mtanEnrolment?.stage).toBe('PHONE');
      expect(account?.mtanEnrolment?.code).toBeUndefined();
      expect(account?.mtan).toBeUndefined();
    }
    mode = 'ok';
    expect((await core.mtan.sendCode(WHO, id, '0151 23456789')).ok).toBe(true);
    const code = /\b(\d{6})\b/.exec(received.at(-1)?.body.text ?? '')?.[1] ?? '';
    expect((await core.mtan.confirm(WHO, id, code)).ok).toBe(true);
  });
});
