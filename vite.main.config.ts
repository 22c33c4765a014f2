import { electronBundle } from './vite.electron-bundle.js';

/** Electron main process; the argon2 addon and the delivery libraries stay external node modules. */
export default electronBundle('src-main/shell/electron/main.ts', 'main.cjs', [
  'electron',
  /^node:/,
  '@node-rs/argon2',
  'nodemailer',
  'qrcode',
  '@pdf-lib/fontkit',
  'pdf-lib',
]);
