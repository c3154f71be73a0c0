// The local S3 a browser benchmark uploads to, with the demo's signing backend for it:
//   radosgw   Ceph's S3 gateway, started by e2e/radosgw/start.sh (e2e/support/radosgw.ts), when installed;
//   embedded  the demo's S3 emulator on a real port (demo/s3-server.ts, via demo/backend.ts), optionally
//             throttled (DEMO_S3_THROTTLE's option), otherwise.
// Both keep objects in memory (radosgw's memstore is 512 MiB), so the throughput runs delete each object
// once measured: `cleanup(key)`.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { loadTs } from './server.mjs';

const log = (message) => console.error(`  [bench backend] ${message}`);

/** @returns {Promise<{ name: string, api: any, cleanup(key: string): Promise<void>, stop(): Promise<void> } | { unavailable: string }>} */
export async function startRadosgwTarget({ maxSize }) {
  const radosgwSupport = await loadTs('e2e/support/radosgw.ts');
  let reason;
  try {
    reason = radosgwSupport.radosgwUnavailable({ ...process.env, CI: '' });
  } catch (error) {
    reason = String(error);
  }
  if (reason) return { unavailable: reason };
  const { createDemoApi } = await loadTs('demo/backend.ts');
  let radosgw;
  try {
    radosgw = await radosgwSupport.startRadosgw();
  } catch (error) {
    return { unavailable: `e2e/radosgw/start.sh failed: ${String(error).split('\n')[0]}` };
  }
  const target = {
    mode: 'external',
    bucket: radosgw.bucket,
    region: radosgw.region,
    endpoint: radosgw.endpoint,
    credentials: { accessKeyId: radosgw.accessKeyId, secretAccessKey: radosgw.secretAccessKey },
    maxSize,
  };
  const api = createDemoApi(target, log);
  const client = new S3Client({
    endpoint: radosgw.endpoint,
    region: radosgw.region,
    credentials: target.credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  return {
    name: 'radosgw',
    api,
    async cleanup(key) {
      await client.send(new DeleteObjectCommand({ Bucket: radosgw.bucket, Key: key }));
      // A deleted object's data (its tail past the first 4 MiB) waits for radosgw's garbage collector,
      // two hours by default: collected now, or the 512 MiB memstore fills after two 256 MB uploads.
      await run('radosgw-admin', ['gc', 'process', '--include-all'], { CEPH_CONF: join(radosgw.dataDir, 'ceph.conf') });
    },
    async stop() {
      client.destroy();
      api.close();
      await radosgw.stop();
    },
  };
}

export async function startEmbeddedTarget({ maxSize, bytesPerSecond }) {
  const { startDemoBackend } = await loadTs('demo/backend.ts');
  const backend = await startDemoBackend({
    env: { DEMO_MAX_SIZE: String(maxSize) },
    s3Port: 0,
    ...(bytesPerSecond ? { s3UploadBytesPerSecond: bytesPerSecond } : {}),
    log,
  });
  return {
    name: bytesPerSecond ? `embedded S3 (demo/s3-server.ts), throttled to ${bytesPerSecond / 1024 / 1024} MiB/s per upload` : 'embedded S3 (demo/s3-server.ts)',
    api: backend,
    async cleanup() {
      backend.s3?.emulator.store.clear();
    },
    stop: () => backend.stop(),
  };
}

function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}
