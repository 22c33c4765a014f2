/**
 * Rejected input runs nothing: for every channel, a body that is not JSON or is too large gets
 * VALIDATION_FAILED from the browser shell's HTTP layer and never reaches the dispatcher, even for
 * channels without input (which would otherwise run with `{}`: logout, resend mail, leave mTAN).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/config/config.js';
import { CHANNELS } from '../../src-main/ipc/contract.js';
import { createDispatcher } from '../../src-main/ipc/dispatcher.js';
import { MAX_BODY, SESSION_HEADER, startBrowserShell, type BrowserShell } from '../../src-main/shell/browser/server.js';
import { withMtan } from '../fixtures/active.js';
import { erikaInput, makeHarness } from '../fixtures/harness.js';

const SECRET = 'rejected-input-secret-0123456789';
const rendererDir = mkdtempSync(join(tmpdir(), 'kontokiosk-renderer-'));
let shell: BrowserShell;
let fixture: { h: ReturnType<typeof makeHarness>; id: string };
let cookie = '';
let token = '';

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function post(path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Reply> {
  const url = new URL(shell.origin);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: Number(url.port),
        path,
        method: 'POST',
        headers: { host: url.host, cookie, origin: shell.origin, 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const ipc = (channel: string, body: string | Buffer) => post(`/ipc/${channel}`, body, { [SESSION_HEADER]: token });

async function state() {
  const { h, id } = fixture;
  return {
    account: structuredClone(await h.accounts.get(id)),
    mails: structuredClone(h.mails),
    sms: structuredClone(h.smsSent),
    letters: structuredClone(h.letters),
    audit: [...h.audit.lines],
  };
}

async function launch(): Promise<void> {
  const url = new URL(shell.origin);
  const launched = await new Promise<Reply>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: Number(url.port), path: `/launch?k=${SECRET}`, headers: { host: url.host } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' }));
    });
    req.on('error', reject);
    req.end();
  });
  cookie = String(launched.headers['set-cookie']).split(';')[0] ?? '';
}

async function serve(h: ReturnType<typeof makeHarness>): Promise<void> {
  await shell?.close();
  shell = await startBrowserShell({ dispatcher: createDispatcher(h.core, parseConfig({})), rendererDir, terminal: 't', secret: SECRET });
  await launch();
}

/** Logged in, identity confirmed, mTAN active: leaving mTAN or logging out would show. */
async function mtanAccount(): Promise<void> {
  fixture = await withMtan();
  await serve(fixture.h);
  const input = erikaInput();
  const login = await post('/ipc/session.login', JSON.stringify({ username: input.username, password: input.password }));
  expect(JSON.parse(login.body)).toMatchObject({ ok: true });
  token = String(login.headers[SESSION_HEADER] ?? '');
  expect(token).not.toBe('');
  expect((await state()).account?.mtan).toBeDefined();
}

/** Just registered, e-mail not yet confirmed: resending the code or asking for a letter would show. */
async function newAccount(): Promise<void> {
  const h = makeHarness();
  fixture = { h, id: '' };
  await serve(h);
  const registered = await post('/ipc/registration.submit', JSON.stringify(erikaInput()));
  const body = JSON.parse(registered.body) as { ok: boolean };
  expect(body).toMatchObject({ ok: true });
  token = String(registered.headers[SESSION_HEADER] ?? '');
  expect(token).not.toBe('');
  const account = await h.accounts.findByKvnr(erikaInput().kvnr);
  fixture = { h, id: account?.id ?? '' };
  expect(fixture.id).not.toBe('');
}

beforeAll(() => {
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
});

afterAll(async () => {
  await shell?.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

const BROKEN = ['{', '', 'nul', '{"a":1', '\u00ff\u00fe', Buffer.from([0x7b, 0xff, 0x7d])];
const OVERSIZED = JSON.stringify({ filler: 'x'.repeat(MAX_BODY) });

describe('browser shell: rejected input runs nothing', () => {
  it.each([
    ['a logged-in account with mTAN', mtanAccount],
    ['a just registered account', newAccount],
  ])('broken JSON and oversized bodies on every channel change neither store, deliveries nor session (%s)', async (_name, setUp) => {
    await setUp();
    for (const channel of CHANNELS) {
      const before = await state();
      for (const body of [...BROKEN, OVERSIZED]) {
        const reply = await ipc(channel, body);
        expect({ channel, status: reply.status }).toEqual({ channel, status: 200 });
        expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
        // No session header: the screen keeps its token.
        expect(reply.headers[SESSION_HEADER]).toBeUndefined();
      }
      expect({ channel, state: await state() }).toEqual({ channel, state: before });
      // The session still works after each channel's rejected calls.
      expect({ channel, touch: JSON.parse((await ipc('session.touch', '{}')).body) }).toMatchObject({ channel, touch: { ok: true } });
    }
  });

  it('a body beyond the drain limit is cut off, and nothing runs', async () => {
    await mtanAccount();
    const before = await state();
    for (const channel of ['session.logout', 'mtan.leave', 'email.resend'] as const) {
      const huge = Buffer.alloc(2 * 1024 * 1024 + 1, 0x20);
      const reply = await ipc(channel, huge).catch((error: unknown) => ({ error }));
      if ('status' in reply) expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
    expect(await state()).toEqual(before);
    expect(JSON.parse((await ipc('onboarding.state', '{}')).body)).toMatchObject({ ok: true });
  });
});
