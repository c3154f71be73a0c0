// useDropZone's contract with an app: prop getters composed as react-dropzone composes them, drag state,
// drop (folders too), paste, dialog, and rejections as data.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useDropZone, type DropZoneRootProps, type FileRejection, type UseDropZoneOptions } from '../../src/react/index';
import { eventually } from '../support/eventually';

afterEach(cleanup);

function file(name: string, content = `bytes of ${name}`, type = 'image/png'): File {
  return new File([content], name, { type });
}

function Zone({ rootProps, ...options }: UseDropZoneOptions & { readonly rootProps?: DropZoneRootProps }) {
  const zone = useDropZone(options);
  const drag = zone.isDragReject ? 'reject' : zone.isDragAccept ? 'accept' : zone.isDragActive ? 'active' : 'idle';
  return (
    <div {...zone.getRootProps({ 'aria-label': 'Drop zone', ...rootProps })}>
      <input {...zone.getInputProps({ 'aria-label': 'Files' })} />
      <span data-testid="drag">{drag}</span>
      <ul aria-label="Rejected">
        {zone.fileRejections.map((rejection) => (
          <li key={rejection.file.name}>{rejection.errors.map((error) => `${error.code}: ${error.message}`).join(' ')}</li>
        ))}
      </ul>
    </div>
  );
}

function setup(options: UseDropZoneOptions & { readonly rootProps?: DropZoneRootProps } = {}) {
  const onDrop = vi.fn<(accepted: File[], rejections: FileRejection[]) => void>();
  render(<Zone onDrop={onDrop} {...options} />);
  const root = screen.getByLabelText('Drop zone');
  const input = screen.getByLabelText('Files');
  if (!(input instanceof HTMLInputElement)) throw new Error('no file input');
  const opened = vi.spyOn(input, 'click');
  const names = () => onDrop.mock.calls.map(([accepted, rejections]) => [accepted.map((f) => f.name), rejections.map((r) => r.file.name)]);
  return { root, input, onDrop, opened, names };
}

const dragOf = (...types: string[]) => ({
  dataTransfer: { types: ['Files'], items: types.map((type) => ({ kind: 'file', type })) },
});

describe('prop getters', () => {
  it("run the app's handler first; an app handler that stops propagation keeps ours from running", async () => {
    const order: string[] = [];
    const { root, opened } = setup({
      rootProps: {
        onClick: (event) => {
          order.push('app');
          if (order.length > 1) event.stopPropagation();
        },
      },
    });
    await userEvent.click(root);
    expect(order).toEqual(['app']);
    expect(opened).toHaveBeenCalledTimes(1);
    await userEvent.click(root);
    expect(opened).toHaveBeenCalledTimes(1);
  });

  it("spread the app's props last", () => {
    setup({ rootProps: { role: 'region', tabIndex: 3, className: 'mine' } });
    const root = screen.getByRole('region', { name: 'Drop zone' });
    expect(root.tabIndex).toBe(3);
    expect(root.className).toBe('mine');
  });

  it('the input is visually hidden, never display:none, and out of the tab order; a click on it does not reach the area', async () => {
    const { input, opened } = setup({ accept: ['image/png', '.pdf'] });
    expect(input.style.display).not.toBe('none');
    expect(input.style.position).toBe('absolute');
    expect(input.tabIndex).toBe(-1);
    expect(input.accept).toBe('image/png,.pdf');
    expect(input.multiple).toBe(true);
    await userEvent.click(input);
    expect(opened).not.toHaveBeenCalled();
  });

  it('click, Enter and Space on the area open the file dialog; keys on a child do not', async () => {
    const user = userEvent.setup();
    const { opened } = setup();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Drop zone' }));
    await user.keyboard('{Enter}');
    await user.keyboard(' ');
    expect(opened).toHaveBeenCalledTimes(2);
    fireEvent.keyDown(screen.getByTestId('drag'), { key: 'Enter' });
    expect(opened).toHaveBeenCalledTimes(2);
  });
});

