// The demo page and its signing backend (demo/vite.config.ts), in this process, signing for a real S3.
// The backend plugin reads S3_* / AWS_* / DEMO_* when the dev server starts (demo/server/config.ts), so
// they are put in process.env for the start only and restored afterwards.

import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import type { S3Target } from './post-form';

export interface DemoServer {
  /** The page, e.g. http://127.0.0.1:41234/ */
  readonly url: string;
  /** Closes the dev server, and with it the demo backend. */
  stop(): Promise<void>;
}

export interface DemoServerOptions {
  /** DEMO_MAX_SIZE: the backend's content-length-range, and the page's maxSize. */
  readonly maxSize: number;
}

const CONFIG_FILE = fileURLToPath(new URL('../../demo/vite.config.ts', import.meta.url));

export async function startDemoServer(target: S3Target, options: DemoServerOptions): Promise<DemoServer> {
  const env: Record<string, string> = {
    S3_ENDPOINT: target.endpoint,
    S3_BUCKET: target.bucket,
    S3_REGION: target.region,
    AWS_ACCESS_KEY_ID: target.accessKeyId,
    AWS_SECRET_ACCESS_KEY: target.secretAccessKey,
    // Empty reads as unset: a session token from the developer's shell must not reach radosgw's forms.
    AWS_SESSION_TOKEN: '',
    DEMO_MAX_SIZE: String(options.maxSize),
  };
  const port = await freePort();
  const server = await withEnv(env, async () => {
    const vite = await createServer({
      configFile: CONFIG_FILE,
      server: { host: '127.0.0.1', port, strictPort: true },
      logLevel: 'warn',
      clearScreen: false,
    });
    try {
      // The backend plugin starts in configureServer, before listen() resolves: env is read by then.
      await vite.listen();
    } catch (error) {
      await vite.close();
      throw error;
    }
    return vite;
  });
  return { url: `http://127.0.0.1:${port}/`, stop: () => server.close() };
}

async function withEnv<T>(env: Readonly<Record<string, string>>, run: () => Promise<T>): Promise<T> {
  const saved = new Map(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    return await run();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
