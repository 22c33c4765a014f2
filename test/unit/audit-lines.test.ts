/** The block readers of the audit file agree with splitting the file whole, across block boundaries and multi-byte text. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { completeEnd, linesBackward, linesForward } from '../../src-main/audit/audit-file.js';

const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-audit-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = fc.oneof(
  fc.string({ maxLength: 40, unit: 'grapheme' }),
  // Long enough to cross the 64 KiB blocks.
  fc.nat({ max: 150_000 }).map((n) => 'ü'.repeat(n)),
);

async function read(text: string) {
  const path = join(dir, 'lines.jsonl');
  writeFileSync(path, text);
  const handle = await open(path, 'r');
  try {
    const size = Buffer.byteLength(text);
    const end = await completeEnd(handle, size);
    const back = [];
    for await (const l of linesBackward(handle, end)) back.push(l);
    const forward = [];
    for await (const l of linesForward(handle, 0, end)) forward.push(l);
    return { end, back, forward };
  } finally {
    await handle.close();
  }
}

describe('audit file lines', () => {
  it('backwards and forwards give the complete, non-empty lines with their byte places', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          line.map((l) => l.replaceAll('\n', '')),
          { maxLength: 12 },
        ),
        fc.string({ maxLength: 20 }),
        async (lines, torn) => {
          const tornTail = torn.replaceAll('\n', '');
          const text = lines.map((l) => `${l}\n`).join('') + tornTail;
          const { end, back, forward } = await read(text);
          expect(end).toBe(Buffer.byteLength(text) - Buffer.byteLength(tornTail));
          const expected = [];
          let offset = 0;
          for (const l of lines) {
            const length = Buffer.byteLength(l);
            if (length > 0) expected.push({ text: length > 1024 * 1024 ? undefined : l, offset, length });
            offset += length + 1;
          }
          expect(forward).toEqual(expected);
          expect(back).toEqual([...expected].reverse());
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a line longer than any entry is passed on without its text', async () => {
    const long = 'x'.repeat(3 * 1024 * 1024);
    const { back, forward } = await read(`a\n${long}\nb\n`);
    expect(back.map((l) => l.text)).toEqual(['b', undefined, 'a']);
    expect(forward.map((l) => [l.text, l.offset, l.length])).toEqual([
      ['a', 0, 1],
      [undefined, 2, long.length],
      ['b', long.length + 3, 1],
    ]);
  });
});
