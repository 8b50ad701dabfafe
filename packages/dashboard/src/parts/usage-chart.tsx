// Units per day as a stacked bar chart (Chart.js), one stack segment per family and model. The canvas sits in a box
// of fixed height, so the page does not move when data arrives; a table below gives the same numbers to screen
// readers and keyboard users.

import type { ConsoleUsage } from '@kiln/contract';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import { units } from '../format.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const PALETTE = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2', '#65a30d', '#dc2626', '#4b5563', '#ca8a04'];

export function UsageChart({ usage }: { usage: ConsoleUsage }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'bar'>>();

  useEffect(() => {
    const datasets = usage.series.map((s, i) => ({
      label: s.model ? `${s.family} · ${s.model}` : s.family,
      data: s.units,
      backgroundColor: PALETTE[i % PALETTE.length],
      stack: 'units',
    }));
    if (!chart.current) {
      chart.current = new Chart(canvas.current!, {
        type: 'bar',
        data: { labels: usage.days, datasets },
        options: {
          animation: false,
          maintainAspectRatio: false,
          scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'units' } } },
          plugins: { legend: { position: 'bottom' } },
        },
      });
    } else {
      chart.current.data.labels = usage.days;
      chart.current.data.datasets = datasets;
      chart.current.update();
    }
  }, [usage]);
  useEffect(() => () => chart.current?.destroy(), []);

  const perDay = usage.days.map((_, i) => usage.series.reduce((sum, s) => sum + s.units[i], 0));
  return (
    <figure class="chart" data-total={usage.total}>
      <div class="chart-box"><canvas ref={canvas} role="img" aria-label={`Units per day, ${units(usage.total)} in total`} /></div>
      <figcaption>{units(usage.total)} units over {usage.days.length} days</figcaption>
      <details>
        <summary>As a table</summary>
        <table>
          <thead><tr><th>Day</th><th class="num">Units</th></tr></thead>
          <tbody>{usage.days.map((day, i) => <tr key={day}><td>{day}</td><td class="num">{units(perDay[i])}</td></tr>)}</tbody>
        </table>
      </details>
    </figure>
  );
}
