// Name/value pairs, values as code. Values are text: React escapes them, whatever S3 or a backend sent.
// Long values (a policy, S3's StringToSignBytes) fold away so the short facts stay readable.

export const FOLD_AT = 240;

export function Facts({ rows }: { readonly rows: ReadonlyArray<readonly [name: string, value: string]> }) {
  return (
    <dl className="facts">
      {rows.map(([name, value], index) => (
        <div key={`${index}-${name}`} className="row">
          <dt>{name}</dt>
          <dd>
            {value.length > FOLD_AT ? (
              <details>
                <summary>{value.length} characters</summary>
                <code>{value}</code>
              </details>
            ) : (
              <code>{value}</code>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
