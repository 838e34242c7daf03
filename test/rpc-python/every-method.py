# Drives one daemon (supervisord or statevisord) through every supervisor.* and system.*
# method with Python's xmlrpc.client over supervisor's own transport, as supervisorctl
# does, and prints a JSON transcript: one [label, outcome] per call, outcome being
# {"ok": value}, {"fault": [code, string]}, {"protocol": status} or {"error": text}.
# What differs between two runs of the same daemon is normalised here: pids, times, the
# daemon's temp dir, the random part of AUTO log names.
#
# argv: SOCKET DIR CONF DAEMON_PID. The config (see every-method.test.ts) is rewritten by
# the scenario for reloadConfig; its programs are named in the comments below.
import json
import os
import re
import signal
import sys
import threading
import time
import xmlrpc.client

from supervisor.xmlrpc import SupervisorTransport

SOCKET, DIR, CONF, DAEMON_PID = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def proxy():
    return xmlrpc.client.ServerProxy('http://127.0.0.1', transport=SupervisorTransport(None, None, 'unix://' + SOCKET))


rpc = proxy()
transcript = []


def reconnect():
    global rpc
    rpc = proxy()

AUTO = re.compile(r'---([^/]*)-[a-z0-9_]{8}\.log')
UPTIME = re.compile(r'pid \d+, uptime \d+:\d\d:\d\d')
STOPTIME = re.compile(r'^[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M$')


def norm(v, key=None):
    if isinstance(v, str):
        v = AUTO.sub(r'---\1-<auto>.log', v.replace(DIR, '<dir>'))
        return STOPTIME.sub('<stoptime>', UPTIME.sub('pid <pid>, uptime <uptime>', v))
    if isinstance(v, bool):
        return v
    if isinstance(v, int) and key in ('pid', 'start', 'stop', 'now'):
        return v if v == 0 else '<%s>' % key
    if isinstance(v, list):
        return [norm(x) for x in v]
    if isinstance(v, dict):
        return {k: norm(x, k) for k, x in v.items()}
    return v


def outcome(fn, *args):
    try:
        return {'ok': norm(fn(*args))}
    except xmlrpc.client.Fault as e:
        return {'fault': [e.faultCode, norm(e.faultString)]}
    except xmlrpc.client.ProtocolError as e:
        return {'protocol': e.errcode}
    except Exception as e:
        return {'error': '%s: %s' % (type(e).__name__, e)}


def call(method, *args, label=None, via=None, shape=None):
    """Call and record; shape(outcome) may reduce what is recorded (said where used)."""
    fn = getattr(via or rpc, method)
    out = outcome(fn, *args)
    if 'protocol' in out or 'error' in out:
        reconnect()  # the transport does not read a failed reply: its connection is stuck
    if shape and 'ok' in out:
        out = {'ok': shape(out['ok'])}
    transcript.append([label or '%s%s' % (method, json.dumps(list(args))), out])
    return out.get('ok')


def until(what, probe, timeout=20):
    """Polls until probe() is truthy (supervisord acts on 1 s ticks); only a timeout is recorded."""
    deadline = time.time() + timeout
    while True:
        try:
            v = probe()
            if v:
                return v
        except Exception:
            reconnect()  # a failed request leaves http.client's connection unusable
        if time.time() > deadline:
            transcript.append(['waiting for ' + what, 'timed out'])
            return None
        time.sleep(0.05)


def state(name):
    return rpc.supervisor.getProcessInfo(name)['statename']


def by_name(results):
    # stop*(wait=True) results arrive as each process is reaped; supervisord collects them
    # on its ticks, so two processes that die together may come in either order.
    return sorted(results, key=lambda r: (r['group'], r['name']))


# statevisord also publishes statevisor.* (its own methods, which supervisorctl never
# calls). The comparison takes supervisor.* and system.*; the statevisor.* ones go to
# entries labelled `statevisor…`, which every-method.test.ts checks apart.
OWN = 'statevisor.'


def supervisors(names):
    return [m for m in names if not m.startswith(OWN)]


def write_conf(text):
    with open(CONF, 'w') as f:
        f.write(text)


ORIGINAL = open(CONF).read()

# --- identity and state -------------------------------------------------------------------
call('supervisor.getAPIVersion')
call('supervisor.getVersion')
call('supervisor.getSupervisorVersion')
call('supervisor.getIdentification')
call('supervisor.getState')
call('supervisor.getPID', label='getPID is the daemon', shape=lambda pid: pid == DAEMON_PID)

# --- system.* -----------------------------------------------------------------------------
methods = call('system.listMethods', shape=supervisors)
for m in methods or []:
    call('system.methodSignature', m)
    call('system.methodHelp', m)
