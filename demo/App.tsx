// The demo page: switches that set how the backend answers (and the classic mistake it commits) and how
// it takes large files (a multipart contract, from a size), two uploaders under them (the drop-in <Uploader> and a UI of the page's own on useS3Upload), a box that
// sees every upload from elsewhere in the tree, and a panel that explains the latest upload.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useIsMutating } from '@tanstack/react-query';
import { uploadMutationKey, type UploadOutcome } from 's3-direct-upload/react';
import { fetchConfig, type DemoConfig } from './api';
import { planFor, type BackendShape } from './backend-shapes';
import { formatBytes } from './format';
import { latestFrom, type LatestUpload, type Selection, type UploaderName } from './latest-upload';
import type { Mistake } from './mistakes';
import { fileRulesFor } from './upload-rules';
import { Controls } from './components/Controls';
import { MultipartControls } from './components/MultipartControls';
import { largeFilePlan, type MultipartSelection } from './components/multipart-plan';
import { CustomUploader } from './components/CustomUploader';
import { Diagnostics } from './components/Diagnostics';
import { DropInSection } from './components/DropInSection';
import { UploadsAnywhere } from './components/UploadsAnywhere';

type ConfigState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly config: DemoConfig }
  | { readonly status: 'failed'; readonly message: string };

export function App() {
  const [configState, setConfigState] = useState<ConfigState>({ status: 'loading' });
  const [shape, setShape] = useState<BackendShape>('aws-sdk');
  const [mistake, setMistake] = useState<Mistake | undefined>(undefined);
  // Undefined until the configuration says the backend's threshold.
  const [multipart, setMultipart] = useState<MultipartSelection | undefined>(undefined);
  const [latest, setLatest] = useState<LatestUpload | undefined>(undefined);
  /** How the latest file went: the diagnostics panel rebuilds a POST form only for a file sent by one. */
  const [latestByParts, setLatestByParts] = useState(false);
  const inFlight = useIsMutating({ mutationKey: uploadMutationKey });

  useEffect(() => {
    const controller = new AbortController();
    fetchConfig(controller.signal).then(
      (config) => {
        setConfigState({ status: 'ready', config });
        setMultipart({ contract: 'presigned', threshold: config.multipartThreshold });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setConfigState({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => controller.abort();
  }, []);

  const config = configState.status === 'ready' ? configState.config : undefined;
  // One PolicySource per selection, the same object for both uploaders: the React layer shares a policy
  // request (and reuses its answer for the next files) only for a source it has seen before.
  const plan = useMemo(() => (config ? planFor(shape, mistake, config) : undefined), [shape, mistake, config]);
  const large = useMemo(() => (config && plan && multipart ? largeFilePlan(multipart, plan, config) : undefined), [config, plan, multipart]);
  // The size limit is the multipart one when large files go by parts, else the POST policy's.
  const rules = useMemo(() => (config && large ? { ...fileRulesFor(config), maxSize: large.maxSize } : undefined), [config, large]);

  // The switches are locked while files are in flight (Controls), so the selection when a file settles
  // is the one it ran under. The uploaders call the onSettled of their last render.
  const settled = useCallback(
    (via: UploaderName, outcome: UploadOutcome) => {
      if (!plan) return;
      const selection: Selection = { shape, mistake };
      if (outcome.status === 'canceled') return; // nothing to explain; the panel keeps the one before
      setLatest((previous) => latestFrom(outcome, { seq: (previous?.seq ?? 0) + 1, via, selection, plan }) ?? previous);
      setLatestByParts(multipart !== undefined && multipart.contract !== 'off' && outcome.file.size >= multipart.threshold);
    },
    [plan, shape, mistake, multipart],
  );
  const onDropInSettled = useCallback((outcome: UploadOutcome) => settled('Drop-in <Uploader>', outcome), [settled]);
  const onCustomSettled = useCallback((outcome: UploadOutcome) => settled('Custom UI', outcome), [settled]);

  return (
    <div className="page">
      <header className="masthead">
        <h1>s3-direct-upload</h1>
        <p className="lede">
          Browser to S3 with a SigV4 POST policy. Choose how the backend signs and a mistake for it to make, then upload with
          either uploader: the kit checks the backend's answer before sending a byte, and explains what S3 says when only S3
          can tell. Large files go by multipart upload through the contract you choose, with pause, resume, and resume after a
          reload.
        </p>
        <ConfigLine state={configState} />
      </header>

      <Controls shape={shape} mistake={mistake} inFlight={inFlight} onShapeChange={setShape} onMistakeChange={setMistake} />
      {config && multipart ? (
        <MultipartControls
          selection={multipart}
          defaultThreshold={config.multipartThreshold}
          maxSize={config.multipartMaxSize}
          postMaxSize={config.maxSize}
          locked={inFlight > 0}
          onChange={setMultipart}
        />
      ) : null}

      {plan && rules && large ? (
        <main className="columns">
          <div className="column">
            <DropInSection plan={plan} large={large.options} rules={rules} onSettled={onDropInSettled} />
            <CustomUploader plan={plan} large={large.options} rules={rules} onSettled={onCustomSettled} />
            <UploadsAnywhere />
          </div>
          <div className="column">
            <Diagnostics latest={latest} byParts={latestByParts} />
          </div>
        </main>
      ) : null}
    </div>
  );
}

function ConfigLine({ state }: { readonly state: ConfigState }) {
  if (state.status === 'loading') return <p className="config">Asking the backend for its configuration…</p>;
  if (state.status === 'failed') return <p className="config error" role="alert">{state.message}</p>;
  const { config } = state;
  return (
    <p className="config">
      {config.mode === 'embedded' ? 'Embedded S3 emulator' : 'Real S3'} · bucket <code>{config.bucket}</code> in{' '}
      <code>{config.region}</code> at <code>{config.endpoint}</code> · up to {formatBytes(config.maxSize)} per POST, multipart
      from {formatBytes(config.multipartThreshold)} up to {formatBytes(config.multipartMaxSize)}
    </p>
  );
}
