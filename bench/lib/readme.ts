// bench/README.md, rewritten by each run. Sections a run did not measure (--flags, --heap,
// the config loader) keep what the last run that measured them wrote, with its date.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STATEVISORD_FLAGS } from '../../scripts/statevisord-command.ts';
import { ROOT } from './daemon.ts';
import type { Machine } from './proc.ts';

export interface Sections { main?: string; events?: string; capture?: string; rpc?: string; soak?: string; lifecycle?: string; metrics?: string; scaling?: string; config?: string; flags?: string; heap?: string; profile?: string; web?: string }

const FILE = join(ROOT, 'bench', 'README.md');
const mark = (name: string, end = false) => `<!-- ${name}:${end ? 'end' : 'start'} -->`;

function previous(name: keyof Sections): string | null {
  if (!existsSync(FILE)) return null;
  const text = readFileSync(FILE, 'utf8');
  const a = text.indexOf(mark(name)), b = text.indexOf(mark(name, true));
  return a >= 0 && b > a ? text.slice(a + mark(name).length, b).trim() : null;
}

const stamp = (d: Date) => d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

export function writeReadme(s: Sections, m: Machine, started: Date, o: { quick: boolean; stale: string | null }): void {
  const when = `Measured ${stamp(started)} on ${m.nproc} × ${m.model} (${m.memGiB} GiB, Linux ${m.kernel}); Node ${m.node}, Python ${m.python}, supervisor ${m.supervisor}; load average at start ${m.load}${o.quick ? '; --quick' : ''}.`;
  const section = (name: keyof Sections, title: string, how: string) => {
    const body = s[name] ? `${when}\n\n${s[name]}` : previous(name) ?? `Not measured yet: \`${how}\`.`;
    return `## ${title}\n\n${mark(name)}\n${body}\n${mark(name, true)}\n`;
  };
  const text = `# Benchmarks: statevisord beside supervisord

\`npm run bench\` runs both daemons, one after the other, on identical generated configs in
temp dirs (\`nodaemon = true\`, the programs below, AUTO child logs), and watches them from
outside only: the main log lines on their stdout (timed as they arrive), \`/proc/<pid>/stat\`
and \`/proc/<pid>/status\` of the daemon process alone, and signals. Every process a case
starts carries a tag in its environment; at the end of each case (and if the bench dies)
everything with the tag is SIGKILLed, whatever process group or session it is in.
It takes a few minutes (supervisord alone needs minutes to start 1,000 programs) and is
never part of \`npm test\`. \`bin/statevisord\` runs \`dist/\`: \`npm run build\` first.
statevisord runs under the Node flags of \`bin/statevisord\`'s shebang line
(\`${STATEVISORD_FLAGS.join(' ')}\`), as a user's daemon does; \`--flags\` sets its variants on top of them.

| option | what |
|---|---|
| \`--quick\` | 15 crash cycles, 10 s idle window, 1,000 programs for statevisord only |
| \`--only=crash,200,1000,config,events,capture,rpc,lifecycle,metrics\` | a subset of the tables (metrics is only run when named) |
| \`--only=scaling\` | N = 10, 100, 200, 1,000, 2,000 sleepers on each daemon: launch, RSS, stopAllProcesses (not in the default set) |
| \`--only=soak\` (\`--minutes=M\`) | 300 flapping programs for M minutes (10) on each daemon: RSS and fds every 30 s |
| \`--flags\` (\`--flags-n=N\`) | statevisord under Node/V8 memory flags, N programs (1,000) |
| \`--heap\` | heap snapshot of statevisord idle with 1,000 programs, summed by class |
| \`--profile\` (\`--profile=N\`) | statevisord's CPU profile: launch and stop of N programs (1,000), crash cycles |
| \`--web\` (\`--web=N\`) | the web page in headless Chromium with N programs (1,000): first render, Restart all |
| \`--no-readme\` | do not rewrite this file |

What each row measures:
- **crash → restart**: \`[program:crash] command=/bin/sleep 0.05, startsecs=0, autorestart=true\`;
  time from one \`spawned:\` line to the next, minus the program's 50 ms; median of 30 cycles
  after 3 warm-up ones. "exit → respawn" is the \`exited:\` line to the next \`spawned:\`.
- **launch**: 200 (or 1,000) \`[program:sleep_N] command=/bin/sleep 100000, startsecs=1\`, each its
  own group; from the daemon's exec to the last \`success:\` line. "daemon CPU" is its
  utime+stime at that moment.
- **RSS**: VmRSS of the daemon process, 5 s after the last \`success:\` and again after the idle
  window; RssAnon is its private part (VmRSS less the mapped executable and libraries: about
  34 MB of a Node process, 5 MB of Python's, are file pages shared with every other run).
- **idle CPU**: utime+stime over the idle window after that, as % of one core (one clock
  tick, 10 ms, is 0.05 % of a 20 s window).
- **stop all**: SIGTERM to the daemon's exit, all programs running.
- **events** (bench/events.ts): one \`[eventlistener:ack]\` running bench/lib/ack-listener.py,
  which answers \`RESULT 2\\nOK\` and \`READY\` in one write and stamps each event as it reads
  it. Events per second: 2,000 \`sendRemoteCommEvent\` calls in one \`system.multicall\`
  while the listener is stopped (\`autostart=false\`, a buffer big enough for all), then
  \`startProcess\` of the listener; first to last event at the listener. "Daemon CPU per
  event" is the daemon's utime+stime from \`startProcess\` to the last event, over the
  events: its own cost, which the machine's load moves far less than the rate. The same
  again with 20,000 events shows the rate past the JIT's warm-up (2,000 events on a fresh
  daemon are mostly warm-up). \`node --import tsx bench/profile-events.ts [N]\` runs the
  20,000-event case under \`--cpu-prof\` and sums the drain's profile. Exit latency:
  \`[program:blink]\` (bench/lib/blink.py) stamps the time and exits 0 every 0.2 s
  (autorestart); the listener, subscribed to PROCESS_STATE_EXITED, stamps it on arrival;
  median of 20 cycles after 2 warm-up ones.
- **log capture** (bench/capture.ts): \`[program:writer] command=/bin/dd if=/dev/zero bs=128k
  count=2048 status=none\` (256 MB in 128 KiB writes, C speed), startsecs=0, logged to its AUTO
  stdout file with the default rotation (50MB, 10 backups). Time from the \`spawned:\` line to
  the \`exited:\` line (the writer has then handed its last byte to the pipe; both lines come
  the same way, so their lag cancels); the files must then hold all 256 MB. Median of 7 fresh
  daemons of each kind, each run's figure in the notes (supervisord's runs fall in two groups,
  near 220 and near 1,300 MB/s on this machine); beside it, the same dd straight into a file.
- **XML-RPC** (bench/rpc.ts), each daemon serving \`[unix_http_server]\`: \`getAllProcessInfo\` calls
  per second from one client calling back to back on one keep-alive connection, with 200
  (1,000) \`sleep\` programs RUNNING, and the daemon's utime+stime over those calls divided
  by their number; beside it the client's own (the bench process, undecoded replies read
  by node:http), which on the same 2 cores bounds the rate as much as the daemon does
  (1.3 MB per reply at 1,000); and \`startProcess(name, wait=false)\` from 20 clients at
  once, each on its own connection cycling over its own 5 programs (\`/bin/true\`, so each
  has exited before its turn comes round again), latency of each call as its client sees it.
- **soak** (bench/soak.ts): 300 \`[program:flap_N] command=/bin/sh -c 'echo up; sleep S; exit 1'\`
  (S = 0.2, 0.4 … 2.0 s by turns), startsecs=0, autorestart=true, for 10 minutes: the daemon's
  VmRSS and its count of open fds every 30 s, and their least-squares slopes after the first
  minute. Both must be flat, and RSS within 1.5× of the same daemon's with the 300 programs
  sleeping (the same command with \`sleep 100000\`, read 30 s after the last spawn).
- **lifecycle** (bench/lifecycle.ts): a chain of 50 \`[program:link_N]\`, each a Python
  listener on its own port with \`ready_check = tcp:127.0.0.1:PORT\`, \`startsecs = 0\` and
  \`depends_on\` the previous link: exec → the 50th \`success:\` (statevisord only: supervisord
  ignores both keys); beside it, what one listener alone takes to accept on its port. And
  the idle CPU of 200 sleepers with \`health_check = tcp:…\` (one shared listener) and
  \`health_interval = 10\`, over 30 s after one full round, against the same daemon without
  the checks and supervisord on the same file (which ignores them).
- **/metrics** (bench/metrics.ts): 1,000 \`sleep\` programs RUNNING, \`[unix_http_server]\`;
  scrapes back to back on one keep-alive connection after 3 warm-up ones. Daemon CPU per
  scrape is the daemon's utime+stime over all of them, divided by their number. supervisord
  has no /metrics; its column is one \`getAllProcessInfo\` call, which is what an exporter
  for it makes on each scrape.
- **scaling** (bench/scaling.ts): N \`sleep\` programs (startsecs=1, each its own group) with
  \`[unix_http_server]\`: exec → the N-th \`success:\`, VmRSS 1 s later, and one
  \`stopAllProcesses\` call (wait=true) from request to reply; below the table, what one more
  program costs between the two largest N.

The machine is shared: other work on it shows up as noise, mostly in the spawn-bound rows.
${o.stale ? `\n**Warning: ${o.stale}.**\n` : ''}
${section('main', 'Results', 'npm run bench')}
${section('events', 'Events (bench/events.ts)', 'npm run bench -- --only=events')}
${section('capture', 'Child log capture (--only=capture)', 'npm run bench -- --only=capture')}
${section('rpc', 'XML-RPC (--only=rpc)', 'npm run bench -- --only=rpc')}
${section('soak', 'Flapping soak (--only=soak)', 'npm run bench -- --only=soak')}
${section('lifecycle', 'Dependencies, readiness and health checks (--only=lifecycle)', 'npm run bench -- --only=lifecycle')}
${section('metrics', '/metrics (--only=metrics)', 'npm run bench -- --only=metrics')}
${section('scaling', 'Cost per program (--only=scaling)', 'npm run bench -- --only=scaling')}
${section('config', 'Config loader (bench/config-load.ts)', 'npm run bench')}
${section('flags', 'Node flags for statevisord (--flags)', 'npm run bench -- --only= --flags')}
${section('heap', 'Heap of statevisord with 1,000 programs (--heap)', 'npm run bench -- --only= --heap')}
${section('profile', 'CPU profile of statevisord (--profile)', 'npm run bench -- --only= --profile')}
${section('web', 'The web page with 1,000 programs (--web)', 'npm run bench -- --only= --web')}`;
  writeFileSync(FILE, text);
}
