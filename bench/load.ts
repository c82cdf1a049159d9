// The load generator, in its own process so that it never shares an event loop
// with the server it measures. The bench forks it and sends one LoadSpec over
// IPC: phases run one after the other with autocannon, each at a fixed number
// of connections for a fixed time; it answers with one LoadResult a phase
// (null for warm-up phases, whose numbers are thrown away).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon, { type Request, type Result } from 'autocannon';

/** One kind of call. Each connection cycles through the spec's calls in order. */
export interface CallSpec {
  path: string;
  /** Bearer token; omitted for the raw echo server. */
  token?: string;
  /** Request bodies to cycle through (one call, one body)... */
  bodies?: string[];
  /** ...or a body in which "{n}" becomes a number unique in this process (and "{run}" the spec's run id). */
  template?: string;
}

/** One stretch of load: a fixed number of connections for a fixed time. */
export interface Phase {
  /** One server, or several sharing the connections round-robin. */
  url: string | string[];
  connections: number;
  seconds: number;
  calls: CallSpec[];
  /** A warm-up phase is run and its numbers thrown away. */
  warmup?: boolean;
  /** Server processes whose CPU time the phase reports (Linux /proc). */
  cpuOf?: number[];
}

export interface LoadSpec {
  /** Makes template bodies unique across load processes and runs. */
  runId: string;
  /** Run one after the other, each on fresh connections. */
  phases: Phase[];
}

export interface LoadResult {
  rps: number;
  requests: number;
  seconds: number;
  latency: { p50: number; p99: number; mean: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /** CPU time the servers in cpuOf used during the phase (user + system), when /proc tells. */
  serverCpuMs?: number;
}

let counter = 0;

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU time of a process so far, in ms; undefined off Linux. */
function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is the first, utime the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

function totalCpuMs(pids: number[] | undefined): number | undefined {
  if (!pids?.length) return undefined;
  let total = 0;
  for (const pid of pids) {
    const ms = cpuMs(pid);
    if (ms === undefined) return undefined;
    total += ms;
  }
  return total;
}

function request(call: CallSpec, runId: string): Request {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (call.token) headers.authorization = `Bearer ${call.token}`;
  const base: Request = { method: 'POST', path: call.path, headers };
  if (call.template !== undefined) {
    const template = call.template.replaceAll('{run}', runId);
    return { ...base, setupRequest: (req) => ({ ...req, body: template.replaceAll('{n}', String(counter++)) }) };
  }
  const bodies = call.bodies ?? ['{}'];
  if (bodies.length === 1) return { ...base, body: bodies[0] };
  let next = 0;
  return { ...base, setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) };
}

function run(phase: Phase, runId: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon({
      url: phase.url,
      connections: phase.connections,
      duration: phase.seconds,
      timeout: 30,
      requests: phase.calls.map((call) => request(call, runId)),
    }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

function summary(result: Result): LoadResult {
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = count;
  return {
    rps: result.requests.total / result.duration,
    requests: result.requests.total,
    seconds: result.duration,
    latency: { p50: result.latency.p50, p99: result.latency.p99, mean: result.latency.mean, max: result.latency.max },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
  };
}

process.once('message', (message) => {
  const spec = message as LoadSpec;
  (async () => {
    const results: (LoadResult | null)[] = [];
    for (const phase of spec.phases) {
      const cpuBefore = totalCpuMs(phase.cpuOf);
      const result = await run(phase, spec.runId);
      const cpuAfter = totalCpuMs(phase.cpuOf);
      const serverCpuMs = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
      results.push(phase.warmup ? null : { ...summary(result), serverCpuMs });
    }
    process.send!({ ok: true, results }, () => process.exit(0));
  })().catch((error: unknown) => {
    process.send!({ ok: false, error: String(error) }, () => process.exit(1));
  });
});
