import { svelte } from '@sveltejs/vite-plugin-svelte';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The counter (staff) renderer is a bundle of its own: the kiosk's bundle carries no staff screen,
 * and a kiosk that is compromised finds no counter code to reuse.
 */
export default defineConfig({
  root: resolve(import.meta.dirname, 'src-renderer/counter'),
  base: './',
  plugins: [svelte({ configFile: resolve(import.meta.dirname, 'svelte.config.js') })],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/counter'),
    emptyOutDir: true,
    target: 'es2022',
  },
});
