// What went over the wire for the latest upload of either uploader, and what came back: the kit's
// error (message, hint, code, S3's evidence) or what S3 stored, the form fields in the order sent, and
// the policy the backend signed, decoded. The same view a developer needs when S3 says no.
import { useId } from 'react';
import { useQuery } from '@tanstack/react-query';
import { prepareUpload, type PreparedUpload } from 's3-direct-upload';
import { formatPolicy } from '../format-policy';
import { formEvidence, type LatestUpload } from '../latest-upload';
import { Facts, FOLD_AT } from './Facts';
import { KitError, Warnings } from './KitError';

export interface DiagnosticsProps {
  readonly latest: LatestUpload | undefined;
  /** The latest file went by multipart upload: there is no POST form to show. */
  readonly byParts: boolean;
}

export function Diagnostics({ latest, byParts }: DiagnosticsProps) {
  const id = useId();
  return (
    <section className="diagnostics card" aria-labelledby={`${id}-title`} data-testid="diagnostics">
      <h2 id={`${id}-title`}>Diagnostics</h2>
      {latest ? (
        <Latest latest={latest} byParts={byParts} />
      ) : (
        <p className="note">
          Upload a file with either uploader. This panel then explains the latest one: the kit's error with its hint and S3's
          evidence, the form fields in the order sent, and the policy the backend signed, decoded.
        </p>
      )}
    </section>
  );
}

function Latest({ latest, byParts }: { readonly latest: LatestUpload; readonly byParts: boolean }) {
  const { file, via, selection } = latest;
  const evidence = byParts ? undefined : formEvidence(latest);
  return (
    <>
      <p className="latest-line">
        <span className={`tag ${latest.status}`}>{latest.status === 'success' ? 'Stored' : 'Failed'}</span>{' '}
        <strong className="file-name">{file.name}</strong> from the {via} · backend <code>{selection.shape}</code>
        {selection.mistake ? (
          <>
            {' '}
            with the mistake <code>{selection.mistake}</code>
          </>
        ) : (
          ', no mistake'
        )}
      </p>

      {latest.status === 'error' ? (
        <>
          <h3>Last error</h3>
          <KitError error={latest.error} />
        </>
      ) : (
        <>
          <h3>Stored in S3</h3>
          <Facts
            rows={[
              ['Key', latest.result.key],
              ['ETag', latest.result.etag ?? "(not readable: the bucket's CORS rule does not expose it)"],
              ['Location', latest.result.location],
              ['S3 status', String(latest.result.status)],
            ]}
          />
          <Warnings warnings={latest.result.warnings} />
        </>
      )}

      {byParts ? (
        <>
          <h3>Form fields</h3>
          <p className="note">
            None: this file went by multipart upload (one PUT per part, under the multipart contract chosen above), not by a POST
            form. The kit kept the upload in this browser's localStorage until S3 completed it, so a reload would have resumed it.
          </p>
        </>
      ) : null}
      {evidence?.kind === 'rebuild' ? <RebuiltForm latest={latest} /> : null}
      {evidence?.kind === 'refused-form' ? (
        <>
          <h3>Form fields</h3>
          <p className="note">None were sent: the kit checked the form against the signed policy, as S3 would, and refused it.</p>
          <DecodedPolicy text={evidence.policy} />
        </>
      ) : null}
      {evidence?.kind === 'none' ? (
        <>
          <h3>Form fields</h3>
          <p className="note">None were sent: the kit refused the backend's answer before building a form.</p>
        </>
      ) : null}
    </>
  );
}

/**
 * The form, built again. The React layer sends its form and keeps it to itself, so the panel asks the
 * backend once more for the same file under the same switches (prepareUpload, the kit's "signing"
 * phase), which sends nothing to S3. Of all the ways to show the form this is the honest one for every
 * backend shape, sign-my-policy included: the kit builds it, not the page. The date, the signature and
 * the key's random folder are new; which fields there are, their order and the policy's conditions are
 * what the kit sent, because the same answer shape goes through the same code.
 */
function RebuiltForm({ latest }: { readonly latest: LatestUpload }) {
  const { plan, file } = latest;
  const form = useQuery({
    queryKey: ['s3-direct-upload-demo', 'diagnostics-form', latest.seq],
    queryFn: ({ signal }) => prepareUpload(file, { policy: plan.policy, ...(plan.key !== undefined ? { key: plan.key } : {}), signal }),
    staleTime: Infinity,
    retry: false,
  });
  return (
    <>
      <h3>Form fields, in the order sent</h3>
      <p className="note">
        Asked again for this panel: the kit keeps the form it sent to itself. The date, signature and random folder are new; the
        fields, their order and the policy are the same.
      </p>
      {form.status === 'pending' ? <p className="note">Asking the backend…</p> : null}
      {form.status === 'error' ? <p className="note">Asking again failed: {form.error.message}</p> : null}
      {form.status === 'success' ? (
        <>
          <PreparedForm prepared={form.data} />
          <DecodedPolicy text={form.data.policy.text} />
        </>
      ) : null}
    </>
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
      <ol className="fields" aria-label="Form fields, in the order sent">
        {prepared.fields.map(([name, value], index) => (
          <li key={`${index}-${name}`}>
            <span className="field-name">{name}</span>
            {value.length > FOLD_AT ? (
              <details>
                <summary>
                  {value.length} characters{name.toLowerCase() === 'policy' ? ': base64 of the decoded policy below' : ''}
                </summary>
                <code className="field-value">{value}</code>
              </details>
            ) : (
              <code className="field-value">{value}</code>
            )}
          </li>
        ))}
        <li>
          <span className="field-name">file</span>
          <span className="field-value">
            {prepared.filename} ({prepared.file.size} bytes{prepared.file.type ? `, ${prepared.file.type}` : ''}), last: S3 ignores
            fields after it
          </span>
        </li>
      </ol>
    </>
  );
}

function DecodedPolicy({ text }: { readonly text: string }) {
  return (
    <>
      <h3>Decoded policy</h3>
      <pre className="policy">{formatPolicy(text)}</pre>
    </>
  );
}
