// What the store promises renders: each file's snapshot keeps its identity while another file changes
// (memoized rows skip rendering), and a burst of progress costs one commit per animation frame.
import { Profiler, memo } from 'react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Uploader, useS3Upload, type Upload } from '../../src/react/index';
import { REUSABLE_POLICY, file, holdS3Forever, useTestServer } from '../support/react-harness';
import { captureUploadProgress, controlFrames, nextTask } from '../support/react-progress';

useTestServer();


describe('renders', () => {
  it('a row whose file did not change does not render again when another file progresses', async () => {
    holdS3Forever();
    const frames = controlFrames();
    const progress = captureUploadProgress();
    const renders = new Map<string, number>();
    const Row = memo(function Row({ upload }: { readonly upload: Upload }) {
      renders.set(upload.file.name, (renders.get(upload.file.name) ?? 0) + 1);
      return <li>{`${upload.file.name} ${upload.status} ${upload.progress.percent}%`}</li>;
    });
    function List() {
      const { uploads, upload } = useS3Upload({ policy: REUSABLE_POLICY });
      return (
        <>
          <button type="button" onClick={() => void upload([file('a.png'), file('b.png')])}>
            Start
          </button>
          <ul>
            {uploads.map((item) => (
              <Row key={item.id} upload={item} />
            ))}
          </ul>
        </>
      );
    }
    render(<List />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(progress.count()).toBe(2));
    await screen.findByText('a.png uploading 0%');
    await screen.findByText('b.png uploading 0%');
    const before = new Map(renders);

    for (const loaded of [100, 300, 500]) {
      progress.emit(0, loaded, 1000);
      await nextTask();
    }
    act(() => frames.run());

    const moved = screen.queryByText('a.png uploading 50%') ? 'a.png' : 'b.png';
    const still = moved === 'a.png' ? 'b.png' : 'a.png';
    expect(screen.getByText(`${moved} uploading 50%`)).toBeTruthy();
    expect(screen.getByText(`${still} uploading 0%`)).toBeTruthy();
    expect(renders.get(moved)).toBe((before.get(moved) ?? 0) + 1);
    expect(renders.get(still)).toBe(before.get(still));
  });

  it('a burst of progress events costs one commit per animation frame', async () => {
    holdS3Forever();
    const frames = controlFrames();
    const progress = captureUploadProgress();
    let commits = 0;
    render(
      <Profiler id="uploader" onRender={() => (commits += 1)}>
        <Uploader policy={REUSABLE_POLICY} />
      </Profiler>,
    );
    fireEvent.drop(screen.getByRole('button', { name: 'Drop files here or choose files' }), {
      dataTransfer: { files: [file('cat.png', 'x'.repeat(1000))] },
    });
    await waitFor(() => expect(progress.count()).toBe(1));
    await screen.findByText(/^Uploading 0%/);
    await act(nextTask);
    commits = 0;

    // Each event in its own task, as the browser delivers them: without batching, each is a commit.
    for (let loaded = 20; loaded <= 1000; loaded += 20) {
      progress.emit(0, loaded, 1020);
      await nextTask();
    }
    expect(commits).toBe(0);
    expect(frames.pending()).toBe(1);
    act(() => frames.run());
    expect(commits).toBe(1);
    expect(screen.getByRole('progressbar', { name: 'cat.png upload progress' }).getAttribute('aria-valuenow')).toBe('98');

    progress.emit(0, 1010, 1020);
    progress.emit(0, 1015, 1020);
    await nextTask();
    act(() => frames.run());
    expect(commits).toBe(2);
    expect(screen.getByRole('progressbar', { name: 'cat.png upload progress' }).getAttribute('aria-valuenow')).toBe('99');
  });
});
