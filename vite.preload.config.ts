import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** The sandboxed preload: one CommonJS file that may require only 'electron'. */
export default defineConfig({
  build: {
    outDir: resolve(import.meta.dirname, '.vite/build'),
    emptyOutDir: false,
    target: 'node20',
    minify: false,
    lib: { entry: resolve(import.meta.dirname, 'src-main/shell/electron/preload.ts'), formats: ['cjs'], fileName: () => 'preload.cjs' },
    rollupOptions: { external: ['electron'] },
  },
});
