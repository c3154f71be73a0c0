// @vitest-environment node
// No secret handling in what ships to browsers: HMAC with a secret key belongs to backends (the demo's,
// the emulator's). The core and React bundles are built as an app would bundle them and searched; the
// emulator bundle, which does verify signatures with HMAC, is the control that shows the search works.
import { rolldown } from 'rolldown';
import { describe, expect, it } from 'vitest';

const EXTERNAL = [/^react($|\/)/, /^react-dom($|\/)/, /^@tanstack\//, /^msw($|\/)/];

async function bundle(input: string): Promise<string> {
  const build = await rolldown({ input, external: EXTERNAL, logLevel: 'silent' });
  const { output } = await build.generate({ format: 'es' });
  return output.map((chunk) => (chunk.type === 'chunk' ? chunk.code : '')).join('\n');
}

// What signing with a secret looks like in JS: Node's createHmac, WebCrypto HMAC keys, @noble's hmac,
// the SigV4 key derivation ("AWS4" + secret), and secret-key variable names.
const SECRET_HANDLING: ReadonlyArray<readonly [string, RegExp]> = [
  ['createHmac', /createHmac/],
  ['a WebCrypto HMAC key', /name:\s*["']HMAC["']|["']HMAC["']\s*[,}]/],
  ['an HMAC implementation', /\bhmac\s*\(|\bhmac\.create\b|class\s+_?HMAC\b/],
  ['the SigV4 key derivation', /["']AWS4["']\s*\+|`AWS4\$\{/],
  ['a secret access key', /secretAccessKey|secret_access_key|AWS_SECRET_ACCESS_KEY/i],
];

describe('the browser bundles handle no secret', () => {
  it.each([
    ['s3-direct-upload', 'src/index.ts'],
    ['s3-direct-upload/react', 'src/react/index.ts'],
  ])('%s', async (_, entry) => {
    const code = await bundle(entry);
    const found = SECRET_HANDLING.filter(([, pattern]) => pattern.test(code)).map(([what]) => what);
    expect(found).toEqual([]);
  });

  it('while the emulator, which verifies signatures, is found to (the search works)', async () => {
    const code = await bundle('mocks/index.ts');
    const found = SECRET_HANDLING.filter(([, pattern]) => pattern.test(code)).map(([what]) => what);
    expect(found).toEqual(expect.arrayContaining(['an HMAC implementation', 'the SigV4 key derivation', 'a secret access key']));
  });
});
