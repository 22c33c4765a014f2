/**
 * Touch targets in millimetres on the glass, not in CSS pixels: the kiosk's configured density
 * (kiosk.pixelsPerMm) turns the 9 mm minimum side and the 2 mm gap between neighbours into the
 * CSS custom properties the styles size controls with. 9 mm is a fingertip with a tremor's margin;
 * 2 mm keeps a slightly missed tap off the neighbour. Threat: a density outside the configured
 * bounds (the main process validates them) would make targets tiny or huge; the defaults stand in
 * until app.info has answered.
 */
export const TARGET_MM = 9;
export const GAP_MM = 2;
export const DEFAULT_PIXELS_PER_MM = 4.9;

/** The custom properties for a density: `--target` (minimum side) and `--target-gap` (minimum gap). */
export function targetProperties(pixelsPerMm: number): { '--target': string; '--target-gap': string } {
  const px = (mm: number): string => `${Math.ceil(mm * pixelsPerMm * 10 - 1e-9) / 10}px`;
  return { '--target': px(TARGET_MM), '--target-gap': px(GAP_MM) };
}
