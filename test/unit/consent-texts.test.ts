/** Consent texts: plain-text blocks from files an operator replaces; a configured version without its files refuses the start. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openApp } from '../../src-main/app.js';
import { parseConfig } from '../../src-main/config/config.js';
import { consentTextProblem, parseConsentText } from '../../src-main/config/consent-document.js';
import { DEFAULT_POLICY } from '../../src-main/core/policy.js';
import { loadConsentTexts } from '../../src-main/startup/consent-texts.js';
import { StartupRefusal } from '../../src-main/startup/refusal.js';
import { fastPasswords } from '../fixtures/harness.js';

const ASSETS = resolve(import.meta.dirname, '../../assets');
const SHIPPED = join(ASSETS, 'consents');
const dirs: string[] = [];
const tmp = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-consents-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('consent text format', () => {
  it('reads headings, paragraphs over several lines and lists; markup stays text', () => {
    const doc = parseConsentText(
      '\uFEFF# Title\r\n\r\nFirst line\ncontinued <b>bold</b>.\n\n## Part\n- one\n  more\n* two\nAfter the list\n### Small\n<script>alert(1)</script>\n',
    );
    expect(doc).toEqual([
      { kind: 'heading', level: 1, text: 'Title' },
      { kind: 'paragraph', text: 'First line continued <b>bold</b>.' },
      { kind: 'heading', level: 2, text: 'Part' },
      { kind: 'list', items: ['one more', 'two'] },
      { kind: 'paragraph', text: 'After the list' },
      { kind: 'heading', level: 3, text: 'Small' },
      { kind: 'paragraph', text: '<script>alert(1)</script>' },
    ]);
    expect(consentTextProblem(doc)).toBeUndefined();
    expect(consentTextProblem(parseConsentText('No title here.'))).toMatch(/title/);
    expect(consentTextProblem(parseConsentText('# Only a title'))).toMatch(/paragraph/);
  });

  it('the shipped texts of the default versions are complete in German and English', async () => {
    const texts = await loadConsentTexts(SHIPPED, DEFAULT_POLICY.consents);
    for (const kind of ['privacy', 'participation'] as const) {
      for (const lang of ['de', 'en'] as const) {
        const doc = texts[kind][lang];
        expect(doc[0]).toMatchObject({ kind: 'heading', level: 1 });
        // Several sections, each with text: a notice, not a placeholder sentence.
        expect(doc.filter((b) => b.kind === 'heading' && b.level === 2).length).toBeGreaterThanOrEqual(6);
        expect(JSON.stringify(doc).length).toBeGreaterThan(3_000);
      }
    }
    expect(JSON.stringify(texts.privacy.de)).toContain('Art. 15 DSGVO');
    expect(JSON.stringify(texts.privacy.en)).toContain('Art. 15 GDPR');
    expect(JSON.stringify(texts.participation.de)).toContain('24 Stunden');
  });
});

describe('loading at start-up', () => {
  const copyShipped = (): string => {
    const dir = tmp();
    cpSync(SHIPPED, dir, { recursive: true });
    return dir;
  };

  it('a missing file refuses, naming the file and the setting', async () => {
    const dir = copyShipped();
    rmSync(join(dir, '2026-01', 'participation.en.md'));
    const error = await loadConsentTexts(dir, DEFAULT_POLICY.consents).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupRefusal);
    expect(error).toMatchObject({ code: 'CONSENT_TEXT_MISSING', path: join(dir, '2026-01', 'participation.en.md') });
    expect((error as Error).message).toContain('policy.consents.participationVersion');
  });

  it('a configured version without a folder refuses; a new version folder is used', async () => {
    const dir = copyShipped();
    const missing = await loadConsentTexts(dir, { privacyVersion: '2027-01', participationVersion: '2026-01' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'CONSENT_TEXT_MISSING' });
    mkdirSync(join(dir, '2027-01'));
    for (const lang of ['de', 'en']) writeFileSync(join(dir, '2027-01', `privacy.${lang}.md`), `# Neu ${lang}\n\nText.\n`);
    const texts = await loadConsentTexts(dir, { privacyVersion: '2027-01', participationVersion: '2026-01' });
    expect(texts.privacyVersion).toBe('2027-01');
    expect(texts.privacy.en).toEqual([
      { kind: 'heading', level: 1, text: 'Neu en' },
      { kind: 'paragraph', text: 'Text.' },
    ]);
  });

  it('refuses versions that are no folder name, texts that are not UTF-8, too large or without a title', async () => {
    const dir = copyShipped();
    for (const version of ['../2026-01', 'a/b', '', 'x'.repeat(21)]) {
      await expect(loadConsentTexts(dir, { privacyVersion: version, participationVersion: '2026-01' })).rejects.toMatchObject({
        code: 'CONSENT_TEXT_INVALID',
      });
    }
    const file = join(dir, '2026-01', 'privacy.de.md');
    for (const [content, problem] of [
      [Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x0a]), /UTF-8/],
      ['# T\n\n' + 'x'.repeat(300 * 1024), /KiB/],
      ['Kein Titel.\n', /title/],
    ] as const) {
      writeFileSync(file, content);
      const error = await loadConsentTexts(dir, DEFAULT_POLICY.consents).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'CONSENT_TEXT_INVALID', path: file });
      expect((error as Error).message).toMatch(problem);
    }
  });

  it('openApp refuses to start without the texts and serves them through app.info when present', async () => {
    const texts = copyShipped();
    rmSync(join(texts, '2026-01', 'privacy.de.md'));
    const refused = await openApp({
      dataDir: tmp(),
      assetsDir: ASSETS,
      passwords: fastPasswords,
      config: parseConfig({ consentTexts: { dir: texts } }),
    }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'CONSENT_TEXT_MISSING' });
    expect((refused as Error).message).toMatch(/^Kontokiosk will not start: the privacy text of version 2026-01 \(de\) is missing/);

    const app = await openApp({ dataDir: tmp(), assetsDir: ASSETS, passwords: fastPasswords });
    try {
      const info = await app.dispatcher.dispatch('app.info', {}, { sessionToken: undefined, terminal: 't' });
      if (!info.result.ok) throw new Error('app.info failed');
      const { consents } = info.result.value as { consents: { privacyVersion: string; privacy: { de: unknown[] } } };
      expect(consents.privacyVersion).toBe('2026-01');
      expect(consents.privacy.de[0]).toMatchObject({ kind: 'heading', level: 1 });
    } finally {
      await app.close();
    }
  });
});
