#!/usr/bin/python3
# Lives argv[2] seconds, appends the time it exits at to argv[1], and exits 0.
import os
import sys
import time

time.sleep(float(sys.argv[2]))
with open(sys.argv[1], 'a') as f:
    f.write('%.6f\n' % time.time())
os._exit(0)
