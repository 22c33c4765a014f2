/** Reading the audit file as lines; shared by the trail (on open) and the verify command. */
import { readFile } from 'node:fs/promises';

export function splitAuditText(text: string): { lines: string[]; tornTail: boolean } {
  const lines = text.split('\n');
  const last = lines.pop();
  // A line without its newline was being written when the process died: it was never confirmed.
  return { lines: lines.filter((l) => l !== ''), tornTail: last !== undefined && last !== '' };
}

/** The file's text, or undefined when there is no file. */
export async function readAuditText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
