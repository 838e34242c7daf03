#!/usr/bin/python3
# N (argv[2]) supervisor.sendRemoteCommEvent calls in one system.multicall, over the
# daemon's unix socket (argv[1]), through supervisor's own client; then, with argv[3],
# startProcess(argv[3]) (the listener, so that it finds them all buffered). Prints the
# time of the last call.
import sys
import time
from supervisor import childutils

rpc = childutils.getRPCInterface({'SUPERVISOR_SERVER_URL': 'unix://' + sys.argv[1]})
n = int(sys.argv[2])
calls = [{'methodName': 'supervisor.sendRemoteCommEvent', 'params': ['bench', 'event %d' % i]} for i in range(n)]
rpc.system.multicall(calls)
t = time.time()
if len(sys.argv) > 3:
    rpc.supervisor.startProcess(sys.argv[3], False)
print('%.6f' % t)
