/**
 * The reason a staff member gives for an access (R10): a preset plus optional free text, or, for
 * "other", free text alone. Presets are recorded in German whatever the screen language, so the
 * audit trail reads the same for every case. The contract allows 1 to 500 characters.
 */
export const REASON_PRESETS = ['AT_DESK', 'PHONE_CALL', 'LETTER', 'OTHER'] as const;
export type ReasonPreset = (typeof REASON_PRESETS)[number];
export const REASON_MAX = 500;

const RECORDED: Record<ReasonPreset, string> = {
  AT_DESK: 'Person am Schalter',
  PHONE_CALL: 'Anruf der Person',
  LETTER: 'Schriftliche Anfrage',
  OTHER: 'Sonstiges',
};

export type ReasonProblem = 'MISSING' | 'TEXT_MISSING' | 'TOO_LONG';
export type ComposedReason = { readonly ok: true; readonly reason: string } | { readonly ok: false; readonly problem: ReasonProblem };

export function composeReason(preset: ReasonPreset | '', free: string): ComposedReason {
  if (preset === '') return { ok: false, problem: 'MISSING' };
  // One line: the audit record keeps the reason as a single field.
  const text = free.replace(/\s+/g, ' ').trim();
  if (preset === 'OTHER' && text === '') return { ok: false, problem: 'TEXT_MISSING' };
  const reason = preset === 'OTHER' ? `${RECORDED.OTHER}: ${text}` : text ? `${RECORDED[preset]}: ${text}` : RECORDED[preset];
  return [...reason].length > REASON_MAX ? { ok: false, problem: 'TOO_LONG' } : { ok: true, reason };
}
