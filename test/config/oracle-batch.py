"""Runs the reference config oracle (shared/tools/supervisor-config-oracle) over many files in
one Python process: its start-up (pkg_resources) costs ~0.5 s, its work per file ~5 ms.

Usage: oracle-batch.py ORACLE FILE...   Prints one line per file: the oracle's JSON, compacted,
or {"oracle_failed": "<why>"}. The oracle's own main() does the work, file by file, unchanged.
"""
import contextlib
import importlib.machinery
import importlib.util
import io
import json
import sys

oracle_path, files = sys.argv[1], sys.argv[2:]
loader = importlib.machinery.SourceFileLoader("supervisor_config_oracle", oracle_path)
spec = importlib.util.spec_from_loader(loader.name, loader)
oracle = importlib.util.module_from_spec(spec)
loader.exec_module(oracle)
for path in files:
    out = io.StringIO()
    sys.argv = [oracle_path, path]
    try:
        with contextlib.redirect_stdout(out):
            oracle.main()
        line = json.dumps(json.loads(out.getvalue()))
    except BaseException as e:  # SystemExit included: the oracle exits 2 on an unreadable file
        line = json.dumps({"oracle_failed": "%s: %s" % (type(e).__name__, e)})
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
