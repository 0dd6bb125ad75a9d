/**
 * Servers that misbehave on purpose, on real sockets bound to 127.0.0.1:0, for the reliability
 * tests: each counts the connections and the requests it saw, so a test can prove the connector
 * never sent twice.
 *
 * @module
 */
import http from 'node:http';
import net from 'node:net';

export type RecordedRequest = {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** The form body, once it has fully arrived (empty until then). */
  body: string;
  /** The body's form fields, once it has fully arrived. */
  form: URLSearchParams;
};

/** What a test points the connector at and reads back. */
export type FaultTarget = {
  /** For the config's `baseUrl`. */
  baseUrl: string;
  port: number;
  /** Requests whose headers arrived (a raw TCP target has none). */
  requests: RecordedRequest[];
  /** TCP connections accepted. */
  connections: () => number;
  close: () => Promise<void>;
};

export type Exchange = {
  request: http.IncomingMessage;
  response: http.ServerResponse;
  recorded: RecordedRequest;
  /** 0 for the first request this server saw. */
  index: number;
};

/** Decides what one request gets; runs once the request body has arrived. */
export type Behaviour = (exchange: Exchange) => void;

const listen = async (server: net.Server) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });

/** An HTTP server on 127.0.0.1:0 whose every request is answered (or not) by `behaviour`. */
export async function startHttpFaultServer(behaviour: Behaviour): Promise<FaultTarget> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;

  const server = http.createServer((request, response) => {
    const recorded: RecordedRequest = {
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      body: '',
      form: new URLSearchParams(),
    };
    const index = requests.push(recorded) - 1;
    const chunks: Buffer[] = [];
    // The client may go away at any point: that is the point of these tests.
    request.on('error', () => {});
    response.on('error', () => {});
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => {
      recorded.body = Buffer.concat(chunks).toString('utf8');
      recorded.form = new URLSearchParams(recorded.body);
      behaviour({ request, response, recorded, index });
    });
  });
  server.on('connection', (socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  const port = await listen(server);

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    requests,
    connections: () => connections,
    async close() {
      for (const socket of sockets) {
        socket.destroy();
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
    },
  };
}

/**
 * A raw TCP server on 127.0.0.1:0: `onConnection` gets every accepted socket (and the bytes it
 * sent so far are counted). Accepting and never writing makes a TLS handshake that never completes.
 */
export async function startTcpFaultServer(
  onConnection: (socket: net.Socket) => void = () => {},
  scheme: 'http' | 'https' = 'https'
): Promise<FaultTarget & { bytesReceived: () => number }> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  let bytesReceived = 0;

  const server = net.createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      bytesReceived += chunk.length;
    });
    socket.once('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  const port = await listen(server);

  return {
    baseUrl: `${scheme}://127.0.0.1:${port}`,
    port,
    requests: [],
    connections: () => connections,
    bytesReceived: () => bytesReceived,
    async close() {
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
    },
  };
}

/**
 * A port connecting to is refused on, and no test's server can ever get: `listen(0)` draws from
 * the ephemeral range (32768 and up here), and port 1 is privileged. A port bound and released
 * instead can be handed to a server another test (in this file or another worker) starts while
 * this client still retries it: that server then counts a stranger's connection.
 */
const refusedPort = 1;

/** Where every connection is refused (see {@link refusedPort}). */
export async function refusedTarget(): Promise<FaultTarget> {
  return {
    baseUrl: `http://127.0.0.1:${refusedPort}`,
    port: refusedPort,
    requests: [],
    connections: () => 0,
    close: async () => {},
  };
}

const json = (response: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) => {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
};

const html = (status: number) =>
  `<!DOCTYPE html>\n<html><head><title>${status} ${http.STATUS_CODES[status]}</title></head>\n<body><h1>${status} ${http.STATUS_CODES[status]}</h1><hr><center>nginx</center></body></html>\n`;

/** A Message resource like Twilio's 201, built from the form the connector sent. */
const messageResource = (recorded: RecordedRequest, index: number) => ({
  sid: `SM${index.toString(16).padStart(32, '0')}`,
  account_sid: recorded.url.split('/')[3] ?? null,
  status: recorded.form.has('MessagingServiceSid') ? 'accepted' : 'queued',
  to: recorded.form.get('To'),
  from: recorded.form.get('From'),
  messaging_service_sid: recorded.form.get('MessagingServiceSid'),
  body: recorded.form.get('Body'),
  num_segments: '1',
  date_created: new Date().toUTCString(),
  error_code: null,
});

