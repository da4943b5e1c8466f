/** A QR code drawn as SVG paths (uqr encodes; nothing is injected as HTML). */
import { encode } from 'uqr';

/** The QR code of `text`, `size` CSS pixels wide. */
export function Qr({ text, size = 240, label }: { text: string; size?: number; label: string }) {
  const qr = encode(text, { ecc: 'L', border: 2 });
  let d = '';
  qr.data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) d += `M${x} ${y}h1v1h-1z`;
    });
  });
  return (
    <svg class="qr" role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${qr.size} ${qr.size}`} shape-rendering="crispEdges" data-modules={qr.size}>
      <rect width={qr.size} height={qr.size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
