// A multipart upload sends the object's metadata as x-amz-meta-* request headers (a POST upload sends
// it as form fields, where any UTF-8 is fine). Header names are tokens and values printable ASCII: a
// browser throws on anything else in setRequestHeader, and a backend's SDK on Node does the same. So
// the metadata is checked before anything is sent, and what cannot travel is named with the fix.

import { MultipartError } from '../errors/MultipartError';

// https://www.rfc-editor.org/rfc/rfc9110#name-tokens
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Visible ASCII, space and tab (https://www.rfc-editor.org/rfc/rfc9110#name-field-values, ASCII only).
const VALUE = /^[\t\x20-\x7e]*$/;

const HINT =
  'Encode such values before passing them, e.g. encodeURIComponent(value), and decode them when reading the object; ' +
  'header names are letters, digits and !#$%&\'*+-.^_`|~ only. (Files sent by one POST carry UTF-8 metadata as it is.)';

export function checkHeaderMetadata(metadata: Readonly<Record<string, string>> | undefined): void {
  for (const [name, value] of Object.entries(metadata ?? {})) {
    if (!TOKEN.test(name)) {
      throw new MultipartError(
        'bad-metadata',
        `Metadata name ${JSON.stringify(name)} cannot be a header name (x-amz-meta-${name}), which is how a multipart upload sends it. Nothing was sent.`,
        HINT,
      );
    }
    if (!VALUE.test(value)) {
      throw new MultipartError(
        'bad-metadata',
        `Metadata ${JSON.stringify(name)} is ${JSON.stringify(value)}: a multipart upload sends it as the header x-amz-meta-${name.toLowerCase()}, which carries printable ASCII only. Nothing was sent.`,
        HINT,
      );
    }
  }
}
