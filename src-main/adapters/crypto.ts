/** Node implementations of the core's Random, SecretHasher and PasswordHasher ports. */
import { hash as argon2Hash, verify as argon2Verify, type Options } from '@node-rs/argon2';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { HashingBusyError, type PasswordHasher, type Random, type SecretBox, type SecretHasher } from '../core/ports.js';

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
  constructor(private readonly options: Options = ARGON2_OPTIONS) {}

  hash(password: string): Promise<string> {
    return argon2Hash(password, this.options);
  }

  verify(hash: string, password: string): Promise<boolean> {
    return argon2Verify(hash, password).catch(() => false);
  }
}

/**
 * Runs hashing through a bounded queue: at most `workers` hashes at once (one per core), at most
 * `maxWaiting` waiting; beyond that a request fails at once with HashingBusyError instead of
 * piling up work that would starve every other login. Equal answer times come from pacing the
 * answer (see core/login/attempt.ts), never from doing more hashing.
 */
export class BoundedPasswordHasher implements PasswordHasher {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly inner: PasswordHasher,
    readonly workers = availableParallelism(),
    readonly maxWaiting = 4 * availableParallelism(),
  ) {}

  hash(password: string): Promise<string> {
    return this.slot(() => this.inner.hash(password));
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.slot(() => this.inner.verify(hash, password));
  }

  /** Hashes running and waiting, for monitoring and tests. */
  load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  private async slot<T>(work: () => Promise<T>): Promise<T> {
    if (this.active < this.workers) this.active += 1;
    else if (this.waiting.length >= this.maxWaiting) throw new HashingBusyError();
    // A finishing hash hands its slot straight to the next in line, so `active` stays counted.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}

/**
 * AES-256-GCM with a key derived (HKDF) from the data directory's secret key, which lives beside
 * the store, never in it: a copy of the store alone does not reveal TOTP secrets. Sealed text is
 * `v1.<iv>.<ciphertext>.<tag>` in base64url; a changed or foreign one fails to open.
 */
export class AesSecretBox implements SecretBox {
  private readonly key: Buffer;

  constructor(secretKey: Uint8Array, purpose = 'kontokiosk staff totp seal') {
    this.key = Buffer.from(hkdfSync('sha256', secretKey, new Uint8Array(0), purpose, 32));
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, data, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  open(sealed: string): string {
    const [version, iv, data, tag] = sealed.split('.');
    if (version !== 'v1' || !iv || !data || !tag) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
