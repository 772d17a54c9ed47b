/**
 * CPU time a process has used (user + system), read from `/proc/<pid>/stat` on Linux. The gateway
 * benchmark divides it by the requests a load run served: CPU per request is what caps one process's
 * requests/s, and unlike requests/s it barely moves when other work shares the machine's cores.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** Milliseconds of CPU `pid` has used so far; undefined off Linux or when the process is gone. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command (which may hold spaces) start after the last ')'; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return (ticks * 1000) / ticksPerSecond;
}

/**
 * The process ids `pid` started and that still run (`/proc/<pid>/task/<pid>/children`): the cluster
 * workers of a `--workers n` gateway, whose CPU is the gateway's (the primary only hands connections out).
 */
export function childPids(pid: number | undefined): number[] {
  if (pid === undefined || process.platform !== 'linux') return [];
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter((id) => id !== '')
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * Milliseconds of busy CPU of the whole machine so far (every core's user, nice, system, irq,
 * softirq and steal time from `/proc/stat`; idle and iowait left out): the kernel's loopback work
 * that no process is charged for shows up here, and so does every other process on the box.
 */
export function machineBusyMs(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] as string;
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  const ticks = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return (ticks * 1000) / ticksPerSecond;
}
