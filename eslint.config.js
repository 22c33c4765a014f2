import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Layer rules: the core is pure; the renderer reaches the main process only through lib/api.ts. */
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
  { ignores: ['node_modules', 'dist', '.vite', 'out', 'test-results', 'playwright-report', 'data'] },
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
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: tseslint.parser, svelteConfig } },
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
    ignores: ['src-renderer/lib/api.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'node:*'], message: 'The renderer has no Node or Electron access.' },
            { group: ['**/src-main/**'], allowTypeImports: true, message: 'The renderer imports only types from the main process.' },
          ],
        },
      ],
    },
  },
);
