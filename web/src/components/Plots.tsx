/** Small canvas plots for the forensics tests: a density heatmap and a bar histogram, with text alternatives. */
import { useEffect, useRef } from 'preact/hooks';

/** A bins×bins count grid (index = x·bins + y, e.g. turnout × share), log-scaled, dark = many. */
export function Heatmap({ bins, counts, label }: { bins: number; counts: readonly number[]; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx || bins <= 0) return;
    const size = 4;
    const max = Math.log1p(Math.max(1, ...counts));
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, bins * size, bins * size);
    counts.forEach((c, i) => {
      if (!c) return;
      const v = Math.log1p(c) / max;
      ctx.fillStyle = `rgba(16, 35, 63, ${0.15 + 0.85 * v})`;
      // x from the outer index, y from the inner one, y = 0 at the bottom as an axis reads.
      ctx.fillRect(Math.floor(i / bins) * size, (bins - 1 - (i % bins)) * size, size, size);
    });
  }, [bins, counts]);
  return <canvas ref={ref} width={bins * 4} height={bins * 4} class="heatmap" role="img" aria-label={label} />;
}

/** Bars of a histogram (and an expected line, when given). */
export function Bars({ values, expected, label }: { values: readonly number[]; expected?: readonly number[] | undefined; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const width = Math.max(200, Math.min(600, values.length * 6));
  const height = 90;
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx || !values.length) return;
    const max = Math.max(1, ...values, ...(expected ?? []));
    const w = width / values.length;
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = '#0b4fa8';
    values.forEach((v, i) => ctx.fillRect(i * w, height - (height * v) / max, Math.max(1, w - (w > 3 ? 1 : 0)), (height * v) / max));
    if (expected) {
      ctx.strokeStyle = '#b00020';
      ctx.lineWidth = 2;
      ctx.beginPath();
      expected.forEach((e, i) => (i ? ctx.lineTo((i + 0.5) * w, height - (height * e) / max) : ctx.moveTo((i + 0.5) * w, height - (height * e) / max)));
      ctx.stroke();
    }
  }, [values, expected, width]);
  return <canvas ref={ref} width={width} height={height} class="bars" role="img" aria-label={label} />;
}
