/**
 * The layers of docs/architecture.md, enforced. Every arrow points down:
 *   cli → server → app → {ingest, verify, field, witness} → log → store → core
 * web/ may import src/core and the API's shared types only.
 */
const layer = (name, mayImport) => ({
  name: `layer-${name}`,
  comment: `src/${name} may import only ${mayImport.join(', ') || 'itself'} (docs/architecture.md)`,
  severity: 'error',
  from: { path: `^src/${name}/` },
  to: { path: '^src/', pathNot: [`^src/${name}/`, ...mayImport.map((l) => `^src/${l}/`)] },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    layer('core', []),
    layer('store', ['core']),
    layer('log', ['store', 'core']),
    layer('ingest', ['log', 'store', 'core']),
    layer('verify', ['log', 'store', 'core']),
    layer('field', ['log', 'store', 'core']),
    layer('witness', ['log', 'store', 'core']),
    layer('app', ['ingest', 'verify', 'field', 'witness', 'log', 'store', 'core']),
    layer('server', ['app', 'ingest', 'verify', 'field', 'witness', 'log', 'store', 'core']),
    layer('cli', ['server', 'app', 'ingest', 'verify', 'field', 'witness', 'log', 'store', 'core']),
    {
      name: 'core-is-pure',
      comment: 'core has no I/O: it runs unchanged in the browser',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'web-imports-core-and-api-types-only',
      comment: 'the dashboard reads the server through its JSON only: core and the shared response types',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: '^src/', pathNot: ['^src/core/', '^src/server/api/types\\.ts$'] },
    },
    {
      name: 'campo-imports-core-and-the-field-client-only',
      comment: 'the field app is the device client in a browser: core and the browser-safe field client modules',
      severity: 'error',
      from: { path: '^web/campo/' },
      to: { path: '^src/', pathNot: ['^src/core/', '^src/field/(http|server-info|receipt-check|backoff)\\.ts$'] },
    },
    {
      name: 'browser-code-has-no-node-builtins',
      severity: 'error',
      from: { path: '^(web/|src/field/(http|server-info|receipt-check|backoff)\\.ts$)' },
      to: { dependencyTypes: ['core'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|\\.test\\.ts$|\\.testutil\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
