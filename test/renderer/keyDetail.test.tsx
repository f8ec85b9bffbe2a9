// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KeyDetail } from '../../src/renderer/src/components/key/KeyDetail';
import { HISTORY_LIMIT } from '../../src/renderer/src/state/keySlice';
import { FakeJournalApi, SEC, smallWrites, T0, type FakeOptions } from './fakeApi';
import { installLayout, openStore, renderWith } from './helpers';

beforeAll(installLayout);
afterEach(cleanup);

async function setup(scope: number, key: string, at: number, options: Partial<FakeOptions> = {}) {
  const s = await openStore(new FakeJournalApi({ writes: smallWrites(), ...options }));
  act(() => {
    s.store.getState().setAt(at);
    s.store.getState().selectKey({ scope, key });
  });
  renderWith(s.store, <KeyDetail />);
  await waitFor(() => expect(screen.getByTestId('version-list')).toBeTruthy());
  return s;
}

const items = () => screen.getAllByTestId('version-item');

describe('key detail', () => {
  it('lists every version, tombstones included, with their validity as a Gantt strip', async () => {
    const { fake } = await setup(2, 'count', T0 + 6 * SEC);
    expect(fake.callsOf('history')).toEqual([{ storeId: 'store-1', scope: 2, key: 'count', tombstones: true, order: 'asc', limit: HISTORY_LIMIT }]);
    expect(screen.getByTestId('key-title').textContent).toBe('count');
    expect(screen.getByTestId('version-count').textContent).toContain('3 versions');
    expect(items().map((i) => [i.dataset.from, i.dataset.tombstone])).toEqual([
      [String(T0 + 2 * SEC), 'false'],
      [String(T0 + 5 * SEC), 'true'],
      [String(T0 + 6 * SEC), 'false'],
    ]);
    expect(items()[1].textContent).toContain('deleted');
    // values are bars; the tombstone is a gap (a tick, no bar)
    expect(screen.getAllByTestId('gantt-bar')).toHaveLength(2);
    expect(screen.getAllByTestId('gantt-tombstone')).toHaveLength(1);
    // the current version
    expect(within(screen.getByTestId('value-at-t')).getByTestId('value-full').textContent).toBe('7');
    expect(items()[2].closest('li')!.className).toContain('current');
  });

  it('says when the key was deleted, or not yet written, at T', async () => {
    const { store } = await setup(2, 'count', T0 + 5 * SEC + 500_000);
    expect(screen.getByTestId('key-deleted').textContent).toContain('Deleted at 2024-01-01T00:00:05.000000Z');
    expect(screen.getByTestId('key-deleted').textContent).toContain('until 2024-01-01T00:00:06.000000Z');
    act(() => store.getState().setAt(T0 + SEC));
    expect(screen.getByTestId('key-absent').textContent).toContain('first written 2024-01-01T00:00:02.000000Z');
  });

  it('moves the cursor to a version when it is clicked', async () => {
    const { store } = await setup(2, 'count', T0 + 6 * SEC);
    fireEvent.click(items()[0]);
    expect(store.getState().at).toBe(T0 + 2 * SEC);
    expect(within(screen.getByTestId('value-at-t')).getByTestId('value-full').textContent).toBe('42');
    expect(items()[0].closest('li')!.className).toContain('current');
    fireEvent.click(screen.getAllByTestId('gantt-bar')[1]);
    expect(store.getState().at).toBe(T0 + 6 * SEC);
  });

  it('pretty-prints JSON held in a string, and copies the raw value', async () => {
    await setup(2, 'config', T0 + 6 * SEC);
    const full = screen.getByTestId('value-full').textContent!;
    expect(full).toBe('{\n  "retries": 3,\n  "hosts": [\n    "a",\n    "b"\n  ]\n}');
    expect(screen.getByText('JSON in string, pretty-printed')).toBeTruthy();
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    fireEvent.click(screen.getByTestId('copy-value'));
    await waitFor(() => expect(screen.getByTestId('copy-value').textContent).toBe('Copied'));
    expect(writeText).toHaveBeenCalledWith('{"retries":3,"hosts":["a","b"]}');
  });

  it('loads the versions around T when a key has more than are loaded, and never answers from the others', async () => {
    const { store, fake } = await setup(2, 'count', T0 + 6 * SEC, { historyCap: 2 });
    // The first two versions came first; T is past them, so the ones around T were loaded.
    await waitFor(() => expect(within(screen.getByTestId('value-at-t')).getByTestId('value-full').textContent).toBe('7'));
    const ref = { storeId: 'store-1', scope: 2, key: 'count', tombstones: true };
    expect(fake.callsOf('history')).toEqual([
      { ...ref, order: 'asc', limit: HISTORY_LIMIT },
      { ...ref, to: T0 + 6 * SEC, order: 'desc', limit: HISTORY_LIMIT / 2 },
      { ...ref, from: T0 + 6 * SEC + 1, order: 'asc', limit: HISTORY_LIMIT / 2 },
    ]);
    expect(screen.getByTestId('version-count').textContent).toContain('3 versions');
    expect(screen.getByTestId('version-count').textContent).toContain('2 loaded, around T');
    expect(items().map((i) => Number(i.dataset.from))).toEqual([T0 + 5 * SEC, T0 + 6 * SEC]);
    // Back before the window: until the versions there are loaded, no version is the answer
    // (not the tombstone, the nearest one loaded).
    fake.hold('history');
    act(() => store.getState().setAt(T0 + 2 * SEC));
    expect(screen.getByTestId('key-loading-window').textContent).toContain('3 in all');
    expect(screen.queryByTestId('key-deleted')).toBeNull();
    expect(within(screen.getByTestId('value-at-t')).queryByTestId('value-full')).toBeNull();
    fake.unhold('history');
    await waitFor(() => expect(within(screen.getByTestId('value-at-t')).getByTestId('value-full').textContent).toBe('42'));
    expect(screen.getByTestId('version-count').textContent).toContain('3 versions');
  });

  it('marks a history that may be missing versions', async () => {
    await setup(1, 'flag_a', T0 + 6 * SEC, { incomplete: [{ from: null, to: T0 + SEC, reason: 'missing-generation', detail: 'generation 0 is missing' }] });
    expect(screen.getByTestId('incomplete-note').textContent).toContain('history incomplete here: generation 0 is missing');
  });

  it('shows an error with a retry', async () => {
    const s = await openStore(new FakeJournalApi({ writes: smallWrites() }));
    s.fake.fail('history', 'no such key');
    act(() => s.store.getState().selectKey({ scope: 9, key: 'nope' }));
    renderWith(s.store, <KeyDetail />);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('no such key'));
    s.fake.fail('history', null);
    fireEvent.click(screen.getByText('Retry'));
    await waitFor(() => expect(screen.getByTestId('version-count').textContent).toContain('0 versions'));
    fireEvent.click(screen.getByTestId('close-key'));
    expect(s.store.getState().selectedKey).toBeNull();
  });
});
