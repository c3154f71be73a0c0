// The demo page: pick how the backend answers (and what it gets wrong), pick a file, watch the kit
// sign, check, upload and explain. Built on the framework-free core only.
import { useEffect, useRef, useState } from 'react';
import { fetchConfig, type PublicConfig } from './api';
import { planFor, type BackendShape } from './backend-shapes';
import type { Mistake } from './mistakes';
import { runUpload, type UploadState } from './run-upload';
import { Controls } from './components/Controls';
import { Diagnostics } from './components/Diagnostics';
import { Outcome } from './components/Outcome';
import { ProgressBar, formatBytes } from './components/ProgressBar';

type ConfigState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly config: PublicConfig }
  | { readonly status: 'failed'; readonly message: string };

export function App() {
  const [configState, setConfigState] = useState<ConfigState>({ status: 'loading' });
  const [shape, setShape] = useState<BackendShape>('aws-sdk');
  const [mistake, setMistake] = useState<Mistake | undefined>(undefined);
  const [upload, setUpload] = useState<UploadState>({ status: 'idle' });
  // The upload in flight owns this controller; a newer upload or Cancel aborts it.
  const current = useRef<AbortController | undefined>(undefined);

  useEffect(() => {
    const controller = new AbortController();
    fetchConfig(controller.signal).then(
      (config) => setConfigState({ status: 'ready', config }),
      (error: unknown) => {
        if (!controller.signal.aborted) setConfigState({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => controller.abort();
  }, []);
  useEffect(() => () => current.current?.abort(), []);

  const busy = upload.status === 'signing' || upload.status === 'uploading';

  function start(file: File): void {
    if (configState.status !== 'ready') return;
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    void runUpload(file, planFor(shape, mistake, configState.config), {
      signal: controller.signal,
      // States of an upload that was replaced are stale.
      onState: (state) => {
        if (current.current === controller) setUpload(state);
      },
    });
  }

  return (
    <main className="page">
      <header>
        <h1>s3-direct-upload</h1>
        <p className="lede">
          Browser to S3 with a SigV4 POST policy. Pick how the backend signs, and a mistake for it to make; the kit checks the answer
          before sending a byte, and explains what S3 says when only S3 can tell.
        </p>
        <ConfigLine state={configState} />
      </header>

      <div className="columns">
        <div className="column">
          <Controls
            shape={shape}
            mistake={mistake}
            busy={busy || configState.status !== 'ready'}
            canRetry={upload.status !== 'idle'}
            onShapeChange={setShape}
            onMistakeChange={setMistake}
            onFile={start}
            onRetry={() => {
              if (upload.status !== 'idle') start(upload.file);
            }}
            onCancel={() => current.current?.abort()}
          />
          <ProgressBar state={upload} />
          <Outcome state={upload} />
        </div>
        <div className="column">
          <Diagnostics state={upload} />
        </div>
      </div>
    </main>
  );
}

function ConfigLine({ state }: { readonly state: ConfigState }) {
  if (state.status === 'loading') return <p className="config">Asking the backend for its configuration…</p>;
  if (state.status === 'failed') return <p className="config error" role="alert">{state.message}</p>;
  const { config } = state;
  return (
    <p className="config">
      {config.mode === 'embedded' ? 'Embedded S3 emulator' : 'Real S3'} · bucket <code>{config.bucket}</code> in{' '}
      <code>{config.region}</code> at <code>{config.endpoint}</code> · up to {formatBytes(config.maxSize)} per file
    </p>
  );
}
