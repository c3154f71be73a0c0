// The switches for large files: which multipart contract the backend runs, and from what size a file
// goes by parts (the backend's DEMO_MULTIPART_THRESHOLD by default; lower it to see parts with a 20 MB
// file). Locked while files are in flight, like the backend's switches.
import { useId, useState } from 'react';
import { formatBytes } from '../format';
import {
  MIB,
  MULTIPART_CONTRACT_LABELS,
  MULTIPART_CONTRACT_NOTES,
  MULTIPART_CONTRACTS,
  isMultipartContract,
  type MultipartContract,
  type MultipartSelection,
} from './multipart-plan';

export interface MultipartControlsProps {
  readonly selection: MultipartSelection;
  /** The backend's threshold (GET /api/config), what the page starts with. */
  readonly defaultThreshold: number;
  /** The largest file the multipart endpoints accept. */
  readonly maxSize: number;
  /** The POST policy's limit: files under the threshold and over this are refused by the kit. */
  readonly postMaxSize: number;
  readonly locked: boolean;
  readonly onChange: (selection: MultipartSelection) => void;
}

/** Whole MiB from 1 up to the multipart limit. */
function readMiB(text: string, maxSize: number): number | undefined {
  const value = Number(text);
  return text.trim() !== '' && Number.isInteger(value) && value >= 1 && value * MIB <= maxSize ? value : undefined;
}

export function MultipartControls({ selection, defaultThreshold, maxSize, postMaxSize, locked, onChange }: MultipartControlsProps) {
  const id = useId();
  // What is typed, kept as typed: the threshold in force changes only when the text is a valid size.
  const [text, setText] = useState(() => String(Math.round(selection.threshold / MIB)));
  const invalid = readMiB(text, maxSize) === undefined;
  const off = selection.contract === 'off';
  const gap = !off && selection.threshold > postMaxSize + 1;

  return (
    <section className="controls card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Large files</h2>
      <div className="controls-row">
        <div className="field">
          <label htmlFor={`${id}-contract`}>Multipart contract</label>
          <select
            id={`${id}-contract`}
            value={selection.contract}
            disabled={locked}
            aria-describedby={`${id}-contract-note`}
            onChange={(event) => {
              const contract: MultipartContract | undefined = isMultipartContract(event.target.value) ? event.target.value : undefined;
              if (contract) onChange({ ...selection, contract });
            }}
          >
            {MULTIPART_CONTRACTS.map((contract) => (
              <option key={contract} value={contract}>
                {MULTIPART_CONTRACT_LABELS[contract]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-threshold`}>Multipart from (MiB)</label>
          <input
            id={`${id}-threshold`}
            type="number"
            inputMode="numeric"
            min={1}
            max={Math.floor(maxSize / MIB)}
            step={1}
            value={text}
            disabled={locked || off}
            aria-invalid={invalid || undefined}
            aria-describedby={`${id}-threshold-note`}
            onChange={(event) => {
              setText(event.target.value);
              const mib = readMiB(event.target.value, maxSize);
              if (mib !== undefined) onChange({ ...selection, threshold: mib * MIB });
            }}
          />
        </div>
      </div>
      <p id={`${id}-contract-note`} className="note">
        {MULTIPART_CONTRACT_NOTES[selection.contract]}
      </p>
      <p id={`${id}-threshold-note`} className={invalid ? 'note error' : 'note'}>
        {invalid
          ? `A whole number of MiB from 1 to ${Math.floor(maxSize / MIB)}; the uploaders keep ${formatBytes(selection.threshold)} until then.`
          : off
            ? `One POST takes files up to ${formatBytes(postMaxSize)}.`
            : `${selection.threshold === postMaxSize + 1 ? `Files over ${formatBytes(postMaxSize)}` : `Files of ${formatBytes(selection.threshold)} or more`} go by parts (8 MiB each, 4 at a time; pause, resume, resumed after a reload), up to ${formatBytes(maxSize)}. ${defaultThreshold === postMaxSize + 1 ? "The backend's default: every file over the POST limit." : `The backend's default is ${formatBytes(defaultThreshold)}.`}`}
        {gap ? ` Files between ${formatBytes(postMaxSize)} and the threshold are over the POST policy's limit: the kit refuses them before sending.` : ''}
      </p>
    </section>
  );
}
