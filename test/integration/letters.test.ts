/**
 * The PDF letters read back as a person and a post office would: the text (pdftotext), where it
 * sits on the page (pdftotext -bbox, and the rendered pixels for lines and marks), the metadata
 * (pdfinfo, the catalog) and the coupon's barcode (zbarimg).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/config/config.js';
import type { KioskDocument, Letter } from '../../src-main/core/ports.js';
import { letterReference } from '../../src-main/delivery/letter-reference.js';
import { OutboxLetterPrinter, PdfDocumentRenderer, renderLetter } from '../../src-main/delivery/letters.js';
import { parseOutboxName } from '../../src-main/delivery/outbox-name.js';

const fonts = resolve(import.meta.dirname, '../../assets/fonts');
const brand = parseConfig({}).brand;
const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-letters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const text = (pdf: string) => execFileSync('pdftotext', ['-layout', pdf, '-']).toString('utf8');

const PT = 25.4 / 72;
const ERIKA_TO = { name: 'Erika Mustermann', street: 'Heidestraße 17', postalCode: '51147', city: 'Köln' };
const ACCOUNT = 'acc0unt-Id_1';
const AT = new Date('2026-11-29T10:00:00Z');

type Printable = Letter | KioskDocument;
type Lang = 'de' | 'en';

const kinds = (language: Lang): Printable[] => [
  {
    kind: 'ACTIVATION_KEY',
    to: ERIKA_TO,
    date: '2026-11-29',
    username: 'erika.m',
    key: 'SI37-FF96-2013-0808-0903-3876',
    validUntil: '2027-01-28',
    language,
    accountId: ACCOUNT,
  },
  {
    kind: 'TEMPORARY_PASSWORD',
    to: ERIKA_TO,
    date: '2026-11-29',
    username: 'erika.m',
    password: 'abcd efgh jkmn',
    validUntil: '2026-12-06',
    language,
    accountId: ACCOUNT,
  },
  { kind: 'LOGIN_CODE', to: ERIKA_TO, date: '2026-11-29', code: 'ABCD-EFGH-JKLM', validUntil: '2026-12-29', language, accountId: ACCOUNT },
  {
    kind: 'POSTIDENT_COUPON',
    to: ERIKA_TO,
    date: '2026-11-29',
    caseId: 'PI-2026-000123456',
    simulated: false,
    language,
    accountId: ACCOUNT,
  },
  {
    kind: 'MEMBERSHIP_CERTIFICATE',
    to: ERIKA_TO,
    date: '2026-11-29',
    kvnr: 'A123456780',
    birthDate: '1984-08-12',
    insuranceStart: '2004-01-01',
    language,
    accountId: ACCOUNT,
  },
];

const highlightOf = (p: Printable): string =>
  p.kind === 'ACTIVATION_KEY'
    ? p.key
    : p.kind === 'TEMPORARY_PASSWORD'
      ? p.password
      : p.kind === 'LOGIN_CODE'
        ? p.code
        : p.kind === 'POSTIDENT_COUPON'
          ? p.caseId
          : p.kvnr;

let serial = 0;
async function rendered(p: Printable, b = brand): Promise<string> {
  const file = join(dir, `letter-${(serial += 1)}.pdf`);
  writeFileSync(file, await renderLetter(p, b, fonts, AT));
  return file;
}

interface Word {
  readonly text: string;
  /** Millimetres from the top left of the page. */
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

function words(pdf: string): Word[] {
  const html = execFileSync('pdftotext', ['-bbox', pdf, '-']).toString('utf8');
  const found: Word[] = [];
  for (const m of html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
    const [, x1, y1, x2, y2, t] = m;
    const mm = (v: string | undefined) => Number(v) * PT;
    found.push({ text: (t ?? '').replace(/&amp;/g, '&'), left: mm(x1), top: mm(y1), right: mm(x2), bottom: mm(y2) });
  }
  return found;
}

function word(all: readonly Word[], t: string): Word {
  const w = all.find((x) => x.text === t);
  if (!w) throw new Error(`no word ${t}`);
  return w;
}

