import { electronBundle } from './vite.electron-bundle.js';

/** The sandboxed preload: one CommonJS file that may require only 'electron'. */
export default electronBundle('src-main/shell/electron/preload.ts', 'preload.cjs', ['electron']);
