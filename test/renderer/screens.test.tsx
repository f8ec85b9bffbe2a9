// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { createAppStore } from '../../src/renderer/src/state/appStore';
import { fakeClient, FakeJournalApi, SEC, smallWrites, T0, type FakeOptions } from './fakeApi';
import { installLayout } from './helpers';

beforeAll(installLayout);
afterEach(cleanup);

async function app(options: Partial<FakeOptions> = {}) {
  const fake = new FakeJournalApi({ writes: smallWrites(), ...options });
  const client = fakeClient(fake);
  const store = createAppStore(client);
  render(<App client={client} store={store} />);
  await waitFor(() => expect(screen.getByTestId('store-screen')).toBeTruthy());
  return { fake, client, store };
}

describe('diff, generations, integrity, export', () => {
  it('diffs two marked points: added, removed and changed keys with old and new values', async () => {
    const { store, fake } = await app();
    act(() => store.getState().setAt(T0 + 2 * SEC));
    fireEvent.click(screen.getByTestId('mark-a'));
    act(() => store.getState().setAt(T0 + 5 * SEC));
    fireEvent.click(screen.getByTestId('mark-b'));
    fireEvent.click(screen.getByTestId('tab-diff'));
    await waitFor(() => expect(screen.getAllByTestId('diff-row').length).toBe(3));
    expect(fake.callsOf('diff').at(-1)).toMatchObject({ from: T0 + 2 * SEC, to: T0 + 5 * SEC });
    const rows = screen.getAllByTestId('diff-row').map((r) => [
      r.dataset.kind,
      r.dataset.key,
      within(r).getByTestId('diff-before').textContent,
      within(r).getByTestId('diff-after').textContent,
    ]);
    expect(rows).toEqual([
      ['changed', 'flag_a', '"on"since 2024-01-01T00:00:00.000000Z', '"off"since 2024-01-01T00:00:04.000000Z'],
      ['added', 'config', '—', '"{\\"retries\\":3,\\"hosts\\":[\\"a\\",\\"b\\"]}"since 2024-01-01T00:00:03.000000Z'],
      ['removed', 'count', '42since 2024-01-01T00:00:02.000000Z', '—'],
    ]);
    expect(screen.getByTestId('diff-count-changed').textContent).toBe('changed 1');
    fireEvent.click(screen.getByTestId('diff-count-removed'));
    expect(screen.getAllByTestId('diff-row').map((r) => r.dataset.key)).toEqual(['count']);
  });

  it('lists generations; selecting one zooms to it and shows its state and writes', async () => {
    const { store } = await app();
    fireEvent.click(screen.getByTestId('tab-generations'));
    const row = await screen.findByTestId('generation-row');
    expect(row.textContent).toContain('small.jrn.0');
    fireEvent.click(row);
    await waitFor(() => expect(screen.getByTestId('generation-writes').children.length).toBe(8));
    expect(screen.getByTestId('generation-state').textContent).toContain('1/flag_a');
    const view = store.getState().view!;
    expect(view.from).toBeLessThanOrEqual(T0);
    expect(view.to).toBeGreaterThanOrEqual(T0 + 6 * SEC);
  });

  it('reports every problem verify finds, with file, offset, reason and the part of the timeline affected', async () => {
    const problem = { file: '/stores/small/small.jrn.0', offset: 73, reason: 'crc-mismatch', severity: 'error' as const, message: 'frame 2 fails its CRC' };
    await app({
      problems: [problem],
      incomplete: [{ from: T0 + SEC, to: null, reason: 'damaged-file', detail: 'the active journal small.jrn.0 is damaged: writes after its last good frame are unknown' }],
    });
    expect(screen.getByTestId('integrity-badge').textContent).toBe('1 problem');
    fireEvent.click(screen.getByTestId('integrity-badge'));
    const row = await screen.findByTestId('problem-row');
    expect(row.dataset.reason).toBe('crc-mismatch');
    expect(row.textContent).toContain('small.jrn.0');
    expect(row.textContent).toContain('73');
    expect(row.textContent).toContain('frame 2 fails its CRC');
    expect(row.textContent).toContain('2024-01-01T00:00:01.000000Z → now');
    expect(screen.getByTestId('incomplete-list').textContent).toContain('writes after its last good frame are unknown');
  });

  it('shows how many files verify has checked while it runs', async () => {
    const { fake, client } = await app();
    fake.hold('verify');
    fireEvent.click(screen.getByTestId('integrity-badge'));
    await waitFor(() => expect(screen.getByTestId('verify-loading')).toBeTruthy());
    expect(screen.queryByTestId('verify-progress')).toBeNull();
    act(() => client.emit('verifyProgress', { storeId: fake.storeId, done: 2, total: 5 }));
    expect(screen.getByTestId('verify-progress').textContent).toContain('2 of 5 files');
    // Another store's verify is not this one's.
    act(() => client.emit('verifyProgress', { storeId: 'other-store', done: 4, total: 9 }));
    expect(screen.getByTestId('verify-progress').textContent).toContain('2 of 5 files');
    fake.unhold('verify');
    await waitFor(() => expect(screen.getByTestId('verify-status')).toBeTruthy());
    expect(screen.queryByTestId('verify-progress')).toBeNull();
  });

  it('exports with progress, and cancels', async () => {
    const { fake, client, store } = await app();
    fireEvent.click(screen.getByTestId('tab-export'));
    fireEvent.change(screen.getByTestId('export-format'), { target: { value: 'csv' } });
    fireEvent.change(screen.getByTestId('export-scope'), { target: { value: '2' } });
    fireEvent.click(screen.getByTestId('export-start'));
    await waitFor(() => expect(screen.getByTestId('export-job').dataset.state).toBe('running'));
    expect(fake.callsOf('exportStart')).toEqual([{ storeId: 'store-1', kind: 'state', format: 'csv', at: T0 + 6 * SEC, scope: 2 }]);
    act(() => client.emit('exportProgress', fake.progressExport('job-1', { done: 2, total: 4 })));
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50');
    fireEvent.click(screen.getByTestId('export-cancel'));
    await waitFor(() => expect(screen.getByTestId('export-job').dataset.state).toBe('cancelled'));
    // a late progress event cannot revive it
    act(() => client.emit('exportProgress', { ...fake.progressExport('job-1', {}), state: 'running', done: 3 }));
    expect(screen.getByTestId('export-job').dataset.state).toBe('cancelled');
    store.getState().stopExportPolling();
  });

  it('follows live: new writes extend the timeline and a cursor at the end stays at the end', async () => {
    const { fake, client, store } = await app();
    fireEvent.click(screen.getByTestId('follow-toggle'));
    await waitFor(() => expect(store.getState().summary!.following).toBe(true));
    expect(fake.callsOf('setFollow')).toEqual([{ storeId: 'store-1', follow: true }]);
    const summary = { ...store.getState().summary!, lastTimestamp: T0 + 9 * SEC };
    act(() => client.emit('storeChanged', { storeId: 'store-1', summary, added: 1, rotations: 0 }));
    expect(store.getState().at).toBe(T0 + 9 * SEC);
    expect(store.getState().view!.to).toBeGreaterThan(T0 + 9 * SEC);
  });
});