/** The page as grey pixels (PGM), to find lines and marks, which have no text. */
function pixels(pdf: string, dpi: number): { at: (xMm: number, yMm: number) => number; height: number } {
  const root = join(dir, `page-${(serial += 1)}`);
  execFileSync('pdftoppm', ['-gray', '-r', String(dpi), '-singlefile', pdf, root]);
  const data = readFileSync(`${root}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(data.subarray(0, 40).toString('latin1'));
  if (!header) throw new Error('not a PGM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  const offset = header[0].length;
  const px = (mm: number) => Math.round((mm / 25.4) * dpi);
  return { at: (x, y) => data[offset + px(y) * width + px(x)] ?? 255, height: (height / dpi) * 25.4 };
}

/** Darkest pixel in a small area (a thin line may fall between two pixel rows). */
function darkest(page: ReturnType<typeof pixels>, x: number, y: number, spread = 0.4): number {
  let min = 255;
  for (let dy = -spread; dy <= spread; dy += 0.1) min = Math.min(min, page.at(x, y + dy));
  return min;
}

const GERMAN = /\b(und|Sie|Ihr|Ihre|Ihnen|der|die|das|Datum|Zeichen|Guten|Grüßen|gilt|Fragen|Telefon|Uhr|Kontakt|Brief)\b/;
const ENGLISH = /\b(the|and|your|you|Dear|regards|Date|reference|valid|letter|Questions|Phone|contact|with)\b/i;

describe('activation key letter', () => {
  it('prints the key, the validity, the sender line and the address, names outside Latin-1 included', async () => {
    const pdf = await renderLetter(
      {
        kind: 'ACTIVATION_KEY',
        to: { name: 'Ayşe Yıldız', street: 'Lindenweg 5a', postalCode: '20095', city: 'Hamburg' },
        date: '2026-11-29',
        username: 'ayse.y',
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
      'Ihr Benutzername: ayse.y',
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
      simulated: true,
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

describe('a letter as an insurer sends it, in one language', () => {
  const reference = letterReference(ACCOUNT);

  it('the reference is short, stable per account and reveals neither the account id nor the KVNR', () => {
    expect(reference).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(letterReference(ACCOUNT)).toBe(reference);
    expect(letterReference('acc0unt-Id_2')).not.toBe(reference);
  });

  it.each(['de', 'en'] as const)(
    '%s: salutation by name, closing, reference, date, contact and footer; no word of the other language',
    async (lang) => {
      for (const p of kinds(lang)) {
        const content = text(await rendered(p));
        const de = lang === 'de';
        const expected = de
          ? [
              'Guten Tag Erika Mustermann,',
              'Mit freundlichen Grüßen',
              'Unser Zeichen',
              '29.11.2026',
              'Ihr Kontakt',
              'Telefon 030 23125 400',
              'Körperschaft des öffentlichen Rechts',
              'Fragen? Unsere Geschäftsstellen',
            ]
          : [
              'Dear Erika Mustermann,',
              'Kind regards',
              'Our reference',
              '29 November 2026',
              'Your contact',
              'Phone +49 30 23125 400',
              'corporation under public law',
              'Questions? Our branch offices',
            ];
        for (const e of expected) expect(content, `${p.kind} ${lang}: ${e}`).toContain(e);
        expect(content).toContain(reference);
        expect(content).toContain(highlightOf(p));
        expect(content).not.toContain(ACCOUNT);
        if (p.kind !== 'MEMBERSHIP_CERTIFICATE') expect(content).not.toContain('A123456780');
        // Neither "Sehr geehrte Frau/Herr" nor "Ms/Mr": the register does not say, so no guess.
        expect(content).not.toMatch(/Sehr geehrte|\b(Frau|Herr|Ms|Mr|Mrs)\b/);
        expect(content, `${p.kind} ${lang}`).not.toMatch(de ? ENGLISH : GERMAN);
      }
    },
  );

  it('the activation key letter names the username in the letter language', async () => {
    const [de] = kinds('de');
    const [en] = kinds('en');
    expect(text(await rendered(de!))).toContain('Ihr Benutzername: erika.m');
    expect(text(await rendered(en!))).toContain('Your username: erika.m');
  });

  it('letters with a secret say so above the address; the coupon and the certificate do not', async () => {
    for (const p of kinds('de')) {
      const secret = p.kind === 'ACTIVATION_KEY' || p.kind === 'TEMPORARY_PASSWORD' || p.kind === 'LOGIN_CODE';
      expect(text(await rendered(p)).includes('Persönlich – vertraulich')).toBe(secret);
    }
  });

  it('an older configuration with one service hint for both languages still loads and prints it', async () => {
    const old = parseConfig({ brand: { serviceHint: 'Fragen? Rufen Sie uns an.' } }).brand;
    expect(old.serviceHint).toEqual({ de: 'Fragen? Rufen Sie uns an.', en: 'Fragen? Rufen Sie uns an.' });
    expect(text(await rendered(kinds('de')[2]!, old))).toContain('Fragen? Rufen Sie uns an.');
    const own = parseConfig({ brand: { serviceHint: { en: 'Call us.' }, legalFooter: { de: 'Musterkasse AöR' } } }).brand;
    expect(own.serviceHint.en).toBe('Call us.');
    expect(own.serviceHint.de).toBe(brand.serviceHint.de);
    const en = text(await rendered(kinds('en')[2]!, own));
    expect(en).toContain('Call us.');
    expect(en).not.toContain(brand.serviceHint.en);
    expect(text(await rendered(kinds('de')[2]!, own))).toContain('Musterkasse AöR');
  });
});

describe('DIN 5008 form B', () => {
  it.each(['de', 'en'] as const)(
    '%s: the recipient lies in the address field, below its 17.7 mm zone; the return line inside that zone',
    async (lang) => {
      for (const p of kinds(lang)) {
        const all = words(await rendered(p));
        const name = word(all, 'Erika');
        const city = word(all, 'Köln');
        // Address field: 20 mm from the left, 45 mm from the top, 85 × 45 mm; the zone ends at 62.7 mm.
        expect(name.top, p.kind).toBeGreaterThan(45 + 17.7);
        expect(name.top).toBeLessThan(90);
        expect(city.bottom).toBeLessThan(90);
        expect(name.left).toBeGreaterThanOrEqual(20);
        expect(word(all, 'Heidestraße').right).toBeLessThanOrEqual(105);
        const sender = word(all, 'Musterallee');
        expect(sender.top).toBeGreaterThan(45);
        expect(sender.bottom).toBeLessThan(45 + 17.7);
        expect(sender.left).toBeGreaterThanOrEqual(20);
        // The information block to the right of the field, the body below it.
        const date = word(all, lang === 'de' ? '29.11.2026' : 'November');
        expect(date.left).toBeGreaterThanOrEqual(125);
        expect(date.top).toBeGreaterThan(45);
        expect(date.bottom).toBeLessThan(98.46);
        const salutation = word(all, lang === 'de' ? 'Guten' : 'Dear');
        expect(salutation.top).toBeGreaterThan(98.46);
        // The legal footer at the foot, the closing well above it: everything fits on one page.
        expect(word(all, lang === 'de' ? 'Vorstand:' : 'Executive').top).toBeGreaterThan(276);
        expect(word(all, lang === 'de' ? 'Grüßen' : 'regards').bottom).toBeLessThan(260);
      }
    },
  );

  it('a long name is set smaller rather than leave the window', async () => {
    const name = 'Maximiliane-Theodora Freifrau von Hohenzollern-Sigmaringen-Mustermann';
    const all = words(await rendered({ ...kinds('de')[2]!, to: { ...ERIKA_TO, name } }));
    const line = all.filter((w) => w.top < 90 && name.split(' ').includes(w.text));
    expect(line.map((w) => w.text).join(' ')).toBe(name);
    expect(Math.max(...line.map((w) => w.right))).toBeLessThanOrEqual(100);
    expect(Math.min(...line.map((w) => w.top))).toBeGreaterThan(45 + 17.7);
    expect(word(all, 'Köln').bottom).toBeLessThan(90);
  });

  it('fold marks at 105 and 210 mm and the hole mark at 148.5 mm on the left edge, and nothing else there', async () => {
    const page = pixels(await rendered(kinds('de')[0]!), 150);
    expect(page.height).toBeCloseTo(297, 0);
    for (const y of [105, 148.5, 210]) {
      expect(darkest(page, 6, y), `mark at ${y} mm`).toBeLessThan(160);
      expect(darkest(page, 6, y - 4), `blank above ${y} mm`).toBeGreaterThan(240);
      expect(darkest(page, 6, y + 4), `blank below ${y} mm`).toBeGreaterThan(240);
    }
    // The hole mark is longer than the fold marks, so the two can be told apart.
    expect(darkest(page, 11, 148.5)).toBeLessThan(160);
    expect(darkest(page, 11, 105)).toBeGreaterThan(240);
    expect(darkest(page, 6, 60)).toBeGreaterThan(240);
  });

  it.each(['de', 'en'] as const)('%s: the highlighted value sits in a box that keeps clear of the text above and below', async (lang) => {
    for (const p of kinds(lang)) {
      const file = await rendered(p);
      const all = words(file);
      const value = highlightOf(p).split(' ')[0] ?? '';
      const inBox = word(all, value);
      const above = Math.max(...all.filter((w) => w.bottom < inBox.top && w.left < 185).map((w) => w.bottom));
      const below = Math.min(...all.filter((w) => w.top > inBox.bottom).map((w) => w.top));
      // The box's right border (x = 190 mm): the longest dark run in that column.
      const page = pixels(file, 150);
      let run = { from: 0, to: 0 };
      let start: number | undefined;
      for (let y = 95; y < 280; y += 0.1) {
        const dark = page.at(190, y) < 160;
        if (dark && start === undefined) start = y;
        if (!dark && start !== undefined) {
          if (y - start > run.to - run.from) run = { from: start, to: y };
          start = undefined;
        }
      }
      expect(run.to - run.from, p.kind).toBeGreaterThan(10);
      expect(run.from).toBeLessThan(inBox.top);
      expect(run.to).toBeGreaterThan(inBox.bottom);
      expect(run.from - above, `${p.kind}: clear above`).toBeGreaterThan(2);
      expect(below - run.to, `${p.kind}: clear below`).toBeGreaterThan(2);
    }
  });
});

describe('PDF metadata', () => {
  it.each([
    ['de', 'de-DE', 'Kontokiosk: Aktivierungsschlüssel'],
    ['en', 'en-GB', 'Kontokiosk: Activation key'],
  ] as const)('%s: title in the letter language, /Lang %s, XMP, Creator the brand, Producer pdf-lib', async (lang, tag, title) => {
    const file = await rendered(kinds(lang)[0]!);
    const info = execFileSync('pdfinfo', [file]).toString('utf8');
    expect(info).toMatch(new RegExp(`^Title:\\s+${title}$`, 'm'));
    expect(info).toMatch(/^Creator:\s+Kontokiosk$/m);
    expect(info).toMatch(/^Producer:\s+pdf-lib$/m);
    expect(info).toMatch(/^Metadata Stream:\s+yes$/m);
    const meta = execFileSync('pdfinfo', ['-meta', file]).toString('utf8');
    expect(meta).toContain(`<rdf:li xml:lang="x-default">${title}</rdf:li>`);
    expect(meta).toContain(`<dc:language><rdf:Bag><rdf:li>${tag}</rdf:li></rdf:Bag></dc:language>`);
    expect(meta).toContain('<xmp:CreatorTool>Kontokiosk</xmp:CreatorTool>');
    expect(meta).toContain('<pdf:Producer>pdf-lib</pdf:Producer>');
    expect(meta).toContain('<xmp:CreateDate>2026-11-29T10:00:00Z</xmp:CreateDate>');
    const doc = await PDFDocument.load(readFileSync(file), { updateMetadata: false });
    const langEntry = doc.catalog.lookup(PDFName.of('Lang'));
    expect(langEntry instanceof PDFString && langEntry.asString()).toBe(tag);
    // Nothing of the secret or the person goes into metadata.
    for (const secret of ['SI37', 'Erika', 'Mustermann']) {
      expect(info).not.toContain(secret);
      expect(meta).not.toContain(secret);
    }
  });
});

describe('POSTIDENT coupon', () => {
  const decode = (pdf: string): string => {
    const root = join(dir, `scan-${(serial += 1)}`);
    execFileSync('pdftoppm', ['-png', '-r', '300', '-singlefile', pdf, root]);
    return execFileSync('zbarimg', ['-q', '--raw', '-Sdisable', '-Scode128.enable', `${root}.png`], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString('utf8')
      .trim();
  };

  it.each(['de', 'en'] as const)('%s: the case reference as a Code 128 barcode that scans, and in plain text below it', async (lang) => {
    for (const caseId of ['PI-2026-000123456', 'SIM-0123456789ABCDEF0123456789ABCDEF']) {
      const file = await rendered({
        kind: 'POSTIDENT_COUPON',
        to: ERIKA_TO,
        date: '2026-11-29',
        caseId,
        simulated: caseId.startsWith('SIM'),
        language: lang,
      });
      expect(decode(file)).toBe(caseId);
      expect(text(file)).toMatch(new RegExp(`^\\s*${caseId}\\s*$`, 'm'));
    }
  });

  it.each([
    ['de', 'SIMULATOR – KEINE ECHTE IDENTIFIZIERUNG', 'Nur für Test und Schulung.'],
    ['en', 'SIMULATOR – NOT A REAL IDENTIFICATION', 'For testing and training only.'],
  ] as const)('%s: a coupon of the simulator says so, twice; a real one does not', async (lang, banner, note) => {
    const coupon = (simulated: boolean): Printable => ({
      kind: 'POSTIDENT_COUPON',
      to: ERIKA_TO,
      date: '2026-11-29',
      caseId: 'SIM-0123456789ABCDEF0123456789ABCDEF',
      simulated,
      language: lang,
    });
    const fake = text(await rendered(coupon(true)));
    expect(fake.split(banner).length - 1).toBe(2);
    expect(fake).toContain(note);
    const real = text(await rendered(coupon(false)));
    expect(real).not.toContain('SIMULATOR');
    expect(real).not.toContain(note);
  });
});
