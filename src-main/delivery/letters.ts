/**
 * Letters as PDF (pdf-lib) with embedded DejaVu fonts, so every name in the register prints
 * correctly, laid out as an insurer's letter after DIN 5008 form B (din5008.ts) in one language
 * (letter-texts.ts). The secret of a letter (key, code, password, case reference) stands alone in
 * a box, clear of the text around it; the POSTIDENT coupon carries its case as a Code 128 barcode,
 * and a coupon of the simulator says loudly that no branch takes it. Letters go on by their route
 * (letter-dispatch.ts: outbox, provider or counter printer, named by the account they belong to,
 * never by a person); documents for the person at the kiosk (the membership certificate) are
 * rendered in memory only.
 */
import fontkit from '@pdf-lib/fontkit';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PDFDocument, rgb, type PDFFont, type PDFImage, type RGB } from 'pdf-lib';
import type { Clock, DocumentRenderer, KioskDocument } from '../core/ports.js';
import { code128 } from './barcode.js';
import {
  BODY,
  drawAddressField,
  GREY,
  INK,
  drawFooter,
  drawInfoBlock,
  drawMarks,
  MM,
  PAGE,
  Sheet,
  widthOf,
  wrap,
  type TextStyle,
} from './din5008.js';
import { OutboxLetterDispatch } from './letter-dispatch-outbox.js';
import { RoutedLetterPrinter } from './letter-dispatch.js';
import { letterReference } from './letter-reference.js';
import { formatDate, LABELS, letterTexts, type LetterBrand, type Printable } from './letter-texts.js';
import { setLetterMetadata } from './pdf-metadata.js';

const ALARM = rgb(0.75, 0.05, 0.05);
const WHITE = rgb(1, 1, 1);
/** Narrowest bar of the coupon's barcode: 0.33 mm is the usual size, 0.25 mm where space is short. */
const MODULE_MM = { preferred: 0.33, least: 0.25 } as const;

interface Fonts {
  readonly regular: PDFFont;
  readonly bold: PDFFont;
  readonly mono: PDFFont;
}

function brandColor(hex: string | undefined): RGB {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex ?? '');
  if (!match) return rgb(0, 0.3, 0.45);
  const [r, g, b] = match.slice(1).map((h) => parseInt(h, 16) / 255);
  return rgb(r ?? 0, g ?? 0, b ?? 0);
}

/** A red band with the simulator's warning, centred in the body's width. */
function simulatorBand(sheet: Sheet, top: number, language: Printable['language'], fonts: Fonts): number {
  const width = BODY.right - BODY.left;
  sheet.box(BODY.left, top, width, 11, ALARM);
  const head: TextStyle = { font: fonts.bold, size: 12, color: WHITE };
  const note: TextStyle = { font: fonts.regular, size: 7.5, color: WHITE };
  const { simulator, simulatorNote } = LABELS[language];
  sheet.text(simulator, BODY.left + (width - widthOf(simulator, head)) / 2, top + 5.3, head);
  sheet.text(simulatorNote, BODY.left + (width - widthOf(simulatorNote, note)) / 2, top + 9.2, note);
  return top + 11;
}

/** The highlighted value in its box; returns the box's lower edge. */
function highlightBox(sheet: Sheet, top: number, value: string, fonts: Fonts, barcode?: { image: PDFImage; modules: number }): number {
  const width = BODY.right - BODY.left;
  if (!barcode) {
    const style: TextStyle = { font: fonts.mono, size: 16 };
    sheet.box(BODY.left, top, width, 14, undefined, INK);
    sheet.text(value, BODY.left + (width - widthOf(value, style)) / 2, top + 9, style);
    return top + 14;
  }
  // Ten modules of quiet zone on each side, as Code 128 needs to be found by a scanner.
  const module = Math.max(MODULE_MM.least, Math.min(MODULE_MM.preferred, (width - 8) / (barcode.modules + 20)));
  const barWidth = barcode.modules * module;
  const barHeight = 15;
  const style: TextStyle = { font: fonts.mono, size: 12 };
  const height = 6 + barHeight + 10;
  sheet.box(BODY.left, top, width, height, undefined, INK);
  sheet.page.drawImage(barcode.image, {
    x: (BODY.left + (width - barWidth) / 2) * MM,
    y: (PAGE.height - top - 5 - barHeight) * MM,
    width: barWidth * MM,
    height: barHeight * MM,
  });
  sheet.text(value, BODY.left + (width - widthOf(value, style)) / 2, top + 5 + barHeight + 6, style);
  return top + height;
}

