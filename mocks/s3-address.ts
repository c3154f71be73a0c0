// Which bucket and key a URL addresses, for the emulator's endpoint.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html
//   path style:           <endpoint>/<bucket>/<key>
//   virtual-hosted style: <scheme>://<bucket>.<endpoint host>/<key>   (not for an IP-address endpoint)

export interface S3Address {
  /** undefined for the endpoint itself (the service, where ListBuckets lives). */
  readonly bucket: string | undefined;
  /** '' when the URL addresses the bucket. */
  readonly key: string;
  /** The query string without '?' (subresources such as `uploads` live there). */
  readonly query: string;
  /**
   * The object's URL, addressed the same way as the request, as S3 writes it in Location: the whole
   * key percent-encoded, '/' included (S3 answers `.../prefix%2Fphoto.jpg`; captured POST responses).
   */
  objectUrl(key: string): string;
}

export type AddressResolver = (url: string) => S3Address | undefined;

export function createAddressResolver(endpoint: string): AddressResolver {
  const base = new URL(endpoint);
  const prefix = base.pathname.replace(/\/+$/, '');
  const virtualHosting = !isIpAddress(base.hostname);

  return (text) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return undefined;
    }
    if (url.protocol !== base.protocol || url.port !== base.port) return undefined;
    const query = url.search.slice(1);

    if (url.hostname === base.hostname) {
      if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) return undefined;
      const path = url.pathname.slice(prefix.length + 1);
      const slash = path.indexOf('/');
      const bucket = decode(slash === -1 ? path : path.slice(0, slash));
      if (bucket === '') return { bucket: undefined, key: '', query, objectUrl: () => base.origin + prefix };
      const bucketUrl = `${base.origin}${prefix}/${bucket}`;
      return {
        bucket,
        key: slash === -1 ? '' : decode(path.slice(slash + 1)),
        query,
        objectUrl: (key) => `${bucketUrl}/${encodeURIComponent(key)}`,
      };
    }

    const suffix = `.${base.hostname}`;
    if (!virtualHosting || !url.hostname.endsWith(suffix)) return undefined;
    const bucket = url.hostname.slice(0, -suffix.length);
    const bucketUrl = `${base.protocol}//${bucket}${suffix}${base.port ? `:${base.port}` : ''}`;
    return {
      bucket,
      key: decode(url.pathname.slice(1)),
      query,
      objectUrl: (key) => `${bucketUrl}/${encodeURIComponent(key)}`,
    };
  };
}

/**
 * URL patterns (MSW path syntax, '*' a wildcard) covering exactly the URLs the resolver serves:
 * <endpoint>/* and, for a host name, <scheme>//*.<host>/*.
 */
export function endpointPatterns(endpoint: string): string[] {
  const base = new URL(endpoint);
  const prefix = base.pathname.replace(/\/+$/, '');
  const patterns = [`${base.origin}${prefix}/*`];
  if (!isIpAddress(base.hostname)) patterns.push(`${base.protocol}//*.${base.host}/*`);
  return patterns;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function isIpAddress(hostname: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(hostname) || hostname.startsWith('[');
}
