/** Fixed chart geometry, so the scrub overlay lines up exactly with recharts' plot area. */
export const CHART_MARGIN = { top: 12, right: 8, bottom: 0, left: 8 };
export const Y_AXIS_WIDTH = 48;
export const X_AXIS_HEIGHT = 22;
export const CHART_HEIGHT = 150;
export const OVERVIEW_HEIGHT = 40;

export interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

export function plotBox(width: number, height: number): PlotBox {
  const left = CHART_MARGIN.left + Y_AXIS_WIDTH;
  const right = width - CHART_MARGIN.right - Y_AXIS_WIDTH;
  return { left, top: CHART_MARGIN.top, width: Math.max(1, right - left), height: Math.max(1, height - CHART_MARGIN.top - CHART_MARGIN.bottom - X_AXIS_HEIGHT) };
}

/** Position of t in the view as a fraction (may fall outside [0, 1]). */
export function fractionOf(t: number, view: { from: number; to: number }): number {
  return (t - view.from) / Math.max(1, view.to - view.from);
}
