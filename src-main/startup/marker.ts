/**
 * data-dir.json, the set-up marker: says that a data directory was set up (state "ready") or is
 * being set up ("initialising", written first, so a cut-short set-up is resumed instead of taken
 * for a deleted marker), and by which key (`keyCheck` = HMAC(key, "kontokiosk-key-check-v1")).
 *
 * Threats: a marker that anyone could write would let a deleted store be "resumed" as a fresh
 * set-up, so the marker is sealed with an HMAC under a sub-key of secret.key; a copy of another
 * terminal's key, or a link to some other 32-byte file, would silently invalidate every issued
 * code and the audit chain, so the key must reproduce `keyCheck`. The check value reveals nothing
 * of the key (HMAC is one-way).
 *
 * Format 1 (no state, no seal) was written by the version that introduced the marker; such a
 * directory is upgraded to format 2 on its next start (startup/data-dir.ts).
 *
 * `storeFiles` lists the store's record files the directory has (startup/record-files.ts). A
 * marker sealed before the list existed has none and keeps its seal: the list is sealed only when
 * present, and as the last part, so it cannot be cut off or added without the key.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const MARKER_FILE = 'data-dir.json';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

const sealedSchema = z
  .object({
    format: z.literal(2),
    state: z.enum(['initialising', 'ready']),
    /** How the directory was set up: from nothing, adopted from before the marker, or upgraded from format 1. */
    setUp: z.enum(['new', 'adopted', 'upgraded']),
    shards: z.number().int().positive(),
    createdAt: z.string(),
    /** The record files beside the shards that exist from here on (absent: set up before they existed). */
    storeFiles: z
      .array(z.string().regex(/^[a-z][a-z0-9-]*\.json$/))
      .max(32)
      .optional(),
    keyCheck: hex64,
    mac: hex64,
  })
  .strict();

const earlierSchema = z.object({ format: z.literal(1), shards: z.number().int().positive(), createdAt: z.string() });

export const markerFileSchema = z.union([sealedSchema, earlierSchema]);
export type MarkerFile = z.infer<typeof markerFileSchema>;
export type SealedMarker = z.infer<typeof sealedSchema>;
export type MarkerFields = Omit<SealedMarker, 'format' | 'keyCheck' | 'mac'>;

const derive = (key: Uint8Array, label: string): Buffer => createHmac('sha256', key).update(label).digest();

function keyCheckOf(key: Uint8Array): string {
  return derive(key, 'kontokiosk-key-check-v1').toString('hex');
}

function macOf(key: Uint8Array, m: Omit<SealedMarker, 'mac'>): Buffer {
  const parts: (string | number)[] = ['data-dir', m.format, m.state, m.setUp, m.shards, m.createdAt, m.keyCheck];
  // Names hold no comma or newline (schema), so the joined list is unambiguous.
  if (m.storeFiles !== undefined) parts.push(`store-files:${m.storeFiles.join(',')}`);
  return createHmac('sha256', derive(key, 'kontokiosk-data-dir-marker-v1')).update(parts.join('\n')).digest();
}

export function sealMarker(key: Uint8Array, fields: MarkerFields): string {
  const body = { format: 2 as const, ...fields, keyCheck: keyCheckOf(key) };
  return JSON.stringify({ ...body, mac: macOf(key, body).toString('hex') });
}

const same = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);

/** KEY_WRONG: secret.key is not the key the directory was set up with. UNSEALED: edited or forged. */
export function checkMarker(key: Uint8Array, marker: SealedMarker): 'OK' | 'KEY_WRONG' | 'UNSEALED' {
  if (!same(Buffer.from(marker.keyCheck, 'hex'), Buffer.from(keyCheckOf(key), 'hex'))) return 'KEY_WRONG';
  return same(Buffer.from(marker.mac, 'hex'), macOf(key, marker)) ? 'OK' : 'UNSEALED';
}
