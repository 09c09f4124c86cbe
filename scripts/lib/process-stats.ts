/**
 * What a process tree costs, from Linux's /proc: its resident memory and the CPU time it has used.
 * `npm start` runs tsx, which runs node; function workers are threads of that node, so they count
 * with it. Elsewhere (no /proc) the figures are undefined.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** The fields of /proc/<pid>/stat after `comm`, which may hold spaces: [state, ppid, …]. */
function statFields(pid: number | string): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The process and all its descendants. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(statFields(entry)[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const tree: number[] = [];
  const visit = (pid: number): void => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return tree;
}

/** The sum of `measure` over a process tree (a process that ends meanwhile counts nothing). */
function sumOverTree(root: number, measure: (pid: number) => number): number | undefined {
  if (!existsSync(`/proc/${root}`)) return undefined;
  let sum = 0;
  for (const pid of processTree(root)) {
    try {
      sum += measure(pid);
    } catch {
      // The process ended while we looked.
    }
  }
  return sum;
}

/** Resident memory of a process tree in MB. */
export function rssMb(root: number): number | undefined {
  const kilobytes = sumOverTree(root, (pid) => {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Number(match?.[1] ?? 0);
  });
  return kilobytes === undefined ? undefined : kilobytes / 1024;
}

let ticksPerSecond: number | undefined;

/** Clock ticks per second of /proc's times (sysconf CLK_TCK, 100 on Linux as a rule). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU seconds used so far by a process tree (every thread of each process). */
export function cpuSeconds(root: number): number | undefined {
  const ticks = sumOverTree(root, (pid) => {
    // utime and stime are fields 14 and 15 of the stat line, 12th and 13th after comm.
    const fields = statFields(pid);
    return Number(fields[11]) + Number(fields[12]);
  });
  return ticks === undefined ? undefined : ticks / clockTicks();
}
