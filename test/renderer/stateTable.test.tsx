// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StateTable } from '../../src/renderer/src/components/state/StateTable';
import { StateToolbar } from '../../src/renderer/src/components/state/StateToolbar';
import { FakeJournalApi, manyWrites, SEC, smallWrites, T0 } from './fakeApi';
import { flush, installLayout, openStore, renderWith } from './helpers';

beforeAll(installLayout);
afterEach(cleanup);

const table = () => screen.getByTestId('state-table');
const rowsText = () =>
  screen.getAllByTestId('state-row').map((r) => [r.dataset.scope, r.dataset.key, within(r).getByTestId('cell-value').textContent]);

async function settledAt(t: number) {
  await waitFor(() => {
    expect(table().dataset.at).toBe(String(t));
    expect(table().dataset.loading).toBe('false');
  });
}

describe('state table', () => {
  it('shows exactly the live keys at T with their values, and highlights rows changed at T', async () => {
    const { store } = await openStore(new FakeJournalApi({ writes: smallWrites() }));
    act(() => store.getState().setAt(T0 + 4 * SEC));
    renderWith(store, <StateTable />);
    await settledAt(T0 + 4 * SEC);
    expect(rowsText()).toEqual([
      ['1', 'flag_a', '"off"'],
      ['2', 'config', '"{\\"retries\\":3,\\"hosts\\":[\\"a\\",\\"b\\"]}"'],
      ['2', 'count', '42'],
      ['2', 'user.name', '"alice"'],
    ]);
    expect(screen.getByTestId('state-count').textContent).toBe('4');
    const changed = screen.getAllByTestId('state-row').filter((r) => r.dataset.changed === 'true');
    expect(changed.map((r) => r.dataset.key)).toEqual(['flag_a']);
    // how long each had been valid at T
    expect(within(screen.getAllByTestId('state-row')[3]).getByText('3 s')).toBeTruthy();
  });

  it('follows the cursor: a deleted key disappears, a re-created one comes back', async () => {
    const { store } = await openStore(new FakeJournalApi({ writes: smallWrites() }));
    act(() => store.getState().setAt(T0 + 5 * SEC));
    renderWith(store, <StateTable />);
    await settledAt(T0 + 5 * SEC);
    expect(rowsText().map((r) => r[1])).toEqual(['flag_a', 'config', 'user.name']);
    act(() => store.getState().setAt(T0 + 6 * SEC));
    await settledAt(T0 + 6 * SEC);
    expect(rowsText().map((r) => r[1])).toEqual(['flag_a', 'config', 'count', 'ratio', 'user.name']);
    expect(rowsText()[2][2]).toBe('7');
  });

  it('fetches only the pages on screen, and pages in as the table scrolls', async () => {
    const fake = new FakeJournalApi({ writes: manyWrites(2000) });
    const { store } = await openStore(fake);
    renderWith(store, <StateTable />);
    await settledAt(T0 + 1999 * 1000);
    const offsets = () => fake.callsOf('stateAt').map((a) => a.offset);
    expect(offsets()).toEqual([0]);
    expect(fake.callsOf('stateAt')[0].limit).toBe(100);
    expect(table().dataset.total).toBe('2000');
    // only the visible rows (plus overscan) are in the DOM
    expect(screen.getAllByTestId('state-row').length).toBeLessThan(60);

    const scroller = screen.getByTestId('state-scroll');
    await act(async () => {
      scroller.scrollTop = 1250 * 28;
      fireEvent.scroll(scroller);
      await flush();
    });
    await waitFor(() => expect(screen.getAllByTestId('state-row').some((r) => r.dataset.key === 'key_01250')).toBe(true));
    expect(offsets()).toEqual([0, 1200]);
    expect(screen.queryAllByTestId('state-row-pending')).toHaveLength(0);
  });

  it('never lets a stale answer replace a newer one', async () => {
    const fake = new FakeJournalApi({ writes: smallWrites() });
    const { store } = await openStore(fake);
    renderWith(store, <StateTable />);
    await settledAt(T0 + 6 * SEC);

    fake.hold('stateAt');
    act(() => store.getState().setAt(T0 + 1 * SEC)); // older request
    act(() => store.getState().setAt(T0 + 4 * SEC)); // newer request
    await flush();
    const pending = fake.pending('stateAt');
    expect(pending.map((p) => (p.args as { at: number }).at)).toEqual([T0 + 1 * SEC, T0 + 4 * SEC]);
    // while both load, the old rows stay, marked as such
    expect(table().dataset.stale).toBe('true');
    expect(screen.getByTestId('stale-note').textContent).toContain('loading');

    // the newer answer arrives first, then the older one
    await act(async () => {
      fake.release((p) => (p.args as { at: number }).at === T0 + 4 * SEC);
      await flush();
    });
    await settledAt(T0 + 4 * SEC);
    await act(async () => {
      fake.release();
      await flush();
    });
    expect(table().dataset.at).toBe(String(T0 + 4 * SEC));
    expect(rowsText().map((r) => r[1])).toEqual(['flag_a', 'config', 'count', 'user.name']);

    // going back to a cached T is instant (no request)
    const before = fake.callsOf('stateAt').length;
    act(() => store.getState().setAt(T0 + 6 * SEC));
    expect(table().dataset.at).toBe(String(T0 + 6 * SEC));
    expect(table().dataset.stale).toBe('false');
    expect(fake.callsOf('stateAt').length).toBe(before);
  });

  it('while dragging, loads the state where the pointer is and moves the cursor there when it arrives', async () => {
    const fake = new FakeJournalApi({ writes: smallWrites() });
    const { store } = await openStore(fake);
    renderWith(store, <StateTable />);
    await settledAt(T0 + 6 * SEC);
    fake.hold('stateAt');
    act(() => store.getState().prefetchAt(T0 + 2 * SEC));
    act(() => store.getState().prefetchAt(T0 + 4 * SEC)); // the pointer moved on
    await flush();
    expect(fake.pending('stateAt').map((p) => (p.args as { at: number }).at)).toEqual([T0 + 2 * SEC, T0 + 4 * SEC]);
    expect(store.getState().at).toBe(T0 + 6 * SEC); // nothing moves before an answer
    await act(async () => {
      fake.release((p) => (p.args as { at: number }).at === T0 + 2 * SEC);
      await flush();
    });
    expect(store.getState().at).toBe(T0 + 6 * SEC); // not where the pointer is any more
    await act(async () => {
      fake.release();
      await flush();
    });
    expect(store.getState().at).toBe(T0 + 4 * SEC);
    await settledAt(T0 + 4 * SEC);

    // A cursor moved by other means cancels the pointer's pending position.
    act(() => store.getState().prefetchAt(T0 + 1 * SEC));
    act(() => store.getState().setAt(T0 + 5 * SEC));
    await act(async () => {
      fake.release();
      await flush();
    });
    expect(store.getState().at).toBe(T0 + 5 * SEC);
    fake.unhold('stateAt');
    await settledAt(T0 + 5 * SEC);
  });

  it('filters by scope and key search, and sorts by valid-since', async () => {
    const fake = new FakeJournalApi({ writes: smallWrites() });
    const { store } = await openStore(fake);
    renderWith(
      store,
      <>
        <StateToolbar />
        <StateTable />
      </>,
    );
    await settledAt(T0 + 6 * SEC);
    fireEvent.change(screen.getByTestId('scope-filter'), { target: { value: '2' } });
    await waitFor(() => expect(rowsText().map((r) => r[1])).toEqual(['config', 'count', 'ratio', 'user.name']));
    expect(fake.callsOf('stateAt').at(-1)).toMatchObject({ scope: 2 });

    fireEvent.change(screen.getByTestId('key-search'), { target: { value: 'o' } });
    await waitFor(() => expect(rowsText().map((r) => r[1])).toEqual(['config', 'count', 'ratio']));
    expect(fake.callsOf('stateAt').at(-1)).toMatchObject({ scope: 2, keySubstring: 'o' });

    fireEvent.change(screen.getByTestId('sort'), { target: { value: 'validFrom:desc' } });
    await waitFor(() => expect(rowsText().map((r) => r[1])).toEqual(['count', 'ratio', 'config']));
    expect(fake.callsOf('stateAt').at(-1)).toMatchObject({ sort: 'validFrom', order: 'desc' });

    fireEvent.change(screen.getByTestId('key-search'), { target: { value: 'zzz' } });
    await waitFor(() => expect(screen.getByTestId('state-empty').textContent).toContain('No live key matches the filter'));
  });

  it('marks an answer whose history is incomplete, never showing it as known', async () => {
    const fake = new FakeJournalApi({
      writes: smallWrites(),
      incomplete: [{ from: null, to: T0 + 3 * SEC, reason: 'before-oldest-generation', detail: 'the archive of generation 0 is missing' }],
    });
    const { store } = await openStore(fake);
    act(() => store.getState().setAt(T0 + 2 * SEC));
    renderWith(store, <StateTable />);
    await settledAt(T0 + 2 * SEC);
    expect(table().dataset.complete).toBe('false');
    expect(screen.getByTestId('incomplete-note').textContent).toContain('history incomplete here: the archive of generation 0 is missing');

    act(() => store.getState().setAt(T0 + 4 * SEC));
    await settledAt(T0 + 4 * SEC);
    expect(table().dataset.complete).toBe('true');
    expect(screen.queryByTestId('incomplete-note')).toBeNull();
  });

  it('shows errors with a retry, and the empty state before the first write', async () => {
    const fake = new FakeJournalApi({ writes: smallWrites() });
    const { store } = await openStore(fake);
    fake.fail('stateAt', 'index is busy');
    act(() => store.getState().setAt(T0 + 1 * SEC));
    renderWith(store, <StateTable />);
    await waitFor(() => expect(screen.getByTestId('state-error').textContent).toContain('index is busy'));
    fake.fail('stateAt', null);
    fireEvent.click(within(screen.getByTestId('state-error')).getByText('Retry'));
    await settledAt(T0 + 1 * SEC);
    expect(rowsText().map((r) => r[1])).toEqual(['flag_a', 'user.name']);

    act(() => store.getState().setAt(T0 - 1));
    await settledAt(T0 - 1);
    expect(screen.getByTestId('state-empty').textContent).toBe('No live keys at this time.');
  });

  it('selects a key on click', async () => {
    const { store } = await openStore(new FakeJournalApi({ writes: smallWrites() }));
    renderWith(store, <StateTable />);
    await settledAt(T0 + 6 * SEC);
    fireEvent.click(screen.getAllByTestId('state-row')[1]);
    expect(store.getState().selectedKey).toEqual({ scope: 2, key: 'config' });
    await waitFor(() => expect(screen.getAllByTestId('state-row')[1].getAttribute('aria-selected')).toBe('true'));
  });
});
