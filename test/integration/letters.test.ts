/** The PDF letters: readable text with the key, the sender line and the register address. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OutboxLetterPrinter, PdfDocumentRenderer, renderLetter } from '../../src-main/delivery/letters.js';
import { parseOutboxName } from '../../src-main/delivery/outbox-name.js';

const fonts = resolve(import.meta.dirname, '../../assets/fonts');
const brand = { name: 'Kontokiosk', senderLine: 'Kontokiosk · Musterallee 1 · 10115 Berlin', serviceHint: 'Fragen? Wir helfen gern.' };
const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-letters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const text = (pdf: string) => execFileSync('pdftotext', ['-layout', pdf, '-']).toString('utf8');

describe('activation key letter', () => {
  it('prints the key, the validity, the sender line and the address, names outside Latin-1 included', async () => {
    const pdf = await renderLetter(
      {
        kind: 'ACTIVATION_KEY',
        to: { name: 'Ayşe Yıldız', street: 'Lindenweg 5a', postalCode: '20095', city: 'Hamburg' },
        date: '2026-11-29',
        key: 'SI37-FF96-2013-0808-0903-3876',
        validUntil: '2027-01-28',
        language: 'de',
      },
      brand,
      fonts,
    );
    const file = join(dir, 'key.pdf');
    writeFileSync(file, pdf);
    const content = text(file);
    for (const expected of [
      'SI37-FF96-2013-0808-0903-3876',
      '28.01.2027',
      'Ayşe Yıldız',
      'Lindenweg 5a',
      '20095 Hamburg',
      'Kontokiosk · Musterallee 1 · 10115 Berlin',
      '29.11.2026',
    ]) {
      expect(content).toContain(expected);
    }
  });

  it('the outbox printer writes one PDF per letter', async () => {
    const printer = new OutboxLetterPrinter(dir, brand, fonts);
    const ref = await printer.print({
      kind: 'POSTIDENT_COUPON',
      to: { name: 'Erika Mustermann', street: 'Heidestraße 17', postalCode: '51147', city: 'Köln' },
      date: '2026-11-29',
      caseId: 'SIM-0123456789',
      language: 'en',
    });
    expect(readdirSync(dir)).toContain(ref);
    const content = text(join(dir, ref));
    expect(content).toContain('SIM-0123456789');
    expect(content).toContain('post office');
  });

  it('names a letter by the account it belongs to, never by the person', async () => {
    const printer = new OutboxLetterPrinter(dir, brand, fonts, { now: () => new Date('2026-11-29T10:00:00Z') });
    const ref = await printer.print({
      kind: 'LOGIN_CODE',
      to: { name: 'Erika Mustermann', street: 'Heidestraße 17', postalCode: '51147', city: 'Köln' },
      date: '2026-11-29',
      code: 'ABCD-EFGH-JKLM',
      validUntil: '2026-12-29',
      language: 'de',
      accountId: 'acc0unt-Id_1',
    });
    expect(parseOutboxName(ref)).toEqual({ at: new Date('2026-11-29T10:00:00Z'), kind: 'LOGIN_CODE', accountId: 'acc0unt-Id_1' });
    expect(ref).not.toMatch(/Erika|Mustermann/);
  });
});

describe('membership certificate', () => {
  it('is rendered in memory: the name, birth date, KVNR and period, and no file anywhere', async () => {
    const before = readdirSync(dir);
    const pdf = await new PdfDocumentRenderer(brand, fonts).render({
      kind: 'MEMBERSHIP_CERTIFICATE',
      to: { name: 'Erika Mustermann', street: 'Heidestraße 17', postalCode: '51147', city: 'Köln' },
      date: '2026-11-29',
      kvnr: 'A123456780',
      birthDate: '1984-08-12',
      insuranceStart: '2004-01-01',
      language: 'de',
    });
    expect(readdirSync(dir)).toEqual(before);
    const file = join(mkdtempSync(join(tmpdir(), 'kontokiosk-certificate-')), 'c.pdf');
    try {
      writeFileSync(file, pdf);
      const content = text(file);
      for (const expected of ['Mitgliedsbescheinigung', 'Erika Mustermann', '12.08.1984', 'A123456780', '01.01.2004']) {
        expect(content).toContain(expected);
      }
    } finally {
      rmSync(join(file, '..'), { recursive: true, force: true });
    }
  });
});
