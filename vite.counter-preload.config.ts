import { electronBundle } from './vite.electron-bundle.js';

/** The counter window's sandboxed preload: one CommonJS file that may require only 'electron'. */
export default electronBundle('src-main/shell/electron/counter-preload.ts', 'counter-preload.cjs', ['electron']);
