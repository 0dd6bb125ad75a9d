// Preloaded (node --import) into every sender process: api.twilio.com resolves to the fake
// endpoint's address, and connections to it on port 443 go to the fake endpoint's port. Every
// client here (node:https, got, axios, undici, fetch) connects through tls.connect and dns.lookup.
// The certificate is trusted through NODE_EXTRA_CA_CERTS, set by the parent.
import dns from 'node:dns';
import tls from 'node:tls';

const host = 'api.twilio.com';
const address = process.env.BENCH_TWILIO_ADDRESS ?? '127.0.0.1';
const port = Number(process.env.BENCH_TWILIO_PORT ?? 443);

const lookup = dns.lookup;
dns.lookup = function benchLookup(hostname, options, callback) {
  if (hostname !== host) {
    return lookup.apply(this, arguments);
  }
  const done = typeof options === 'function' ? options : callback;
  const all = typeof options === 'object' && options?.all;
  process.nextTick(() => (all ? done(null, [{ address, family: 4 }]) : done(null, address, 4)));
};

if (port !== 443) {
  const connect = tls.connect;
  tls.connect = function benchConnect(...args) {
    const index = args.findIndex((argument) => argument && typeof argument === 'object');
    const options = args[index];
    const targetHost = options?.host ?? options?.servername ?? (typeof args[1] === 'string' ? args[1] : undefined);
    if (targetHost === host) {
      if (typeof args[0] === 'number' || typeof args[0] === 'string') {
        if (Number(args[0]) === 443) args[0] = port;
      } else if (options && Number(options.port ?? 443) === 443) {
        // A copy: https.Agent keys its socket pool by these very options.
        args[index] = { ...options, port };
      }
    }
    return connect.apply(this, args);
  };
}
