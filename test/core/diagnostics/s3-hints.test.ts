import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeBase64Utf8 } from '../../../src/core/codec';
import { explainS3Error, type S3ErrorContext } from '../../../src/core/diagnostics/s3-hints';
import { describeS3ErrorBody, parseS3ErrorXml, type S3ErrorDetails } from '../../../src/core/transport/s3-refusal';

const POLICY = encodeBase64Utf8(
  JSON.stringify({
    expiration: '2025-06-01T13:00:00.000Z',
    conditions: [{ bucket: 'photos' }, ['starts-with', '$key', 'uploads/'], ['content-length-range', 1, 10485760]],
  }),
);
const CREDENTIAL = 'AKIAIOSFODNN7EXAMPLE/20250601/eu-west-1/s3/aws4_request';
const SIGNATURE = 'b1f6f1a5c0a9c1e4b5d44c6c8b7a9f0e3d2c1b0a99887766554433221100ffee';

function context(overrides: Record<string, string> = {}, drop: readonly string[] = []): S3ErrorContext {
  const fields: Record<string, string> = {
    key: 'uploads/${filename}',
    'Content-Type': 'image/png',
    Policy: POLICY,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': CREDENTIAL,
    'X-Amz-Date': '20250601T120000Z',
    'X-Amz-Signature': SIGNATURE,
    ...overrides,
  };
  for (const name of drop) delete fields[name];
  return { fields: Object.entries(fields), url: 'https://photos.s3.eu-west-1.amazonaws.com/', bucket: 'photos' };
}

