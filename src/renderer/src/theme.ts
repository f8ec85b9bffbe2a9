/** Chart colours per OS theme (SVG attributes cannot use CSS variables everywhere). */
export interface Palette {
  sets: string;
  deletes: string;
  live: string;
  grid: string;
  axis: string;
  generation: string;
  gap: string;
  unknown: string;
  brush: string;
}

export const PALETTES: Record<'light' | 'dark', Palette> = {
  light: {
    sets: '#3b6fd8',
    deletes: '#d9534f',
    live: '#2e9d5b',
    grid: '#e3e6ec',
    axis: '#5c6473',
    generation: '#8a6fc9',
    gap: '#c0392b',
    unknown: '#f0ad4e',
    brush: '#7b8496',
  },
  dark: {
    sets: '#6f9cf5',
    deletes: '#f0716c',
    live: '#5bd08a',
    grid: '#2d3139',
    axis: '#a3abba',
    generation: '#b39dfa',
    gap: '#ff6b5e',
    unknown: '#e8a93a',
    brush: '#8f98aa',
  },
};