describe('getting files', () => {
  it('from the dialog, sorted by the rules', async () => {
    const user = userEvent.setup({ applyAccept: false });
    const { input, names } = setup({ accept: 'image/*', maxSize: 20 });
    await user.upload(input, [file('cat.png'), file('doc.pdf', 'pdf', 'application/pdf'), file('big.png', 'x'.repeat(21))]);
    expect(names()).toEqual([[['cat.png'], ['doc.pdf', 'big.png']]]);
    expect(screen.getByText('file-invalid-type: doc.pdf is application/pdf; this uploader accepts image/*.')).toBeTruthy();
    expect(screen.getByText('file-too-large: big.png is 21 B; this uploader takes files up to 20 B. Choose a smaller file.')).toBeTruthy();
  });

  it('says the exact bytes when a file is just over the limit and rounding would show the same size', async () => {
    const user = userEvent.setup();
    const { input } = setup({ maxSize: 2048 });
    await user.upload(input, [file('edge.png', 'x'.repeat(2049))]);
    expect(screen.getByText('file-too-large: edge.png is 2049 bytes; this uploader takes files up to 2048 bytes. Choose a smaller file.')).toBeTruthy();
  });

  it('dropped', async () => {
    const { root, names } = setup();
    fireEvent.drop(root, { dataTransfer: { files: [file('a.png'), file('b.png')] } });
    await act(() => Promise.resolve());
    expect(names()).toEqual([[['a.png', 'b.png'], []]]);
  });

  it('dropped as a folder: directories are walked', async () => {
    const { root, names } = setup();
    const entryOf = (f: File) => ({ isFile: true, isDirectory: false, name: f.name, file: (resolve: (value: File) => void) => resolve(f) });
    const folder = (name: string, children: readonly object[]) => ({
      isFile: false,
      isDirectory: true,
      name,
      createReader: () => {
        // Like Chrome, hand the entries out in batches, then an empty batch.
        const batches = [children.slice(0, 1), children.slice(1), []];
        return { readEntries: (resolve: (entries: readonly object[]) => void) => resolve(batches.shift() ?? []) };
      },
    });
    const tree = folder('photos', [entryOf(file('a.png')), folder('2024', [entryOf(file('b.png')), entryOf(file('c.png'))])]);
    fireEvent.drop(root, {
      dataTransfer: { files: [], items: [{ kind: 'file', type: '', webkitGetAsEntry: () => tree }] },
    });
    await eventually(() => expect(names()).toEqual([[['a.png', 'b.png', 'c.png'], []]]));
  });

  it('pasted', () => {
    const { root, names } = setup();
    fireEvent.paste(root, { clipboardData: { files: [file('clip.png')] } });
    expect(names()).toEqual([[['clip.png'], []]]);
  });

  it('a paste without files is left alone', () => {
    const { root, onDrop } = setup();
    const pasted = fireEvent.paste(root, { clipboardData: { files: [] } });
    expect(pasted).toBe(true); // not prevented: text pastes keep working
    expect(onDrop).not.toHaveBeenCalled();
  });

  it('multiple: false takes one file at a time', async () => {
    const { root, input, names } = setup({ multiple: false });
    expect(input.multiple).toBe(false);
    fireEvent.drop(root, { dataTransfer: { files: [file('a.png'), file('b.png')] } });
    await act(() => Promise.resolve());
    expect(names()).toEqual([[[], ['a.png', 'b.png']]]);
    expect(screen.getAllByText('too-many-files: 2 files were chosen; this uploader takes one file at a time. Choose a single file.')).toHaveLength(2);
  });

  it('disabled: no dialog, no drop, out of the tab order', async () => {
    const { root, input, opened, onDrop } = setup({ disabled: true });
    expect(root.getAttribute('aria-disabled')).toBe('true');
    expect(root.tabIndex).toBe(-1);
    expect(input.disabled).toBe(true);
    await userEvent.click(root);
    fireEvent.drop(root, { dataTransfer: { files: [file('a.png')] } });
    await act(() => Promise.resolve());
    expect(opened).not.toHaveBeenCalled();
    expect(onDrop).not.toHaveBeenCalled();
  });

  it('disabled: a file dropped on it does not open in the tab (which would leave the page)', () => {
    const { root } = setup({ disabled: true });
    // fireEvent returns false when a handler called preventDefault.
    expect(fireEvent.dragOver(root, { dataTransfer: { files: [file('a.png')] } })).toBe(false);
    expect(fireEvent.drop(root, { dataTransfer: { files: [file('a.png')] } })).toBe(false);
  });

  it('a file dropped next to the zone does not open in the tab either, and the page keeps its own drop handlers', () => {
    const { onDrop } = setup();
    const outside = document.createElement('div');
    document.body.append(outside);
    expect(fireEvent.dragOver(outside, { dataTransfer: { files: [file('a.png')] } })).toBe(false);
    expect(fireEvent.drop(outside, { dataTransfer: { files: [file('a.png')] } })).toBe(false);
    expect(onDrop).not.toHaveBeenCalled();
    outside.remove();
    cleanup();
    // Unmounted: the document is the page's again.
    expect(fireEvent.drop(document.body, { dataTransfer: { files: [file('a.png')] } })).toBe(true);
  });
});

describe('drag state', () => {
  it('isDragAccept for files the rules take, isDragReject otherwise, idle after leaving', () => {
    setup({ accept: 'image/png', maxFiles: 2 });
    const root = screen.getByRole('button', { name: 'Drop zone' });
    const drag = screen.getByTestId('drag');
    expect(drag.textContent).toBe('idle');
    fireEvent.dragEnter(root, dragOf('image/png'));
    expect(drag.textContent).toBe('accept');
    fireEvent.dragLeave(root, dragOf('image/png'));
    expect(drag.textContent).toBe('idle');

    fireEvent.dragEnter(root, dragOf('image/gif'));
    expect(drag.textContent).toBe('reject');
    fireEvent.dragLeave(root, dragOf('image/gif'));
    fireEvent.dragEnter(root, dragOf('image/png', 'image/png', 'image/png'));
    expect(drag.textContent).toBe('reject');
  });

  it('moving over a child keeps the drag active', () => {
    setup();
    const root = screen.getByRole('button', { name: 'Drop zone' });
    const child = screen.getByTestId('drag');
    fireEvent.dragEnter(root, dragOf('image/png'));
    fireEvent.dragEnter(child, dragOf('image/png'));
    fireEvent.dragLeave(root, dragOf('image/png'));
    expect(child.textContent).toBe('accept');
    fireEvent.dragLeave(child, dragOf('image/png'));
    expect(child.textContent).toBe('idle');
  });

  it('a drag of text, not files, changes nothing', () => {
    setup();
    const root = screen.getByRole('button', { name: 'Drop zone' });
    fireEvent.dragEnter(root, { dataTransfer: { types: ['text/plain'], items: [{ kind: 'string', type: 'text/plain' }] } });
    expect(screen.getByTestId('drag').textContent).toBe('idle');
  });
});
