// Shared setup for component tests (jsdom): a store over the fake API, layout stubs for the
// virtualized table and the scrubber (jsdom does no layout), and a provider wrapper.
import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import { AppStoreContext, createAppStore, type AppStore } from '../../src/renderer/src/state/appStore';
import { fakeClient, type FakeJournalApi } from './fakeApi';

export const TABLE_HEIGHT = 480;
export const SCRUB_WIDTH = 1000;

/** jsdom has no layout: give the table's scroll box and the scrubber a size. */
export function installLayout(): void {
  const proto = HTMLElement.prototype;
  Object.defineProperty(proto, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset.testid === 'state-scroll' ? TABLE_HEIGHT : 0;
    },
  });
  Object.defineProperty(proto, 'clientWidth', {
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset.testid === 'state-scroll' ? 1000 : 0;
    },
  });
  proto.getBoundingClientRect = function (this: HTMLElement) {
    const w = this.dataset.testid === 'scrubber' ? SCRUB_WIDTH : 0;
    return { x: 0, y: 0, left: 0, top: 0, right: w, bottom: 100, width: w, height: 100, toJSON: () => ({}) } as DOMRect;
  };
  proto.scrollTo = function (this: HTMLElement, opts?: ScrollToOptions | number) {
    if (typeof opts === 'object' && opts?.top !== undefined) this.scrollTop = opts.top;
  } as typeof proto.scrollTo;
}

export interface Setup {
  fake: FakeJournalApi;
  store: AppStore;
  client: ReturnType<typeof fakeClient>;
}

/** A store over the fake, with the fake's store open (startup() returns it). */
export async function openStore(fake: FakeJournalApi): Promise<Setup> {
  const client = fakeClient(fake);
  const store = createAppStore(client);
  await store.getState().init();
  return { fake, store, client };
}

export function renderWith(store: AppStore, ui: ReactNode): RenderResult {
  return render(<AppStoreContext.Provider value={store}>{ui}</AppStoreContext.Provider>);
}

/** Lets queued microtasks (fake answers) run. */
export async function flush(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise((r) => setTimeout(r, 0));
}
