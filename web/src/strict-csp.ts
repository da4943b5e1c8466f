/**
 * The dashboard runs under a Content-Security-Policy without 'unsafe-eval' (src/server/static.ts). zod compiles
 * object parsers with `new Function` when it may, and probes for it when a schema is built; under this CSP the
 * probe is reported as a violation even though zod catches it. Imported first, before any schema is built.
 */
import { config } from 'zod';

config({ jitless: true });
