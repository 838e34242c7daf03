#!/usr/bin/python3
# The bench's event listener: acknowledges each event at once (RESULT and the next READY
# in one write) and appends `<time.time()> <eventname>` per event to argv[1]. Raw bytes,
# no childutils: the listener should cost as little as it can, so the daemon's part shows.
import sys
import time

out = open(sys.argv[1], 'a', buffering=1)
stdin = sys.stdin.buffer
stdout = sys.stdout.buffer
stdout.write(b'READY\n')
stdout.flush()
while True:
    line = stdin.readline()
    if not line:
        break
    headers = dict(token.split(b':', 1) for token in line.split())
    stdin.read(int(headers[b'len']))  # the payloads here are ASCII: len is bytes too
    out.write('%.6f %s\n' % (time.time(), headers[b'eventname'].decode()))
    stdout.write(b'RESULT 2\nOKREADY\n')
    stdout.flush()
