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

function cpuTicks(pid: number): number | undefined {
  try {
    // Fields after the ")" that closes the command name; utime and stime are the 12th and 13th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
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

/**
 * Samples CPU and resident memory of named groups of processes from /proc once a second. CPU is
 * counted per process from its first to its last sample, so a PostgreSQL backend that exits
 * during the window keeps what it used.
 */
export class ProcessSampler {
  private readonly firstTicks = new Map<number, number>();
  private readonly lastTicks = new Map<number, number>();
  private readonly rssMax = new Map<string, number>();
  private started = process.hrtime.bigint();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pids: ReadonlyMap<string, readonly number[]>) {}

  start(): void {
    this.started = process.hrtime.bigint();
    this.firstTicks.clear();
    this.lastTicks.clear();
    this.rssMax.clear();
    this.sample();
    for (const [pid, ticks] of this.lastTicks) this.firstTicks.set(pid, ticks);
    this.timer = setInterval(() => this.sample(), 1_000);
  }

  stop(): Record<string, ProcessUsage> {
    clearInterval(this.timer);
    this.sample();
    const seconds = Number(process.hrtime.bigint() - this.started) / 1e9;
    const usage: Record<string, ProcessUsage> = {};
    for (const [name, pids] of this.pids) {
      const ticks = pids.reduce(
        (sum, pid) => sum + (this.lastTicks.get(pid) ?? 0) - (this.firstTicks.get(pid) ?? 0),
        0,
      );
      usage[name] = {
        cpuPercent: (ticks / TICKS_PER_SECOND / seconds) * 100,
        rssMaxMb: this.rssMax.get(name) ?? 0,
        rssEndMb: rssOf(pids),
      };
    }
    return usage;
  }

  private sample(): void {
    for (const [name, pids] of this.pids) {
      for (const pid of pids) {
        const ticks = cpuTicks(pid);
        if (ticks !== undefined) this.lastTicks.set(pid, ticks);
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
