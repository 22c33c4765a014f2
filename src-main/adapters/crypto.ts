/** Node implementations of the core's Random, SecretHasher and PasswordHasher ports. */
import { hash as argon2Hash, verify as argon2Verify, type Options } from '@node-rs/argon2';
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { PasswordHasher, Random, SecretHasher } from '../core/ports.js';

export const nodeRandom: Random = {
  int: (max) => randomInt(max),
  token: (bytes = 32) => randomBytes(bytes).toString('base64url'),
};

/** HMAC-SHA-256 with a key kept outside the store file (see README, "secrets"). */
export class HmacSecretHasher implements SecretHasher {
  constructor(private readonly key: Uint8Array) {
    if (key.length < 32) throw new Error('secret key too short');
  }

  hash(secret: string): string {
    return createHmac('sha256', this.key).update(secret, 'utf8').digest('base64url');
  }

  verify(secret: string, hash: string): boolean {
    const expected = Buffer.from(hash, 'base64url');
    const actual = Buffer.from(this.hash(secret), 'base64url');
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
}

/**
 * argon2id, m = 19 MiB, t = 2, p = 1: OWASP's minimum recommendation, about 9 ms per hash on the
 * branch machines, which keeps a kiosk login instant while making offline guessing expensive.
 */
export const ARGON2_OPTIONS: Options = {
  algorithm: 2 as NonNullable<Options['algorithm']>,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export class Argon2PasswordHasher implements PasswordHasher {
  private dummy: Promise<string> | undefined;

  constructor(private readonly options: Options = ARGON2_OPTIONS) {}

  hash(password: string): Promise<string> {
    return argon2Hash(password, this.options);
  }

  verify(hash: string, password: string): Promise<boolean> {
    return argon2Verify(hash, password).catch(() => false);
  }

  async dummyVerify(password: string): Promise<void> {
    this.dummy ??= argon2Hash(randomBytes(24).toString('base64url'), this.options);
    await argon2Verify(await this.dummy, password).catch(() => false);
  }
}
