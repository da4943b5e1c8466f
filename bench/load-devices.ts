/**
 * The simulated field devices of `npm run load`: each holds one keep-alive connection and sends its signed actas
 * one after another (a photo upload first, for some), backing off on 429/503 as the field client does. Bodies
 * are signed before the clock starts: signing is the device's time, not the server's. undici's Pool keeps the
 * client's own CPU per request low, since it shares this machine's cores with the server it measures.
 */
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';

/** What one device sends for one acta. */
export interface PlannedActa {
  readonly photo?: { readonly sha256: string; readonly jpeg: Buffer; readonly headers: Record<string, string> };
  readonly body: Buffer;
}

/** What the devices saw. */
export interface DeviceRun {
  readonly seconds: number;
  readonly statuses: Map<number, number>;
  readonly latencies: number[];
  readonly retries: number;
  readonly photos: number;
  /** The client's own CPU (user + system), µs. */
  readonly clientCpuUs: number;
}

/**
 * Runs every device's plan against `url` concurrently: as fast as the server answers, or paced so that all
 * devices together offer `ratePerSecond` submissions (each device on its own schedule, staggered).
 */
export async function runDevices(url: string, plans: readonly (readonly PlannedActa[])[], options: { ratePerSecond?: number } = {}): Promise<DeviceRun> {
  const pool = new Pool(url, { connections: plans.length, pipelining: 1 });
  const send = async (method: 'PUT' | 'POST', path: string, body: Buffer, headers: Record<string, string>) => {
    const res = await pool.request({ method, path, body, headers });
    await res.body.dump();
    return { status: res.statusCode, retryAfter: Number(res.headers['retry-after'] ?? 1) };
  };
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let retries = 0;
  let photos = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const interval = options.ratePerSecond ? (1000 * plans.length) / options.ratePerSecond : 0;
  await Promise.all(
    plans.map(async (plan, d) => {
      for (const [k, { photo, body }] of plan.entries()) {
        if (interval) {
          const due = start + interval * (k + d / plans.length) - performance.now();
          if (due > 0) await new Promise((r) => setTimeout(r, due));
        }
        if (photo) {
          const res = await send('PUT', `/api/v1/images/${photo.sha256}`, photo.jpeg, photo.headers);
          if (res.status === 201 || res.status === 200) photos += 1;
          else statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }
        const t0 = performance.now();
        for (;;) {
          const res = await send('POST', '/api/v1/actas', body, { 'content-type': 'application/json' });
          if (res.status === 429 || res.status === 503) {
            retries += 1;
            await new Promise((r) => setTimeout(r, 1000 * res.retryAfter * Math.random()));
            continue;
          }
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          break;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await pool.close();
  return { seconds, statuses, latencies, retries, photos, clientCpuUs: cpu.user + cpu.system };
}

/** User + system CPU milliseconds a process has used, from /proc (Linux); NaN elsewhere. */
export function processCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}
