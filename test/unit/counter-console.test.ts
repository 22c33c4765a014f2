/**
 * Pure rules of the supervisor's console and the account history in the counter: the register file
 * sent in pieces of its raw bytes (against the main process's own upload buffer), a letter's short
 * reference, history details by label, and the dashboard's shares.
 */
import { describe, expect, it } from 'vitest';
import { MAX_REGISTER_BYTES } from '../../src-main/ipc/contract.js';
import { RegisterUploads } from '../../src-main/ipc/register-upload.js';
import type { ChannelInput } from '../../src-main/ipc/contract.js';
import type { IpcResult } from '../../src-main/ipc/responses.js';
import { de } from '../../src-renderer/counter/i18n/de.js';
import { en } from '../../src-renderer/counter/i18n/en.js';
import { IMPORT_PROBLEMS } from '../../src-renderer/counter/i18n/keys.js';
import { funnelRows, percent, total } from '../../src-renderer/counter/lib/dashboard.js';
import { fileSize, shortRef } from '../../src-renderer/counter/lib/format.js';
import { eventName, historyDetails, type Lookup } from '../../src-renderer/counter/lib/history.js';
import { MAX_UPLOAD_BYTES, toBase64, uploadRegister, type Send } from '../../src-renderer/counter/lib/upload.js';
import { FakeClock } from '../fixtures/harness.js';

type UploadChannel = 'register.importBegin' | 'register.importChunk' | 'register.importFinish';

/** The main process's upload buffer behind a `send`; finish answers with the decoded text's length as "accepted". */
function mainProcess() {
  const uploads = new RegisterUploads(new FakeClock(new Date('2026-03-02T09:00:00Z')), { int: () => 0, token: () => 'upload-1' });
  const calls: { channel: UploadChannel; seq?: number; chars?: number }[] = [];
  let text = '';
  const send = (async (channel: UploadChannel, payload: ChannelInput<UploadChannel>) => {
    if (channel === 'register.importBegin') {
      calls.push({ channel });
      return uploads.begin('staff-1', (payload as ChannelInput<'register.importBegin'>).size);
    }
    if (channel === 'register.importChunk') {
      const p = payload as ChannelInput<'register.importChunk'>;
      calls.push({ channel, seq: p.seq, chars: p.data.length });
      return uploads.chunk('staff-1', p.uploadId, p.seq, p.data);
    }
    calls.push({ channel });
    const done = uploads.finish('staff-1', (payload as ChannelInput<'register.importFinish'>).uploadId);
    if (!done.ok) return done;
    text = done.value;
    return { ok: true, value: { accepted: [...done.value].length, rejectedCount: 0, rejected: [] } };
  }) as Send;
  return { send, calls, received: () => text };
}

const file = (bytes: Uint8Array<ArrayBuffer> | string) => new Blob([bytes]);

