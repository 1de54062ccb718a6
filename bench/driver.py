"""Drives the benchmark's workload against the local control plane and records what happens.

    driver.py apps       --ns NS --count N --replicas R [--reloader]   Secrets holding the flag + Deployments
    driver.py cachemodes --ns NS --count N                              one CacheMode (suspend: true) per app
    driver.py change     --tool cachemode|reloader --ns NS --apps A-B --value true|false
                         [--interval S | --threads T] [--settle D] --log changes.jsonl
    driver.py noise      --ns NS --secrets N --deployments M           unrelated objects (4 KiB Secrets)
    driver.py watch      --ns NS... --log events.jsonl                  timestamped watch events until killed
    driver.py wait       --changes C --events E --tool T [--timeout S]  until every change is done

The API server and identity come from BENCH_API, BENCH_CA, BENCH_CERT and BENCH_KEY (PEM files).
Every timestamp is time.time() on this machine: the watcher and the changer share one clock.
"""

import argparse
import base64
import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import analyze
import model
from kube import ApiError, Kube

FIRST_VALUE = "fa61a13817d73a23"  # digest-like, as in examples/atom-saas: the operator repairs it
CM_API = "/apis/cachemode.io/v1alpha1"


def client():
    env = os.environ
    return Kube(env["BENCH_API"], env["BENCH_CA"], env["BENCH_CERT"], env["BENCH_KEY"])


def names(count):
    return [f"app-{i:04d}" for i in range(1, count + 1)]


def parallel(fn, items, threads=16):
    with ThreadPoolExecutor(threads) as pool:
        for _ in pool.map(fn, items):
            pass


def ensure_namespace(kube, ns):
    try:
        kube.request("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    except ApiError as e:
        if e.status != 409:
            raise


def deployment(ns, name, secret, replicas, annotations=None):
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": ns, "labels": labels, "annotations": annotations or {}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "containers": [
                        {"name": "app", "image": "ghcr.io/example/atom-saas:1.0.0", "envFrom": [{"secretRef": {"name": secret}}]}
                    ]
                },
            },
        },
    }


def cmd_apps(a):
    kube = client()
    ensure_namespace(kube, a.ns)
    annotations = {"reloader.stakater.com/auto": "true"} if a.reloader else None

    def create(app):
        secret = f"{app}-env"
        kube.request(
            "POST",
            f"/api/v1/namespaces/{a.ns}/secrets",
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": secret, "namespace": a.ns},
                "stringData": {model.FLAG_KEY: FIRST_VALUE, "DATABASE_URL": f"postgres://{app}@db.{a.ns}.svc:5432/app"},
            },
        )
        kube.request("POST", f"/apis/apps/v1/namespaces/{a.ns}/deployments", deployment(a.ns, app, secret, a.replicas, annotations))

    parallel(create, names(a.count))


def cmd_cachemodes(a):
    kube = client()

    def create(app):
        kube.request(
            "POST",
            f"{CM_API}/namespaces/{a.ns}/cachemodes",
            {
                "apiVersion": "cachemode.io/v1alpha1",
                "kind": "CacheMode",
                "metadata": {"name": f"{app}-redis", "namespace": a.ns},
                "spec": {
                    "suspend": True,
                    "target": {
                        "kubernetes": {
                            "secretRef": {"name": f"{app}-env", "key": model.FLAG_KEY},
                            "workloads": [{"kind": "Deployment", "name": app}],
                        }
                    },
                    "rollout": {"timeout": "10m"},
                    "rollbackOnFailure": True,
                },
            },
        )

    parallel(create, names(a.count))


def cmd_change(a):
    """Makes one change per app: the CacheMode's spec.suspend (this operator) or the Secret's flag (Reloader)."""
    kube = client()
    first, last = (int(x) for x in a.apps.split("-"))
    apps = [f"app-{i:04d}" for i in range(first, last + 1)]
    lock = threading.Lock()
    log = open(a.log, "a", encoding="utf-8")

    def change(app):
        if a.tool == "cachemode":
            spec = {"suspend": a.value == "true"}
            if a.settle is not None:
                spec["rollout"] = {"settle": a.settle}
            path, patch = f"{CM_API}/namespaces/{a.ns}/cachemodes/{app}-redis", {"spec": spec}
        else:
            encoded = base64.b64encode(a.value.encode()).decode()
            path, patch = f"/api/v1/namespaces/{a.ns}/secrets/{app}-env", {"data": {model.FLAG_KEY: encoded}}
        t = time.time()
        kube.merge_patch(path, patch)
        record = {"t": t, "t_ack": time.time(), "tool": a.tool, "ns": a.ns, "app": app, "value": a.value, "label": a.label}
        with lock:
            log.write(json.dumps(record) + "\n")
            log.flush()

    if a.interval > 0:
        start = time.time()
        for i, app in enumerate(apps):
            time.sleep(max(0.0, start + i * a.interval - time.time()))
            change(app)
    else:
        parallel(change, apps, a.threads)
    log.close()


