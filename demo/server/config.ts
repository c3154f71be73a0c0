// Which S3 the demo backend signs for, read once from the environment.
//
//   external: S3_BUCKET, S3_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN for
//             temporary credentials). With S3_ENDPOINT (MinIO, R2, radosgw, ...) URLs are path-style
//             <endpoint>/<bucket>/; without it, AWS's https://<bucket>.s3.<region>.amazonaws.com/.
//   embedded: none of S3_BUCKET / S3_ENDPOINT set. The emulator of mocks/ on 127.0.0.1 (demo/s3-server.ts)
//             with one bucket and a credential generated at start.
// DEMO_MAX_SIZE (bytes, default 10 MiB) caps the policies' content-length-range in both modes.
// DEMO_MULTIPART_THRESHOLD (bytes, default DEMO_MAX_SIZE + 1): from this size the page uploads by multipart upload.
// DEMO_MULTIPART_MAX_SIZE (bytes, default 1 GiB) caps a multipart upload (refused at create, checked at
// complete and when the page reports the upload finished).
// DEMO_S3_THROTTLE (bytes per second) slows the embedded S3's uploads down, to watch the progress bar.

import { randomBytes } from 'node:crypto';

export type DemoMode = 'embedded' | 'external';

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** The bucket the backend signs for. */
export interface S3Target {
  readonly mode: DemoMode;
  readonly bucket: string;
  readonly region: string;
  /** A custom endpoint (no trailing slash), addressed path-style; undefined for AWS itself. */
  readonly endpoint: string | undefined;
  readonly credentials: S3Credentials;
  readonly maxSize: number;
  /** Default DEFAULT_MULTIPART_LIMITS. */
  readonly multipart?: MultipartLimits;
}

export interface MultipartLimits {
  /** Files of at least this many bytes go by multipart upload (what the page passes as `threshold`). */
  readonly threshold: number;
  /** The largest object a multipart upload may make. */
  readonly maxSize: number;
}

/** What GET /api/config tells the page: enough to compose a policy, nothing secret. */
export interface PublicConfig {
  readonly mode: DemoMode;
  readonly bucket: string;
  readonly region: string;
  readonly accessKeyId: string;
  /** The URL the form is POSTed to (the bucket's URL). */
  readonly endpoint: string;
  readonly maxSize: number;
  /** Present with temporary credentials: S3 needs it in the form, so the browser must have it. */
  readonly sessionToken?: string;
}

/** What GET /api/config adds for multipart upload (header signing needs only what PublicConfig has). */
export interface MultipartConfig {
  /** Files of at least this many bytes go by multipart upload (DEMO_MULTIPART_THRESHOLD). */
  readonly multipartThreshold: number;
  /** The largest file the multipart endpoints accept (DEMO_MULTIPART_MAX_SIZE). */
  readonly multipartMaxSize: number;
}

/** The whole answer of GET /api/config. */
export type DemoConfig = PublicConfig & MultipartConfig;

export type S3Settings =
  | { readonly mode: 'external'; readonly target: S3Target }
  | {
      readonly mode: 'embedded';
      readonly bucket: string;
      readonly region: string;
      readonly maxSize: number;
      readonly multipart: MultipartLimits;
      /** DEMO_S3_THROTTLE: how fast the embedded S3 reads uploads, in bytes per second. */
      readonly uploadBytesPerSecond?: number;
    };

export const EMBEDDED_BUCKET = 'demo-bucket';
export const EMBEDDED_REGION = 'us-east-1';
export const DEFAULT_MAX_SIZE = 10 * 1024 * 1024;
export const DEFAULT_MULTIPART_LIMITS: MultipartLimits = { threshold: 100 * 1024 * 1024, maxSize: 1024 * 1024 * 1024 };
/** Every key the demo signs for lives under this prefix; sign-policy refuses any other. */
export const KEY_PREFIX = 'uploads/';

export type Env = Readonly<Record<string, string | undefined>>;