own = [m for m in rpc.system.listMethods() if m.startswith(OWN)]
transcript.append(['statevisor.* methods', {'ok': own}])
for m in own:
    call('system.methodSignature', m, label='statevisor: system.methodSignature ' + m)
    call('system.methodHelp', m, label='statevisor: system.methodHelp ' + m)
for args in [('nope',), ('grp:*',), ()]:
    call('statevisor.restartProcess', *args, label='statevisor: restartProcess%s' % json.dumps(list(args)))
for bad in ['nope', 'supervisor.nope', 'supervisor._update', 'system.nope']:
    call('system.methodHelp', bad)
    call('system.methodSignature', bad)
call('system.methodHelp')
call('supervisor.nope')
call('supervisor._update', 'x')
call('a.b.c')
call('nope')
call('supervisor.getPID', 1, label='getPID with an argument')
call('supervisor.startProcess')
call('supervisor.startProcess', 'sleeper', True, 1)

# --- the processes at start: sleeper, echoer, grp:a, grp:b, deaf run; the rest do not ---
until('autostart programs RUNNING', lambda: all(state(n) == 'RUNNING' for n in ['sleeper', 'echoer', 'grp:a', 'grp:b', 'deaf']))
until('echoer output', lambda: rpc.supervisor.readProcessStderrLog('echoer', 0, 0))
call('supervisor.getAllProcessInfo')
call('supervisor.getAllConfigInfo')
for name in ['sleeper', 'grp:a', 'nolog', 'nope', 'grp:*', 'grp:', 'grp:nope', 'a']:
    call('supervisor.getProcessInfo', name)

# --- process logs (echoer wrote "out-line\n" and "err-line\n") ----------------------------
for method in ['readProcessStdoutLog', 'readProcessLog', 'readProcessStderrLog']:
    for args in [('echoer', 0, 0), ('echoer', 4, 3), ('echoer', -3, 0), ('echoer', -100, 0), ('echoer', 100, 0),
                 ('echoer', -1, 5), ('echoer', 0, -1), ('nolog', 0, 0), ('nope', 0, 0), ('grp:*', 0, 0)]:
        call('supervisor.' + method, *args)
for method in ['tailProcessStdoutLog', 'tailProcessLog', 'tailProcessStderrLog']:
    for args in [('echoer', 0, 100), ('echoer', 0, 2), ('echoer', 5, 100), ('echoer', 100, 10), ('echoer', 0, 0),
                 ('nolog', 0, 10), ('nope', 0, 10)]:
        call('supervisor.' + method, *args)
# supervisor converts offsets with int(): a numeric string or a double is accepted
call('supervisor.readProcessStdoutLog', 'echoer', '4', '3')
call('supervisor.readProcessStdoutLog', 'echoer', 4.7, 3.2)
call('supervisor.tailProcessStdoutLog', 'echoer', '0', '100')
call('supervisor.readLog', '-5', '0', shape=lambda s: len(s))
call('supervisor.readProcessStdoutLog', 'echoer', ' 0_4 ', '+3')
call('supervisor.readProcessStdoutLog', 'nope', '4', 3)
# int() of a list is a TypeError: INCORRECT_PARAMETERS on both. (A string int() refuses,
# 'x', is an HTTP 500 from supervisord and INCORRECT_PARAMETERS from statevisord, by
# choice: src/rpc/params.ts. Not compared.)
call('supervisor.readProcessStdoutLog', 'echoer', [], 0)
call('supervisor.clearProcessLogs', 'echoer')
call('supervisor.readProcessStdoutLog', 'echoer', 0, 0)
call('supervisor.readProcessStderrLog', 'echoer', 0, 0)
call('supervisor.clearProcessLog', 'grp:a')
call('supervisor.clearProcessLogs', 'nope')
call('supervisor.clearProcessLogs', 'grp:*')
call('supervisor.clearAllProcessLogs')

# --- the main log: its text differs in timing lines, so only its shape is recorded ------
call('supervisor.readLog', 0, 0, shape=lambda s: 'supervisord started with pid' in s)
call('supervisor.readMainLog', -10, 0, shape=lambda s: len(s))
call('supervisor.readLog', 0, 10, shape=lambda s: len(s))
call('supervisor.readLog', -1, 5)
call('supervisor.readLog', 0, -1)

# --- start ----------------------------------------------------------------------------------
for args in [('sleeper',), ('nope',), ('missing',), ('notexec',), ('grp:nope',), ('quick',)]:
    call('supervisor.startProcess', *args)
