// The page's calls to the demo backend other than the policy itself (the kit makes those). Answers are
// checked here, once, so the components can trust them.
import type { DemoConfig, PublicConfig } from './server/config';

export type { DemoConfig, PublicConfig };

export async function fetchConfig(signal: AbortSignal): Promise<DemoConfig> {
  const body = await getJson(await fetch('/api/config', { signal }), 'GET /api/config');
  const text = (name: string): string => {
    const value = body[name];
    if (typeof value !== 'string') throw new Error(`GET /api/config answered without "${name}".`);
    return value;
  };
  const mode = text('mode');
  const size = (name: string): number => {
    const value = body[name];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) throw new Error(`GET /api/config answered without a byte count in "${name}".`);
    return value;
  };
  const { sessionToken } = body;
  if (mode !== 'embedded' && mode !== 'external') throw new Error(`GET /api/config answered mode ${JSON.stringify(mode)}.`);
  return {
    mode,
    bucket: text('bucket'),
    region: text('region'),
    accessKeyId: text('accessKeyId'),
    endpoint: text('endpoint'),
    maxSize: size('maxSize'),
    multipartThreshold: size('multipartThreshold'),
    multipartMaxSize: size('multipartMaxSize'),
    ...(typeof sessionToken === 'string' ? { sessionToken } : {}),
  };
}

/** A presigned GET URL for an uploaded object, so the page can show it back from the private bucket. */
export async function fetchReadUrl(key: string, signal: AbortSignal): Promise<string> {
  const response = await fetch('/api/read-url', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ key }),
    signal,
  });
  const { url } = await getJson(response, 'POST /api/read-url');
  if (typeof url !== 'string') throw new Error('POST /api/read-url answered without "url".');
  return url;
}

async function getJson(response: Response, what: string): Promise<Record<string, unknown>> {
  const body: unknown = await response.json().catch(() => undefined);
  const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? Object.fromEntries(Object.entries(body)) : undefined;
  if (!response.ok || record === undefined) {
    const reason = typeof record?.['error'] === 'string' ? record['error'] : `${response.statusText || 'no JSON answer'}`;
    throw new Error(`${what} answered ${response.status}: ${reason}`);
  }
  return record;
}
