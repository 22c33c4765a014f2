import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';

/** A CommonJS bundle for the Electron side (main or preload) in .vite/build, where Forge expects it. */
export function electronBundle(entry: string, fileName: string, external: (string | RegExp)[]): UserConfig {
  return defineConfig({
    build: {
      outDir: resolve(import.meta.dirname, '.vite/build'),
      emptyOutDir: false,
      target: 'node20',
      minify: false,
      lib: { entry: resolve(import.meta.dirname, entry), formats: ['cjs'], fileName: () => fileName },
      rollupOptions: { external },
    },
  });
}
