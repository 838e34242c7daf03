# Calls a server the way supervisorctl does: Python's xmlrpc.client over supervisor's own
# SupervisorTransport (http://host:port or unix:///path, Basic auth when given).
# argv: URL [USER PASSWORD]; stdin: JSON [[method, [params...]], ...]; stdout: JSON, one
# outcome per call: {"ok": value} | {"fault": [code, string]} | {"protocol": status} | {"error": text}.
# A param {"$binary": "<text>"} is sent as <base64>; {"$big": n} as a string of n 'x'.
# The pseudo-method "$sleep" [seconds] idles between calls on the same connection.
import json
import sys
import time
import xmlrpc.client

from supervisor.xmlrpc import SupervisorTransport


def decode(v):
    if isinstance(v, dict) and '$binary' in v:
        return xmlrpc.client.Binary(v['$binary'].encode('utf-8'))
    if isinstance(v, dict) and '$big' in v:
        return 'x' * v['$big']
    if isinstance(v, list):
        return [decode(x) for x in v]
    if isinstance(v, dict):
        return {k: decode(x) for k, x in v.items()}
    return v


url = sys.argv[1]
user, password = (sys.argv[2], sys.argv[3]) if len(sys.argv) > 3 else (None, None)
proxy = xmlrpc.client.ServerProxy('http://127.0.0.1', transport=SupervisorTransport(user, password, url))
out = []
for name, params in json.load(sys.stdin):
    if name == '$sleep':
        time.sleep(params[0])
        out.append({'ok': None})
        continue
    try:
        out.append({'ok': getattr(proxy, name)(*decode(params))})
    except xmlrpc.client.Fault as e:
        out.append({'fault': [e.faultCode, e.faultString]})
    except xmlrpc.client.ProtocolError as e:
        out.append({'protocol': e.errcode})
    except Exception as e:
        out.append({'error': '%s: %s' % (type(e).__name__, e)})
print(json.dumps(out, default=str))
