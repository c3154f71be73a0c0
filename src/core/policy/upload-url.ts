// What an upload URL tells about the bucket and region, so the kit can check the policy's bucket
// condition and the credential's region before sending.
// AWS endpoints: https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html
//   virtual-hosted  https://bucket.s3.eu-west-1.amazonaws.com/   (also s3-eu-west-1, s3.dualstack.eu-west-1)
//   path-style      https://s3.eu-west-1.amazonaws.com/bucket/
//   legacy global   https://bucket.s3.amazonaws.com/             (region not in the name)
// Any other host (MinIO, radosgw, R2, the emulator) is read path-style when the path names a bucket.

export interface UploadUrlInfo {
  /** The bucket the URL addresses, when the URL says. */
  readonly bucket: string | undefined;
  /** The AWS region the endpoint belongs to, when it is an AWS regional endpoint. */
  readonly region: string | undefined;
}

const AWS_HOST =
  /^(?:(.+)\.)?s3(?:[.-](?:dualstack\.)?((?:[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d)))?(?:\.dualstack\.([a-z]{2}-[a-z]+-\d))?\.amazonaws\.com(?:\.cn)?$/;

export function readUploadUrl(url: URL): UploadUrlInfo {
  const host = url.hostname.toLowerCase();
  const firstSegment = decodeURIComponent(url.pathname.split('/').find((segment) => segment !== '') ?? '');
  const aws = AWS_HOST.exec(host);
  if (aws) {
    const [, hostBucket, region, dualstackRegion] = aws;
    return {
      bucket: hostBucket ?? (firstSegment || undefined),
      region: region ?? dualstackRegion,
    };
  }
  return { bucket: firstSegment || undefined, region: undefined };
}

/** The object URL S3 reports as Location for a key in this bucket URL. */
export function objectUrl(uploadUrl: string, key: string): string {
  const url = new URL(uploadUrl);
  const base = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  url.pathname = base + key.split('/').map(encodeURIComponent).join('/');
  url.search = '';
  return url.toString();
}
