import { svelte } from '@sveltejs/vite-plugin-svelte';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** The same renderer, built where Electron Forge expects it (.vite/renderer/main_window). */
export default defineConfig({
  root: resolve(import.meta.dirname, 'src-renderer'),
  base: './',
  plugins: [svelte({ configFile: resolve(import.meta.dirname, 'svelte.config.js') })],
  build: { outDir: resolve(import.meta.dirname, '.vite/renderer/main_window'), emptyOutDir: true, target: 'es2022' },
});
