/** Renders JSON of unknown shape as nested definition lists and tables: for APIs still being built elsewhere. */
import { useI18n } from '../i18n/index.ts';

const MAX_ROWS = 200;

// JSON.stringify returns undefined for undefined, functions and symbols; the lib's type says `string`.
const stringify = JSON.stringify as (value: unknown) => string | undefined;

/** A JSON value as text: strings as they are, other scalars as String() writes them, arrays and objects as JSON. */
export function jsonText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v === null || v === undefined) return String(v);
  return stringify(v) ?? typeof v; // functions and symbols, never in parsed JSON
}

function Scalar({ v }: { v: unknown }) {
  const { n } = useI18n();
  if (v === null || v === undefined) return <span class="empty">—</span>;
  if (typeof v === 'number') return <span>{Number.isInteger(v) ? n(v) : v.toFixed(4)}</span>;
  if (typeof v === 'boolean') return <span>{v ? '✓' : '✗'}</span>;
  return <span>{jsonText(v)}</span>;
}

/** Any JSON value, depth-limited. */
export function JsonView({ value, depth = 0 }: { value: unknown; depth?: number }) {
  if (value === null || typeof value !== 'object') return <Scalar v={value} />;
  if (depth > 4) return <code>{JSON.stringify(value).slice(0, 200)}</code>;
  if (Array.isArray(value)) {
    const rows: unknown[] = value.slice(0, MAX_ROWS);
    const objects = rows.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r));
    if (objects && rows.length) {
      const columns = [...new Set(rows.flatMap((r) => Object.keys(r as object)))].slice(0, 12);
      return (
        <div class="scroll">
          <table class="json">
            <thead><tr>{columns.map((c) => <th scope="col" key={c}>{c}</th>)}</tr></thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>{columns.map((c) => <td key={c}><JsonView value={(r as Record<string, unknown>)[c]} depth={depth + 1} /></td>)}</tr>
              ))}
            </tbody>
          </table>
          {value.length > MAX_ROWS && <p>… {value.length - MAX_ROWS}</p>}
        </div>
      );
    }
    return <span>{rows.map((r, i) => <span key={i}>{i > 0 && ', '}<JsonView value={r} depth={depth + 1} /></span>)}</span>;
  }
  return (
    <dl class="json">
      {Object.entries(value as Record<string, unknown>).map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd><JsonView value={v} depth={depth + 1} /></dd>
        </div>
      ))}
    </dl>
  );
}
