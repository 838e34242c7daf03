#!/usr/bin/python3
# The daemon's side of the listener protocol in plain Python with blocking reads, nothing
# else: ack-listener.py (argv[1]) takes argv[2] events from it, stamped into argv[3]. What
# any daemon can reach with this listener on this machine; bench/events-floor.ts reads it.
# Prints the CPU (user + system) this process spent, in seconds.
import os
import subprocess
import sys
import time

listener, n, stamps = sys.argv[1], int(sys.argv[2]), sys.argv[3]
t0 = time.process_time()
child = subprocess.Popen([listener, stamps], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
to_child, from_child = child.stdin.fileno(), child.stdout.fileno()


def expect(count):
    # The listener's answers are fixed bytes: counting them is all the parsing needed.
    while count > 0:
        count -= len(os.read(from_child, 65536))


expect(len(b'READY\n'))
for i in range(n):
    payload = 'type:bench\n\nevent %d' % i
    envelope = 'ver:3.0 server:supervisor serial:%d pool:ack poolserial:%d eventname:REMOTE_COMMUNICATION len:%d\n%s' % (i, i, len(payload), payload)
    os.write(to_child, envelope.encode())
    expect(len(b'RESULT 2\nOKREADY\n'))
t1 = time.process_time()
child.stdin.close()
child.wait()
print('%.6f' % (t1 - t0))
