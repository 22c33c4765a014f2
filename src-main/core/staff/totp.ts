/**
 * TOTP second factor for staff (RFC 6238: SHA-1, 6 digits, 30-second steps), with the maintained
 * otpauth library. One step of clock skew either way is accepted, and a code is good once: the
 * newest accepted step is stored and a code of that step or an older one is refused.
 */
import { Secret, TOTP } from 'otpauth';
import type { Random } from '../ports.js';

const PERIOD_S = 30;
const SECRET_BYTES = 20;

export function newTotpSecret(random: Random): string {
  const bytes = new Uint8Array(SECRET_BYTES);
  for (let i = 0; i < bytes.length; i++) bytes[i] = random.int(256);
  return new Secret({ buffer: bytes.buffer }).base32;
}

/** Issuer and label only name the account in the enrolment URI: the codes depend on the secret and the time alone. */
function totpFor(secret: string, issuer?: string, label?: string): TOTP {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: PERIOD_S, secret: Secret.fromBase32(secret) });
}

/** The otpauth:// URI an authenticator app reads from the enrolment QR code. */
export function totpUri(secret: string, issuer: string, label: string): string {
  return totpFor(secret, issuer, label).toString();
}

/**
 * The time step the code belongs to, when it is right for now or one step either side and newer
 * than `lastStep`; undefined otherwise.
 */
export function acceptedStep(secret: string, code: string, now: Date, lastStep: number): number | undefined {
  // Anything but the six digits of one of the three codes (letters, a seventh digit) matches none of them.
  const token = code.replace(/\s+/g, '');
  const delta = totpFor(secret).validate({ token, timestamp: now.getTime(), window: 1 });
  if (delta === null) return undefined;
  const step = Math.floor(now.getTime() / 1000 / PERIOD_S) + delta;
  return step > lastStep ? step : undefined;
}

/** For tests and the enrolment check: the code of a given instant. */
export function totpCode(secret: string, at: Date): string {
  return totpFor(secret).generate({ timestamp: at.getTime() });
}
