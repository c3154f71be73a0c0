// The SigV4 credential scope and request date, as S3 reads them from a POST form.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTForms.html
// x-amz-credential = <access-key-id>/<yyyymmdd>/<region>/s3/aws4_request
// x-amz-date       = ISO 8601 basic format, yyyymmddTHHMMSSZ

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

export interface CredentialScope {
  readonly accessKeyId: string;
  /** yyyymmdd */
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly terminator: string;
}

export type CredentialProblem =
  | { readonly kind: 'parts'; readonly parts: number }
  | { readonly kind: 'date'; readonly date: string }
  | { readonly kind: 'service'; readonly service: string }
  | { readonly kind: 'terminator'; readonly terminator: string }
  | { readonly kind: 'access-key'; readonly accessKeyId: string };

export type CredentialParse =
  | { readonly ok: true; readonly scope: CredentialScope }
  | { readonly ok: false; readonly problem: CredentialProblem };

const YYYYMMDD = /^\d{8}$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export function parseCredential(text: string): CredentialParse {
  const parts = text.split('/');
  if (parts.length !== 5) return { ok: false, problem: { kind: 'parts', parts: parts.length } };
  const [accessKeyId = '', date = '', region = '', service = '', terminator = ''] = parts;
  if (accessKeyId.trim() === '') return { ok: false, problem: { kind: 'access-key', accessKeyId } };
  if (!YYYYMMDD.test(date) || parseAmzDate(`${date}T000000Z`) === undefined) {
    return { ok: false, problem: { kind: 'date', date } };
  }
  if (service !== 's3') return { ok: false, problem: { kind: 'service', service } };
  if (terminator !== 'aws4_request') return { ok: false, problem: { kind: 'terminator', terminator } };
  return { ok: true, scope: { accessKeyId, date, region, service, terminator } };
}

export function formatCredential(scope: Pick<CredentialScope, 'accessKeyId' | 'date' | 'region'>): string {
  return `${scope.accessKeyId}/${scope.date}/${scope.region}/s3/aws4_request`;
}

/** Parses `yyyymmddTHHMMSSZ`; undefined when the text is not a real UTC instant in that form. */
export function parseAmzDate(text: string): Date | undefined {
  const match = AMZ_DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number, number, number, number, number, number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 2015-13-45 over into 2016; a real date survives the round trip.
  if (formatAmzDate(date) !== text) return undefined;
  return date;
}

export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
