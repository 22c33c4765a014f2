/**
 * The on-disk layout of the embedded register (master data, rewritten only by an import):
 *
 *   store/register.json                 which folder holds the register, its size and shard counts
 *   store/register-<token>/p-NNNN.json  persons by a hash of the KVNR
 *   store/register-<token>/b-NNNN.json  birth date → KVNRs (the counter's search), by a hash of the date
 *
 * An import builds a new folder beside the current one and swaps by rewriting register.json (one
 * atomic rename); the old folder is removed after. Shards are read when first needed.
 *
 * Threat: a shard deleted, emptied or restored from another import would silently drop persons
 * (no letters, no password reset): register.json counts every shard's persons, and a shard read
 * with another count is refused by name.
 */
import { z } from 'zod';
import { hashOf } from './account-layout.js';
import type { JsonSchema } from './json-file.js';
import { REGISTER_FILE } from './schemas.js';

export const REGISTER_FILE_NAME = 'register.json';
export const FOLDER = /^register-[0-9a-f]{16}$/;
/** Persons per shard the import aims at (about 100 kB of JSON). */
const PERSONS_PER_SHARD = 512;
/** Buckets of the streaming import (by a hash of the KVNR): one bucket's persons are in memory at a time. */
export const BUCKETS = 256;

export interface RegisterMeta {
  format: 2;
  folder: string;
  persons: number;
  shards: number;
  /** Persons in each p-shard. */
  counts: number[];
  /** Birth dates in each b-shard. */
  bornCounts: number[];
}

const count = z.number().int().nonnegative();
const metaSchema = z
  .strictObject({
    format: z.literal(2),
    folder: z.string().regex(FOLDER),
    persons: count,
    shards: z
      .number()
      .int()
      .min(1)
      .max(1 << 20),
    counts: z.array(count),
    bornCounts: z.array(count),
  })
  .superRefine((meta, ctx) => {
    if (meta.counts.length !== meta.shards || meta.bornCounts.length !== meta.shards) {
      ctx.addIssue({ code: 'custom', path: ['counts'], message: 'not one count per shard' });
    }
    if (meta.counts.reduce((a, b) => a + b, 0) !== meta.persons) {
      ctx.addIssue({ code: 'custom', path: ['persons'], message: 'not the sum of the shard counts' });
    }
  });

export const META_FILE: JsonSchema = { schema: metaSchema };
/** The single-document register of the earlier version: read once and migrated. */
export const LEGACY_FILE: JsonSchema = REGISTER_FILE;
export const PERSON_SHARD: JsonSchema = REGISTER_FILE;
export const BORN_SHARD: JsonSchema = {
  schema: z.strictObject({ entries: z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.array(z.string().min(1))) }),
};

export const personShardName = (i: number): string => `p-${String(i).padStart(4, '0')}.json`;
export const bornShardName = (i: number): string => `b-${String(i).padStart(4, '0')}.json`;
export const shardOfKey = (key: string, shards: number): number => hashOf(key) % shards;

/** A power of two, so that shard i of the bucket b = i mod BUCKETS (or the other way round) lines up. */
export function shardCountFor(persons: number): number {
  let shards = 1;
  while (shards * PERSONS_PER_SHARD < persons) shards *= 2;
  return shards;
}
