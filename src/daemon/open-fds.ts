// prom-client's default process_open_fds, counted without listing /proc/self/fd: since
// Linux 6.2 the size stat(2) gives for a process's fd directory is its count of open fds
// (fs/proc/fd.c, proc_fd_getattr). Listing 4,000 of them (a daemon with 1,000 children)
// was a tenth of a scrape's cost. An older kernel reports 0 there; it is listed then,
// as prom-client does.
import { readdirSync, statSync } from 'node:fs';
import { Gauge, type Registry } from 'prom-client';

const FD_DIR = '/proc/self/fd';

function openFds(): number | null {
  try {
    const size = statSync(FD_DIR).size;
    // the listing's own fd, open while it runs, is not one of ours
    return size > 0 ? size : readdirSync(FD_DIR).length - 1;
  } catch {
    return null;
  }
}

/** The gauge, under prom-client's name and help text. */
export function openFdsGauge(registry: Registry): void {
  if (openFds() === null) return;
  new Gauge({
    name: 'process_open_fds',
    help: 'Number of open file descriptors.',
    registers: [registry],
    collect() {
      const n = openFds();
      if (n !== null) this.set(n);
    },
  });
}