/** S3's error document, the way S3 sends it: a declaration, then one line of elements. */
function s3Error(code: string, message: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${extra}<RequestId>4442587FB7D0A2F9</RequestId><HostId>eftixk72aD6Ap51TnqcoF8eFidJG9Z/2mkiDFu8yU9AS1ed4OpIszj7UDNEHGran</HostId></Error>`;
}

function parsed(xml: string): S3ErrorDetails {
  const details = parseS3ErrorXml(xml);
  if (!details) throw new Error(`not parsed as S3 XML: ${xml}`);
  return details;
}

function hintFor(xml: string, ctx: S3ErrorContext = context(), status = 403): string {
  return explainS3Error(parsed(xml), status, ctx);
}

// The answer in /work/shared/seeds/001_de9817de039722a3.txt, as S3 sent it (a header-signed request).
const SEED_SIGNATURE_ERROR = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message><AWSAccessKeyId>[your public key]</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256
20180725T101212Z
20180725/cn-north-1/s3/aws4_request
e7a7e92e17d8a3ac6228bb02139a499904db50a493ea6c336d847d4d94a5c320</StringToSign><SignatureProvided>2afc0bc1316732c9cd9bdc75c0aafdde70c3c96c0211991c610cf0c1bed33d71</SignatureProvided><StringToSignBytes>41 57 53 34 2d 48 4d 41 43 2d 53 48 41 32 35 36 0a 32 30 31 38 30 37 32 35 54 31 30 31 32 31 32 5a 0a 32 30 31 38 30 37 32 35 2f 63 6e 2d 6e 6f 72 74 68 2d 31 2f 73 33 2f 61 77 73 34 5f 72 65 71 75 65 73 74 0a 65 37 61 37 65 39 32 65 31 37 64 38 61 33 61 63 36 32 32 38 62 62 30 32 31 33 39 61 34 39 39 39 30 34 64 62 35 30 61 34 39 33 65 61 36 63 33 33 36 64 38 34 37 64 34 64 39 34 61 35 63 33 32 30</StringToSignBytes><CanonicalRequest>
POST
/39f0808e-3d0b-48d4-a3db-f171a3cb2943.mp4
uploads=
host:&lt;your bucket&gt;.s3.cn-north-1.amazonaws.com.cn
x-amz-acl:private
x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
x-amz-date:20180725T101212Z
x-amz-meta-qqfilename:flux-field_pro_854x480p.mp4

host;x-amz-acl;x-amz-content-sha256;x-amz-date;x-amz-meta-qqfilename
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855</CanonicalRequest><CanonicalRequestBytes>50 4f 53 54 0a</CanonicalRequestBytes><RequestId>056AA9A01FBFF8FB</RequestId><HostId>RzQYHes10dAU3rrnhyDRRwN4NzuNxn3JrVcjlfK8NEqagFh0DZ0gkT56bMrYNwDTcU2iuZQohaY=</HostId></Error>`;

const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

describe.each([
  { parser: 'DOMParser (browser)', dom: true },
  { parser: 'the built-in reader (Node, no DOM)', dom: false },
])('parseS3ErrorXml with $parser', ({ dom }) => {
  beforeEach(() => {
    if (!dom) vi.stubGlobal('DOMParser', undefined);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('reads the seed answer: evidence byte for byte, entities decoded', () => {
    const spy = dom ? vi.spyOn(DOMParser.prototype, 'parseFromString') : undefined;
    const details = parsed(SEED_SIGNATURE_ERROR);
    if (spy) expect(spy).toHaveBeenCalled();
    expect(details).toMatchObject({
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      requestId: '056AA9A01FBFF8FB',
      hostId: 'RzQYHes10dAU3rrnhyDRRwN4NzuNxn3JrVcjlfK8NEqagFh0DZ0gkT56bMrYNwDTcU2iuZQohaY=',
      awsAccessKeyId: '[your public key]',
      signatureProvided: '2afc0bc1316732c9cd9bdc75c0aafdde70c3c96c0211991c610cf0c1bed33d71',
      stringToSign:
        'AWS4-HMAC-SHA256\n20180725T101212Z\n20180725/cn-north-1/s3/aws4_request\ne7a7e92e17d8a3ac6228bb02139a499904db50a493ea6c336d847d4d94a5c320',
    });
    expect(details.canonicalRequest).toMatch(/^\nPOST\n\/39f0808e-3d0b-48d4-a3db-f171a3cb2943\.mp4\nuploads=\nhost:<your bucket>\.s3\./);
    expect(details.elements['CanonicalRequestBytes']).toBe('50 4f 53 54 0a');
    expect(Object.keys(details.elements)).toEqual([
      'Code', 'Message', 'AWSAccessKeyId', 'StringToSign', 'SignatureProvided', 'StringToSignBytes',
      'CanonicalRequest', 'CanonicalRequestBytes', 'RequestId', 'HostId',
    ]);
  });

  it('decodes &quot; &amp; &lt; &gt; &apos; and character references once', () => {
    const details = parsed(
      s3Error('AccessDenied', 'Invalid according to Policy: Policy Condition failed: [&quot;eq&quot;, &quot;$key&quot;, &quot;a&amp;b&lt;c&gt;&apos;d&quot;] &amp;lt; &#65;&#x42;'),
    );
    expect(details.message).toBe(`Invalid according to Policy: Policy Condition failed: ["eq", "$key", "a&b<c>'d"] &lt; AB`);
  });

  it('reads CDATA as text (S3-compatible stores use it)', () => {
    expect(parsed('<Error><Code>X</Code><Message><![CDATA[a < b & </Message> c]]></Message></Error>').message).toBe('a < b & </Message> c');
  });

  it('leaves out what S3 did not send', () => {
    const details = parsed('<Error><Code>AccessDenied</Code><Region/></Error>');
    expect(details).toEqual({ code: 'AccessDenied', message: '', elements: { Code: 'AccessDenied', Region: '' } });
  });

  it('reads the region and the other elements of a redirect answer', () => {
    const details = parsed(
      s3Error('AuthorizationHeaderMalformed', "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'", '<Region>eu-west-1</Region>'),
    );
    expect(details.region).toBe('eu-west-1');
    expect(details.elements['Region']).toBe('eu-west-1');
  });

  it.each([
    ['an HTML error page', HTML_502],
    ['an HTML page with a doctype', '<!DOCTYPE html><html><body><h1>Forbidden</h1></body></html>'],
    ['JSON', '{"message":"Forbidden"}'],
    ['an empty body', ''],
    ['a cut-off document', '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Acc'],
    ['XML without a Code', '<Error><Message>no code</Message></Error>'],
    ['another XML document', '<PostResponse><Key>a</Key></PostResponse>'],
  ])('is undefined for %s', (_, text) => {
    expect(parseS3ErrorXml(text)).toBeUndefined();
  });
});

describe('describeS3ErrorBody', () => {
  it('keeps a short, readable excerpt of a body that is not S3 XML, under http-<status>', () => {
    expect(describeS3ErrorBody(HTML_502, 502)).toEqual({
      code: 'http-502',
      message: '502 Bad Gateway 502 Bad Gateway nginx',
      elements: {},
    });
    expect(describeS3ErrorBody('', 403).message).toBe('(empty body)');
    expect(describeS3ErrorBody('x'.repeat(500), 400).message).toHaveLength(201);
  });

  it('reads S3 XML when it is there', () => {
    expect(describeS3ErrorBody(s3Error('NoSuchBucket', 'The specified bucket does not exist'), 404).code).toBe('NoSuchBucket');
  });
});

describe('explainS3Error', () => {
  const SIGNATURE_MESSAGE =
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
  const signatureError = (stringToSign: string, signature = SIGNATURE) =>
    s3Error(
      'SignatureDoesNotMatch',
      SIGNATURE_MESSAGE,
      `<AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE</AWSAccessKeyId><StringToSign>${stringToSign}</StringToSign><SignatureProvided>${signature}</SignatureProvided>`,
    );

  describe('SignatureDoesNotMatch', () => {
    it('blames the key, date or region when S3 signed exactly the policy sent', () => {
      const hint = hintFor(signatureError(POLICY));
      expect(hint).toContain('S3 computed the signature over exactly the policy sent');
      expect(hint).toContain('date (20250601)');
      expect(hint).toContain('region (eu-west-1)');
      expect(hint).toContain('AKIAIOSFODNN7EXAMPLE');
      expect(hint).toContain('lowercase hex');
    });

    it('says the policy changed after signing when S3 saw another one', () => {
      const other = encodeBase64Utf8('{"expiration":"2025-06-01T13:00:00Z","conditions":[]}');
      const hint = hintFor(signatureError(other));
      expect(hint).toContain('The policy S3 saw (StringToSign');
      expect(hint).toContain(`differs from the Policy field sent (${POLICY.length} characters)`);
      expect(hint).toContain('re-encoded');
      expect(hint).toContain('lowercase hex');
    });

    it('notices a policy that differs only in line breaks', () => {
      const wrapped = POLICY.replace(/(.{76})/g, '$1\n');
      expect(hintFor(signatureError(POLICY), context({ Policy: wrapped }))).toContain('only in whitespace or line breaks');
    });

    it('names an uppercase hex signature', () => {
      const hint = hintFor(signatureError(POLICY, SIGNATURE.toUpperCase()));
      expect(hint).toContain(SIGNATURE.toUpperCase());
      expect(hint).toContain('uppercase hex');
      expect(hint).toContain('64 lowercase hex digits');
    });

    it('reads the seed answer as a header-signed request and points at its CanonicalRequest', () => {
      const hint = hintFor(SEED_SIGNATURE_ERROR);
      expect(hint).toContain('header-signed request, not a POST policy');
      expect(hint).toContain('canonicalRequest');
      expect(hint).toContain('20250601/eu-west-1/s3/aws4_request');
    });

    it('still names the scope when S3 sends no StringToSign (S3-compatible stores)', () => {
      const hint = hintFor(s3Error('SignatureDoesNotMatch', SIGNATURE_MESSAGE));
      expect(hint).toContain('20250601/eu-west-1/s3/aws4_request');
      expect(hint).toContain('lowercase hex');
    });
  });

  describe('AccessDenied', () => {
    it('names the failed condition and the value sent for its field', () => {
      const xml = s3Error('AccessDenied', 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "uploads/"]');
      const hint = hintFor(xml, context({ key: 'avatars/${filename}' }));
      expect(hint).toContain('["starts-with", "$key", "uploads/"]');
      expect(hint).toContain('key = "avatars/${filename}" as sent');
    });

    it('says when the field of the failed condition was not sent at all', () => {
      const xml = s3Error('AccessDenied', 'Invalid according to Policy: Policy Condition failed: ["eq", "$acl", "private"]');
      expect(hintFor(xml)).toContain('acl, which the form did not send');
    });

    it('reads the bucket condition against the bucket addressed', () => {
      const xml = s3Error('AccessDenied', 'Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "videos"]');
      expect(hintFor(xml)).toContain('bucket = "photos"');
    });

    it('names extra input fields and says to add conditions for them', () => {
      const xml = s3Error('AccessDenied', 'Invalid according to Policy: Extra input fields: x-amz-meta-tag, content-type');
      const hint = hintFor(xml);
      expect(hint).toContain('x-amz-meta-tag, content-type');
      expect(hint).toContain('add a condition for each');
      expect(hint).toContain('["starts-with", "$x-amz-meta-tag", ""]');
    });

    it('gives the expiration of an expired policy and points at the clock', () => {
      const hint = hintFor(s3Error('AccessDenied', 'Invalid according to Policy: Policy expired.'));
      expect(hint).toContain('expired at 2025-06-01T13:00:00.000Z');
      expect(hint).toContain('clock');
    });

    it('otherwise points at the IAM permission for s3:PutObject on the object as stored', () => {
      const hint = hintFor(s3Error('AccessDenied', 'Access Denied'), { ...context(), key: 'uploads/cat.png' });
      expect(hint).toContain('s3:PutObject');
      expect(hint).toContain('arn:aws:s3:::photos/uploads/cat.png');
      expect(hint).toContain('AKIAIOSFODNN7EXAMPLE');
    });

    it('on an S3-compatible store, also points at the signature (Ceph answers a bad one with AccessDenied)', () => {
      const ceph = { ...context(), url: 'http://127.0.0.1:7480/photos/' };
      const hint = hintFor(s3Error('AccessDenied', ''), ceph);
      expect(hint).toContain('S3-compatible stores such as Ceph');
      expect(hint).toContain('20250601/eu-west-1/s3/aws4_request');
      expect(hint).toContain('s3:PutObject');
    });
  });

  it('InvalidAccessKeyId: names the key S3 does not know', () => {
    const xml = s3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', '<AWSAccessKeyId>AKIAWRONGKEY12345678</AWSAccessKeyId>');
    expect(hintFor(xml)).toContain('S3 knows no access key AKIAWRONGKEY12345678');
    const temporary = s3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', '<AWSAccessKeyId>ASIAEXAMPLETEMPORARY</AWSAccessKeyId>');
    expect(hintFor(temporary)).toContain('sent without its X-Amz-Security-Token');
  });

  it('InvalidToken / ExpiredToken: asks for the session token, or fresh credentials', () => {
    const invalid = s3Error('InvalidToken', 'The provided token is malformed or otherwise invalid.');
    expect(hintFor(invalid)).toContain('The form carries no X-Amz-Security-Token');
    const withToken = context({ 'X-Amz-Security-Token': 'FwoGZXIvYXdzE...' });
    expect(hintFor(invalid, withToken)).toContain('refresh them');
    const expired = s3Error('ExpiredToken', 'The provided token has expired.', '<Token-0>FwoGZXIvYXdzE...</Token-0>');
    expect(hintFor(expired, withToken)).toContain('expired before S3 checked the upload');
    expect(hintFor(expired, withToken)).toContain('refresh');
  });

  it('RequestTimeTooSkewed: gives both clocks', () => {
    const xml = s3Error(
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
      '<RequestTime>20250601T120000Z</RequestTime><ServerTime>2025-06-01T12:20:00Z</ServerTime><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds>',
    );
    const hint = hintFor(xml);
    expect(hint).toContain("S3's clock read 2025-06-01T12:20:00Z but the request was dated 20250601T120000Z");
    expect(hint).toContain('clock of the backend');
  });

  it('EntityTooLarge / EntityTooSmall: gives the size against content-length-range', () => {
    const large = s3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', '<ProposedSize>10485761</ProposedSize><MaxSizeAllowed>10485760</MaxSizeAllowed>');
    expect(hintFor(large, context(), 400)).toContain('10485761 bytes but the policy\'s content-length-range allows at most 10485760');
    const small = s3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', '<ProposedSize>0</ProposedSize><MinSizeAllowed>1</MinSizeAllowed>');
    expect(hintFor(small, context(), 400)).toContain('0 bytes but the policy\'s content-length-range requires at least 1');
  });

  it('InvalidArgument: names the argument and its value', () => {
    const xml = s3Error('InvalidArgument', 'The encryption method specified is not supported', '<ArgumentName>x-amz-server-side-encryption</ArgumentName><ArgumentValue>AES128</ArgumentValue>');
    const hint = hintFor(xml, context(), 400);
    expect(hint).toContain('x-amz-server-side-encryption = "AES128"');
    expect(hint).toContain('The encryption method specified is not supported');
  });

  it('MalformedPOSTRequest: the file must be the last part of a multipart body', () => {
    const hint = hintFor(s3Error('MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.'), context(), 400);
    expect(hint).toContain('multipart/form-data');
    expect(hint).toContain('last part is the file');
  });

  it('InvalidRequest about the authorization mechanism: V2 fields instead of SigV4', () => {
    const xml = s3Error('InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
    const hint = hintFor(xml, context({ AWSAccessKeyId: 'AKIAIOSFODNN7EXAMPLE', signature: 'q9z1Qe1n0x3w7b0f4+2c8S0dG0k=' }, ['X-Amz-Signature']), 400);
    expect(hint).toContain('Signature Version 4');
    expect(hint).toContain('it sent AWSAccessKeyId, signature');
    expect(hint).toContain('X-Amz-Credential');
    expect(hint).toContain('64 lowercase hex digits');
  });

  it.each([
    ['AuthorizationQueryParametersError', "Error parsing the X-Amz-Credential parameter; the region 'us-east-1' is wrong; expecting 'eu-central-1'"],
    ['AuthorizationHeaderMalformed', "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-central-1'"],
  ])('%s: the region signed for against the bucket region', (code, message) => {
    const hint = hintFor(s3Error(code, message, '<Region>eu-central-1</Region>'), context(), 400);
    expect(hint).toContain('The bucket lives in eu-central-1 but the form was signed for us-east-1');
    expect(hint).toContain('AKIAIOSFODNN7EXAMPLE/20250601/eu-central-1/s3/aws4_request');
    expect(hint).toContain('https://photos.s3.eu-central-1.amazonaws.com/');
  });

  it('InvalidArgument for a POST signed in the wrong region (what S3 really answers a form) gets the region hint', () => {
    const xml = s3Error(
      'InvalidArgument',
      "the region 'us-east-1' is wrong; expecting 'eu-central-1'",
      '<ArgumentName>X-Amz-Credential</ArgumentName><ArgumentValue>AKIAIOSFODNN7EXAMPLE/20250601/us-east-1/s3/aws4_request</ArgumentValue><Region>eu-central-1</Region>',
    );
    const hint = hintFor(xml, context(), 400);
    expect(hint).toContain('The bucket lives in eu-central-1 but the form was signed for us-east-1');
    expect(hint).toContain('https://photos.s3.eu-central-1.amazonaws.com/');
  });

  it('InvalidPolicyDocument: says which layer of the policy is broken', () => {
    const xml = s3Error('InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
    const hint = hintFor(xml, context({ Policy: encodeBase64Utf8('{"expiration": "2025-06-01T13:00:00Z", "conditions": [}') }), 400);
    expect(hint).toContain('Invalid Policy: Invalid JSON.');
    expect(hint).toContain('not JSON');
    expect(hint).toContain('"conditions" array');
  });

  it('NoSuchBucket: names the bucket and the endpoint', () => {
    const hint = hintFor(s3Error('NoSuchBucket', 'The specified bucket does not exist', '<BucketName>photos-uplaods</BucketName>'), context(), 404);
    expect(hint).toContain('No bucket named photos-uplaods exists at photos.s3.eu-west-1.amazonaws.com');
  });

  it('PermanentRedirect: sends to the endpoint S3 gives', () => {
    const xml = s3Error(
      'PermanentRedirect',
      'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
      '<Bucket>photos</Bucket><Endpoint>photos.s3.ap-northeast-1.amazonaws.com</Endpoint>',
    );
    const hint = hintFor(xml, context(), 301);
    expect(hint).toContain('https://photos.s3.ap-northeast-1.amazonaws.com/');
    expect(hint).toContain('sign for ap-northeast-1');
  });

  it('falls back on the code and message, and tells retryable failures apart', () => {
    const unknown = hintFor(s3Error('InvalidStorageClass', 'The storage class you specified is not valid'), context(), 400);
    expect(unknown).toContain('InvalidStorageClass (The storage class you specified is not valid)');
    expect(unknown).toContain('ErrorCodeList');
    expect(hintFor(s3Error('SlowDown', 'Please reduce your request rate.'), context(), 503)).toContain('retry the upload');
    expect(explainS3Error(describeS3ErrorBody(HTML_502, 502), 502, context())).toContain('failed with 502');
    expect(explainS3Error(describeS3ErrorBody('<h1>Not Found</h1>', 404), 404, context())).toContain("not S3's XML error");
  });
});
