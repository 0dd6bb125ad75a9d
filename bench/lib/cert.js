// A throwaway self-signed certificate for api.twilio.com, made at bench time without network.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { workDir } from './util.js';

export function makeCertificate() {
  const cert = join(workDir, 'cert.pem');
  const key = join(workDir, 'key.pem');
  rmSync(cert, { force: true });
  rmSync(key, { force: true });
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=api.twilio.com',
        '-addext',
        'subjectAltName=DNS:api.twilio.com,DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: 'pipe' }
    );
  } catch (error) {
    throw new Error(`openssl could not make the throwaway certificate (is openssl installed?): ${error.message}`);
  }
  if (!existsSync(cert) || !existsSync(key)) {
    throw new Error('openssl ran but wrote no certificate');
  }
  return { cert, key };
}
