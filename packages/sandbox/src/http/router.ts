/**
 * The route table's vocabulary: a route is a method, a path pattern and a handler; a handler gets a
 * {@link SandboxRequest} and the {@link SandboxContext} and returns a {@link Reply} (or writes the
 * response itself, for streams, and returns undefined).
 *
 * @module
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

import type { SandboxContext } from '../context.js';

export type SandboxRequest = {
  method: string;
  /** The path without the query string, as sent (not percent-decoded). */
  path: string;
  /** The raw query string without `?`. */
  query: string;
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  raw: IncomingMessage;
  response: ServerResponse;
  /** The body, read once (later calls return the same buffer); over the limit → 413. */
  body(): Promise<Buffer>;
  /** The body parsed as JSON (empty body → undefined); invalid JSON → 400. */
  json(): Promise<unknown>;
  /** Aborted when the client disconnects or the sandbox closes. */
  signal: AbortSignal;
};

export type Reply = {
  status: number;
  headers?: Record<string, string>;
} & ({ json: unknown } | { body?: string | Buffer });

/** Returns a reply, or undefined once it has written the response itself (streams). */
export type RouteHandler = (request: SandboxRequest, context: SandboxContext) => Reply | undefined | Promise<Reply | undefined>;

export type Route = {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
  /** `/api/messages/:sid`; a parameter matches one path segment and may be followed by `.json`. */
  path: string;
  handler: RouteHandler;
};

export type CompiledRoute = Route & { pattern: RegExp; names: string[] };

export function compileRoute(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) =>
      segment.replace(/:(\w+)|([^:]+)/g, (_match, name: string | undefined, literal: string | undefined) => {
        if (name) {
          names.push(name);
          return '([^/]+?)';
        }
        return literal!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
    )
    .join('/');
  return { ...route, pattern: new RegExp(`^${source}$`), names };
}

export type RouteMatch =
  | { kind: 'found'; route: CompiledRoute; params: Record<string, string> }
  | { kind: 'method'; allow: string[] }
  | { kind: 'none' };

/**
 * Finds the route for a path; a path that matches only with another method yields its `allow`
 * list. HEAD is answered by the GET route (the server sends the headers without the body).
 */
export function matchRoute(routes: readonly CompiledRoute[], method: string, path: string): RouteMatch {
  const allow: string[] = [];
  const wanted = method === 'HEAD' ? 'GET' : method;
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (!match) {
      continue;
    }
    if (route.method !== wanted) {
      allow.push(...(route.method === 'GET' ? ['GET', 'HEAD'] : [route.method]));
      continue;
    }
    const params: Record<string, string> = {};
    for (const [index, name] of route.names.entries()) {
      const raw = match[index + 1]!;
      try {
        params[name] = decodeURIComponent(raw);
      } catch {
        // A parameter that is not valid percent-encoding names nothing that exists.
        return { kind: 'none' };
      }
    }
    return { kind: 'found', route, params };
  }
  return allow.length > 0 ? { kind: 'method', allow } : { kind: 'none' };
}
