// The switches both uploaders share: how the backend answers, and which classic mistake it commits.
// Locked while files are in flight, so that every upload ran under the switches on screen.
import { useId } from 'react';
import { BACKEND_SHAPE_LABELS, BACKEND_SHAPES, type BackendShape } from '../backend-shapes';
import { MISTAKE_DESCRIPTIONS, MISTAKES, isMistake, type Mistake } from '../mistakes';

export interface ControlsProps {
  readonly shape: BackendShape;
  readonly mistake: Mistake | undefined;
  /** Files in flight in either uploader (useIsMutating); the switches wait for them. */
  readonly inFlight: number;
  readonly onShapeChange: (shape: BackendShape) => void;
  readonly onMistakeChange: (mistake: Mistake | undefined) => void;
}

export function Controls({ shape, mistake, inFlight, onShapeChange, onMistakeChange }: ControlsProps) {
  const id = useId();
  const locked = inFlight > 0;
  return (
    <section className="controls card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>The backend</h2>
      <div className="controls-row">
        <div className="field">
          <label htmlFor={`${id}-shape`}>Answer shape</label>
          <select
            id={`${id}-shape`}
            value={shape}
            disabled={locked}
            onChange={(event) => {
              const next = BACKEND_SHAPES.find((candidate) => candidate === event.target.value);
              if (next) onShapeChange(next);
            }}
          >
            {BACKEND_SHAPES.map((candidate) => (
              <option key={candidate} value={candidate}>
                {BACKEND_SHAPE_LABELS[candidate]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-mistake`}>Backend mistake</label>
          <select
            id={`${id}-mistake`}
            value={mistake ?? 'none'}
            disabled={locked}
            aria-describedby={`${id}-mistake-note`}
            onChange={(event) => onMistakeChange(isMistake(event.target.value) ? event.target.value : undefined)}
          >
            <option value="none">none: a correct backend</option>
            {MISTAKES.map((candidate) => (
              <option key={candidate} value={candidate}>
                {candidate}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p id={`${id}-mistake-note`} className="note">
        {mistake ? MISTAKE_DESCRIPTIONS[mistake] : 'The backend signs correctly.'}
      </p>
      {/* Always in the document: a live region announces changes, not its own arrival. */}
      <p className="note locked" role="status">
        {locked
          ? `${inFlight} ${inFlight === 1 ? 'upload is' : 'uploads are'} in flight; the switches unlock when ${inFlight === 1 ? 'it settles' : 'they settle'}.`
          : ''}
      </p>
    </section>
  );
}
