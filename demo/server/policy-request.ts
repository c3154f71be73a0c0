// The kit's request to a policy endpoint, parsed once: { filename, contentType, size, key?, metadata? }.
// The backend decides the key itself (under uploads/<random>/), so a requested key is read and ignored:
// a browser must not choose where in the bucket it writes.

import { ApiError, isRecord } from './json-api';

export interface PolicyRequestBody {
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  /** Names lowercased, without the x-amz-meta- prefix. */
  readonly metadata: Readonly<Record<string, string>>;
}

const METADATA_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const MAX_METADATA_ENTRIES = 10;

export function parsePolicyRequest(json: unknown): PolicyRequestBody {
  if (!isRecord(json)) throw invalid('the body must be a JSON object');
  const { filename, contentType, size, metadata } = json;
  if (typeof filename !== 'string' || filename === '') throw invalid('"filename" must be a non-empty string');
  if (typeof contentType !== 'string') throw invalid('"contentType" must be a string (empty when the browser does not know the type)');
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw invalid('"size" must be a whole number of bytes');
  return { filename, contentType, size, metadata: parseMetadata(metadata) };
}

function parseMetadata(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw invalid('"metadata" must be an object of strings');
  const entries = Object.entries(value);
  if (entries.length > MAX_METADATA_ENTRIES) throw invalid(`"metadata" may have at most ${MAX_METADATA_ENTRIES} entries`);
  const metadata: Record<string, string> = {};
  for (const [rawName, text] of entries) {
    const name = rawName.toLowerCase().replace(/^x-amz-meta-/, '');
    if (!METADATA_NAME.test(name)) throw invalid(`metadata name ${JSON.stringify(rawName)} must be letters, digits and dashes`);
    if (typeof text !== 'string') throw invalid(`metadata ${JSON.stringify(rawName)} must be a string`);
    metadata[name] = text;
  }
  return metadata;
}

function invalid(what: string): ApiError {
  return new ApiError(400, `Invalid policy request: ${what}. The kit sends { filename, contentType, size, key?, metadata? }.`);
}
