import type { ForgeConfig } from '@electron-forge/shared-types';
import { MakerDeb } from '@electron-forge/maker-deb';
import { FusesPlugin } from '@electron-forge/plugin-fuses';
import { VitePlugin } from '@electron-forge/plugin-vite';
import { FuseV1Options, FuseVersion } from '@electron/fuses';

const config: ForgeConfig = {
  packagerConfig: {
    asar: true,
    executableName: 'kontokiosk',
    extraResource: ['assets'],
  },
  rebuildConfig: {},
  // `npm run make` (deploy/make.sh): the Electron shell as a Debian package, where an Electron
  // binary exists. The browser shell's server and window are installed by deploy/install.sh instead.
  makers: [
    new MakerDeb({
      options: {
        name: 'kontokiosk',
        productName: 'Kontokiosk',
        bin: 'kontokiosk',
        maintainer: 'Kontokiosk',
        section: 'misc',
        priority: 'optional',
        categories: ['Office'],
      },
    }),
  ],
  plugins: [
    new VitePlugin({
      build: [
        { entry: 'src-main/shell/electron/main.ts', config: 'vite.main.config.ts', target: 'main' },
        { entry: 'src-main/shell/electron/preload.ts', config: 'vite.preload.config.ts', target: 'preload' },
        { entry: 'src-main/shell/electron/counter-preload.ts', config: 'vite.counter-preload.config.ts', target: 'preload' },
      ],
      // The kiosk's bundle and the counter's: a process serves only the one of its terminalRole.
      renderer: [
        { name: 'main_window', config: 'vite.electron-renderer.config.ts' },
        { name: 'counter_window', config: 'vite.electron-counter-renderer.config.ts' },
      ],
    }),
    // Security fuses: no ELECTRON_RUN_AS_NODE, no NODE_OPTIONS or inspector flags, only the signed asar,
    // and no extra privileges for file:// (the app loads from its own app:// protocol).
    new FusesPlugin({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    }),
  ],
};

export default config;
