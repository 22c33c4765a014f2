/**
 * Code 128 for the POSTIDENT case reference, drawn by bwip-js as a PNG to embed in the coupon.
 * The caller sizes the image by its module count: a bar is never narrower than a branch scanner
 * reads, and the reference is printed in plain text below for when the scan fails.
 */
import { toBuffer } from 'bwip-js/node';

/** Image pixels per module: bars stay crisp when the image is scaled onto the page. */
const SCALE = 4;

export interface Barcode {
  readonly png: Uint8Array;
  /** Width in modules (narrowest bar), quiet zone not included. */
  readonly modules: number;
}

export async function code128(text: string): Promise<Barcode> {
  const png = await toBuffer({
    bcid: 'code128',
    text,
    scale: SCALE,
    height: 10,
    includetext: false,
    paddingwidth: 0,
    paddingheight: 0,
    backgroundcolor: 'FFFFFF',
  });
  // The PNG header holds the width at bytes 16..19 (IHDR), in pixels.
  const width = png.readUInt32BE(16);
  return { png: new Uint8Array(png), modules: width / SCALE };
}
