/**
 * Letters as PDF (pdf-lib) with an embedded DejaVu font, so every name in the register prints
 * correctly. The layout follows a windowed business letter: sender line, address, date, subject.
 * Letters to post go to the outbox (named by the account they belong to, never by a person);
 * documents for the person at the kiosk (the membership certificate) are rendered in memory only.
 */
import fontkit from '@pdf-lib/fontkit';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { Clock, DocumentRenderer, KioskDocument, Letter, LetterPrinter } from '../core/ports.js';
import { writeFileDurably } from '../lib/durable-file.js';
import { outboxName } from './outbox-name.js';

interface LetterBrand {
  readonly name: string;
  readonly senderLine: string;
  readonly serviceHint: string;
}

const MM = 72 / 25.4;

type Printable = Letter | KioskDocument;

const TITLES: Record<Printable['kind'], string> = {
  ACTIVATION_KEY: 'Aktivierungsschlüssel',
  POSTIDENT_COUPON: 'POSTIDENT-Coupon',
  MEMBERSHIP_CERTIFICATE: 'Mitgliedsbescheinigung',
  LOGIN_CODE: 'Login-Code',
  TEMPORARY_PASSWORD: 'Vorläufiges Passwort',
};

function formatDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}.${m}.${y}`;
}

function letterTexts(letter: Printable, brand: LetterBrand): { subject: string; paragraphs: string[]; highlight: string; after: string[] } {
  const en = letter.language === 'en';
  if (letter.kind === 'ACTIVATION_KEY') {
    return en
      ? {
          subject: 'Your activation key for the online account',
          paragraphs: [
            'Dear Sir or Madam,',
            `you have asked for an activation key to confirm your identity for your ${brand.name} online account. Log in with your username and password and enter this key when asked:`,
          ],
          highlight: letter.key,
          after: [
            `The key is valid until ${formatDate(letter.validUntil)} and can be used once. Upper or lower case and the dashes do not matter.`,
            'If you did not ask for this letter, please contact us. Keep the key to yourself; our staff will never ask you for it.',
            brand.serviceHint,
          ],
        }
      : {
          subject: 'Ihr Aktivierungsschlüssel für das Onlinekonto',
          paragraphs: [
            'Guten Tag,',
            `Sie haben einen Aktivierungsschlüssel angefordert, um Ihre Identität für Ihr ${brand.name}-Onlinekonto zu bestätigen. Melden Sie sich mit Benutzername und Passwort an und geben Sie diesen Schlüssel ein, wenn Sie dazu aufgefordert werden:`,
          ],
          highlight: letter.key,
          after: [
            `Der Schlüssel gilt bis zum ${formatDate(letter.validUntil)} und kann einmal verwendet werden. Groß- und Kleinschreibung sowie die Bindestriche spielen keine Rolle.`,
            'Falls Sie diesen Brief nicht angefordert haben, melden Sie sich bitte bei uns. Geben Sie den Schlüssel nicht weiter; unsere Mitarbeitenden fragen Sie nie danach.',
            brand.serviceHint,
          ],
        };
  }
  if (letter.kind === 'MEMBERSHIP_CERTIFICATE') {
    const since = formatDate(letter.insuranceStart);
    const until = letter.insuranceEnd ? formatDate(letter.insuranceEnd) : undefined;
    return en
      ? {
          subject: 'Membership certificate',
          paragraphs: [
            `We confirm that ${letter.to.name}, born ${formatDate(letter.birthDate)}, is insured with ${brand.name} ${until ? `from ${since} until ${until}` : `since ${since}`}. Insurance number:`,
          ],
          highlight: letter.kvnr,
          after: [`This certificate was created on ${formatDate(letter.date)} and is valid without signature.`, brand.serviceHint],
        }
      : {
          subject: 'Mitgliedsbescheinigung',
          paragraphs: [
            `Wir bescheinigen, dass ${letter.to.name}, geboren am ${formatDate(letter.birthDate)}, ${until ? `vom ${since} bis zum ${until}` : `seit dem ${since}`} bei ${brand.name} versichert ist. Versichertennummer:`,
          ],
          highlight: letter.kvnr,
          after: [
            `Diese Bescheinigung wurde am ${formatDate(letter.date)} maschinell erstellt und ist ohne Unterschrift gültig.`,
            brand.serviceHint,
          ],
        };
  }
  if (letter.kind === 'TEMPORARY_PASSWORD') {
    return en
      ? {
          subject: 'Your temporary password',
          paragraphs: [
            `At your request we have set a temporary password for your ${brand.name} online account with the username ${letter.username}. Log in at a kiosk with your username and this password:`,
          ],
          highlight: letter.password,
          after: [
            `It is valid until ${formatDate(letter.validUntil)}. Spaces and upper or lower case do not matter. Right after logging in you choose a password of your own; only then do the online services open.`,
            'Keep this letter to yourself and destroy it once you have chosen your own password.',
            brand.serviceHint,
          ],
        }
      : {
          subject: 'Ihr vorläufiges Passwort',
          paragraphs: [
            `Auf Ihren Wunsch haben wir für Ihr ${brand.name}-Onlinekonto mit dem Benutzernamen ${letter.username} ein vorläufiges Passwort festgelegt. Melden Sie sich am Kiosk mit Ihrem Benutzernamen und diesem Passwort an:`,
          ],
          highlight: letter.password,
          after: [
            `Es gilt bis zum ${formatDate(letter.validUntil)}. Leerzeichen sowie Groß- und Kleinschreibung spielen keine Rolle. Gleich nach der Anmeldung wählen Sie ein eigenes Passwort; erst dann öffnen sich die Online-Services.`,
            'Bewahren Sie diesen Brief sicher auf und vernichten Sie ihn, sobald Sie Ihr eigenes Passwort gewählt haben.',
            brand.serviceHint,
          ],
        };
  }
  if (letter.kind === 'LOGIN_CODE') {
    return en
      ? {
          subject: 'Your login code',
          paragraphs: [
            'With this code you can use our online services once without your password. At the kiosk choose "Log in with a login code" and enter your insurance number, your date of birth and:',
          ],
          highlight: letter.code,
          after: [`The code is valid until ${formatDate(letter.validUntil)} and for one session only.`, brand.serviceHint],
        }
      : {
          subject: 'Ihr Login-Code',
          paragraphs: [
            'Mit diesem Code nutzen Sie unsere Online-Services einmal ohne Passwort. Wählen Sie am Kiosk „Mit Login-Code anmelden“ und geben Sie Ihre Versichertennummer, Ihr Geburtsdatum und diesen Code ein:',
          ],
          highlight: letter.code,
          after: [`Der Code gilt bis zum ${formatDate(letter.validUntil)} und nur für eine Sitzung.`, brand.serviceHint],
        };
  }
  return en
    ? {
        subject: 'POSTIDENT coupon: confirm your identity at a post office',
        paragraphs: [
          'Take this coupon and your valid identity card or passport to any Deutsche Post branch. The staff there will confirm your identity for your online account.',
        ],
        highlight: letter.caseId,
        after: ['Once Deutsche Post reports the result, we will send you an e-mail.', brand.serviceHint],
      }
    : {
        subject: 'POSTIDENT-Coupon: Identität in einer Postfiliale bestätigen',
        paragraphs: [
          'Bringen Sie diesen Coupon und Ihren gültigen Personalausweis oder Reisepass in eine Filiale der Deutschen Post. Dort wird Ihre Identität für Ihr Onlinekonto bestätigt.',
        ],
        highlight: letter.caseId,
        after: ['Sobald uns das Ergebnis der Deutschen Post vorliegt, erhalten Sie eine E-Mail.', brand.serviceHint],
      };
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) > width && line) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export async function renderLetter(letter: Printable, brand: LetterBrand, fontsDir: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const [regular, bold, mono] = await Promise.all(
    ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSansMono-Bold.ttf'].map(async (f) =>
      doc.embedFont(await readFile(join(fontsDir, f)), { subset: true }),
    ),
  );
  if (!regular || !bold || !mono) throw new Error('fonts missing');
  doc.setTitle(TITLES[letter.kind]);
  doc.setProducer(brand.name);
  const page: PDFPage = doc.addPage([210 * MM, 297 * MM]);
  const left = 25 * MM;
  const width = 160 * MM;
  const top = 297 * MM;
  const ink = rgb(0.1, 0.1, 0.1);

  page.drawText(brand.name, { x: left, y: top - 20 * MM, size: 16, font: bold, color: rgb(0, 0.3, 0.45) });
  page.drawText(brand.senderLine, { x: left, y: top - 50 * MM, size: 7, font: regular, color: ink });
  let y = top - 57 * MM;
  for (const line of [letter.to.name, letter.to.street, `${letter.to.postalCode} ${letter.to.city}`]) {
    page.drawText(line, { x: left, y, size: 11, font: regular, color: ink });
    y -= 5 * MM;
  }
  const dateText = formatDate(letter.date);
  page.drawText(dateText, { x: left + width - regular.widthOfTextAtSize(dateText, 10), y: top - 98 * MM, size: 10, font: regular });

  const texts = letterTexts(letter, brand);
  y = top - 110 * MM;
  page.drawText(texts.subject, { x: left, y, size: 12, font: bold, color: ink });
  y -= 12 * MM;
  const paragraph = (text: string): void => {
    for (const line of wrap(text, regular, 10.5, width)) {
      page.drawText(line, { x: left, y, size: 10.5, font: regular, color: ink });
      y -= 5.2 * MM;
    }
    y -= 3 * MM;
  };
  texts.paragraphs.forEach(paragraph);
  y -= 4 * MM;
  page.drawRectangle({ x: left, y: y - 5 * MM, width, height: 16 * MM, borderColor: ink, borderWidth: 1 });
  const hw = mono.widthOfTextAtSize(texts.highlight, 16);
  page.drawText(texts.highlight, { x: left + (width - hw) / 2, y: y + 0.5 * MM, size: 16, font: mono, color: ink });
  y -= 18 * MM;
  texts.after.forEach(paragraph);
  return doc.save();
}

const systemClock: Clock = { now: () => new Date() };

export class OutboxLetterPrinter implements LetterPrinter {
  constructor(
    private readonly dir: string,
    private readonly brand: LetterBrand,
    private readonly fontsDir: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async print(letter: Letter): Promise<string> {
    const name = outboxName(letter.kind, 'pdf', this.clock.now(), letter.accountId);
    await writeFileDurably(join(this.dir, name), await renderLetter(letter, this.brand, this.fontsDir));
    return name;
  }
}

export class PdfDocumentRenderer implements DocumentRenderer {
  constructor(
    private readonly brand: LetterBrand,
    private readonly fontsDir: string,
  ) {}

  render(document: KioskDocument): Promise<Uint8Array> {
    return renderLetter(document, this.brand, this.fontsDir);
  }
}
