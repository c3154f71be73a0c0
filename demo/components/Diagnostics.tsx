// What the kit is about to send, or sent: the form fields in order and the policy the backend signed,
// decoded. The same view a developer needs when S3 says no.
import { PolicyViolationError, type PreparedUpload } from 's3-direct-upload';
import type { UploadState } from '../run-upload';
import { Facts, FOLD_AT } from './Facts';

export function Diagnostics({ state }: { readonly state: UploadState }) {
  if (state.status === 'idle') return null;
  const prepared = state.status === 'signing' ? undefined : state.prepared;
  const failedPolicy = state.status === 'failed' && state.error instanceof PolicyViolationError ? state.error.policy : undefined;
  if (!prepared && failedPolicy === undefined) return null;
  return (
    <section className="diagnostics" aria-label="Diagnostics">
      <h2>Diagnostics</h2>
      {prepared ? <PreparedForm prepared={prepared} /> : <p className="note">The kit refused the policy before building the form.</p>}
      <h3>Decoded policy</h3>
      <pre className="policy">{formatPolicy(prepared?.policy.text ?? failedPolicy ?? '')}</pre>
    </section>
  );
}

function PreparedForm({ prepared }: { readonly prepared: PreparedUpload }) {
  return (
    <>
      <Facts
        rows={[
          ['Answer shape', prepared.shape],
          ['POST to', prepared.url],
          ['Key after ${filename}', prepared.key],
          ['Policy expires', prepared.policy.expiration.toISOString()],
        ]}
      />
      <h3>Form fields, in the order sent</h3>
      <ol className="fields">
        {prepared.fields.map(([name, value], index) => (
          <li key={`${index}-${name}`}>
            <span className="field-name">{name}</span>
            {value.length > FOLD_AT ? (
              <details>
                <summary>{value.length} characters{name === 'Policy' ? ': base64 of the decoded policy below' : ''}</summary>
                <code className="field-value">{value}</code>
              </details>
            ) : (
              <code className="field-value">{value}</code>
            )}
          </li>
        ))}
        <li>
          <span className="field-name">file</span>
          <code className="field-value">
            {prepared.filename} ({prepared.file.size} bytes{prepared.file.type ? `, ${prepared.file.type}` : ''}), last: S3 ignores fields after it
          </code>
        </li>
      </ol>
    </>
  );
}

/** The policy JSON with one condition per line, as the S3 docs print policies. */
function formatPolicy(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return text;
  const lines = Object.entries(parsed).map(([name, value]) => {
    if (name === 'conditions' && Array.isArray(value)) {
      const conditions = value.map((condition: unknown) => `    ${inline(condition)}`);
      return `  "conditions": [\n${conditions.join(',\n')}\n  ]`;
    }
    return `  ${JSON.stringify(name)}: ${JSON.stringify(value)}`;
  });
  return `{\n${lines.join(',\n')}\n}`;
}

/** One line, with a space after each comma and colon: ["starts-with", "$key", "uploads/"]. */
function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item: unknown) => JSON.stringify(item)).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).map(([name, item]) => `${JSON.stringify(name)}: ${JSON.stringify(item)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}
