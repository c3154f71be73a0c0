// A POST Object body, read the way S3 reads it.
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
// - The body must be multipart/form-data; anything else is 412 PreconditionFailed with a Condition
//   element, a body that does not parse is 400 MalformedPOSTRequest (both as captured from S3).
// - Field names are case-insensitive ("The post parameters are case insensitive", sigv4-post-example).
// - `file` must be the last field: "Any fields below it are ignored" (HTTPPOSTForms, SigV2 page).
// - Repeated fields count as one whose values are joined by commas ("If you have multiple fields with
//   the same name, the values must be separated by commas", HTTPPOSTForms, policy construction).
// - The fields before the file may not exceed 20 KB (MaxPostPreDataLengthExceeded, as captured).

import { s3Failure, type S3Failure } from './s3-failure';
import { boundaryOf, parseMultipart, type MultipartPart } from './multipart-parser';

export interface PostedFile {
  readonly bytes: Uint8Array;
  /**
   * The part's filename with any directory stripped ("only the text following the last slash (/) or
   * backslash (\) is used"); undefined when the part had no filename parameter.
   */
  readonly filename: string | undefined;
}

export interface PostForm {
  /** The fields before `file`, names as sent, in order, repeats merged into the first. */
  readonly fields: ReadonlyArray<readonly [name: string, value: string]>;
  readonly file: PostedFile | undefined;
  /** A field's value by case-insensitive name. */
  get(name: string): string | undefined;
  has(name: string): boolean;
}

// "The form data and boundaries (excluding the contents of the file) cannot exceed 20KB."
const MAX_PRE_DATA_BYTES = 20480;

export async function readPostForm(request: Request): Promise<PostForm | S3Failure> {
  const contentType = request.headers.get('content-type') ?? '';
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'multipart/form-data') {
    return s3Failure(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', [
      ['Condition', 'Bucket POST must be of the enclosure-type multipart/form-data'],
    ]);
  }
  const boundary = boundaryOf(contentType);
  const body = new Uint8Array(await request.arrayBuffer());
  const parts = boundary === undefined ? undefined : parseMultipart(body, boundary);
  if (!parts) {
    return s3Failure(400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.');
  }

  const fileIndex = parts.findIndex((part) => part.name.toLowerCase() === 'file');
  const filePart = parts[fileIndex];
  const before = fileIndex === -1 ? parts : parts.slice(0, fileIndex);
  const preData = filePart ? filePart.offset : body.length;
  if (preData > MAX_PRE_DATA_BYTES) {
    return s3Failure(400, 'MaxPostPreDataLengthExceeded', 'Your POST request fields preceeding the upload file was too large.', [
      ['MaxPostPreDataLengthBytes', String(MAX_PRE_DATA_BYTES)],
    ]);
  }

  const fields = mergeRepeats(before);
  const lookup = new Map(fields.map(([name, value]) => [name.toLowerCase(), value]));
  const get = (name: string): string | undefined => lookup.get(name.toLowerCase());
  return { fields, file: filePart && postedFile(filePart), get, has: (name) => lookup.has(name.toLowerCase()) };
}

// A part with a filename under another name is still a field to S3: its content is the value.
function mergeRepeats(parts: readonly MultipartPart[]): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  const positions = new Map<string, number>();
  const decoder = new TextDecoder();
  for (const part of parts) {
    const value = decoder.decode(part.body);
    const lower = part.name.toLowerCase();
    const position = positions.get(lower);
    const earlier = position === undefined ? undefined : fields[position];
    if (earlier) {
      earlier[1] = `${earlier[1]},${value}`;
    } else {
      positions.set(lower, fields.length);
      fields.push([part.name, value]);
    }
  }
  return fields;
}

function postedFile(part: MultipartPart): PostedFile {
  const name = part.filename;
  const filename = name === undefined ? undefined : name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  return { bytes: part.body.slice(), filename };
}
