#!/usr/bin/env python3
"""CloudRetail benchmark: one run measures the server and nginx side by side.

Starts `cloudretail serve` on a fresh DATA_DIR (SQLite, durable commits), seeds the
catalog, creates buyers, starts nginx serving GET /products/P001's JSON as a static
file, and drives each endpoint with wrk at 64 connections. Prints a table:
requests/s, p50, p99, ratio to nginx, and the server's peak RSS.

Usage: bench/run.sh [--duration 10] [--catalog 100000]
       CLOUDRETAIL_BIN=path/to/cloudretail python3 bench/bench.py ...   (another build)
       SQLITE_SYNCHRONOUS=NORMAL bench/run.sh ...     (the opt-in that survives kill -9 only)
       bench/run.sh --only cart,orders --pg           (a durable PostgreSQL cluster on disk)
       bench/run.sh --only orders --strace            (fsyncs per order, from strace -c; and
                                                       from perf tracepoints when perf is there)

Buyers sign up through the API (the code is read from DATA_DIR/outbox); the 100,000
products are created through the real API (admin POST /products, 8 connections). The
cart and checkout flows use one buyer per wrk thread with one connection each, so a
buyer's steps run in order. Peak RSS is VmHWM from /proc/PID/status at the end.
"""
import argparse
import email
import email.policy
import glob
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("CLOUDRETAIL_BIN", os.path.join(ROOT, "build", "cloudretail"))
LUA = os.path.join(ROOT, "bench", "lua")
ADMIN = ("bench-admin@example.com", "BenchAdmin123")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Api:
    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method, path, body=None, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        payload = json.dumps(body) if body is not None else None
        for attempt in range(2):
            try:
                self.conn.request(method, path, payload, headers)
                res = self.conn.getresponse()
                data = res.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
        try:
            return res.status, json.loads(data) if data else None
        except ValueError:
            return res.status, data


def wait_listening(proc, log_path, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit("server exited:\n" + open(log_path).read())
        m = re.search(r"listening on http://[^:]+:(\d+)", open(log_path).read())
        if m:
            return int(m.group(1))
        time.sleep(0.05)
    sys.exit("server did not start")


def find_code(data_dir, address):
    """The verification code: the first thing in the text/plain body of the newest
    outbox message to `address` (MIME, quoted-printable)."""
    for _ in range(200):
        for path in sorted(glob.glob(os.path.join(data_dir, "outbox", "*.eml")), key=os.path.getmtime, reverse=True):
            with open(path, "rb") as f:
                msg = email.message_from_binary_file(f, policy=email.policy.default)
            if address not in str(msg.get("To", "")):
                continue
            part = msg.get_body(preferencelist=("plain",))
            text = part.get_content() if part else ""
            m = re.search(r"\b(\d{4,10})\b", text)
            if m:
                return m.group(1)
        time.sleep(0.05)
    sys.exit("no verification code for " + address)


def call_retrying(api, method, path, body):
    """Sign-up and sign-in hash passwords one at a time and answer 429 when too many wait."""
    for _ in range(200):
        status, answer = api.call(method, path, body)
        if status != 429:
            return status, answer
        time.sleep(0.05)
    sys.exit("%s %s: still 429" % (method, path))


def make_buyer(port, data_dir, i):
    api = Api(port)
    address, password = "buyer%d@example.com" % i, "BuyerPass123"
    status, body = call_retrying(api, "POST", "/auth/register", {"email": address, "password": password})
    if status != 201:
        sys.exit("register failed: %s %s" % (status, body))
    status, body = call_retrying(api, "POST", "/auth/confirm", {"email": address, "code": find_code(data_dir, address)})
    if status != 200:
        sys.exit("confirm failed: %s %s" % (status, body))
    status, body = call_retrying(api, "POST", "/auth/login", {"email": address, "password": password})
    if status != 200:
        sys.exit("login failed: %s %s" % (status, body))
    return body["tokens"]["accessToken"]


def make_buyers(port, data_dir, count, threads=3):
    tokens = [None] * count

    def worker(k):
        for i in range(k, count, threads):
            tokens[i] = make_buyer(port, data_dir, i)
    ts = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    if None in tokens:
        sys.exit("could not create every buyer")
    return tokens


def wrk(url, duration, connections=64, threads=2, script=None, env=None):
    cmd = ["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % duration, "--latency", "--timeout", "5s"]
    if script:
        cmd += ["-s", os.path.join(LUA, script)]
    cmd.append(url)
    out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p):
        m = re.search(r"\s%s%%\s+([\d.]+)(us|ms|s)\b" % p, out)
        if not m:
            return float("nan")
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    extra = dict(re.findall(r"^([A-Z_]+) (\d+)$", out, re.M))
    return {"rps": rps, "p50": pct(50), "p99": pct(99), "non2xx": int(non2xx.group(1)) if non2xx else 0,
            "extra": extra, "raw": out}


def start_nginx(work, body):
    root = os.path.join(work, "nginx")
    os.makedirs(os.path.join(root, "html"), exist_ok=True)
    with open(os.path.join(root, "html", "P001.json"), "w") as f:
        f.write(body)
    port = free_port()
    conf = os.path.join(root, "nginx.conf")
    with open(conf, "w") as f:
        f.write("""
worker_processes 2;
pid %(root)s/nginx.pid;
error_log %(root)s/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  types { application/json json; }
  client_body_temp_path %(root)s/tmp; proxy_temp_path %(root)s/tmp; fastcgi_temp_path %(root)s/tmp;
  uwsgi_temp_path %(root)s/tmp; scgi_temp_path %(root)s/tmp;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:%(port)d;
    location = /products/P001 { default_type application/json; alias %(root)s/html/P001.json; }
  }
}
""" % {"root": root, "port": port})
    subprocess.run(["nginx", "-c", conf, "-p", root], check=True)
    return port, os.path.join(root, "nginx.pid")


def find_pg_bindir():
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(d, "initdb")):
            return d
    sys.exit("no PostgreSQL server binaries: run scripts/setup.sh --test")


