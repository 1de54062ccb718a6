"""Analysis of benchmark runs (Python 3.11 standard library only; unit tests in test_bench.py).

    analyze.py run DIR             DIR/summary.json from one run's recordings (events, changes, scrapes, memory)
    analyze.py report OUT.md DIR...  min / median / max over the runs' summaries, as Markdown tables

A run directory holds: events.jsonl (driver.py watch), changes.jsonl (driver.py change), marks.jsonl (one line
per harness mark: label, time, and the files scraped then), memory.jsonl, and the scraped metrics files.
"""

import json
import math
import os
import re
import statistics
import sys
from collections import defaultdict

from model import app_of

TOOLS = ("cachemode", "reloader")


def read_jsonl(path, label=None):
    if not os.path.exists(path):
        return []
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:  # a line being written right now
                continue
            if label is None or rec.get("label") == label:
                out.append(rec)
    return out


def percentile(values, q):
    """Nearest-rank percentile (q in 0..100) of a non-empty list; None for an empty one."""
    if not values:
        return None
    s = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(s)))
    return s[rank - 1]


# --- changes and what followed them ----------------------------------------------------------------------------

def index_events(events):
    by = defaultdict(list)
    for e in events:
        by[(e["kind"], e["ns"], app_of(e["kind"], e["name"]))].append(e)
    for v in by.values():
        v.sort(key=lambda e: e["t"])
    return by


def final_phase(value):
    return "Suspended" if value == "true" else "Active"


def pair_changes(changes, events, tool):
    """For each change: when the Secret held the new value, when the Deployment's template was patched, when
    that rollout was complete, and when the tool reported the change done (times in seconds since the epoch,
    None if not seen). Done is the CacheMode's final phase for this operator and the finished rollout for
    Reloader, which reports nothing else."""
    by = index_events(events)
    out = []
    for c in changes:
        key = (c["ns"], c["app"])
        deps = by.get(("Deployment",) + key, [])
        before = [e for e in deps if e["t"] < c["t"]]
        fp0 = before[-1]["fp"] if before else None
        patched = next((e for e in deps if e["t"] >= c["t"] and e["fp"] != fp0), None)
        rolled = None
        if patched is not None:
            rolled = next(
                (e for e in deps if e["t"] >= patched["t"] and e["fp"] == patched["fp"] and e["complete"]
                 and e["ogen"] >= e["gen"]),
                None,
            )
        secret = next((e for e in by.get(("Secret",) + key, []) if e["t"] >= c["t"] and e["flag"] == c["value"]), None)
        if tool == "cachemode":
            # Watch streams of different kinds arrive in their own order, so "done" is not required to follow the
            # patch's event: it is the final phase recorded for the edited generation (status.observedGeneration).
            cms = by.get(("CacheMode",) + key, [])
            gen0 = max((e["gen"] for e in cms if e["t"] < c["t"]), default=0)
            done = next(
                (e for e in cms
                 if e["t"] >= c["t"] and e["gen"] > gen0 and e["phase"] == final_phase(c["value"])
                 and (e.get("ogen") is None or e["ogen"] >= e["gen"])),
                None,
            )
        else:
            done = rolled
        out.append({
            "app": c["app"],
            "t": c["t"],
            "secret": secret and secret["t"],
            "patched": patched and patched["t"],
            "rolled": rolled and rolled["t"],
            "done": done and done["t"],
        })
    return out


def dist(values):
    """p50 / p95 / p99 / max of a list of seconds."""
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": max(values) if values else None,
    }


