#!/usr/bin/python3
# listen.py PORT: accepts connections on 127.0.0.1:PORT and closes each at once, until
# stopped (a TCP service for ready and health checks to find).
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', int(sys.argv[1])))
s.listen(128)
while True:
    s.accept()[0].close()
