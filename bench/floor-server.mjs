// The floor for `npm run load`: the least any server must do to accept a signed submission — read the JSON
// body, canonicalize the payload (RFC 8785), verify its Ed25519 signature with node:crypto, answer JSON — and
// nothing else (no store, no log, no receipt). Its accepted/s on this machine, measured in the same run with the
// same client, bounds what Acta can reach here. Photo uploads: read, signature checked, answered.
// Usage: node floor-server.mjs PORT KEYS.json   (KEYS.json: { keyId: base64 public key })
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import canonicalize from 'canonicalize';

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const keys = new Map(
  Object.entries(JSON.parse(readFileSync(process.argv[3], 'utf8'))).map(([id, b64]) => [id, createPublicKey({ key: Buffer.concat([SPKI_PREFIX, Buffer.from(b64, 'base64')]), format: 'der', type: 'spki' })]),
);
const signedBy = (keyId, context, payload, signature) => {
  const key = keys.get(keyId);
  return key !== undefined && verify(null, Buffer.from(`${context}\n${canonicalize(payload)}`), key, Buffer.from(String(signature), 'base64'));
};

createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let ok = false;
    try {
      if (req.method === 'PUT') {
        const sha256 = req.url.split('/').pop();
        ok = signedBy(req.headers['acta-key-id'], 'acta/image/v1', { sha256, time: req.headers['acta-time'] }, req.headers['acta-signature']);
      } else {
        const { submission, signature } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        ok = signedBy(submission.keyId, 'acta/submission/v1', submission, signature);
      }
    } catch {
      ok = false;
    }
    res.writeHead(ok ? 201 : 403, { 'content-type': 'application/json' }).end(JSON.stringify({ ok }));
  });
}).listen(Number(process.argv[2]), '127.0.0.1', () => process.send?.('listening'));