describe('the register file sent from the console', () => {
  it('arrives byte for byte, in ordered pieces of the announced size, with progress per piece', async () => {
    const server = mainProcess();
    // 100 000 bytes of UTF-8 with multi-byte characters split across piece borders.
    const content = 'kvnr;city\n' + 'A123456780;Köln – Straße\n'.repeat(3700);
    const bytes = new TextEncoder().encode(content);
    const progress: number[] = [];
    const r = await uploadRegister(file(bytes), 'Monatlicher Abgleich', server.send, (sent, size) => {
      expect(size).toBe(bytes.length);
      progress.push(sent);
    });
    expect(r).toEqual({ ok: true, value: { accepted: [...content].length, rejectedCount: 0, rejected: [] } });
    expect(server.received()).toBe(content);
    const pieces = server.calls.filter((c) => c.channel === 'register.importChunk');
    // 48 Ki base64 characters carry 36 Ki bytes: three pieces for 100 000 bytes.
    expect(pieces.map((c) => c.seq)).toEqual([0, 1, 2]);
    expect(pieces.slice(0, 2).map((c) => c.chars)).toEqual([49152, 49152]);
    expect(progress).toEqual([0, 36864, 73728, bytes.length]);
    expect(server.calls.at(0)?.channel).toBe('register.importBegin');
    expect(server.calls.at(-1)?.channel).toBe('register.importFinish');
  });

  it('sends a Latin-1 file as its raw bytes, so the main process can refuse its encoding', async () => {
    const server = mainProcess();
    const latin1 = Uint8Array.from([...'kvnr;city\nA123456780;K\u00f6ln\n'].map((c) => c.charCodeAt(0)));
    const r = await uploadRegister(file(latin1), 'Abgleich', server.send, () => undefined);
    expect(r).toEqual({ ok: false, error: { code: 'CSV_INVALID', details: { problem: 'ENCODING' } } });
  });

  it('stops at the first refused piece and never finishes', async () => {
    const server = mainProcess();
    const refusing: Send = async (channel, payload) =>
      channel === 'register.importChunk' && (payload as { seq: number }).seq === 1
        ? ({ ok: false, error: { code: 'NOT_AUTHENTICATED' } } as IpcResult<typeof channel>)
        : server.send(channel, payload);
    const r = await uploadRegister(file(new Uint8Array(80_000).fill(65)), 'Abgleich', refusing, () => undefined);
    expect(r).toEqual({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
    expect(server.calls.map((c) => c.channel)).toEqual(['register.importBegin', 'register.importChunk']);
  });

  it('stops when the page is left, sending nothing more', async () => {
    const server = mainProcess();
    const stop = new AbortController();
    const r = await uploadRegister(
      file(new Uint8Array(80_000).fill(65)),
      'Abgleich',
      server.send,
      (sent) => {
        if (sent > 0) stop.abort();
      },
      stop.signal,
    );
    expect(r.ok).toBe(false);
    expect(server.calls.map((c) => c.channel)).toEqual(['register.importBegin', 'register.importChunk']);
  });

  it('refuses a file over the contract limit before sending anything, with the main process answer', async () => {
    expect(MAX_UPLOAD_BYTES).toBe(MAX_REGISTER_BYTES);
    const server = mainProcess();
    const huge = { size: MAX_UPLOAD_BYTES + 1 } as Blob;
    const r = await uploadRegister(huge, 'Abgleich', server.send, () => undefined);
    expect(r).toMatchObject({ ok: false, error: { code: 'CSV_INVALID', details: { problem: 'SIZE' } } });
    expect(server.calls).toEqual([]);
  });

  it('encodes bytes as standard base64, also past the argument-list slice', () => {
    const bytes = Uint8Array.from({ length: 0x8000 * 2 + 7 }, (_, i) => (i * 37) % 256);
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });
});

describe('the refusal sentences', () => {
  it('name every problem of a register file in German and English, the encoding as the export to choose', () => {
    for (const problem of IMPORT_PROBLEMS) {
      expect(de[`import.problem.${problem}`]).not.toBe('');
      expect(en[`import.problem.${problem}`]).not.toBe(de[`import.problem.${problem}`]);
    }
    expect(de['import.problem.ENCODING']).toBe('Die Datei ist nicht in UTF-8 gespeichert. Bitte als CSV UTF-8 exportieren.');
  });
});

describe('a letter reference at the desk', () => {
  it('is the random part of an outbox name, not its time, kind or account', () => {
    expect(shortRef('2026-03-02T09-15-00-123Z-TEMPORARY_PASSWORD-a1b2c3~acc_9f8e7d6c5b4a.pdf')).toBe('a1b2c3');
    expect(shortRef('/var/outbox/letters/2026-03-02T09-15-00-123Z-LOGIN_CODE-0f0f0f.pdf')).toBe('0f0f0f');
  });

  it('is the last 8 characters of any other reference', () => {
    expect(shortRef('PRINTJOB_20260302_000123456789')).toBe('23456789');
    expect(shortRef('AB12')).toBe('AB12');
  });

  it('is shown in the success sentence as handed to the printer, never the file name', () => {
    expect(de['done.TEMPORARY_PASSWORD']).toContain('an den Druck übergeben (Kennung {ref})');
    expect(en['done.ISSUE_LOGIN_CODE']).toContain('sent to the printer (ID {ref})');
  });
});

describe('the security history', () => {
  const lookup: Lookup = (key, params = {}) => {
    const text = (de as Record<string, string>)[key];
    return text?.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
  };
  const dateTime = (iso: string) => `at ${iso}`;

  it('names event types, and shows an unknown stored type as stored', () => {
    expect(eventName('TEMPORARY_PASSWORD_SET', lookup)).toBe('Vorläufiges Passwort vergeben');
    expect(eventName('LOGIN_SUCCESS', lookup)).toBe('Anmeldung');
    expect(eventName('SOMETHING_OLDER', lookup)).toBe('SOMETHING_OLDER');
  });

  it('labels details and reads their values: document, method, yes/no, times, the letter', () => {
    const items = historyDetails(
      {
        reason: 'Person am Schalter',
        document: 'ID_CARD',
        method: 'COUNTER',
        delivered: false,
        lockedUntil: '2026-03-02T10:00:00.000Z',
        letterRef: '2026-03-02T09-15-00-123Z-TEMPORARY_PASSWORD-a1b2c3~acc_9f8e7d6c5b4a.pdf',
        custom: 7,
      },
      lookup,
      dateTime,
      shortRef,
    );
    expect(items.map((i) => `${i.label}: ${i.value}`)).toEqual([
      'Grund: Person am Schalter',
      'Dokument: Personalausweis',
      'Verfahren: am Schalter',
      'zugestellt: nein',
      'gesperrt bis: at 2026-03-02T10:00:00.000Z',
      'Brief: an den Druck übergeben (Kennung a1b2c3)',
      'custom: 7',
    ]);
  });

  it('names what a search was by and a POSTIDENT outcome as the screens do', () => {
    const items = historyDetails({ by: 'KVNR', outcome: 'SUCCESS', accept: true }, lookup, dateTime, shortRef);
    expect(items.map((i) => `${i.label}: ${i.value}`)).toEqual([
      'gesucht nach: Versichertennummer',
      'Ergebnis: erfolgreich',
      'Postfach gewünscht: ja',
    ]);
  });

  it('keeps a value the catalogue does not know as stored', () => {
    expect(historyDetails({ method: 'CARRIER_PIGEON' }, lookup, dateTime, shortRef)).toEqual([
      { key: 'method', label: 'Verfahren', value: 'CARRIER_PIGEON' },
    ]);
  });
});

describe('the dashboard numbers', () => {
  it('gives the funnel as shares of all registered accounts', () => {
    const rows = funnelRows({ registered: 3, emailConfirmed: 2, identityConfirmed: 1, mailboxDecided: 0 }, 'en-GB');
    expect(rows).toEqual([
      { step: 'registered', count: 3, share: '100%' },
      { step: 'emailConfirmed', count: 2, share: '67%' },
      { step: 'identityConfirmed', count: 1, share: '33%' },
      { step: 'mailboxDecided', count: 0, share: '0%' },
    ]);
  });

  it('shows nothing of nothing as 0 %, never a division by zero', () => {
    expect(percent(0, 0, 'de-DE')).toBe('0\u00a0%');
    expect(total([])).toBe(0);
    expect(total([1, 0, 4])).toBe(5);
  });

  it('writes file sizes as people read them', () => {
    expect(fileSize(512, 'de-DE')).toBe('512 B');
    expect(fileSize(1_400_000, 'de-DE')).toBe('1,4 MB');
  });
});
