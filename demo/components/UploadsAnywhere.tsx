// Section 3: a component that knows nothing of either uploader. Every file is a TanStack mutation under
// uploadMutationKey, so anything under the QueryClientProvider can count them (useIsMutating) or list
// them (useMutationState): a header badge, a "leave the page?" guard, a tab title.
import { useId } from 'react';
import { useIsMutating, useMutationState, type Mutation } from '@tanstack/react-query';
import { UploadAbortedError } from 's3-direct-upload';
import { uploadMutationKey } from 's3-direct-upload/react';

type Phase = 'in flight' | 'stored' | 'failed' | 'canceled';

interface Seen {
  readonly name: string;
  readonly phase: Phase;
}

/** How many of the most recent uploads are listed. */
const LISTED = 6;

export function UploadsAnywhere() {
  const id = useId();
  const inFlight = useIsMutating({ mutationKey: uploadMutationKey });
  const seen = useMutationState({ filters: { mutationKey: uploadMutationKey }, select: describe });
  const recent = seen.slice(-LISTED).reverse();
  const count = (phase: Phase) => seen.filter((item) => item.phase === phase).length;

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="anywhere">
      <h2 id={`${id}-title`}>Uploads anywhere in the app</h2>
      <p className="note">
        This box reads TanStack Query's mutation cache (<code>useIsMutating</code>, <code>useMutationState</code> with{' '}
        <code>uploadMutationKey</code>); it is not inside either uploader.
      </p>
      <p className="in-flight" data-testid="in-flight">
        <span className="big-number">{inFlight}</span> {inFlight === 1 ? 'upload' : 'uploads'} in flight
      </p>
      <p className="note">
        In the cache: {count('stored')} stored · {count('failed')} failed · {count('canceled')} canceled
      </p>
      {recent.length > 0 ? (
        <ul className="recent" aria-label="Recent uploads, newest first">
          {recent.map((item, index) => (
            <li key={index}>
              <span className={`tag ${item.phase.replace(' ', '-')}`}>{item.phase}</span> <span className="file-name">{item.name}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function describe(mutation: Mutation<unknown, Error, unknown, unknown>): Seen {
  const { status, variables, error } = mutation.state;
  const name = fileName(variables);
  if (status === 'success') return { name, phase: 'stored' };
  // A canceled upload is a mutation that failed with UploadAbortedError.
  if (status === 'error') return { name, phase: error instanceof UploadAbortedError ? 'canceled' : 'failed' };
  return { name, phase: 'in flight' };
}

/** The mutation's variables are the kit's UploadVariables, { id, file }; checked rather than cast. */
function fileName(variables: unknown): string {
  if (typeof variables === 'object' && variables !== null && 'file' in variables && variables.file instanceof File) {
    return variables.file.name;
  }
  return '(unknown file)';
}
