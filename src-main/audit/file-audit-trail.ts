/** Append-only audit file: each entry is fsynced before the append resolves. */
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
    const line = sealRecord({
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
        this.prev = (JSON.parse(line) as { hash: string }).hash;
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

export class FileAuditTrail implements AuditTrail {
  private readonly queue = new KeyedMutex();

  private constructor(
    private readonly handle: FileHandle,
    private readonly head: ChainHead,
  ) {}

  static async open(path: string): Promise<FileAuditTrail> {
    const { lines, tornTail } = splitAuditText(await readIfExists(path));
    if (tornTail) await truncate(path, Buffer.byteLength(lines.map((l) => `${l}\n`).join('')));
    // A broken chain is for the verify command to report; new entries link to the last line.
    const lastLine = lines.at(-1);
    const last = lastLine ? (JSON.parse(lastLine) as { seq: number; hash: string }) : undefined;
    const handle = await open(path, 'a', 0o600);
    return new FileAuditTrail(handle, new ChainHead(last?.seq ?? 0, last?.hash ?? GENESIS));
  }

  append(event: AuditEvent, at: Date): Promise<void> {
    return this.queue.run('audit', async () => {
      const { line, commit } = this.head.seal(event, at);
      await this.handle.write(`${line}\n`);
      await this.handle.sync();
      commit();
    });
  }

  close(): Promise<void> {
    return this.handle.close();
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
