import { useEffect, useState } from 'react';

const QUERY = '(prefers-color-scheme: dark)';

/** The OS theme, following changes. */
export function useColorScheme(): 'light' | 'dark' {
  const get = () => (typeof matchMedia === 'function' && matchMedia(QUERY).matches ? 'dark' : 'light');
  const [scheme, setScheme] = useState<'light' | 'dark'>(get);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const mq = matchMedia(QUERY);
    const on = () => setScheme(mq.matches ? 'dark' : 'light');
    mq.addEventListener?.('change', on);
    return () => mq.removeEventListener?.('change', on);
  }, []);
  return scheme;
}
