/**
 * Routes mounted with `startSandbox({ routes })`: what a handler gets (the frozen context) and how an
 * HttpError it throws is rendered, per route family.
 */
import { HttpError, type Sandbox, type SandboxContext } from '../src/index.js';
import { request, startTestSandbox } from './helpers.js';

describe('custom routes', () => {
  let sandbox: Sandbox;
  let seen: SandboxContext | undefined;

  beforeAll(async () => {
    sandbox = await startTestSandbox({
      routes: [
        {
          method: 'GET',
          path: '/api/custom/context',
          handler: (_request, context) => {
            seen = context;
            return { status: 200, json: { url: context.url } };
          },
        },
        {
          method: 'GET',
          path: '/api/custom/teapot',
          handler: () => {
            throw new HttpError(418, 'No coffee here', { headers: { 'Retry-After': '5' } });
          },
        },
        {
          method: 'GET',
          path: '/custom/teapot',
          handler: () => {
            throw new HttpError(418, 'No coffee here', { code: 41800, headers: { 'Retry-After': '5' } });
          },
        },
      ],
    });
  });
  afterAll(() => sandbox.close());

  test('a handler gets the context the sandbox returns: its own URL, and nothing in it can change', async () => {
    const response = await request(sandbox, '/api/custom/context', { account: null });
    expect(response.json).toEqual({ url: sandbox.url });
    expect(seen).toBe(sandbox.context);
    expect(Object.isFrozen(sandbox.context)).toBe(true);
    expect(() => Object.assign(sandbox.context, { url: 'http://elsewhere.example' })).toThrow(TypeError);
    expect(sandbox.context.url).toBe(sandbox.url);
  });

  test('an HttpError under /api/ is rendered in the sandbox shape, its headers sent', async () => {
    const response = await request(sandbox, '/api/custom/teapot', { account: null });
    expect(response.status).toBe(418);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.json).toEqual({ error: { message: 'No coffee here' } });
  });

  test('the same error elsewhere is rendered in Twilio’s shape, with its code', async () => {
    const response = await request(sandbox, '/custom/teapot', { account: null });
    expect(response.status).toBe(418);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.headers.get('twilio-request-id')).toMatch(/^RQ[0-9a-f]{32}$/);
    expect(response.json).toEqual({
      code: 41800,
      message: 'No coffee here',
      more_info: 'https://www.twilio.com/docs/errors/41800',
      status: 418,
    });
  });
});
