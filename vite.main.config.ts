import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** Electron main process, bundled as CommonJS; the argon2 addon stays an external native module. */
export default defineConfig({
  build: {
    outDir: resolve(import.meta.dirname, '.vite/build'),
    emptyOutDir: false,
    target: 'node20',
    minify: false,
    lib: { entry: resolve(import.meta.dirname, 'src-main/shell/electron/main.ts'), formats: ['cjs'], fileName: () => 'main.cjs' },
    rollupOptions: { external: ['electron', /^node:/, '@node-rs/argon2', 'nodemailer', 'qrcode', '@pdf-lib/fontkit', 'pdf-lib'] },
  },
});
