// Creates the e2e bucket and its CORS rule through radosgw's S3 API, reading start.sh's env file.
//   node e2e/radosgw/create-bucket.mjs "$DATA/env"
// The rule is what a browser upload needs: any origin may POST (and PUT parts, DELETE to abort a multipart
// upload), and may read ETag (every part's, for CompleteMultipartUpload) and Location.
import { readFileSync } from 'node:fs';
import { CreateBucketCommand, PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';

const env = Object.fromEntries(
  readFileSync(process.argv[2], 'utf8')
    .split('\n')
    .filter((line) => line.includes('='))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);

const s3 = new S3Client({
  endpoint: env.S3_ENDPOINT,
  region: env.S3_REGION,
  credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  // radosgw on an IP address has no virtual-hosted buckets.
  forcePathStyle: true,
  // The SDK's default CRC32 checksums on every PUT are newer than radosgw 16 knows.
  requestChecksumCalculation: 'WHEN_REQUIRED',
});

await s3.send(new CreateBucketCommand({ Bucket: env.S3_BUCKET }));
await s3.send(
  new PutBucketCorsCommand({
    Bucket: env.S3_BUCKET,
    CORSConfiguration: {
      CORSRules: [
        {
          AllowedOrigins: ['*'],
          AllowedMethods: ['POST', 'PUT', 'GET', 'HEAD', 'DELETE'],
          AllowedHeaders: ['*'],
          ExposeHeaders: ['ETag', 'Location'],
        },
      ],
    },
  }),
);
console.log(`bucket ${env.S3_BUCKET} created with its CORS rule`);