async function embedFonts(doc: PDFDocument, fontsDir: string): Promise<Fonts> {
  doc.registerFontkit(fontkit);
  const [regular, bold, mono] = await Promise.all(
    ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSansMono-Bold.ttf'].map(async (f) =>
      doc.embedFont(await readFile(join(fontsDir, f)), { subset: true }),
    ),
  );
  if (!regular || !bold || !mono) throw new Error('fonts missing');
  return { regular, bold, mono };
}

export async function renderLetter(letter: Printable, brand: LetterBrand, fontsDir: string, at: Date = new Date()): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const fonts = await embedFonts(doc, fontsDir);
  const { language } = letter;
  const texts = letterTexts(letter, brand);
  setLetterMetadata(doc, { title: texts.title, lang: language === 'en' ? 'en-GB' : 'de-DE', creator: brand.name, at });
  const sheet = new Sheet(doc.addPage([PAGE.width * MM, PAGE.height * MM]));
  const simulated = letter.kind === 'POSTIDENT_COUPON' && letter.simulated;

  sheet.text(brand.name, BODY.left, 22, { font: fonts.bold, size: 18, color: brandColor(brand.primaryColor) });
  if (simulated) simulatorBand(sheet, 29, language, fonts);
  drawMarks(sheet);
  drawAddressField(
    sheet,
    {
      returnLine: brand.senderLine,
      notice: texts.notice,
      recipient: [letter.to.name, letter.to.street, `${letter.to.postalCode} ${letter.to.city}`],
    },
    fonts.regular,
    fonts.bold,
  );
  const labels = LABELS[language];
  const rows: [string, string][] = [];
  if (letter.accountId) rows.push([labels.reference, letterReference(letter.accountId)]);
  rows.push([labels.contact, brand.serviceContact[language]], [labels.date, formatDate(letter.date, language)]);
  const infoBottom = drawInfoBlock(sheet, rows, fonts.regular);

  const body: TextStyle = { font: fonts.regular, size: 10.5 };
  const width = BODY.right - BODY.left;
  let y = Math.max(BODY.subjectTop + 4, infoBottom + 6);
  sheet.text(texts.subject, BODY.left, y, { font: fonts.bold, size: 12 });
  y += 10;
  const paragraph = (text: string): void => {
    for (const line of wrap(text, body, width)) {
      sheet.text(line, BODY.left, y, body);
      y += 5.2;
    }
    y += 2.5;
  };
  paragraph(texts.salutation);
  texts.paragraphs.forEach(paragraph);
  let top = y - 1;
  if (simulated) top = simulatorBand(sheet, top, language, fonts) + 1.5;
  const barcode = letter.kind === 'POSTIDENT_COUPON' ? await code128(letter.caseId) : undefined;
  const image = barcode ? { image: await doc.embedPng(barcode.png), modules: barcode.modules } : undefined;
  y = highlightBox(sheet, top, texts.highlight, fonts, image) + 9;
  texts.after.forEach(paragraph);
  y += 2;
  sheet.text(texts.closing, BODY.left, y, body);
  y += 10;
  sheet.text(brand.name, BODY.left, y, body);
  if (texts.signatureNote) sheet.text(texts.signatureNote, BODY.left, y + 5, { font: fonts.regular, size: 7.5, color: GREY });
  drawFooter(sheet, brand.legalFooter[language], fonts.regular);
  return doc.save();
}

const systemClock: Clock = { now: () => new Date() };

/** Every letter into the outbox folder: the routed printer with the outbox on both routes. */
export class OutboxLetterPrinter extends RoutedLetterPrinter {
  constructor(dir: string, brand: LetterBrand, fontsDir: string, clock: Clock = systemClock) {
    const outbox = new OutboxLetterDispatch(dir);
    super((letter, at) => renderLetter(letter, brand, fontsDir, at), { postal: outbox, counter: outbox }, clock);
  }
}

export class PdfDocumentRenderer implements DocumentRenderer {
  constructor(
    private readonly brand: LetterBrand,
    private readonly fontsDir: string,
    private readonly clock: Clock = systemClock,
  ) {}

  render(document: KioskDocument): Promise<Uint8Array> {
    return renderLetter(document, this.brand, this.fontsDir, this.clock.now());
  }
}
