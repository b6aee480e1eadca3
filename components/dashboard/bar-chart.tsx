/**
 * A horizontal bar chart as inline SVG, with a title and the same figures as a table
 * (screen readers read the table; the picture is hidden from them).
 */
export interface Bar {
  label: string;
  value: number;
}

export function BarChart({ title, bars, valueLabel, labelHeader, testId }: { title: string; bars: Bar[]; valueLabel: string; labelHeader: string; testId?: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rowH = 22;
  const labelW = 120;
  const width = 420;
  const barW = width - labelW - 60;
  const height = bars.length * rowH + 4;
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg role="img" aria-hidden="true" width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
        <title>{title}</title>
        {bars.map((b, i) => (
          <g key={b.label} transform={`translate(0, ${i * rowH + 2})`}>
            <text x={labelW - 6} y={14} textAnchor="end" fontSize="12" fill="currentColor">
              {b.label}
            </text>
            <rect x={labelW} y={3} width={Math.max(b.value > 0 ? 2 : 0, (b.value / max) * barW)} height={rowH - 8} fill="var(--accent, #3b82f6)" />
            <text x={labelW + (b.value / max) * barW + 6} y={14} fontSize="12" fill="currentColor">
              {b.value}
            </text>
          </g>
        ))}
      </svg>
      <table className="chart-table sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{labelHeader}</th>
            <th scope="col">{valueLabel}</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((b) => (
            <tr key={b.label}>
              <th scope="row">{b.label}</th>
              <td>{b.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
