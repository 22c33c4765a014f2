/**
 * Reads the JSON files of the data directory and checks each against its schema before anything
 * uses it. A file that is truncated, edited or half-restored must stop the start, never load as
 * "empty" (the next write would make the loss permanent).
 *
 * Threat: these files hold password hashes, e-mail addresses and KVNRs. V8's JSON.parse messages
 * and schema libraries' messages can quote content, so every message here is built from positions,
 * schema paths and expected types only. Record keys (account ids) are replaced by their ordinal.
 */
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';

/** A data file exists but cannot be used. The message names the file and the problem, no content. */
export class DamagedFileError extends Error {
  readonly code = 'DATA_FILE_DAMAGED';
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'DamagedFileError';
  }
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** Describes a JSON syntax error by position only; the engine's own message may quote the file. */
function syntaxProblem(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (text.trim() === '') return 'the file is empty';
  if (/Unexpected end of JSON input/.test(message)) return `the JSON ends early (the file is truncated after ${text.length} characters)`;
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position !== undefined) {
    const at = Number(position);
    if (at >= text.trimEnd().length) return `the JSON ends early (the file is truncated after ${text.length} characters)`;
    return `JSON syntax error at position ${at} (${lineAndColumn(text, at)})`;
  }
  return 'the file is not valid JSON';
}

type PathKey = PropertyKey;

/** Keys of the record named `recordField` are content (ids): show "accounts[#3]" for the third entry. */
function describePath(path: readonly PathKey[], value: unknown, recordField: string | undefined): string {
  let current: unknown = value;
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (current !== null && typeof current === 'object' && !Array.isArray(current) && typeof key === 'string') {
      const isRecordKey = recordField !== undefined && out === recordField;
      out += isRecordKey ? `[#${Object.keys(current).indexOf(key) + 1}]` : `${out === '' ? '' : '.'}${key}`;
    } else out += '.?';
    current = current !== null && typeof current === 'object' ? (current as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return out === '' ? '(top level)' : out;
}

function issueText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'invalid_value':
      return 'not an allowed value';
    case 'unrecognized_keys':
      return 'unexpected fields';
    case 'too_small':
    case 'too_big':
      return 'out of range';
    case 'invalid_format':
      return issue.format === 'regex' ? 'not in the expected format' : `expected ${issue.format} format`;
    case 'custom':
      // Custom messages are written in the schemas of the data files and the configuration, never with values.
      return issue.message;
    default:
      return 'does not match the expected structure';
  }
}

export interface JsonSchema {
  readonly schema: z.ZodType;
  /** A top-level record whose keys must not appear in messages. */
  readonly recordField?: string;
}

/**
 * Parses and validates; returns the parsed value unchanged (nothing stripped or coerced), or throws
 * DamagedFileError. The schema checks what the program relies on, so the value is typed as T.
 */
function parseJsonText<T>(file: string, text: string, { schema, recordField }: JsonSchema): T {
  const value = parseJsonSyntax(file, text);
  const checked = schema.safeParse(value);
  if (!checked.success) {
    throw new DamagedFileError(file, `does not match the expected structure: ${describeIssues(checked.error.issues, value, recordField)}`);
  }
  return value as T;
}

/** JSON.parse with a position-only message (DamagedFileError) instead of the engine's, which may quote the text. */
export function parseJsonSyntax(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DamagedFileError(file, syntaxProblem(text, error));
  }
}

/** Schema issues as paths and kinds only (never received values), the first three of them. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], value: unknown, recordField?: string): string {
  const shown = issues.slice(0, 3).map((i) => `${describePath(i.path, value, recordField)}: ${issueText(i)}`);
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return `${shown.join('; ')}${more}`;
}

/** undefined when the file does not exist; the caller decides whether that is allowed. */
export async function readJsonFile<T>(file: string, schema: JsonSchema): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseJsonText<T>(file, text, schema);
}
