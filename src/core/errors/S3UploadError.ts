// The base of every error the kit throws. A user can act on each: `message` says what happened and what
// was expected, `hint` says how to fix it, `code` is stable for programs to branch on.

const BRAND = Symbol.for('s3-direct-upload.error');

export abstract class S3UploadError extends Error {
  abstract override readonly name: string;
  readonly code: string;
  readonly hint: string;

  constructor(code: string, message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.hint = hint;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * True for any error this kit threw, even one from another realm (an iframe, a second copy of the
 * package) where `instanceof` fails.
 */
export function isS3UploadError(value: unknown): value is S3UploadError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