def summarize_changes(outcomes):
    """Latencies from each change and, for a burst, how long the whole burst took."""
    def rel(field, start="t"):
        return [o[field] - o[start] for o in outcomes if o[field] is not None and o[start] is not None]

    first = min((o["t"] for o in outcomes), default=None)
    last_patch = max((o["patched"] for o in outcomes if o["patched"]), default=None)
    last_done = max((o["done"] for o in outcomes if o["done"]), default=None)
    last_rolled = max((o["rolled"] for o in outcomes if o["rolled"]), default=None)
    return {
        "changes": len(outcomes),
        "missing_patch": sum(1 for o in outcomes if o["patched"] is None),
        "missing_done": sum(1 for o in outcomes if o["done"] is None),
        "to_secret": dist(rel("secret")),
        "to_patched": dist(rel("patched")),
        "to_done": dist(rel("done")),
        "rolled_to_done": dist(rel("done", "rolled")),
        "all_patched_after_first": last_patch and last_patch - first,
        "all_rolled_after_first": last_rolled and last_rolled - first,
        "all_done_after_first": last_done and last_done - first,
        "all_done_after_last_patch": last_done and last_patch and last_done - last_patch,
    }


# --- Prometheus text ----------------------------------------------------------------------------------------------

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_prom(text):
    """Samples of a Prometheus text exposition: list of (name, {label: value}, float)."""
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m:
            continue
        labels = dict(LABEL.findall(m.group(2) or ""))
        try:
            out.append((m.group(1), labels, float(m.group(3))))
        except ValueError:
            continue
    return out


def prom_sum(samples, name, **match):
    return sum(v for n, l, v in samples if n == name and all(l.get(k) == w for k, w in match.items()))


def grouped(samples, name, keys):
    g = defaultdict(float)
    for n, l, v in samples:
        if n == name:
            g[tuple(l.get(k, "") for k in keys)] += v
    return g


def api_delta(before, after):
    """kube-apiserver requests between two scrapes: by verb/resource[/subresource] (all clients) and by
    flow schema (one per benchmark identity, see lib.sh; other clients fall into the default schemas)."""
    keys = ("verb", "resource", "subresource")
    b, a = grouped(before, "apiserver_request_total", keys), grouped(after, "apiserver_request_total", keys)
    by_verb = {}
    for k, v in a.items():
        d = v - b.get(k, 0)
        if d > 0:
            verb, res, sub = k
            by_verb[f"{verb} {res}{'/' + sub if sub else ''}"] = int(d)
    fk = ("flow_schema",)
    fb = grouped(before, "apiserver_flowcontrol_dispatched_requests_total", fk)
    fa = grouped(after, "apiserver_flowcontrol_dispatched_requests_total", fk)
    by_client = {k[0]: int(v - fb.get(k, 0)) for k, v in fa.items() if v - fb.get(k, 0) > 0}
    return {"by_verb": by_verb, "by_client": by_client}


def read_prom(path):
    with open(path, encoding="utf-8") as f:
        return parse_prom(f.read())


# --- one run --------------------------------------------------------------------------------------------------------

def startup(marks, events, tool, identity):
    """Launch -> first status write on the probe CacheMode (this operator) and launch -> Lease held."""
    launch = next((m["t"] for m in marks if m["label"] == f"{tool}-launch"), None)
    if launch is None:
        return None
    lease = next((e["t"] for e in events if e["kind"] == "Lease" and e["t"] >= launch and e.get("holder") == identity), None)
    first = None
    if tool == "cachemode":
        first = next((e["t"] for e in events if e["kind"] == "CacheMode" and e["ns"] == "bench-start"
                      and e["t"] >= launch and e.get("phase")), None)
    ready = next((m["t"] for m in marks if m["label"] == f"{tool}-ready"), None)
    return {
        "to_ready": ready and ready - launch,
        "to_first_reconcile": first and first - launch,
        "to_lease": lease and lease - launch,
    }


