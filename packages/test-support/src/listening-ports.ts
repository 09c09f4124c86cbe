/**
 * The TCP ports this process listens on, from Linux's /proc: the LISTEN sockets of
 * /proc/self/net/tcp and tcp6 (every socket of the network namespace) whose inodes are among this
 * process's open file descriptors (/proc/self/fd links to `socket:[inode]`).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const LISTEN = '0A';

function ownSocketInodes(): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (match?.[1]) inodes.add(match[1]);
    } catch {
      // The descriptor was closed while we looked (readdir's own, for one).
    }
  }
  return inodes;
}

/** Sorted, without repeats (a port bound on IPv4 and IPv6 counts once). */
export function listeningPorts(): number[] {
  const own = ownSocketInodes();
  const ports = new Set<number>();
  for (const table of ['/proc/self/net/tcp', '/proc/self/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue; // No IPv6 on this machine.
    }
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
    for (const line of text.trim().split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [, local = '', , state, , , , , , inode = ''] = fields;
      if (state !== LISTEN || !own.has(inode)) continue;
      ports.add(parseInt(local.split(':')[1] ?? '', 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}
