/**
 * The layer rules of eslint.config.js, proved on small fixtures linted as if they lived inside each
 * layer: a forbidden import must raise the rule's error, an allowed one nothing at all. Without
 * this, a resolver that silently fails would let every path-based rule pass everything.
 */
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function lint(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
}

const BOUNDARY = 'boundaries/dependencies';

describe('layer rules', () => {
  it('keeps the core to the core', async () => {
    const file = 'src-main/core/layers-fixture.ts';
    const store = await lint(file, "export { ShardedAccountStore } from '../store/account-store.js';\n");
    expect(store).toEqual([expect.stringContaining(`${BOUNDARY}: The core imports only the core`)]);
    const config = await lint(file, "export type { Config } from '../config/config.js';\n");
    expect(config).toEqual([expect.stringContaining(BOUNDARY)]);
    const fixture = await lint(file, "export { createHarness } from '../../test/fixtures/harness.js';\n");
    expect(fixture).toEqual([expect.stringContaining(BOUNDARY)]);
    const io = await lint(file, "export { readFile } from 'node:fs/promises';\n");
    expect(io).toEqual([expect.stringContaining('@typescript-eslint/no-restricted-imports')]);

    expect(await lint(file, "export { ok } from './result.js';\nexport { z } from 'zod';\n")).toEqual([]);
    expect(await lint('src-main/core/login/layers-fixture.ts', "export { fail } from '../result.js';\n")).toEqual([]);
  });

  it('lets the renderer take only types of the IPC contract from the main process', async () => {
    const file = 'src-renderer/lib/layers-fixture.ts';
    const coreType = await lint(file, "export type { ErrorCode } from '../../src-main/core/result.js';\n");
    expect(coreType).toEqual([expect.stringContaining(`${BOUNDARY}: The renderer imports from the main process only types`)]);
    const contractValue = await lint(file, "export { CHANNELS } from '../../src-main/ipc/contract.js';\n");
    expect(contractValue).toEqual([expect.stringContaining(BOUNDARY)]);
    const dispatcher = await lint(file, "export type { Dispatcher } from '../../src-main/ipc/dispatcher.js';\n");
    expect(dispatcher).toEqual([expect.stringContaining(BOUNDARY)]);

    const allowed = [
      "export type { Channel } from '../../src-main/ipc/contract.js';",
      "export type { AppError } from '../../src-main/ipc/responses.js';",
      "export type { KontokioskBridge } from '../../src-main/ipc/bridge.js';",
      "export { call } from './api.js';",
      '',
    ].join('\n');
    expect(await lint(file, allowed)).toEqual([]);
  });

  it('applies the renderer rule inside Svelte components too', async () => {
    // An existing component's path: the Svelte parser asks the TypeScript project service, which
    // knows only files of the project. The text linted is the fixture's, not the file's.
    const file = 'src-renderer/components/ErrorMessage.svelte';
    const core = `<script lang="ts">\n  import type { AppError } from '../../src-main/core/result.js';\n  let { error }: { error: AppError } = $props();\n</script>\n<p>{error.code}</p>\n`;
    expect(await lint(file, core)).toEqual([expect.stringContaining(BOUNDARY)]);
    const contract = core.replace('core/result.js', 'ipc/responses.js');
    expect(await lint(file, contract)).toEqual([]);
  });

  it('keeps the shells off the core', async () => {
    const file = 'src-main/shell/browser/layers-fixture.ts';
    const core = await lint(file, "export { createCore } from '../../core/index.js';\n");
    expect(core).toEqual([expect.stringContaining(`${BOUNDARY}: A shell imports only`)]);
    const adapter = await lint(file, "export { FileOutbox } from '../../delivery/outbox.js';\n");
    expect(adapter).toEqual([expect.stringContaining(BOUNDARY)]);

    const allowed = [
      "export { openApp, postidentNotice } from '../../app.js';",
      "export type { Dispatcher } from '../../ipc/dispatcher.js';",
      "export { CHANNELS } from '../../ipc/contract.js';",
      "export { exitOnStartupRefusal } from '../../startup/refusal.js';",
      "export { CONTENT_SECURITY_POLICY } from '../assets.js';",
      '',
    ].join('\n');
    expect(await lint(file, allowed)).toEqual([]);
  });

  it('keeps the main process off the renderer', async () => {
    const fromIpc = await lint('src-main/ipc/layers-fixture.ts', "export type { ChannelOutputs } from '../../src-renderer/lib/api.js';\n");
    expect(fromIpc).toEqual([expect.stringContaining(`${BOUNDARY}: The main process never imports the renderer`)]);
    const fromPreload = await lint(
      'src-main/shell/electron/layers-fixture.ts',
      "export type { ChannelOutputs } from '../../../src-renderer/lib/api.js';\n",
    );
    expect(fromPreload).toEqual([expect.stringContaining(BOUNDARY)]);

    expect(
      await lint('src-main/shell/electron/layers-fixture.ts', "export type { KontokioskBridge } from '../../ipc/bridge.js';\n"),
    ).toEqual([]);
  });
});