def cmd_noise(a):
    kube = client()
    ensure_namespace(kube, a.ns)

    def secret(i):
        blob = base64.b64encode(os.urandom(4096)).decode()
        kube.request(
            "POST",
            f"/api/v1/namespaces/{a.ns}/secrets",
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": f"noise-{i:05d}", "namespace": a.ns}, "data": {"blob": blob}},
        )

    def dep(i):
        kube.request("POST", f"/apis/apps/v1/namespaces/{a.ns}/deployments", deployment(a.ns, f"noise-{i:05d}", f"noise-{i:05d}", 0))

    parallel(secret, range(1, a.secrets + 1))
    parallel(dep, range(1, a.deployments + 1))


WATCHED = [
    ("Deployment", "/apis/apps/v1/namespaces/{ns}/deployments"),
    ("Secret", "/api/v1/namespaces/{ns}/secrets"),
    ("CacheMode", CM_API + "/namespaces/{ns}/cachemodes"),
    ("Lease", "/apis/coordination.k8s.io/v1/namespaces/{ns}/leases"),
]


def cmd_watch(a):
    """Records the initial state and every change of the watched kinds in the given namespaces, one JSON line
    per event with its arrival time, until killed (SIGTERM)."""
    kube = client()
    lock = threading.Lock()
    log = open(a.log, "a", encoding="utf-8")

    def emit(kind, obj, typ):
        record = {"t": time.time(), "type": typ, **model.extract(kind, obj)}
        with lock:
            log.write(json.dumps(record) + "\n")
            log.flush()

    def follow(kind, path):
        while True:
            try:
                listing = kube.request("GET", path)
                for obj in listing["items"]:
                    emit(kind, obj, "INITIAL")
                rv = listing["metadata"]["resourceVersion"]
                while True:
                    for ev in kube.watch(path, rv):
                        if ev["type"] == "ERROR":
                            raise ApiError("WATCH", path, ev["object"].get("code", 0), json.dumps(ev["object"]))
                        rv = ev["object"]["metadata"]["resourceVersion"]
                        emit(kind, ev["object"], ev["type"])
            except (ApiError, OSError) as e:  # 410 Gone, a dropped connection: list again
                print(f"watch {path}: {e}; listing again", file=sys.stderr)
                time.sleep(0.5)

    threads = []
    for ns in a.ns:
        for kind, template in WATCHED:
            if kind in a.kinds:
                t = threading.Thread(target=follow, args=(kind, template.format(ns=ns)), daemon=True)
                t.start()
                threads.append(t)
    for t in threads:
        t.join()


def cmd_wait(a):
    deadline = time.time() + a.timeout
    while True:
        changes = analyze.read_jsonl(a.changes, label=a.label)
        events = analyze.read_jsonl(a.events)
        outcomes = analyze.pair_changes(changes, events, a.tool)
        pending = [o for o in outcomes if o["done"] is None]
        if not pending:
            return 0
        if time.time() > deadline:
            print(f"wait: {len(pending)} of {len(outcomes)} changes not done after {a.timeout}s "
                  f"(first: {pending[0]['app']})", file=sys.stderr)
            return 1
        time.sleep(1)


def main(argv):
    p = argparse.ArgumentParser(prog="driver.py")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("apps")
    s.add_argument("--ns", required=True)
    s.add_argument("--count", type=int, required=True)
    s.add_argument("--replicas", type=int, default=0)
    s.add_argument("--reloader", action="store_true")
    s = sub.add_parser("cachemodes")
    s.add_argument("--ns", required=True)
    s.add_argument("--count", type=int, required=True)
    s = sub.add_parser("change")
    s.add_argument("--tool", choices=["cachemode", "reloader"], required=True)
    s.add_argument("--ns", required=True)
    s.add_argument("--apps", required=True, help="first-last app number, e.g. 1-200")
    s.add_argument("--value", choices=["true", "false"], required=True)
    s.add_argument("--interval", type=float, default=0.0, help="seconds between changes; 0: all at once")
    s.add_argument("--threads", type=int, default=16)
    s.add_argument("--settle", help="spec.rollout.settle to set with the change (CacheMode only)")
    s.add_argument("--label", required=True, help="scenario name recorded with each change")
    s.add_argument("--log", required=True)
    s = sub.add_parser("noise")
    s.add_argument("--ns", required=True)
    s.add_argument("--secrets", type=int, required=True)
    s.add_argument("--deployments", type=int, required=True)
    s = sub.add_parser("watch")
    s.add_argument("--ns", nargs="+", required=True)
    s.add_argument("--kinds", nargs="+", default=[k for k, _ in WATCHED])
    s.add_argument("--log", required=True)
    s = sub.add_parser("wait")
    s.add_argument("--changes", required=True)
    s.add_argument("--events", required=True)
    s.add_argument("--tool", choices=["cachemode", "reloader"], required=True)
    s.add_argument("--label", required=True)
    s.add_argument("--timeout", type=float, default=600)
    a = p.parse_args(argv)
    return globals()["cmd_" + a.cmd](a) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
