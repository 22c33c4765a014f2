import { resolve } from 'node:path';
import { mergeConfig } from 'vite';
import counter from './vite.counter.config.js';

/**
 * The counter's own renderer bundle, built where Electron Forge expects it
 * (.vite/renderer/counter_window) and where a counter process's app:// protocol serves it from.
 * Everything but the output folder comes from the counter's one build configuration.
 */
export default mergeConfig(counter, {
  build: { outDir: resolve(import.meta.dirname, '.vite/renderer/counter_window'), emptyOutDir: true },
});