def as_postgres(cmd):
    # PostgreSQL refuses to run as root.
    return ["runuser", "-u", "postgres", "--"] + cmd if os.getuid() == 0 else cmd


def start_durable_pg(work):
    """A PostgreSQL cluster on disk with the shipped durability settings (fsync,
    synchronous_commit and full_page_writes on): unlike the test cluster, which turns
    them off. Returns (url, stop function, data dir)."""
    bindir = find_pg_bindir()
    root = os.path.join(work, "pg")
    data, sock = os.path.join(root, "data"), os.path.join(root, "sock")
    os.makedirs(data)
    os.makedirs(sock)
    if os.getuid() == 0:
        subprocess.run(["chown", "-R", "postgres:", root], check=True)
    subprocess.run(as_postgres([os.path.join(bindir, "initdb"), "-D", data, "-U", "postgres", "--auth=trust",
                                "-E", "UTF8", "--locale=C.UTF-8"]), check=True, capture_output=True)
    port = free_port()
    subprocess.run(as_postgres([os.path.join(bindir, "pg_ctl"), "-D", data, "-l", os.path.join(root, "log"), "-w",
                                "start", "-o", "-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=on "
                                "-c synchronous_commit=on -c full_page_writes=on" % (port, sock)]),
                   check=True, capture_output=True)

    def stop():
        subprocess.run(as_postgres([os.path.join(bindir, "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"]),
                       capture_output=True)
    return "postgresql://postgres@127.0.0.1:%d/postgres" % port, stop, data


def pg_wal_syncs(url):
    """WAL fsyncs so far (pg_stat_wal), read with psql."""
    out = subprocess.run(["psql", url, "-Atc", "SELECT pg_stat_force_next_flush(); SELECT wal_sync FROM pg_stat_wal"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        out = subprocess.run(["psql", url, "-Atc", "SELECT wal_sync FROM pg_stat_wal"], capture_output=True, text=True)
    try:
        return int(out.stdout.split()[-1])
    except (ValueError, IndexError):
        return None


def strace_start(pids):
    """strace -c counting fsync + fdatasync in `pids` and all their threads."""
    cmd = ["strace", "-c", "-f", "-e", "trace=fsync,fdatasync,sync_file_range"]
    for pid in pids:
        cmd += ["-p", str(pid)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)  # attached
    return proc


def perf_start(pids):
    """Counts fsync + fdatasync through kernel tracepoints (perf stat): unlike strace
    it does not slow the traced calls, so the run keeps its speed. None without perf."""
    if not shutil.which("perf"):
        return None
    cmd = ["perf", "stat", "-x,", "-e", "syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync",
           "-p", ",".join(str(p) for p in pids)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(0.3)
    return proc


def perf_stop(proc):
    if proc is None:
        return None
    proc.send_signal(signal.SIGINT)
    err = proc.communicate(timeout=30)[1]
    counts = [int(line.split(",")[0]) for line in err.splitlines() if "sys_enter_f" in line and
              line.split(",")[0].isdigit()]
    return sum(counts) if counts else None


def fsync_pids(server, pg_data):
    if not pg_data:
        return [server.pid]
    pids = [int(open(os.path.join(pg_data, "postmaster.pid")).readline())]
    return pids + [int(p) for p in subprocess.run(["pgrep", "-P", str(pids[0])], capture_output=True,
                                                  text=True).stdout.split()]


def strace_stop(proc):
    proc.send_signal(signal.SIGINT)
    err = proc.communicate(timeout=30)[1]
    return sum(int(m.group(1)) for m in re.finditer(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(?:fsync|fdatasync|sync_file_range)$",
                                                    err, re.M))


def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def peak_rss_mb(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bulk_products(port, token, start, count, threads=8):
    def worker(offset):
        # Created through the real API (admin POST /products), several connections at once.
        api = Api(port)
        for i in range(start + offset, start + count, threads):
            status, _ = api.call("POST", "/products", {
                "productId": "B%06d" % i, "name": "Bench product %d" % i, "category": "Bench",
                "price": 9.99, "currency": "USD"}, token)
            if status not in (201, 409):
                sys.exit("create product failed: %s" % status)
    ts = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    [t.start() for t in ts]
    [t.join() for t in ts]


def print_table(results, ceiling, orders_per_s, storage, rss):
    print()
    print("| endpoint | req/s | p50 ms | p99 ms | vs nginx | load before |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in results:
        print("| %s | %.0f | %.2f | %.2f | %.2f | %.2f |" % (name, r["rps"], r["p50"], r["p99"],
                                                        r["rps"] / ceiling["rps"], r["load"]))
    print()
    if orders_per_s is not None:
        print("checkout + payment: %.0f orders/s (%s)" % (orders_per_s, storage))
    print("storage: %s" % storage)
    print("server peak RSS: %.1f MB (VmHWM)" % rss)
    print("machine: %d CPUs, %s, load average %.2f" % (os.cpu_count(), cpu_model(), os.getloadavg()[0]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--catalog", type=int, default=100000)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--cart-buyers", type=int, default=64, help="connections (one buyer each) for add-to-cart")
    ap.add_argument("--order-buyers", type=int, default=16, help="connections (one buyer each) for checkout + payment")
    ap.add_argument("--only", default="reads,cart,orders,catalog",
                    help="comma-separated runs: reads, cart, orders, catalog (the 100,000-product runs)")
    ap.add_argument("--pg", action="store_true", help="on a durable PostgreSQL cluster started on disk")
    ap.add_argument("--strace", action="store_true",
                    help="after the orders run, a second short one under strace -c counting fsyncs per order")
    args = ap.parse_args()
    only = set(args.only.split(","))
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not os.path.exists("/usr/sbin/" + tool):
            sys.exit(tool + " is missing: run scripts/setup.sh --bench")
    os.environ["PATH"] += ":/usr/sbin"

    work = tempfile.mkdtemp(prefix="cloudretail-bench-")
    os.chmod(work, 0o755)  # nginx's workers (user nobody) must reach nginx/html
    data = os.path.join(work, "data")
    log_path = os.path.join(work, "server.log")
    env = {**os.environ, "DATA_DIR": data, "PORT": "0", "LOG_LEVEL": "warn",
           "BOOTSTRAP_ADMIN_EMAIL": ADMIN[0], "BOOTSTRAP_ADMIN_PASSWORD": ADMIN[1],
           # 64 buyers sign up from one address: above the default 30 per 10 minutes.
           "AUTH_REQUESTS_PER_ADDRESS": "1000"}
    storage = "SQLite, SQLITE_SYNCHRONOUS=%s" % os.environ.get("SQLITE_SYNCHRONOUS", "FULL (default)")
    stop_pg, pg_data = None, None
    if args.pg:
        env["DATABASE_URL"], stop_pg, pg_data = start_durable_pg(work)
        storage = "PostgreSQL on disk, fsync and synchronous_commit on"
    subprocess.run([BIN, "seed"], env=env, check=True, capture_output=True)
    server = subprocess.Popen([BIN, "serve"], env=env, stdout=open(log_path, "w"), stderr=subprocess.STDOUT)
    nginx_pid_file = None
    try:
        port = wait_listening(server, log_path)
        base = "http://127.0.0.1:%d" % port
        api = Api(port)
        status, body = api.call("POST", "/auth/login", {"email": ADMIN[0], "password": ADMIN[1]})
        admin = body["tokens"]["accessToken"]
        status, products = api.call("GET", "/products?limit=100")
        ids = [p["productId"] for p in products["items"]]
        for pid in ids:
            api.call("PUT", "/inventory/" + pid, {"availableQty": 100000000, "reservedQty": 0}, admin)
        # One buyer per connection for the cart and checkout flows: a wrk thread with one
        # connection sends its next request only after the previous answer, so each
        # buyer's add/remove and add/checkout/pay steps happen in order.
        tokens = make_buyers(port, data, max(8, args.cart_buyers))

        status, product_body = api.call("GET", "/products/P001")
        nginx_port, nginx_pid_file = start_nginx(work, json.dumps(product_body))

        results = []

        def run(name, url, **kw):
            load = os.getloadavg()[0]
            r = wrk(url, args.duration, **kw)
            r["load"] = load
            results.append((name, r))
            print("%-44s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  non-2xx %d  (load %.2f before)" %
                  (name, r["rps"], r["p50"], r["p99"], r["non2xx"], load), flush=True)
            return r

        ceiling = run("nginx static /products/P001", "http://127.0.0.1:%d/products/P001" % nginx_port)
        if "reads" in only:
            run("GET /health", base + "/health")
            run("GET /products/{id}", base + "/products/P001")
        bulk_products(port, admin, 0, 100 - len(ids))
        if "reads" in only:
            run("GET /products?limit=50 (100)", base + "/products?limit=50")
        cart_env = {"BENCH_TOKENS": ",".join(tokens), "BENCH_PRODUCTS": ",".join(ids[:20])}
        if "cart" in only:
            run("POST+DELETE /cart/items (%d buyers)" % args.cart_buyers, base + "/cart/items",
                connections=args.cart_buyers, threads=args.cart_buyers, script="add_to_cart.lua",
                env={**cart_env, "BENCH_TOKENS": ",".join(tokens[:args.cart_buyers])})
        orders_per_s = None
        nb = args.order_buyers
        order_env = {"BENCH_TOKENS": ",".join(tokens[:nb]), "BENCH_PRODUCT": "P001",
                     "BENCH_EMAILS": ",".join("buyer%d@example.com" % i for i in range(nb))}
        if "orders" in only:
            wal0 = pg_wal_syncs(env["DATABASE_URL"]) if args.pg else None
            counter = perf_start(fsync_pids(server, pg_data))
            orders = run("checkout + payment (3 calls, %d buyers)" % nb, base + "/orders/checkout", connections=nb,
                         threads=nb, script="checkout_pay.lua", env=order_env)
            syncs = perf_stop(counter)
            paid = int(orders["extra"].get("ORDERS_PAID", 0))
            orders_per_s = paid / args.duration
            print("%-34s %10.0f orders/s (flow failures %s)" % ("  orders", orders_per_s,
                                                                orders["extra"].get("FLOW_FAILURES")), flush=True)
            if syncs is not None and paid:
                print("  fsyncs per order (perf tracepoints, %s, full speed): %.2f (%d fsyncs, %d orders)" %
                      ("PostgreSQL processes" if args.pg else "server", syncs / paid, syncs, paid), flush=True)
            if args.pg and wal0 is not None and paid:
                time.sleep(1.5)  # statistics reach pg_stat_wal within a second
                wal1 = pg_wal_syncs(env["DATABASE_URL"])
                print("  PostgreSQL WAL fsyncs per order (pg_stat_wal): %.2f" % ((wal1 - wal0) / paid), flush=True)
        if "orders" in only and args.strace:
            # A separate run: strace slows every traced call, so its rate is not the one above.
            pids = fsync_pids(server, pg_data)
            # Traced from before the first order to after the last: fsyncs / orders paid.
            tracer = strace_start(pids)
            result = wrk(base + "/orders/checkout", args.duration, connections=nb, threads=nb,
                         script="checkout_pay.lua", env=order_env)
            syncs = strace_stop(tracer)
            paid = int(result["extra"].get("ORDERS_PAID", 0))
            print("  fsyncs per order under strace -c (%s): %.2f (%d fsyncs, %d orders, %.0f orders/s traced)" %
                  ("PostgreSQL processes" if args.pg else "server", syncs / paid if paid else float("nan"), syncs,
                   paid, paid / args.duration), flush=True)
        if "catalog" not in only:
            rss = peak_rss_mb(server.pid)
            print_table(results, ceiling, orders_per_s, storage, rss)
            return
        t0 = time.time()
        bulk_products(port, admin, 100, args.catalog - 100)
        print("  created %d products in %.0f s" % (args.catalog - 100, time.time() - t0), flush=True)
        run("GET /products?limit=50 (%d)" % args.catalog, base + "/products?limit=50")
        run("GET /products?limit=50 (%d, random pages)" % args.catalog, base + "/products?limit=50",
            script="random_pages.lua", env={"BENCH_CATALOG": str(args.catalog)})
        status, page = api.call("GET", "/products?limit=50&category=Bench")
        run("GET /products?category= (%d)" % args.catalog,
            base + "/products?limit=50&category=Bench&nextToken=" + page.get("nextToken", ""))
        # Search (never cached): a selective query, the kind a shopper types.
        run("GET /products?q= (%d, selective)" % args.catalog, base + "/products?limit=50&q=bench%20product%2012345")
        rss = peak_rss_mb(server.pid)
        print_table(results, ceiling, orders_per_s, storage, rss)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        if nginx_pid_file and os.path.exists(nginx_pid_file):
            os.kill(int(open(nginx_pid_file).read()), signal.SIGQUIT)
        if stop_pg:
            stop_pg()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
