/** The operator's POSTIDENT switch, through the composition root: simulator (default), http, off. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src-main/app.js';
import { parseConfig } from '../../src-main/config/config.js';
import type { OutgoingMail } from '../../src-main/core/ports.js';
import { postidentNotice } from '../../src-main/delivery/postident-mode.js';
import { WHO, erikaInput, fastPasswords } from '../fixtures/harness.js';

const opened: { app: App; dir: string }[] = [];
let provider: Server;
let providerBase = '';
let providerStatus = 'OPEN';

beforeAll(async () => {
  provider = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.method === 'POST') res.end(JSON.stringify({ caseId: 'PI-42', continueUrl: 'https://ident.example/c/PI-42' }));
      else res.end(JSON.stringify({ status: providerStatus }));
    });
  });
  await new Promise<void>((done) => provider.listen(0, '127.0.0.1', done));
  providerBase = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
});
afterAll(() => {
  provider.closeAllConnections();
  return new Promise<void>((done) => provider.close(() => done()));
});
afterEach(async () => {
  for (const { app, dir } of opened.splice(0)) {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function start(config: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-postident-'));
  const mails: OutgoingMail[] = [];
  const app = await openApp({
    dataDir: dir,
    assetsDir: resolve(import.meta.dirname, '../../assets'),
    config: parseConfig(config),
    passwords: fastPasswords,
    mailer: { send: (m) => (mails.push(m), Promise.resolve()) },
  });
  opened.push({ app, dir });
  const registered = await app.core.registration.register(WHO, erikaInput());
  if (!registered.ok) throw new Error(registered.error.code);
  const accountId = registered.value.accountId;
  const code = /\b(\d{8})\b/.exec(mails.at(-1)?.text ?? '')?.[1] ?? '';
  const confirmed = await app.core.email.confirm(WHO, accountId, { email: 'erika@example.org', code });
  if (!confirmed.ok) throw new Error(confirmed.error.code);
  const login = await app.dispatcher.dispatch(
    'session.login',
    { username: erikaInput().username, password: erikaInput().password },
    { sessionToken: undefined, terminal: 'test' },
  );
  if (typeof login.session !== 'string') throw new Error('no session');
  const context = { sessionToken: login.session, terminal: 'test' };
  const call = async (channel: string) => (await app.dispatcher.dispatch(channel, {}, context)).result;
  return { app, accountId, mails, call };
}

describe('POSTIDENT modes', () => {
  it('with no configuration the labelled simulator runs, and start-up says so loudly', async () => {
    const { app, call } = await start({});
    expect(app.postident.mode).toBe('simulator');
    expect(app.postidentUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await call('app.info')).toMatchObject({
      ok: true,
      value: { postident: { available: true, simulated: true, label: 'POSTIDENT-Simulator' } },
    });
    const notice = postidentNotice(app.postident);
    expect(notice.warning).toMatch(/^!+\n!! {2}WARNING: POSTIDENT SIMULATOR IS ON/);
    expect(notice.warning).toContain(app.postidentUrl);
    expect(notice.line).toContain('SIMULATOR');
    const started = await call('identity.startPostident');
    expect(started.ok && (started.value as { caseId: string }).caseId).toMatch(/^SIM-[0-9A-F]{32}$/);
  });

  it('"off" offers no POSTIDENT: app.info says so, starting a case fails with a typed error and changes nothing', async () => {
    const { app, accountId, call } = await start({ postident: { mode: 'off' } });
    expect(app.postident.mode).toBe('off');
    expect(app.postidentUrl).toBeUndefined();
    expect(await call('app.info')).toMatchObject({ ok: true, value: { postident: { available: false, simulated: false } } });
    const refused = { ok: false, error: { code: 'POSTIDENT_UNAVAILABLE', details: { reason: 'SWITCHED_OFF' } } };
    expect(await app.core.identity.startPostident(WHO, accountId)).toEqual(refused);
    expect(await call('identity.startPostident')).toEqual(refused);
    expect((await app.core.deps.accounts.get(accountId))?.identity.postident).toBeUndefined();
    expect(postidentNotice(app.postident)).toEqual({ warning: undefined, line: 'POSTIDENT: off (not offered)' });
    // The letter remains.
    expect((await app.core.identity.requestLetter(WHO, accountId)).ok).toBe(true);
  });

  it('"http" asks the provider when the person checks the status, and success activates the account', async () => {
    providerStatus = 'OPEN';
    const { app, mails, call } = await start({
      postident: { mode: 'http', http: { baseUrl: providerBase, token: 'tkn', label: 'Ident AG' } },
    });
    expect(app.postidentUrl).toBeUndefined();
    expect(await call('app.info')).toMatchObject({
      ok: true,
      value: { postident: { available: true, simulated: false, label: 'Ident AG' } },
    });
    expect(postidentNotice(app.postident).warning).toBeUndefined();
    expect(await call('identity.startPostident')).toMatchObject({
      ok: true,
      value: { caseId: 'PI-42', continueUrl: 'https://ident.example/c/PI-42' },
    });
    expect(await call('onboarding.state')).toMatchObject({ ok: true, value: { step: 'POSTIDENT_PENDING' } });
    providerStatus = 'SUCCESS';
    expect(await call('onboarding.state')).toMatchObject({ ok: true, value: { step: 'MAILBOX' } });
    expect(mails.map((m) => m.kind)).toContain('IDENTITY_CONFIRMED');
  });
});
