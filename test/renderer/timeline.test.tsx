// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Timeline } from '../../src/renderer/src/components/timeline/Timeline';
import { StateTable } from '../../src/renderer/src/components/state/StateTable';
import { useTimelineShortcuts } from '../../src/renderer/src/hooks/useShortcuts';
import { FakeJournalApi, SEC, smallWrites, T0, type FakeOptions } from './fakeApi';
import { flush, installLayout, openStore, renderWith, SCRUB_WIDTH } from './helpers';

beforeAll(installLayout);
afterEach(cleanup);

function WithKeys() {
  useTimelineShortcuts();
  return (
    <>
      <Timeline />
      <StateTable />
    </>
  );
}

async function setup(options: Partial<FakeOptions> = {}) {
  const fake = new FakeJournalApi({ writes: smallWrites(), ...options });
  const s = await openStore(fake);
  renderWith(s.store, <WithKeys />);
  await waitFor(() => expect(s.store.getState().histogram).not.toBeNull());
  return s;
}

const at = (store: Awaited<ReturnType<typeof setup>>['store']) => store.getState().at;

describe('timeline', () => {
  it('charts the whole history with a cursor at the last write', async () => {
    const { store, fake } = await setup();
    const view = store.getState().view!;
    expect(view.from).toBeLessThan(T0);
    expect(view.to).toBeGreaterThan(T0 + 6 * SEC);
    const h = fake.callsOf('histogram');
    expect(h[0]).toMatchObject({ from: view.from, to: view.to, bins: 160 });
    expect(screen.getByTestId('timeline').querySelector('svg.recharts-surface')).not.toBeNull();
    expect(screen.getByTestId('cursor-line').dataset.t).toBe(String(T0 + 6 * SEC));
    expect(screen.getByTestId('cursor-us').textContent).toBe(String(T0 + 6 * SEC));
    expect((screen.getByTestId('time-input') as HTMLInputElement).value).toBe('2024-01-01T00:00:06.000000Z');
  });

  it('scrubs on click and drag, and the state follows while dragging', async () => {
    const { store, fake } = await setup();
    const scrub = screen.getByTestId('scrubber');
    const { from, to } = store.getState().histogram!.range;
    const tAt = (x: number) => Math.round(from + (x / SCRUB_WIDTH) * (to - from));

    fireEvent.pointerDown(scrub, { clientX: 100, button: 0, pointerId: 1 });
    expect(at(store)).toBe(tAt(100));
    for (const x of [300, 500, 700]) {
      fireEvent.pointerMove(scrub, { clientX: x, pointerId: 1 });
      expect(at(store)).toBe(tAt(x));
      await act(flush);
      await waitFor(() => expect(screen.getByTestId('state-table').dataset.at).toBe(String(tAt(x))));
    }
    fireEvent.pointerUp(scrub, { clientX: 700, pointerId: 1 });
    fireEvent.pointerMove(scrub, { clientX: 900, pointerId: 1 });
    expect(at(store)).toBe(tAt(700)); // hovering after release does not move the cursor
    expect(fake.callsOf('stateAt').map((a) => a.at)).toEqual(expect.arrayContaining([tAt(300), tAt(500), tAt(700)]));
  });

  it('steps with the keyboard: ←/→ changes, Shift+←/→ one bin, Home/End', async () => {
    const { store, fake } = await setup();
    fireEvent.keyDown(window, { key: 'Home' });
    expect(at(store)).toBe(T0);
    fireEvent.keyDown(window, { key: 'ArrowRight' });
    fireEvent.keyDown(window, { key: 'ArrowRight' });
    await waitFor(() => expect(at(store)).toBe(T0 + 2 * SEC));
    expect(fake.callsOf('nextChange').map((a) => a.at)).toEqual([T0, T0 + SEC]);
    fireEvent.keyDown(window, { key: 'ArrowLeft' });
    await waitFor(() => expect(at(store)).toBe(T0 + SEC));

    const { view, bins } = store.getState();
    const bin = Math.round((view!.to - view!.from) / bins);
    fireEvent.keyDown(window, { key: 'ArrowRight', shiftKey: true });
    expect(at(store)).toBe(T0 + SEC + bin);
    fireEvent.keyDown(window, { key: 'ArrowLeft', shiftKey: true });
    expect(at(store)).toBe(T0 + SEC);
    fireEvent.keyDown(window, { key: 'End' });
    expect(at(store)).toBe(T0 + 6 * SEC);
    // keys typed into a field are not shortcuts
    fireEvent.keyDown(screen.getByTestId('time-input'), { key: 'Home' });
    expect(at(store)).toBe(T0 + 6 * SEC);
  });

  it('takes a typed time: ISO-8601 to the µs or µs, in UTC or local time', async () => {
    const { store } = await setup();
    const input = screen.getByTestId('time-input') as HTMLInputElement;
    const submit = (text: string) => {
      fireEvent.change(input, { target: { value: text } });
      fireEvent.submit(screen.getByTestId('time-form'));
    };
    submit('2024-01-01T00:00:03.000001Z');
    expect(at(store)).toBe(T0 + 3 * SEC + 1);
    submit(String(T0 + 42));
    expect(at(store)).toBe(T0 + 42);
    expect(input.value).toBe('2024-01-01T00:00:00.000042Z');
    submit('2024-01-01T01:00:00.5+01:00');
    expect(at(store)).toBe(T0 + SEC / 2);
    submit('yesterday');
    expect(screen.getByTestId('time-error').textContent).toContain('ISO-8601');
    expect(at(store)).toBe(T0 + SEC / 2);

    // Node reads TZ again when it changes (the web tsconfig has no node types).
    const env = (globalThis as unknown as { process: { env: Record<string, string | undefined> } }).process.env;
    const tz = env.TZ;
    env.TZ = 'Asia/Kolkata'; // +05:30, no DST
    try {
      fireEvent.keyDown(input, { key: 'Escape' });
      fireEvent.click(screen.getByTestId('tz-local'));
      await waitFor(() => expect(input.value).toBe('2024-01-01T05:30:00.500000+05:30'));
      // A zone-less time is read in the chosen zone.
      submit('2024-01-01T05:30:01');
      expect(at(store)).toBe(T0 + SEC);
      fireEvent.click(screen.getByTestId('tz-utc'));
      await waitFor(() => expect(input.value).toBe('2024-01-01T00:00:01.000000Z'));
    } finally {
      env.TZ = tz;
    }
  });

  it('zooms in around the cursor and back out to the whole history', async () => {
    const { store, fake } = await setup();
    const full = store.getState().view!;
    fireEvent.click(screen.getByTestId('zoom-in'));
    const zoomed = store.getState().view!;
    expect(zoomed.to - zoomed.from).toBeCloseTo((full.to - full.from) / 2, -1);
    await waitFor(() => expect(fake.callsOf('histogram').at(-1)).toMatchObject({ from: zoomed.from, to: zoomed.to }));
    await waitFor(() => expect(screen.getByTestId('scrubber').dataset.from).toBe(String(zoomed.from)));
    fireEvent.click(screen.getByTestId('zoom-all'));
    expect(store.getState().view).toEqual(full);
  });

  it('marks unknown history and generation boundaries, and diff points A and B', async () => {
    const gen = (n: number, from: number, to: number, gapBefore = false) => ({
      generation: n,
      inferred: false,
      file: `/s/small.jrn.${n}`,
      relativePath: `small.jrn.${n}`,
      kind: 'archive' as const,
      active: false,
      layout: { headerVariant: 'v17' as const, payloadLayout: 'state-value' as const, inSnapshots: true },
      compressedSize: 100,
      rawSize: 4096,
      position: 200,
      frames: 4,
      restated: n ? 2 : 0,
      writes: 3,
      firstWrite: from,
      lastWrite: to,
      rotatedAt: n ? from : null,
      prefixVerified: true,
      gapBefore,
      problems: [],
    });
    const { store } = await setup({
      generations: [gen(1, T0, T0 + 2 * SEC), gen(2, T0 + 3 * SEC, T0 + 6 * SEC, true)],
      incomplete: [{ from: null, to: T0, reason: 'before-oldest-generation', detail: 'older archives are gone' }],
    });
    const svg = screen.getByTestId('timeline').querySelector('svg.recharts-surface')!;
    await waitFor(() => expect(svg.querySelectorAll('.recharts-reference-area').length).toBe(1));
    const labels = [...svg.querySelectorAll('.recharts-reference-line text, .recharts-label')].map((t) => t.textContent);
    expect(labels).toContain('g2 gap');
    act(() => {
      store.getState().setDiffPoint('a', T0 + SEC);
      store.getState().setDiffPoint('b', T0 + 4 * SEC);
    });
    expect(screen.getByTestId('marker-a').dataset.t).toBe(String(T0 + SEC));
    expect(screen.getByTestId('marker-b').dataset.t).toBe(String(T0 + 4 * SEC));
  });
});