def analyze_run(d):
    marks = read_jsonl(os.path.join(d, "marks.jsonl"))
    events = read_jsonl(os.path.join(d, "events.jsonl"))
    changes = read_jsonl(os.path.join(d, "changes.jsonl"))
    mark = {m["label"]: m for m in marks}
    summary = {"meta": read_jsonl(os.path.join(d, "meta.jsonl")), "scenarios": {}, "api": {}, "memory": {}, "startup": {}}
    for label in sorted({c["label"] for c in changes}):
        cs = [c for c in changes if c["label"] == label]
        summary["scenarios"][label] = summarize_changes(pair_changes(cs, events, cs[0]["tool"]))
    # API windows: marks NAME-start and NAME-end with an "api" file each
    for label, m in mark.items():
        if label.endswith("-start") and m.get("api"):
            name = label[: -len("-start")]
            end = mark.get(name + "-end")
            if end and end.get("api"):
                delta = api_delta(read_prom(os.path.join(d, m["api"])), read_prom(os.path.join(d, end["api"])))
                delta["seconds"] = end["t"] - m["t"]
                if m.get("tool_metrics") and end.get("tool_metrics"):
                    tb = read_prom(os.path.join(d, m["tool_metrics"]))
                    ta = read_prom(os.path.join(d, end["tool_metrics"]))
                    delta["tool"] = tool_metric_deltas(tb, ta)
                summary["api"][name] = delta
    for rec in read_jsonl(os.path.join(d, "memory.jsonl")):
        summary["memory"][f"{rec['tool']}:{rec['label']}"] = rec
    for tool in TOOLS:
        ident = mark.get(f"{tool}-launch", {}).get("identity")
        s = startup(marks, events, tool, ident)
        if s:
            summary["startup"][tool] = s
    return summary


TOOL_COUNTERS = {
    "reconciles": "operator_sdk_reconciliations_started_total",
    "reconciles_failed": "operator_sdk_reconciliations_failed_total",
    "restarts": "cachemode_restarts_total",
    "reloads": "reloader_reload_executed_total",
}


# Bytes the tool's heap took in (Micrometer's JVM counter, sampled at each GC; Go's runtime counter)
ALLOCATED = ("jvm_gc_memory_allocated_bytes_total", "go_memstats_alloc_bytes_total")


def tool_metric_deltas(before, after):
    out = {}
    for name in ALLOCATED:
        if any(n == name for n, _, _ in after):
            out["allocated_bytes"] = prom_sum(after, name) - prom_sum(before, name)
    for key, name in TOOL_COUNTERS.items():
        if key == "reloads":
            d = prom_sum(after, name, success="true") - prom_sum(before, name, success="true")
        else:
            d = prom_sum(after, name) - prom_sum(before, name)
        if any(n == name for n, _, _ in after):
            out[key] = d
    return out


# --- several runs ---------------------------------------------------------------------------------------------------

def spread(values):
    """min / median / max of the values that exist."""
    vs = [v for v in values if v is not None]
    if not vs:
        return None
    return {"min": min(vs), "median": statistics.median(vs), "max": max(vs), "runs": len(vs)}


def get(d, path):
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d


def fmt(s, scale=1.0, digits=2):
    if s is None:
        return "–"
    f = f"{{:.{digits}f}}"
    if s["min"] == s["max"]:
        return f.format(s["min"] * scale)
    return f"{f.format(s['min'] * scale)} / **{f.format(s['median'] * scale)}** / {f.format(s['max'] * scale)}"


def over_runs(summaries, path, scale=1.0, digits=2):
    return fmt(spread([get(s, path) for s in summaries]), scale, digits)


def main(argv):
    if argv[:1] == ["run"] and len(argv) == 2:
        summary = analyze_run(argv[1])
        with open(os.path.join(argv[1], "summary.json"), "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=1, sort_keys=True)
        return 0
    if argv[:1] == ["report"] and len(argv) >= 3:
        import report

        summaries = []
        for d in argv[2:]:
            with open(os.path.join(d, "summary.json"), encoding="utf-8") as f:
                summaries.append(json.load(f))
        with open(argv[1], "w", encoding="utf-8") as f:
            f.write(report.tables(summaries))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