# supervisord answers quick's SPAWN_ERROR while it is in BACKOFF and makes it FATAL on its
# next tick: a start in between finds it still started (ALREADY_STARTED), one after spawns
until('quick FATAL', lambda: state('quick') == 'FATAL')
call('supervisor.startProcess', 'quick', True)
# its fault comes from BACKOFF again; FATAL follows on supervisord's next tick
until('quick FATAL again', lambda: state('quick') == 'FATAL')
call('supervisor.getProcessInfo', 'quick')
call('supervisor.startProcess', 'cat', False)
until('cat RUNNING', lambda: state('cat') == 'RUNNING')
call('supervisor.startProcessGroup', 'grp')
call('supervisor.startProcessGroup', 'nope')
call('supervisor.startProcess', 'grp:*')

# ABNORMAL_TERMINATION: slow (startsecs=30) is stopped while a waiting start watches it.
result = {}
starter = threading.Thread(target=lambda: result.update(out=outcome(proxy().supervisor.startProcess, 'slow', True)))
starter.start()
until('slow STARTING', lambda: state('slow') == 'STARTING')
call('supervisor.startProcess', 'slow', label='startProcess slow while STARTING')
call('supervisor.stopProcess', 'slow')
starter.join(30)
transcript.append(['startProcess ["slow", true] stopped while starting', result.get('out', 'no answer')])

# --- stdin: cat echoes it to its stdout log; deaf closed its stdin -------------------------
call('supervisor.sendProcessStdin', 'cat', 'hello\n')
until('cat echoed', lambda: rpc.supervisor.readProcessStdoutLog('cat', 0, 0), 5)
call('supervisor.readProcessStdoutLog', 'cat', 0, 0)
call('supervisor.sendProcessStdin', 'cat', 'h\u00e9\u20ac\n')
until('cat echoed twice', lambda: rpc.supervisor.readProcessStdoutLog('cat', 0, 0).count('\n') == 2, 5)
call('supervisor.readProcessStdoutLog', 'cat', 0, 0)
call('supervisor.sendProcessStdin', 'cat', 123)
call('supervisor.sendProcessStdin', 'cat', ['x'])
call('supervisor.sendProcessStdin', 'nope', 'x')
call('supervisor.sendProcessStdin', 'grp:*', 'x')
call('supervisor.sendProcessStdin', 'nolog', 'x')
call('supervisor.sendProcessStdin', 'deaf', 'x')

# --- signals: WINCH is ignored by sleep, so nothing changes state -----------------------
for sig in ['WINCH', 'SIGWINCH', '28', 28, 'winch', 'BOGUS', '999', 0]:
    call('supervisor.signalProcess', 'sleeper', sig)
call('supervisor.signalProcess', 'nolog', 'WINCH')
call('supervisor.signalProcess', 'nope', 'WINCH')
call('supervisor.signalProcess', 'grp:*', 'WINCH')
call('supervisor.signalProcessGroup', 'grp', 'WINCH')
call('supervisor.signalProcessGroup', 'grp', 'BOGUS')
call('supervisor.signalProcessGroup', 'nope', 'WINCH')
call('supervisor.signalAllProcesses', 'WINCH')
call('supervisor.signalAllProcesses', 'BOGUS')

# --- multicall ------------------------------------------------------------------------------
call('system.multicall', [
    {'methodName': 'supervisor.getAPIVersion'},
    {'methodName': 'supervisor.getProcessInfo', 'params': ['nope']},
    {'methodName': 'supervisor.getProcessInfo', 'params': ['sleeper']},
    {'methodName': 'nope.nope', 'params': []},
    {'methodName': 'system.multicall', 'params': [[]]},
    {'params': []},
    {'methodName': 'supervisor.getPID', 'params': [1]},
    {'methodName': 'supervisor.stopProcess', 'params': ['grp:b']},
    {'methodName': 'supervisor.startProcess', 'params': ['grp:b', False]},
    {'methodName': 'supervisor.signalProcess', 'params': ['sleeper', 'BOGUS']},
    {'methodName': 'system.listMethods', 'params': []},
], shape=lambda rs: [r if not isinstance(r, list) or len(r) < 40 else 'listMethods: %d' % len(supervisors(r)) for r in rs])
call('system.multicall', [])
call('system.multicall', 'not a list')
call('system.multicall', [{'methodName': 'supervisor.getAPIVersion', 'params': 'ab'}])

# --- stop -----------------------------------------------------------------------------------
for args in [('nolog',), ('nope',), ('grp:a',), ('grp:a',), ('cat', False)]:
    call('supervisor.stopProcess', *args)
