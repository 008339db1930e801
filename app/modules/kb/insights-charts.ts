// The geometry of the insights page's small bar charts (stacked bars, one per day), so the SVG
// is drawn on the server and reads without JavaScript. Pure.

/** The periods the insights page offers, in days. */
export const INSIGHT_PERIODS = [7, 30, 90] as const;

export interface ChartBar {
  x: number;
  y: number;
  width: number;
  height: number;
  series: number;
}

export interface ChartGeometry {
  bars: ChartBar[];
  max: number;
  width: number;
  height: number;
}

/** Stacked bars: `values[i][s]` is series s on day i; the tallest day fills the height. */
export function stackedBars(values: number[][], { width = 600, height = 120, gap = 1 }: { width?: number; height?: number; gap?: number } = {}): ChartGeometry {
  const max = Math.max(1, ...values.map((day) => day.reduce((sum, v) => sum + Math.max(0, v), 0)));
  const slot = values.length > 0 ? width / values.length : width;
  const bars: ChartBar[] = [];
  values.forEach((day, i) => {
    let top = height;
    day.forEach((value, series) => {
      if (value <= 0) return;
      const h = (value / max) * height;
      top -= h;
      bars.push({ x: round(i * slot + gap / 2), y: round(top), width: round(Math.max(1, slot - gap)), height: round(h), series });
    });
  });
  return { bars, max, width, height };
}

const round = (n: number) => Math.round(n * 100) / 100;

/** "120 searches over 30 days, 14 of them found nothing (12 %)." */
export function describeSearches(points: { searches: number; zeroResults: number }[], days: number): string {
  const total = points.reduce((s, p) => s + p.searches, 0);
  const zero = points.reduce((s, p) => s + p.zeroResults, 0);
  if (total === 0) return `No searches in the last ${days} days.`;
  return `${total} search${total === 1 ? "" : "es"} in the last ${days} days; ${zero} found nothing (${Math.round((zero / total) * 100)} %).`;
}

export function describeVotes(points: { yes: number; no: number }[], days: number): string {
  const yes = points.reduce((s, p) => s + p.yes, 0);
  const no = points.reduce((s, p) => s + p.no, 0);
  if (yes + no === 0) return `No votes in the last ${days} days.`;
  return `${yes + no} vote${yes + no === 1 ? "" : "s"} in the last ${days} days: ${yes} yes, ${no} no (${Math.round((yes / (yes + no)) * 100)} % yes).`;
}