/** The behaviours the reliability tests use, one per way Twilio or the network can fail. */
export const behaviours = {
  /** Twilio's 201 with a Message resource. */
  created:
    (): Behaviour =>
    ({ response, recorded, index }) => {
      json(response, 201, messageResource(recorded, index));
    },

  /** Reads the request and never answers. */
  hang: (): Behaviour => () => {},

  /** Sends the status line and headers, then nothing. */
  headersThenStall:
    (): Behaviour =>
    ({ response }) => {
      response.writeHead(201, { 'content-type': 'application/json', 'content-length': '400' });
      response.flushHeaders();
    },

  /** Starts a 201 body and resets the connection (TCP RST) half way through. */
  resetMidBody:
    (): Behaviour =>
    ({ response, request }) => {
      response.writeHead(201, { 'content-type': 'application/json', 'content-length': '400' });
      response.write('{"sid":"SM00000000000000000000000000000000","status":"queued","to":"+1415');
      setTimeout(() => request.socket.resetAndDestroy(), 30);
    },

  /** Resets the connection (TCP RST) once the request has arrived, without a byte of answer. */
  resetBeforeAnswer:
    (): Behaviour =>
    ({ request }) => {
      request.socket.resetAndDestroy();
    },

  /** A proxy's HTML error page. */
  htmlError:
    (status: number, headers: http.OutgoingHttpHeaders = {}): Behaviour =>
    ({ response }) => {
      const page = html(status);
      response.writeHead(status, {
        'content-type': 'text/html',
        'content-length': Buffer.byteLength(page),
        ...headers,
      });
      response.end(page);
    },

  /** A bare 429, with a Retry-After header when given. */
  tooManyRequests:
    (retryAfter?: string): Behaviour =>
    ({ response }) => {
      response.writeHead(429, {
        'content-type': 'text/plain',
        ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
      });
      response.end('Too Many Requests');
    },

  /** Twilio's error JSON, `{code, message, more_info, status}`. */
  twilioError:
    (status: number, code: number, message: string, headers: http.OutgoingHttpHeaders = {}): Behaviour =>
    ({ response }) => {
      json(response, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);
    },

  /** JSON cut off in the middle. */
  malformedJson:
    (status: number): Behaviour =>
    ({ response }) => {
      const text = '{"sid": "SM00000000000000000000000000000000", "status": "queu';
      response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      response.end(text);
    },

  /** A 201 whose body is `bytes` long (10 MB by default), written with back-pressure. */
  hugeBody:
    (bytes = 10 * 1024 * 1024): Behaviour =>
    ({ response }) => {
      response.writeHead(201, { 'content-type': 'application/json', 'content-length': bytes });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let written = 0;
      const pump = () => {
        while (written < bytes && !response.destroyed) {
          const size = Math.min(chunk.length, bytes - written);
          written += size;
          if (!response.write(size === chunk.length ? chunk : chunk.subarray(0, size))) {
            response.once('drain', pump);
            return;
          }
        }
        if (!response.destroyed) {
          response.end();
        }
      };
      pump();
    },

  /** A 201 whose body arrives one byte every `everyMs`, never finishing within a send's deadline. */
  trickle:
    (everyMs = 100): Behaviour =>
    ({ response }) => {
      response.writeHead(201, { 'content-type': 'application/json' });
      const text = `{"sid":"SM00000000000000000000000000000000","status":"queued","padding":"${' '.repeat(10_000)}"}`;
      let position = 0;
      const timer = setInterval(() => {
        if (response.destroyed || position >= text.length) {
          clearInterval(timer);
          return;
        }
        response.write(text[position]);
        position += 1;
      }, everyMs);
      response.once('close', () => clearInterval(timer));
    },

  /** Headers beyond Node's 16 KB limit. */
  oversizedHeaders:
    (): Behaviour =>
    ({ response }) => {
      response.writeHead(201, { 'content-type': 'application/json', 'x-padding': 'a'.repeat(64 * 1024) });
      response.end('{}');
    },

  /** A redirect elsewhere (Node's client does not follow it; it must not carry the credentials). */
  redirect:
    (location: string): Behaviour =>
    ({ response }) => {
      response.writeHead(307, { location, 'content-length': '0' });
      response.end();
    },

  /**
   * An error whose every text field repeats what the request carried (its Authorization header and
   * form body): what a misconfigured proxy or a debugging gateway does. Whatever reaches the error
   * from the server must be redacted.
   */
  echoError:
    (status = 400, contentTypeEcho = false): Behaviour =>
    ({ response, recorded }) => {
      const echo = `authorization=${recorded.headers.authorization ?? ''} body=${recorded.body} decoded=${recorded.form.get('Body') ?? ''}`;
      const text = JSON.stringify({ code: 21211, message: echo, more_info: echo, status });
      response.writeHead(status, {
        'content-type': contentTypeEcho ? `application/json; echo="${recorded.headers.authorization ?? ''}"` : 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      response.end(text);
    },

  /** A non-JSON page that repeats the request, like an echo service or a debug proxy. */
  echoHtml:
    (status = 502): Behaviour =>
    ({ response, recorded }) => {
      const text = `<pre>Authorization: ${recorded.headers.authorization ?? ''}\n${recorded.body}\n${recorded.form.get('Body') ?? ''}</pre>`;
      response.writeHead(status, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(text) });
      response.end(text);
    },

  /** Answers the nth request (0-based) with `behaviours[n]`, the last one for the rest. */
  sequence:
    (...steps: Behaviour[]): Behaviour =>
    (exchange) => {
      const step = steps[Math.min(exchange.index, steps.length - 1)];
      step?.(exchange);
    },
};

/** Raw-socket behaviours for {@link startTcpFaultServer}. */
export const tcpBehaviours = {
  /** Accepts and never writes: a TLS ClientHello is never answered. */
  silent: () => (_socket: net.Socket) => {},
  /** Answers whatever arrives with bytes that are not HTTP. */
  notHttp: () => (socket: net.Socket) => {
    socket.once('data', () => socket.end('SSH-2.0-OpenSSH_9.6\r\nnot http at all\r\n\r\n'));
  },
  /** Closes every connection as soon as it is accepted. */
  closeOnAccept: () => (socket: net.Socket) => {
    socket.destroy();
  },
};
