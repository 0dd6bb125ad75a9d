/**
 * The package's own files (package.json, migrations/, public/), found from here. This module sits
 * one level below the package root in the sources (src/) and in the bundle (lib/index.js) alike,
 * so the same relative URL works in both; a module deeper in src/ would miss the root in one of them.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const packageRoot = new URL('../', import.meta.url);

/** An absolute path inside the package, e.g. `packagePath('migrations/')`. */
export const packagePath = (relative: string): string => fileURLToPath(new URL(relative, packageRoot));

/** The sandbox package's version. */
export const version: string = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
