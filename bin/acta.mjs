#!/usr/bin/env node
// The `acta` command. TypeScript sources run through tsx's loader: no build step after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
