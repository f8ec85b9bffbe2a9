// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { FakeJournalApi, smallWrites } from './fakeApi';
import { fakeClient } from './fakeApi';
import { installLayout } from './helpers';

beforeAll(installLayout);
afterEach(cleanup);

const recent = [{ id: 'r1', dir: '/data/stores/app', store: 'app', openedAt: Date.UTC(2024, 0, 2) }];

describe('welcome', () => {
  it('offers the folder chooser, the demo and recent stores; opens a recent one', async () => {
    const fake = new FakeJournalApi({ writes: smallWrites(), open: false, canChooseFolder: true, demoAvailable: true, recent });
    render(<App client={fakeClient(fake, 'electron')} />);
    await waitFor(() => expect(screen.getByTestId('open-folder')).toBeTruthy());
    expect(screen.getByTestId('open-demo')).toBeTruthy();
    expect(screen.getByText('Running in the desktop app · API v1')).toBeTruthy();
    fireEvent.click(screen.getByTestId('recent-store'));
    await waitFor(() => expect(screen.getByTestId('store-screen')).toBeTruthy());
    expect(fake.callsOf('openRecent')).toEqual([{ recentId: 'r1' }]);
    expect(screen.getByTestId('store-name').textContent).toBe('small');
  });

  it('shows how far indexing has come while a store opens', async () => {
    const fake = new FakeJournalApi({ writes: smallWrites(), open: false, recent });
    const client = fakeClient(fake, 'electron');
    render(<App client={client} />);
    fake.hold('openRecent');
    fireEvent.click(await screen.findByTestId('recent-store'));
    await waitFor(() => expect(screen.getByTestId('opening')).toBeTruthy());
    expect(screen.queryByTestId('open-progress')).toBeNull();
    act(() => client.emit('openProgress', { store: 'app', done: 3, total: 12 }));
    expect(screen.getByTestId('open-progress').textContent).toContain('3 of 12 generations');
    expect(screen.getByRole('progressbar', { name: 'generations of app indexed' }).getAttribute('value')).toBe('3');
    act(() => client.emit('openProgress', { store: 'app', done: 12, total: 12 }));
    expect(screen.getByTestId('open-progress').textContent).toContain('12 of 12 generations');
    fake.release();
    await waitFor(() => expect(screen.getByTestId('store-screen')).toBeTruthy());
    // A report that comes after the store opened changes nothing.
    act(() => client.emit('openProgress', { store: 'app', done: 1, total: 12 }));
    expect(screen.queryByTestId('opening')).toBeNull();
  });

  it('asks which store when a folder holds several', async () => {
    const fake = new FakeJournalApi({
      writes: smallWrites(),
      open: false,
      canChooseFolder: true,
      choice: { folderId: 'f1', dir: '/data/corrupt', stores: ['bad_scope_frame1', 'crc_flip_frame2'] },
    });
    render(<App client={fakeClient(fake, 'electron')} />);
    fireEvent.click(await screen.findByTestId('open-folder'));
    await waitFor(() => expect(screen.getByTestId('store-chooser').textContent).toContain('holds 2 stores'));
    fireEvent.click(screen.getAllByTestId('store-choice')[1]);
    await waitFor(() => expect(screen.getByTestId('store-screen')).toBeTruthy());
    expect(fake.callsOf('openStore')).toEqual([{ folderId: 'f1', store: 'crc_flip_frame2' }]);
  });

  it('says why a folder without stores cannot be opened', async () => {
    const fake = new FakeJournalApi({ writes: [], open: false, canChooseFolder: true, choice: { folderId: 'f2', dir: '/home/me/photos', stores: [] } });
    render(<App client={fakeClient(fake, 'electron')} />);
    fireEvent.click(await screen.findByTestId('open-folder'));
    const why = await screen.findByTestId('no-stores');
    expect(why.textContent).toContain('No journal store in this folder');
    expect(why.textContent).toContain('/home/me/photos');
    expect(why.textContent).toContain('NAME.jrn.<N>');
    expect(fake.callsOf('openStore')).toEqual([]);
  });

  it('shows a start-up error with a retry', async () => {
    const fake = new FakeJournalApi({ writes: smallWrites() });
    fake.fail('startup', 'server went away');
    render(<App client={fakeClient(fake)} />);
    expect((await screen.findByTestId('startup-error')).textContent).toContain('server went away');
    fake.fail('startup', null);
    fireEvent.click(screen.getByText('Retry'));
    await waitFor(() => expect(screen.getByTestId('store-screen')).toBeTruthy());
  });

  it('opens straight into the store `jrn serve` serves, which cannot be closed there', async () => {
    const fake = new FakeJournalApi({ writes: smallWrites() });
    render(<App client={fakeClient(fake, 'http')} />);
    await waitFor(() => expect(screen.getByTestId('store-screen')).toBeTruthy());
    expect(screen.getByTestId('integrity-badge').textContent).toBe('intact');
    expect(screen.queryByTestId('close-store')).toBeNull();
  });

  it('closes a store back to the welcome screen on the desktop', async () => {
    const fake = new FakeJournalApi({ writes: smallWrites() });
    render(<App client={fakeClient(fake, 'electron')} />);
    await waitFor(() => expect(screen.getByTestId('store-screen')).toBeTruthy());
    fireEvent.click(screen.getByTestId('close-store'));
    await waitFor(() => expect(screen.getByTestId('welcome')).toBeTruthy());
    expect(fake.callsOf('closeStore')).toEqual([{ storeId: 'store-1' }]);
  });
});
