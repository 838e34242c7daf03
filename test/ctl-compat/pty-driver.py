#!/usr/bin/env python3
"""Drives a program through a pseudo-terminal, as a user at a keyboard would.

Usage: pty-driver.py SCRIPT_JSON -- COMMAND [ARGS...]
SCRIPT_JSON is a list of steps: {"send": text} types text; {"expect": regex, "timeout": s}
waits until the output since the previous match matches. Prints one JSON object:
{"ok": bool, "error": str|null, "output": str, "exit": int|null}. The terminal is 80x24.
"""
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time


def main():
    sep = sys.argv.index('--')
    script = json.loads(sys.argv[1])
    argv = sys.argv[sep + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(argv[0], argv, dict(os.environ, TERM='xterm', COLUMNS='80', LINES='24'))
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80, 0, 0))
    output = b''
    seen = 0
    error = None

    def read(timeout):
        nonlocal output
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return True
        try:
            data = os.read(fd, 4096)
        except OSError:
            return False
        if not data:
            return False
        output += data
        return True

    for step in script:
        if 'send' in step:
            os.write(fd, step['send'].encode())
            continue
        pattern = re.compile(step['expect'], re.S)
        deadline = time.time() + step.get('timeout', 15)
        while True:
            m = pattern.search(output.decode('utf-8', 'replace'), seen)
            if m:
                seen = m.end()
                break
            if time.time() > deadline or not read(min(0.2, max(0, deadline - time.time()))):
                if not pattern.search(output.decode('utf-8', 'replace'), seen):
                    error = 'no %r in time' % step['expect']
                break
        if error:
            break

    # The program's end: drain its output until it exits (or kill it).
    status = None
    deadline = time.time() + 15
    while time.time() < deadline:
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
            break
        read(0.1)
    while read(0.05):
        if not select.select([fd], [], [], 0)[0]:
            break
    if status is None:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        error = error or 'still running 15 s after the script ended'
    code = os.waitstatus_to_exitcode(status) if status is not None else None
    print(json.dumps({'ok': error is None, 'error': error, 'output': output.decode('utf-8', 'replace'), 'exit': code}))


main()
