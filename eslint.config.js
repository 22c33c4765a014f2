import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/**
 * Layer rules. By path (eslint-plugin-boundaries, on the resolved file): the core imports only the
 * core; the renderer imports from the main process only types of the IPC contract; the shells go
 * through the composition root, the dispatcher and the contract, never the core; the main process
 * never imports the renderer. By package name (no-restricted-imports): the core uses no I/O
 * package, the renderer neither Node nor Electron.
 */
const layers = [
  { type: 'core', pattern: 'src-main/core', partialMatch: false },
  { type: 'ipc', pattern: 'src-main/ipc', partialMatch: false },
  { type: 'shell', pattern: 'src-main/shell', partialMatch: false },
  { type: 'config', pattern: 'src-main/config', partialMatch: false },
  { type: 'startup', pattern: 'src-main/startup', partialMatch: false },
  // store, delivery, audit, adapters, lib, cli, demo
  { type: 'adapters', pattern: 'src-main/*', partialMatch: false },
  // The files directly in src-main: the composition root app.ts.
  { type: 'main', pattern: 'src-main', partialMatch: false },
  { type: 'renderer', pattern: 'src-renderer', partialMatch: false },
  // test, bench, scripts: named so that an import of them is checked, not skipped as unknown.
  { type: 'outside', pattern: '*', partialMatch: false },
];
const files = [
  { category: 'ipc-contract', pattern: ['src-main/ipc/contract.ts', 'src-main/ipc/responses.ts', 'src-main/ipc/bridge.ts'] },
  { category: 'composition-root', pattern: 'src-main/app.ts' },
];
const mainProcess = ['core', 'ipc', 'shell', 'config', 'startup', 'adapters', 'main'];
const any = { to: { element: { type: '*' } } };
const toTypes = (...types) => ({ to: { element: { types: { anyOf: types } } } });

/** Policies are read in order and the last one that matches decides. */
const layerPolicies = [
  { from: { element: { type: 'core' } }, disallow: any, message: 'The core imports only the core (src-main/core/**).' },
  { from: { element: { type: 'core' } }, allow: toTypes('core') },
  {
    from: { element: { type: 'renderer' } },
    disallow: toTypes(...mainProcess),
    message: 'The renderer imports from the main process only types of the IPC contract (src-main/ipc/{contract,responses,bridge}.ts).',
  },
  {
    from: { element: { type: 'renderer' } },
    allow: { to: { element: { type: 'ipc' }, file: { categories: 'ipc-contract' } }, dependency: { kind: 'type' } },
  },
  {
    from: { element: { type: 'shell' } },
    disallow: any,
    message: 'A shell imports only the composition root (src-main/app.ts), the IPC layer, config, startup and its own files.',
  },
  { from: { element: { type: 'shell' } }, allow: toTypes('shell', 'ipc', 'config', 'startup') },
  { from: { element: { type: 'shell' } }, allow: { to: { element: { type: 'main' }, file: { categories: 'composition-root' } } } },
  {
    from: { element: { types: { anyOf: mainProcess } } },
    disallow: toTypes('renderer'),
    message: 'The main process never imports the renderer.',
  },
];

const coreForbidden = [
  'electron',
  'node:*',
  'fs',
  'path',
  'http',
  'crypto',
  'lowdb',
  'lowdb/*',
  'pg',
  'nodemailer',
  '@node-rs/*',
  'pdf-lib',
  'qrcode',
];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', '.vite', 'out', 'test-results', 'playwright-report', 'data', 'reports', '.stryker-tmp*/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty-pattern': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: tseslint.parser, svelteConfig } },
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.cjs', '**/*.svelte'],
    plugins: { boundaries },
    settings: {
      'boundaries/root-path': import.meta.dirname,
      'boundaries/elements': layers,
      'boundaries/files': files,
      'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import'],
      'import/resolver': { [`${import.meta.dirname}/scripts/eslint-local-resolver.cjs`]: {} },
    },
    rules: { 'boundaries/dependencies': ['error', { default: 'allow', policies: layerPolicies }] },
  },
  {
    files: ['src-main/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: coreForbidden, message: 'The core is pure: reach I/O through a port in core/ports.ts.' }] },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['electron', 'node:*'], message: 'The renderer has no Node or Electron access.' }] },
      ],
    },
  },
);