until('cat STOPPED', lambda: state('cat') == 'STOPPED')
call('supervisor.stopProcessGroup', 'grp', shape=by_name)
call('supervisor.stopProcessGroup', 'nope')
call('supervisor.startProcessGroup', 'grp', False)
until('grp RUNNING', lambda: state('grp:a') == 'RUNNING' and state('grp:b') == 'RUNNING')
call('supervisor.stopProcess', 'grp:', shape=by_name)
call('supervisor.getAllProcessInfo')
call('supervisor.stopAllProcesses', shape=by_name)
call('supervisor.stopAllProcesses')
# supervisord reap()s right after each spawn and answers SPAWN_ERROR for a child that has
# exited by then: quick waits half a second before it exits, so that race is not decided
# by the machine's speed (it exits before its startsecs all the same)
call('supervisor.startAllProcesses', False)
# slow stays STARTING (startsecs=30); quick ends FATAL, after BACKOFF
until('all started', lambda: all(i['statename'] in ('RUNNING', 'FATAL', 'STOPPED') or i['name'] == 'slow'
                                 for i in rpc.supervisor.getAllProcessInfo()) and state('quick') == 'FATAL')
call('supervisor.getAllProcessInfo')
call('supervisor.stopAllProcesses', False)
until('all stopped', lambda: all(i['statename'] in ('STOPPED', 'EXITED', 'FATAL') for i in rpc.supervisor.getAllProcessInfo()))
call('supervisor.getAllProcessInfo')

# --- reloadConfig, addProcessGroup, removeProcessGroup -------------------------------------
write_conf(ORIGINAL.replace('[program:nolog]', '[program:extra]\ncommand=/bin/sleep 1000\nstartsecs=0\n\n[program:unused]'))
call('supervisor.reloadConfig')
call('supervisor.getAllConfigInfo')
call('supervisor.addProcessGroup', 'extra')
call('supervisor.addProcessGroup', 'extra')
call('supervisor.addProcessGroup', 'nope')
call('supervisor.addProcessGroup', 'nolog')
until('extra RUNNING', lambda: state('extra') == 'RUNNING')
call('supervisor.removeProcessGroup', 'extra')
call('supervisor.removeProcessGroup', 'nolog')
call('supervisor.removeProcessGroup', 'nope')
call('supervisor.stopProcess', 'extra')
call('supervisor.removeProcessGroup', 'extra')
call('supervisor.getProcessInfo', 'extra')
call('supervisor.reloadConfig')
write_conf(ORIGINAL + '\n[program:broken]\nautostart=false\n')
call('supervisor.reloadConfig')
write_conf(ORIGINAL + '\n[program:badnum]\ncommand=/bin/true\nstartsecs=soon\n')
call('supervisor.reloadConfig')
write_conf(ORIGINAL)
call('supervisor.reloadConfig')
call('supervisor.addProcessGroup', 'nolog')
call('supervisor.getAllProcessInfo')

# --- the main log file gone: NO_FILE -------------------------------------------------------
os.remove(os.path.join(DIR, 'main.log'))
call('supervisor.readLog', 0, 0)
call('supervisor.clearLog')

# --- restart: the same daemon comes back with its programs ---------------------------------
call('supervisor.restart')
until('RUNNING again', lambda: rpc.supervisor.getState()['statename'] == 'RUNNING' and state('sleeper') == 'RUNNING', 60)
call('supervisor.getPID', label='getPID after restart', shape=lambda pid: pid == DAEMON_PID)
call('supervisor.getState')
call('supervisor.clearLog')
call('supervisor.readLog', 0, 0, shape=lambda s: type(s).__name__)
call('supervisor.getAllProcessInfo')

# --- shutdown: holdout's stop signal is one sleep ignores, and its stopwaitsecs is long, so
# the daemon stays in SHUTDOWN, answering, until the script SIGKILLs holdout after its last
# call: how long the calls take cannot decide whether the daemon is there to answer them ----
write_conf(ORIGINAL + '\n[program:holdout]\ncommand=/bin/sleep 1000\nstopsignal=WINCH\n'
           'startsecs=0\nstopwaitsecs=600\nautostart=false\n')
call('supervisor.reloadConfig')
call('supervisor.addProcessGroup', 'holdout')
call('supervisor.startProcess', 'holdout')
HOLDOUT = rpc.supervisor.getProcessInfo('holdout')['pid']
call('supervisor.sendRemoteCommEvent', 'type', 'data')
call('supervisor.shutdown')
call('supervisor.getState')
call('supervisor.getAllProcessInfo')
call('supervisor.shutdown')
call('supervisor.signalProcessGroup', 'grp', 'WINCH')
call('supervisor.signalAllProcesses', 'WINCH')
call('supervisor.sendRemoteCommEvent', 'type', 'data')
call('system.listMethods', shape=lambda ms: len(supervisors(ms)))
call('system.multicall', [{'methodName': 'supervisor.getPID'}, {'methodName': 'system.methodSignature', 'params': ['supervisor.getPID']}])

os.kill(HOLDOUT, signal.SIGKILL)

print(json.dumps(transcript, indent=1, sort_keys=True))
