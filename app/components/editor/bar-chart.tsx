import { stackedBars } from "~/modules/kb/insights-charts";

/**
 * A small stacked bar chart drawn on the server. The summary sentence is its text alternative;
 * the numbers per day are in a table under it for anyone who wants them.
 */
export function BarChart({
  id,
  title,
  summary,
  days,
  series,
}: {
  id: string;
  title: string;
  summary: string;
  days: string[];
  series: { name: string; className: string; values: number[] }[];
}) {
  const geometry = stackedBars(days.map((_, i) => series.map((s) => s.values[i] ?? 0)));
  return (
    <figure className="chart-figure">
      <figcaption id={`${id}-title`}>
        <strong>{title}</strong>
        <br />
        <span id={`${id}-summary`}>{summary}</span>
      </figcaption>
      <svg className="chart" viewBox={`0 0 ${geometry.width} ${geometry.height}`} role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-summary`} preserveAspectRatio="none">
        <rect x="0" y="0" width={geometry.width} height={geometry.height} className="chart__frame" />
        {geometry.bars.map((bar, i) => (
          <rect key={i} x={bar.x} y={bar.y} width={bar.width} height={bar.height} className={series[bar.series].className} />
        ))}
      </svg>
      <p className="chart-legend">
        {series.map((s) => (
          <span key={s.name}>
            <span className={`chart-key ${s.className}`} aria-hidden="true" /> {s.name}
          </span>
        ))}{" "}
        <span className="muted">(tallest day: {geometry.max})</span>
      </p>
      <details>
        <summary>The numbers per day</summary>
        <div className="table-scroll">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Day</th>
                {series.map((s) => (
                  <th scope="col" key={s.name}>
                    {s.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {days.map((day, i) => (
                <tr key={day}>
                  <th scope="row">{day}</th>
                  {series.map((s) => (
                    <td key={s.name}>{s.values[i] ?? 0}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
