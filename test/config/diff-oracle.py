"""supervisord's reread verdict for pairs of config files, computed by supervisor 4.2.5 itself.

Usage: diff-oracle.py OLD NEW [OLD NEW ...]   For each pair: OLD's groups are made live as
supervisord makes them (after_setuid, which turns AUTO logs into files), NEW is read as
reloadConfig reads it, and diff_to_active()'s names are printed as one JSON line
[added, changed, removed].
"""
import json
import sys

from supervisor.options import ServerOptions
from supervisor.supervisord import Supervisor


def options(path):
    o = ServerOptions()
    o.configfile = path
    o.process_config(do_usage=False)
    return o


args = sys.argv[1:]
for old, new in zip(args[::2], args[1::2]):
    running = options(old)
    sv = Supervisor(running)
    for config in running.process_group_configs:
        config.after_setuid()
        sv.process_groups[config.name] = config.make_group()
    running.process_group_configs = options(new).process_group_configs
    added, changed, removed = sv.diff_to_active()
    print(json.dumps([[g.name for g in gs] for gs in (added, changed, removed)]))
