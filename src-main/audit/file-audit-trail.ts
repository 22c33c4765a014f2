import { writeSync } from 'node:fs';
import { open, readFile, truncate, type FileHandle } from 'node:fs/promises';
import type { AuditEvent, AuditTrail } from '../core/ports.js';
import { KeyedMutex } from '../store/keyed-mutex.js';
import { GENESIS, sealRecord, verifyLines, type VerifyResult } from './hash-chain.js';

/** The running end of a chain: turns the next event into its sealed line. */
class ChainHead {
  constructor(
    private seq = 0,
    private prev = GENESIS,
  ) {}

  seal(event: AuditEvent, at: Date): { line: string; commit: () => void } {
    const { line, hash } = sealRecord({
      seq: this.seq + 1,
      at: at.toISOString(),
      type: event.type,
      actor: event.actor,
      terminal: event.terminal,
      ...(event.subject !== undefined ? { subject: event.subject } : {}),
      ...(event.data !== undefined ? { data: event.data } : {}),
      prev: this.prev,
    });
    return {
      line,
      commit: () => {
        this.seq += 1;
        this.prev = hash;
      },
    };
  }
}

export function splitAuditText(text: string): { lines: string[]; tornTail: boolean } {
  const lines = text.split('\n');
  const last = lines.pop();
  // A line without its newline was being written when the process died: it was never confirmed.
  return { lines: lines.filter((l) => l !== ''), tornTail: last !== undefined && last !== '' };
}

async function readIfExists(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

export async function verifyAuditFile(path: string): Promise<VerifyResult & { tornTail: boolean }> {
  const { lines, tornTail } = splitAuditText(await readIfExists(path));
  return { ...verifyLines(lines), tornTail };
}

/**
 * Append-only audit file with group commit: each entry is written to the file before append()
 * resolves (so it survives the process being killed), and the file is fsynced at most
 * `syncDelayMs` later, once for all entries of that window (so a power loss can cost at most that
 * window, while a login does not pay a disk flush of its own).
 */
export class FileAuditTrail implements AuditTrail {
  private readonly queue = new KeyedMutex();
  private syncTimer: ReturnType<typeof setTimeout> | undefined;
  private syncing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly handle: FileHandle,
    private readonly head: ChainHead,
    private readonly syncDelayMs: number,
  ) {}

  static async open(path: string, syncDelayMs = 20): Promise<FileAuditTrail> {
    const { lines, tornTail } = splitAuditText(await readIfExists(path));
    if (tornTail) await truncate(path, Buffer.byteLength(lines.map((l) => `${l}\n`).join('')));
    // A broken chain is for the verify command to report; new entries link to the last line.
    const lastLine = lines.at(-1);
    const last = lastLine ? (JSON.parse(lastLine) as { seq: number; hash: string }) : undefined;
    const handle = await open(path, 'a', 0o600);
    return new FileAuditTrail(handle, new ChainHead(last?.seq ?? 0, last?.hash ?? GENESIS), syncDelayMs);
  }

  append(event: AuditEvent, at: Date): Promise<void> {
    return this.queue.run('audit', async () => {
      const { line, commit } = this.head.seal(event, at);
      // A short synchronous append to the page cache: cheaper than a round trip through the
      // thread pool, which argon2 keeps busy.
      writeSync(this.handle.fd, `${line}\n`);
      commit();
      this.scheduleSync();
    });
  }

  private scheduleSync(): void {
    if (this.syncTimer) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      this.syncing = this.handle.sync().catch((error: unknown) => console.error('[audit] fsync failed', error));
    }, this.syncDelayMs);
  }

  /** Flushes pending entries to disk now. */
  async flush(): Promise<void> {
    await this.queue.run('audit', async () => {
      if (this.syncTimer) {
        clearTimeout(this.syncTimer);
        this.syncTimer = undefined;
      }
      await this.syncing;
      await this.handle.sync();
    });
  }

  async close(): Promise<void> {
    await this.flush();
    await this.handle.close();
  }
}

/** In-memory trail for unit tests: same sealing, kept as lines. */
export class MemoryAuditTrail implements AuditTrail {
  readonly lines: string[] = [];
  private readonly head = new ChainHead();

  append(event: AuditEvent, at: Date): Promise<void> {
    const { line, commit } = this.head.seal(event, at);
    this.lines.push(line);
    commit();
    return Promise.resolve();
  }

  events(): { type: string; subject?: string; data?: Record<string, unknown> }[] {
    return this.lines.map((l) => JSON.parse(l) as { type: string; subject?: string; data?: Record<string, unknown> });
  }
}
