import { useEffect } from 'react';
import { useAppStore } from '../state/appStore';

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

/**
 * Timeline keys anywhere outside text fields: ←/→ previous/next change, Shift+←/→ one bin,
 * Home/End the first/last write.
 */
export function useTimelineShortcuts(): void {
  const store = useAppStore();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isEditable(e.target)) return;
      const s = store.getState();
      if (!s.summary) return;
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        const dir = e.key === 'ArrowLeft' ? 'prev' : 'next';
        if (e.shiftKey) s.stepBin(dir);
        else void s.stepChange(dir);
      } else if (e.key === 'Home') s.goStart();
      else if (e.key === 'End') s.goEnd();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
