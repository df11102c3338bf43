#!/usr/bin/env python3
"""ctest monitoring_rules: the alert rules and the Grafana dashboard in deploy/ are valid.

- `promtool check rules deploy/prometheus/alerts.yml`
- `promtool test rules deploy/prometheus/alerts_test.yml` (each alert fires when it should)
- every query of deploy/grafana/cloudretail.json parses as PromQL: promtool checks them
  as recording rules, with the dashboard's $job/$instance variables filled in.
That the metrics they name exist on a live server is OpsMetrics.* (ops_metrics_tests).
Exit 77 (skipped) when promtool is missing: scripts/setup.sh --test installs it.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
promtool = shutil.which("promtool")
if not promtool:
    print("promtool is not installed (scripts/setup.sh --test): skipped")
    sys.exit(77)


def run(*args):
    r = subprocess.run([promtool, *args], capture_output=True, text=True)
    print(r.stdout + r.stderr, end="")
    if r.returncode != 0:
        sys.exit(f"FAIL: promtool {' '.join(args)}")


run("check", "rules", os.path.join(root, "deploy/prometheus/alerts.yml"))
run("test", "rules", os.path.join(root, "deploy/prometheus/alerts_test.yml"))


def exprs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("expr", "query", "definition") and isinstance(v, str):
                yield v
            else:
                yield from exprs(v)
    elif isinstance(node, list):
        for v in node:
            yield from exprs(v)


with open(os.path.join(root, "deploy/grafana/cloudretail.json")) as f:
    dashboard = json.load(f)
queries = [q for q in exprs(dashboard) if q != "prometheus"]
# label_values(...) is Grafana's, not PromQL: check the selector inside it.
rules = []
for i, q in enumerate(queries):
    q = q.replace("$job", ".*").replace("$instance", ".*")
    if q.startswith("label_values("):
        q = q[len("label_values("):].rsplit(",", 1)[0]
    rules.append({"record": f"dashboard:query_{i}", "expr": q})
with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as tmp:
    # JSON is YAML: no YAML library needed.
    json.dump({"groups": [{"name": "dashboard", "rules": rules}]}, tmp)
try:
    run("check", "rules", tmp.name)
finally:
    os.unlink(tmp.name)
print(f"dashboard: {len(queries)} queries parse as PromQL")
