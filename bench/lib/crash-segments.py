#!/usr/bin/python3
# Where one crash → restart cycle goes, from kernel tracepoints: reads `perf script` output
# of a daemon restarting `/bin/sleep 0.05` (bench/lib/configs.ts crashing()) and prints the
# median of each segment. Record it with:
#   perf record -o trace.data -a -e sched:sched_process_fork,sched:sched_process_exec,\
#     sched:sched_process_exit,signal:signal_generate,syscalls:sys_exit_wait4 -- <daemon>
#   perf script -i trace.data | bench/lib/crash-segments.py
# -a sees every process on the machine (it must: a child's SIGCHLD is sent after perf stops
# following it). Where other work runs /bin/sleep too, keep the daemon's children only:
#   perf script -i trace.data -F comm,pid,tid,cpu,time,event,trace | bench/lib/crash-segments.py --pid <daemon's pid>
# A child may be forked by any thread of the daemon (statevisord spawns on libuv's pool);
# the reap is the wait4 that returns the child's pid, on whichever thread.
#
# With --pid, and syscalls:sys_enter_epoll_pwait,syscalls:sys_exit_epoll_pwait (libuv's
# poll; add the epoll_wait pair on other builds) in the record, three more rows say when
# the daemon's main thread (its tid is its pid) woke for the exit, and how long it ran from
# the reap until it went back to its poll: the exit's handling up to the next spawn's
# submission, and what the thread does after it. The last row is the wait from then to the
# fork on libuv's pool (negative when the fork came first).
# --from N leaves out the first N cycles (3), --count M keeps M after them (all): a
# daemon's first cycles run code V8 has not compiled yet, later ones run it warm.
import re
import statistics
import sys


def option(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


SLEEP_MS = 50
daemon = option('--pid', None)
skip = int(option('--from', 3))
count = int(option('--count', 0)) or None
fork, exe, exit_, sigchld, reaped, order = {}, {}, {}, {}, {}, []
wakes, idles = [], []
for line in sys.stdin:
    m = re.search(r'(\d+\.\d+):\s+(\S+):', line)
    if not m:
        continue
    t, event, fields = float(m.group(1)) * 1000, m.group(2), line.split()
    # the second field is the thread, or `process/thread` under -F comm,pid,tid,…
    owner, _, thread = fields[1].rpartition('/')
    fields[1] = thread
    if event == 'sched:sched_process_fork':
        if daemon is not None and owner != daemon:
            continue
        child = re.search(r'child_pid=(\d+)', line).group(1)
        fork[child] = t
        order.append(child)
    elif event == 'sched:sched_process_exec' and 'filename=/bin/sleep' in line:
        exe[fields[1]] = t
    elif event == 'sched:sched_process_exit' and fields[0] == 'sleep':
        exit_[fields[1]] = t
    elif event == 'signal:signal_generate' and 'sig=17' in line and fields[0] == 'sleep':
        sigchld.setdefault(fields[1], t)
    elif event == 'syscalls:sys_exit_wait4' and fields[-1] != '0x0' and not fields[-1].startswith('0xf'):
        reaped.setdefault(str(int(fields[-1], 16)), t)
    elif event.startswith('syscalls:sys_exit_epoll') and thread == daemon:
        wakes.append(t)
    elif event.startswith('syscalls:sys_enter_epoll') and thread == daemon:
        idles.append(t)


def first_after(times, t):
    return next((x for x in times if x >= t), None)


kids = [c for c in order if c in exe and c in exit_ and c in sigchld and c in reaped]
rows = []
for a, b in zip(kids, kids[1:]):
    row = [fork[b] - fork[a] - SLEEP_MS, exe[a] - fork[a], exit_[a] - exe[a] - SLEEP_MS, sigchld[a] - exit_[a], reaped[a] - sigchld[a], fork[b] - reaped[a]]
    wake, idle = first_after(wakes, exit_[a]), first_after(idles, reaped[a])
    if wake is not None and idle is not None:
        row += [wake - exit_[a], reaped[a] - wake, idle - reaped[a], fork[b] - idle]
    rows.append(row)
rows = rows[skip:][:count]
if not rows:
    sys.exit('no complete cycles of /bin/sleep in the trace')
names = ['cycle, over the 50 ms', 'fork → exec', 'exec → exit, over the 50 ms (the program)', 'exit → SIGCHLD', 'SIGCHLD → reaped', 'reaped → next fork',
         'exit → main thread wakes', 'main thread wakes → reaped', 'reaped → main thread polls again', 'main thread polls → next fork']
print(f'{len(rows)} cycles from the {skip + 1}th, medians in ms')
for i, name in enumerate(names):
    values = [r[i] for r in rows if len(r) > i]
    if values:
        print(f'  {name:44s} {statistics.median(values):7.3f}')
