/**
 * The web inbox's static files from `public/` (index.html at `/`), with a strict CSP. Only known
 * file types are served, and nothing outside `public/` (no `..`, no encoded slashes, no NUL).
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import type { Reply } from './router.js';

/** Headers for every inbox page and asset. */
const inboxSecurityHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The file for a request path, or undefined when it is not a servable file inside `publicDir`. */
function resolveStaticPath(publicDir: string, requestPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath === '/' ? '/index.html' : requestPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((part) => part === '..' || part === '.')) {
    return undefined;
  }
  const root = path.resolve(publicDir);
  const file = path.resolve(root, `.${decoded}`);
  if (!file.startsWith(root + path.sep) || !Object.hasOwn(contentTypes, path.extname(file))) {
    return undefined;
  }
  return file;
}

/** Serves a file from `publicDir`, or returns undefined (→ 404) when there is none. */
export async function serveStatic(publicDir: string, requestPath: string): Promise<Reply | undefined> {
  const file = resolveStaticPath(publicDir, requestPath);
  if (!file) {
    return undefined;
  }
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return undefined;
  }
  return {
    status: 200,
    body,
    headers: {
      'Content-Type': contentTypes[path.extname(file)]!,
      'Cache-Control': 'no-cache',
      ...inboxSecurityHeaders,
    },
  };
}
