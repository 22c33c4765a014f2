/**
 * The fixed frame of a letter after DIN 5008 form B, for a DL window envelope: fold marks at 105
 * and 210 mm and the hole mark at 148.5 mm on the left edge; the address field 20 mm from the
 * left and 45 mm from the top, 85 × 45 mm, whose upper 17.7 mm hold the return address and a
 * notice, with the recipient below (a recipient drawn higher would slip under the window's upper
 * edge); the information block to the right; the legal footer at the foot. Positions are in
 * millimetres from the top left, as the standard gives them; the Sheet turns them into PDF points.
 */
import { rgb, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';

export const MM = 72 / 25.4;
export const PAGE = { width: 210, height: 297 } as const;
const FOLD_MARKS = [105, 210] as const;
const HOLE_MARK = 148.5;
const ADDRESS_FIELD = { left: 20, top: 45, width: 85, height: 45, infoZone: 17.7 } as const;
const INFO_BLOCK = { left: 125, top: 50, right: 200 } as const;
/** Body text: 25 mm from the left (the address field's 5 mm indent), 20 mm right margin. */
export const BODY = { left: 25, right: 190, subjectTop: 98.46 } as const;
const FOOTER_TOP = 276;

export const INK = rgb(0.1, 0.1, 0.1);
export const GREY = rgb(0.35, 0.35, 0.35);

export interface TextStyle {
  readonly font: PDFFont;
  readonly size: number;
  readonly color?: RGB;
}

export class Sheet {
  constructor(readonly page: PDFPage) {}

  text(text: string, x: number, baseline: number, style: TextStyle): void {
    this.page.drawText(text, {
      x: x * MM,
      y: (PAGE.height - baseline) * MM,
      size: style.size,
      font: style.font,
      color: style.color ?? INK,
    });
  }

  line(x1: number, y1: number, x2: number, y2: number, thickness = 0.5, color: RGB = INK): void {
    this.page.drawLine({
      start: { x: x1 * MM, y: (PAGE.height - y1) * MM },
      end: { x: x2 * MM, y: (PAGE.height - y2) * MM },
      thickness,
      color,
    });
  }

  box(x: number, top: number, width: number, height: number, fill?: RGB, border?: RGB): void {
    this.page.drawRectangle({
      x: x * MM,
      y: (PAGE.height - top - height) * MM,
      width: width * MM,
      height: height * MM,
      ...(fill ? { color: fill } : {}),
      ...(border ? { borderColor: border, borderWidth: 1 } : {}),
    });
  }
}

/** Width in millimetres of a text set in a style. */
export const widthOf = (text: string, style: TextStyle): number => style.font.widthOfTextAtSize(text, style.size) / MM;

/** The style made smaller until the text fits the width (a long name must stay in the window). */
function fitted(text: string, style: TextStyle, width: number, minSize = 6): TextStyle {
  let size = style.size;
  while (size > minSize && widthOf(text, { ...style, size }) > width) size -= 0.25;
  return { ...style, size };
}

export function wrap(text: string, style: TextStyle, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (widthOf(candidate, style) > width && line) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export function drawMarks(sheet: Sheet): void {
  for (const y of FOLD_MARKS) sheet.line(4, y, 9, y, 0.6);
  sheet.line(4, HOLE_MARK, 12, HOLE_MARK, 0.6);
}

export interface AddressFieldContent {
  readonly returnLine: string;
  readonly notice?: string | undefined;
  readonly recipient: readonly string[];
}

/** Text inside the field keeps 5 mm from its left and right edges. */
export function drawAddressField(sheet: Sheet, content: AddressFieldContent, regular: PDFFont, bold: PDFFont): void {
  const { left, top, width, infoZone } = ADDRESS_FIELD;
  const x = left + 5;
  const inner = width - 10;
  const small = fitted(content.returnLine, { font: regular, size: 7, color: GREY }, inner);
  sheet.text(content.returnLine, x, top + 5, small);
  sheet.line(x, top + 6.2, x + Math.min(inner, widthOf(content.returnLine, small)), top + 6.2, 0.3, GREY);
  if (content.notice) sheet.text(content.notice, x, top + infoZone - 1.5, fitted(content.notice, { font: bold, size: 8 }, inner));
  // The first line's ascenders stay below the information zone (the window's upper part).
  // A line too long even at 8 pt wraps: the zone has room for six lines, a window for no wider.
  const base: TextStyle = { font: regular, size: 10 };
  const lines = content.recipient.flatMap((line) => {
    const small = fitted(line, base, inner, 8);
    return widthOf(line, small) <= inner
      ? [{ line, style: small }]
      : wrap(line, base, inner).map((part) => ({ line: part, style: fitted(part, base, inner) }));
  });
  let baseline = top + infoZone + 4;
  for (const { line, style } of lines.slice(0, 6)) {
    sheet.text(line, x, baseline, style);
    baseline += 4.23;
  }
}

/** Label and value rows; a value of several lines (the service contact) continues below itself. */
export function drawInfoBlock(sheet: Sheet, rows: readonly (readonly [string, string])[], regular: PDFFont): number {
  const label: TextStyle = { font: regular, size: 8, color: GREY };
  const value: TextStyle = { font: regular, size: 8.5 };
  const valueLeft = INFO_BLOCK.left + Math.max(...rows.map(([l]) => widthOf(l, label))) + 3;
  let baseline = INFO_BLOCK.top + 3;
  for (const [name, text] of rows) {
    sheet.text(name, INFO_BLOCK.left, baseline, label);
    for (const line of text.split('\n')) {
      sheet.text(line, valueLeft, baseline, fitted(line, value, INFO_BLOCK.right - valueLeft));
      baseline += 4;
    }
    baseline += 1.2;
  }
  return baseline;
}

export function drawFooter(sheet: Sheet, footer: string, regular: PDFFont): void {
  sheet.line(BODY.left, FOOTER_TOP, BODY.right, FOOTER_TOP, 0.3, GREY);
  footer
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .slice(0, 4)
    .forEach((line, i) => {
      sheet.text(line, BODY.left, FOOTER_TOP + 4 + i * 3.4, fitted(line, { font: regular, size: 7, color: GREY }, BODY.right - BODY.left));
    });
}
