import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Loads a client from bench/clients/node_modules. The comparison's clients are installed on
 * demand (`npm run bench:clients`), never by the root `npm ci`, so the root typecheck must not
 * need their types: each adapter declares the little of their API it uses.
 */
export const loadClient = createRequire(path.join(__dirname, 'package.json'));
