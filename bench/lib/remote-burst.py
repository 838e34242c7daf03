#!/usr/bin/python3
# N supervisor.sendRemoteCommEvent calls in one system.multicall, over the daemon's unix
# socket (argv[1]), through supervisor's own client; prints the time it was sent.
import sys
import time
from supervisor import childutils

rpc = childutils.getRPCInterface({'SUPERVISOR_SERVER_URL': 'unix://' + sys.argv[1]})
n = int(sys.argv[2])
calls = [{'methodName': 'supervisor.sendRemoteCommEvent', 'params': ['bench', 'event %d' % i]} for i in range(n)]
t = time.time()
rpc.system.multicall(calls)
print('%.6f' % t)
