import fs from 'node:fs';
import os from 'node:os';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const PAGE_SIZE = 4096;

export interface ProcessUsage {
  /** CPU time over the window as a share of one core (100 = one core busy all the time). */
  readonly cpuPercent: number;
  readonly rssMaxMb: number;
  readonly rssEndMb: number;
}

interface Stat {
  /** utime + stime so far, in ticks. */
  readonly ticks: number;
  /** When the process started, in ticks since boot. */
  readonly startTicks: number;
}

function statOf(pid: number): Stat | undefined {
  try {
    // Fields after the ")" that closes the command name: utime and stime are the 12th and 13th,
    // starttime the 20th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ticks: Number(fields[11]) + Number(fields[12]), startTicks: Number(fields[19]) };
  } catch {
    return undefined;
  }
}

function uptimeTicks(): number {
  return Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * TICKS_PER_SECOND;
}

function rssMb(pid: number): number {
  try {
    const pages = Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return (pages * PAGE_SIZE) / 1024 / 1024;
  } catch {
    return 0;
  }
}

/** A PostgreSQL server and its backends (one process per connection), found through /proc. */
export function postgresProcesses(postmaster: number): number[] {
  const children = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === postmaster ? [Number(d)] : [];
      } catch {
        return [];
      }
    });
  return [postmaster, ...children];
}

/** CPU seconds the processes have used so far; one that has exited counts for nothing. */
export function cpuSecondsOf(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + (statOf(pid)?.ticks ?? 0), 0) / TICKS_PER_SECOND;
}

/** Named groups of processes, listed again at every sample (PostgreSQL forks a backend per connection). */
export type ProcessGroups = () => ReadonlyMap<string, readonly number[]>;

/**
 * Samples CPU and resident memory of named groups of processes from /proc once a second. The
 * groups are listed at every sample, so a PostgreSQL backend that a pool opens mid-window is
 * counted: from zero if it started inside the window, else from its first sample. A process that
 * exits keeps what it used up to its last sample.
 */
export class ProcessSampler {
  private readonly firstTicks = new Map<number, number>();
  private readonly lastTicks = new Map<number, number>();
  private readonly groupOf = new Map<number, string>();
  private readonly rssMax = new Map<string, number>();
  private started = process.hrtime.bigint();
  private startedTicks = 0;
  private ownCpuAtStart = process.cpuUsage();
  private timer: NodeJS.Timeout | undefined;
  private current = new Map<string, readonly number[]>();

  constructor(private readonly groups: ProcessGroups) {}

  start(): void {
    this.started = process.hrtime.bigint();
    this.startedTicks = uptimeTicks();
    this.ownCpuAtStart = process.cpuUsage();
    for (const m of [this.firstTicks, this.lastTicks, this.groupOf, this.rssMax]) m.clear();
    this.sample(true);
    this.timer = setInterval(() => this.sample(false), 1_000);
  }

  stop(): { processes: Record<string, ProcessUsage>; loadGenerator: ProcessUsage } {
    clearInterval(this.timer);
    this.sample(false);
    const seconds = Number(process.hrtime.bigint() - this.started) / 1e9;
    const processes: Record<string, ProcessUsage> = {};
    for (const name of this.current.keys()) {
      let ticks = 0;
      for (const [pid, group] of this.groupOf)
        if (group === name) ticks += this.lastTicks.get(pid)! - this.firstTicks.get(pid)!;
      processes[name] = {
        cpuPercent: (ticks / TICKS_PER_SECOND / seconds) * 100,
        rssMaxMb: this.rssMax.get(name) ?? 0,
        rssEndMb: rssOf(this.current.get(name)!),
      };
    }
    // The benchmark itself (load generator, sampler, counters) is measured apart, never in the system.
    const own = process.cpuUsage(this.ownCpuAtStart);
    const loadGenerator = {
      cpuPercent: ((own.user + own.system) / 1e6 / seconds) * 100,
      rssMaxMb: process.memoryUsage().rss / 1024 / 1024,
      rssEndMb: process.memoryUsage().rss / 1024 / 1024,
    };
    return { processes, loadGenerator };
  }

  private sample(first: boolean): void {
    this.current = new Map(this.groups());
    for (const [name, pids] of this.current) {
      for (const pid of pids) {
        const stat = statOf(pid);
        if (stat === undefined) continue;
        if (!this.firstTicks.has(pid)) {
          const bornInside = !first && stat.startTicks >= this.startedTicks;
          this.firstTicks.set(pid, bornInside ? 0 : stat.ticks);
          this.groupOf.set(pid, name);
        }
        this.lastTicks.set(pid, stat.ticks);
      }
      this.rssMax.set(name, Math.max(this.rssMax.get(name) ?? 0, rssOf(pids)));
    }
  }
}

// Shared memory counts in each PostgreSQL backend's RSS: a group's sum overstates it.
const rssOf = (pids: readonly number[]) => pids.reduce((t, pid) => t + rssMb(pid), 0);

/** Busy share of the whole machine over a window, from /proc/stat (100 = every core busy). */
export function machineCpu(): () => number {
  const read = () => {
    const [, ...f] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const n = f.map(Number);
    const idle = n[3]! + n[4]!;
    return { idle, total: n.reduce((a, b) => a + b, 0) };
  };
  const first = read();
  return () => {
    const last = read();
    return (1 - (last.idle - first.idle) / (last.total - first.total)) * 100;
  };
}

export const CORES = os.cpus().length;