export function readS3Settings(env: Env): S3Settings {
  const value = (name: string): string | undefined => {
    const text = env[name]?.trim();
    return text === undefined || text === '' ? undefined : text;
  };
  const maxSize = readMaxSize(value('DEMO_MAX_SIZE'));
  const multipart = readMultipartLimits(value('DEMO_MULTIPART_THRESHOLD'), value('DEMO_MULTIPART_MAX_SIZE'), maxSize);
  const endpoint = value('S3_ENDPOINT');
  const bucket = value('S3_BUCKET');
  if (endpoint === undefined && bucket === undefined) {
    const throttle = value('DEMO_S3_THROTTLE');
    return {
      mode: 'embedded',
      bucket: EMBEDDED_BUCKET,
      region: EMBEDDED_REGION,
      maxSize,
      multipart,
      ...(throttle !== undefined ? { uploadBytesPerSecond: readPositive('DEMO_S3_THROTTLE', throttle) } : {}),
    };
  }

  const required = ['S3_BUCKET', 'S3_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];
  const missing = required.filter((name) => value(name) === undefined);
  if (missing.length > 0) {
    throw new Error(
      `The demo signs for a real S3 because ${endpoint !== undefined ? 'S3_ENDPOINT' : 'S3_BUCKET'} is set, but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not: set ${required.join(', ')} (and S3_ENDPOINT for a store other than AWS), or unset S3_ENDPOINT and S3_BUCKET to use the embedded S3.`,
    );
  }
  if (endpoint !== undefined && !/^https?:\/\/[^/]+/.test(endpoint)) {
    throw new Error(`S3_ENDPOINT is ${JSON.stringify(endpoint)}; it must be an http(s) URL such as http://127.0.0.1:9000.`);
  }
  const sessionToken = value('AWS_SESSION_TOKEN');
  return {
    mode: 'external',
    target: {
      mode: 'external',
      bucket: value('S3_BUCKET') ?? '',
      region: value('S3_REGION') ?? '',
      endpoint: endpoint?.replace(/\/+$/, ''),
      credentials: {
        accessKeyId: value('AWS_ACCESS_KEY_ID') ?? '',
        secretAccessKey: value('AWS_SECRET_ACCESS_KEY') ?? '',
        ...(sessionToken !== undefined ? { sessionToken } : {}),
      },
      maxSize,
      multipart,
    },
  };
}

function readMaxSize(text: string | undefined): number {
  return text === undefined ? DEFAULT_MAX_SIZE : readPositive('DEMO_MAX_SIZE', text);
}

// By default the page sends by parts every file one POST policy would refuse (DEMO_MAX_SIZE), so that
// any file up to DEMO_MULTIPART_MAX_SIZE uploads out of the box; the kit's own default is 100 MiB.
function readMultipartLimits(threshold: string | undefined, maxSize: string | undefined, postMaxSize: number): MultipartLimits {
  return {
    threshold: threshold === undefined ? postMaxSize + 1 : readPositive('DEMO_MULTIPART_THRESHOLD', threshold),
    maxSize: maxSize === undefined ? DEFAULT_MULTIPART_LIMITS.maxSize : readPositive('DEMO_MULTIPART_MAX_SIZE', maxSize),
  };
}

/** The target's multipart limits, defaults filled in. */
export function multipartLimits(target: S3Target): MultipartLimits {
  return target.multipart ?? DEFAULT_MULTIPART_LIMITS;
}

function readPositive(name: string, text: string): number {
  const number = Number(text);
  if (!Number.isSafeInteger(number) || number <= 0) {
    throw new Error(`${name} is ${JSON.stringify(text)}; it must be a positive whole number of bytes.`);
  }
  return number;
}

/** A credential for the embedded S3, new at every start, shaped like an AWS one. */
export function generateDemoCredentials(): S3Credentials {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const id = Array.from(randomBytes(16), (byte) => alphabet[byte % alphabet.length] ?? 'A').join('');
  return { accessKeyId: `AKIA${id}`, secretAccessKey: randomBytes(30).toString('base64') };
}

/** The URL a POST form goes to: path-style under a custom endpoint, virtual-hosted on AWS. */
export function bucketUrl(target: S3Target): string {
  return target.endpoint !== undefined
    ? `${target.endpoint}/${encodeURIComponent(target.bucket)}/`
    : `https://${target.bucket}.s3.${target.region}.amazonaws.com/`;
}

export function publicConfig(target: S3Target): DemoConfig {
  const { sessionToken } = target.credentials;
  return {
    mode: target.mode,
    bucket: target.bucket,
    region: target.region,
    accessKeyId: target.credentials.accessKeyId,
    endpoint: bucketUrl(target),
    maxSize: target.maxSize,
    multipartThreshold: multipartLimits(target).threshold,
    multipartMaxSize: multipartLimits(target).maxSize,
    ...(sessionToken !== undefined ? { sessionToken } : {}),
  };
}
