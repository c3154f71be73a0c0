// What to upload and how: the backend shape, the mistake it should commit, the file.
import { useId } from 'react';
import { BACKEND_SHAPE_LABELS, BACKEND_SHAPES, type BackendShape } from '../backend-shapes';
import { MISTAKE_DESCRIPTIONS, MISTAKES, isMistake, type Mistake } from '../mistakes';

export interface ControlsProps {
  readonly shape: BackendShape;
  readonly mistake: Mistake | undefined;
  readonly busy: boolean;
  readonly canRetry: boolean;
  readonly onShapeChange: (shape: BackendShape) => void;
  readonly onMistakeChange: (mistake: Mistake | undefined) => void;
  readonly onFile: (file: File) => void;
  readonly onRetry: () => void;
  readonly onCancel: () => void;
}

export function Controls(props: ControlsProps) {
  const id = useId();
  return (
    <form className="controls" onSubmit={(event) => event.preventDefault()}>
      <div className="field">
        <label htmlFor={`${id}-shape`}>Backend</label>
        <select
          id={`${id}-shape`}
          value={props.shape}
          onChange={(event) => {
            const shape = BACKEND_SHAPES.find((candidate) => candidate === event.target.value);
            if (shape) props.onShapeChange(shape);
          }}
        >
          {BACKEND_SHAPES.map((shape) => (
            <option key={shape} value={shape}>
              {BACKEND_SHAPE_LABELS[shape]}
            </option>
          ))}
        </select>
      </div>

      <div className="field">
        <label htmlFor={`${id}-mistake`}>Backend mistake</label>
        <select
          id={`${id}-mistake`}
          value={props.mistake ?? 'none'}
          onChange={(event) => props.onMistakeChange(isMistake(event.target.value) ? event.target.value : undefined)}
        >
          <option value="none">none: a correct backend</option>
          {MISTAKES.map((mistake) => (
            <option key={mistake} value={mistake}>
              {mistake}
            </option>
          ))}
        </select>
        <p className="note">{props.mistake ? MISTAKE_DESCRIPTIONS[props.mistake] : 'The backend signs correctly.'}</p>
      </div>

      <div className="field">
        <label htmlFor={`${id}-file`}>File</label>
        <input
          id={`${id}-file`}
          type="file"
          disabled={props.busy}
          onChange={(event) => {
            const file = event.target.files?.[0];
            // Cleared so that choosing the same file again uploads it again.
            event.target.value = '';
            if (file) props.onFile(file);
          }}
        />
      </div>

      <div className="buttons">
        <button type="button" onClick={props.onRetry} disabled={props.busy || !props.canRetry}>
          Upload the same file again
        </button>
        <button type="button" onClick={props.onCancel} disabled={!props.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
