// S3 answers a POST with small, flat XML documents: <Error> on failure, <PostResponse> for
// success_action_status=201. Both are a root element whose children hold text only:
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#RESTErrorResponses
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html (Response Elements)
// The browser has DOMParser; Node (where the core also runs: the emulator, a backend checking answers)
// does not, so a small reader for exactly this flat shape stands in for it.

export interface FlatXml {
  /** The root element's local name, e.g. `Error`. */
  readonly root: string;
  /** The text of each child element of the root, by local name; the first one wins on repeats. */
  readonly elements: Readonly<Record<string, string>>;
}

/** Reads a flat XML document; undefined when the text is not well-formed XML (an HTML page, JSON, ...). */
export function parseFlatXml(text: string): FlatXml | undefined {
  // A BOM or a line break before `<?xml` is not well-formed, but proxies add them; S3's meaning survives.
  // CDATA becomes the same text escaped: no parser below then needs CDATA support (happy-dom has
  // none), and a `<` inside it cannot be taken for markup.
  const normalized = text
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/<!\[CDATA\[([^]*?)\]\]>/g, (_, data: string) => escapeXml(data));
  if (!normalized.startsWith('<')) return undefined;
  return typeof DOMParser === 'function' ? parseWithDom(normalized) : parseWithoutDom(normalized);
}

function parseWithDom(text: string): FlatXml | undefined {
  const document = new DOMParser().parseFromString(text, 'application/xml');
  // Browsers report a malformed document as a <parsererror> element instead of throwing.
  if (document.getElementsByTagName('parsererror').length > 0) return undefined;
  const root = document.documentElement;
  if (!root) return undefined;
  const elements = new Map<string, string>();
  for (const child of Array.from(root.children)) {
    if (!elements.has(child.localName)) elements.set(child.localName, child.textContent ?? '');
  }
  return { root: root.localName, elements: Object.fromEntries(elements) };
}

const NAME = '[A-Za-z_][\\w.:-]*';
const ROOT = new RegExp(`^<(${NAME})(?:\\s[^>]*)?(?:/>|>([\\s\\S]*)</\\1\\s*>)$`);
const CHILD = new RegExp(`<(${NAME})(?:\\s[^<>]*?)?(?:/>|>([^]*?)</\\1\\s*>)`, 'y');

function parseWithoutDom(text: string): FlatXml | undefined {
  const body = text
    .replace(/^<\?xml[^]*?\?>/, '')
    .replace(/<!--[^]*?-->/g, '')
    .trim();
  const root = ROOT.exec(body);
  if (!root) return undefined;
  const content = root[2] ?? '';
  const elements = new Map<string, string>();
  let index = 0;
  while (index < content.length) {
    const next = content.indexOf('<', index);
    if (next === -1) break;
    CHILD.lastIndex = next;
    const child = CHILD.exec(content);
    // A `<` that opens no complete element means the document is cut off or is not XML.
    if (!child) return undefined;
    const name = localName(child[1] ?? '');
    const inner = child[2] ?? '';
    if (!elements.has(name)) elements.set(name, decodeEntities(inner.replace(/<[^>]*>/g, '')));
    index = CHILD.lastIndex;
  }
  return { root: localName(root[1] ?? ''), elements: Object.fromEntries(elements) };
}

function localName(qualified: string): string {
  return qualified.slice(qualified.indexOf(':') + 1);
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the five predefined XML entities and character references in one pass (so `&amp;lt;` stays `&lt;`). */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (entity: string, body: string) => {
    if (body.startsWith('#')) {
      const codePoint = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity;
    }
    return NAMED_ENTITIES[body] ?? entity;
  });
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
