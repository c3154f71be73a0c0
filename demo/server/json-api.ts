// JSON in and out for the demo backend's /api endpoints. Every failure is JSON { error } with a status
// that says whose fault it is, because the kit shows the backend's answer to the developer.

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

// The kit's requests are a few hundred bytes; a policy document a few kilobytes.
const MAX_BODY_BYTES = 64 * 1024;

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    // Signed policies are per request and short-lived: never cached.
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

export function errorResponse(status: number, message: string): Response {
  return jsonResponse(status, { error: message });
}

/** The request's JSON body; ApiError 400 for anything that is not JSON, 413 past the size limit. */
export async function readJsonBody(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const text = await request.text();
  if (new TextEncoder().encode(text).length > MAX_BODY_BYTES) throw tooLarge();
  if (text.trim() === '') throw new ApiError(400, `${request.method} ${new URL(request.url).pathname} needs a JSON body; it was empty.`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, `The request body is not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
}

function tooLarge(): ApiError {
  return new ApiError(413, `The request body is larger than ${MAX_BODY_BYTES} bytes; the endpoint expects a small JSON object.`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
