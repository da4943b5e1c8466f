/**
 * The dashboard's build: Preact, everything bundled (no CDN), hashed assets in web/dist/assets. The field app
 * (web/campo) is a second, separate build into web/dist/campo with base /campo/, run when the dashboard's ends,
 * so the dashboard's own output is unchanged (no chunk shared between the two pages).
 */
import { join } from 'node:path';
import preact from '@preact/preset-vite';
import { build, defineConfig, type Plugin } from 'vite';

function campo(): Plugin {
  return {
    name: 'acta-campo',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        root: join(import.meta.dirname, 'campo'),
        base: '/campo/',
        logLevel: 'warn',
        plugins: [preact()],
        build: { outDir: join(import.meta.dirname, 'dist', 'campo'), emptyOutDir: true, target: 'es2022', sourcemap: false, reportCompressedSize: false },
      });
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact(), campo()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npm run acta -- serve` on 8080, then `npx vite web` for hot reload against it.
    proxy: { '/api': 'http://127.0.0.1:8080', '/log': 'http://127.0.0.1:8080' },
  },
});
