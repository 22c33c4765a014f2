/**
 * Reads the consent texts of the configured versions at start-up (README: consent texts). Each
 * version is a folder with privacy.de.md, privacy.en.md, participation.de.md and participation.en.md;
 * operators replace or add folders. A configured version without its texts refuses the start: a
 * kiosk must never ask for consent to a text it cannot show. Messages name files, not contents.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { consentTextProblem, parseConsentText, type ConsentDocument, type ConsentTexts } from '../config/consent-document.js';
import { StartupRefusal } from './refusal.js';

/** Versions are folder names and travel in the registration form (at most 20 characters there). */
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$/;
const MAX_BYTES = 256 * 1024;
const ADVICE = 'See README: consent texts. Nothing was changed.';

type Kind = 'privacy' | 'participation';

async function readText(dir: string, kind: Kind, version: string, lang: 'de' | 'en'): Promise<ConsentDocument> {
  const setting = `policy.consents.${kind}Version`;
  if (!VERSION.test(version) || version.includes('..')) {
    throw new StartupRefusal(
      'CONSENT_TEXT_INVALID',
      dir,
      `the consent version in ${setting} must be 1 to 20 letters, digits, ".", "-" or "_" (it names a folder in ${dir}). ${ADVICE}`,
    );
  }
  const file = join(dir, version, `${kind}.${lang}.md`);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new StartupRefusal(
      'CONSENT_TEXT_MISSING',
      file,
      `the ${kind} text of version ${version} (${lang}) is missing: ${file}. Put the text there, or set ${setting} to a version whose texts exist. ${ADVICE}`,
    );
  }
  const invalid = (problem: string) =>
    new StartupRefusal('CONSENT_TEXT_INVALID', file, `the consent text ${file} cannot be shown: ${problem}. ${ADVICE}`);
  if (bytes.length > MAX_BYTES) throw invalid(`it is larger than ${MAX_BYTES / 1024} KiB`);
  let source: string;
  try {
    source = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid('it is not UTF-8 text');
  }
  const document = parseConsentText(source);
  const problem = consentTextProblem(document);
  if (problem) throw invalid(problem);
  return document;
}

export async function loadConsentTexts(
  dir: string,
  versions: { privacyVersion: string; participationVersion: string },
): Promise<ConsentTexts> {
  const { privacyVersion, participationVersion } = versions;
  // One after another: with several files missing, the refusal always names the same one first.
  const privacy = { de: await readText(dir, 'privacy', privacyVersion, 'de'), en: await readText(dir, 'privacy', privacyVersion, 'en') };
  const participation = {
    de: await readText(dir, 'participation', participationVersion, 'de'),
    en: await readText(dir, 'participation', participationVersion, 'en'),
  };
  return { privacyVersion, participationVersion, privacy, participation };
}
