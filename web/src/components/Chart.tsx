/** A line chart (uPlot, canvas) with horizontal reference lines and an optional vertical marker. */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One line of the chart. */
export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly stroke: string;
  readonly dash?: readonly number[];
}

/** Props of the chart. */
export interface ChartProps {
  readonly title: string;
  readonly x: readonly number[];
  readonly xLabel: string;
  readonly series: readonly ChartSeries[];
  /** Horizontal lines at these y values (the rule's lines). */
  readonly lines?: readonly number[];
  /** A vertical marker (e.g. the pause) at this x. */
  readonly marker?: number | undefined;
  readonly height?: number;
  readonly testid?: string;
}

/** The chart; re-created when its data changes (a few hundred points at most). */
export function Chart(props: ChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || props.x.length === 0) return;
    const width = Math.max(280, el.clientWidth);
    const { lines = [], marker } = props;
    const plot = new uPlot(
      {
        width,
        height: props.height ?? 260,
        scales: { x: { time: false } },
        axes: [{ label: props.xLabel }, {}],
        legend: { show: true },
        series: [{ label: props.xLabel }, ...props.series.map((s) => ({ label: s.label, stroke: s.stroke, width: 2, ...(s.dash ? { dash: [...s.dash] } : {}), points: { show: props.x.length < 40 } }))],
        hooks: {
          draw: [
            (u: uPlot) => {
              const ctx = u.ctx;
              ctx.save();
              ctx.strokeStyle = '#555';
              ctx.setLineDash([6, 4]);
              ctx.lineWidth = 1;
              for (const y of lines) {
                const py = u.valToPos(y, 'y', true);
                ctx.beginPath();
                ctx.moveTo(u.bbox.left, py);
                ctx.lineTo(u.bbox.left + u.bbox.width, py);
                ctx.stroke();
              }
              if (marker !== undefined) {
                const px = u.valToPos(marker, 'x', true);
                ctx.strokeStyle = '#b00020';
                ctx.beginPath();
                ctx.moveTo(px, u.bbox.top);
                ctx.lineTo(px, u.bbox.top + u.bbox.height);
                ctx.stroke();
              }
              ctx.restore();
            },
          ],
        },
      },
      [props.x as number[], ...props.series.map((s) => s.values as (number | null)[])],
      el,
    );
    return () => plot.destroy();
  }, [props.x, props.series, props.lines, props.marker, props.xLabel]);
  return <div class="chart" ref={ref} role="img" aria-label={props.title} data-testid={props.testid} />;
}
