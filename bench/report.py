"""Markdown tables of several runs' summaries (analyze.py): every cell is min / **median** / max over the runs,
or a single number when all runs agree."""

import statistics

from analyze import fmt, get, over_runs, spread

TOOL_NAMES = {"cachemode": "this operator", "reloader": "Reloader"}


def latency_rows(summaries):
    labels = sorted({k for s in summaries for k in s["scenarios"] if "-latency" in k})
    rows = []
    for label in labels:
        tool = label.split("-")[0]
        what = TOOL_NAMES[tool] + (", settle " + label.split("settle-")[1] if "settle-" in label else "")
        stages = [("to_secret", "Secret written"), ("to_patched", "template patched"), ("to_done", "done")]
        for field, stage in stages:
            if tool == "reloader" and field == "to_secret":
                continue  # Reloader's change *is* the Secret write
            n = over_runs(summaries, ("scenarios", label, field, "n"), digits=0)
            cells = [over_runs(summaries, ("scenarios", label, field, q)) for q in ("p50", "p95", "p99")]
            rows.append(f"| {what} | change → {stage} | {n} | " + " | ".join(cells) + " |")
    return rows


def per_change(summaries, scenario, client):
    vals = []
    for s in summaries:
        n = get(s, ("scenarios", scenario, "changes"))
        c = get(s, ("api", scenario, "by_client", client))
        vals.append(c / n if n and c is not None else None)
    return fmt(spread(vals), digits=1)


def scale_rows(summaries):
    rows = []
    for label, what in (("cachemode-create", "this operator: 1 CacheMode created per app"),
                        ("cachemode-scale", "this operator: every CacheMode's suspend flipped"),
                        ("reloader-scale", "Reloader: every Secret's flag written")):
        if not any(label in s["scenarios"] for s in summaries):
            continue
        tool = label.split("-")[0]
        p = ("scenarios", label)
        recs = []
        for s in summaries:
            r, n = get(s, ("api", label, "tool", "reconciles")), get(s, p + ("changes",))
            recs.append(r / n if r is not None and n else None)
        rows.append(
            f"| {what} | {over_runs(summaries, p + ('changes',), digits=0)} "
            f"| {over_runs(summaries, p + ('all_patched_after_first',), digits=1)} "
            f"| {over_runs(summaries, p + ('all_done_after_first',), digits=1)} "
            f"| {over_runs(summaries, p + ('all_done_after_last_patch',), digits=1)} "
            f"| {over_runs(summaries, p + ('rolled_to_done', 'p50'), digits=2)} "
            f"| {over_runs(summaries, p + ('rolled_to_done', 'p95'), digits=2)} "
            f"| {fmt(spread(recs), digits=1)} | {per_change(summaries, label, 'bench-' + tool)} |")
    return rows


def allocation_rows(summaries):
    labels = sorted({k for s in summaries for k, w in s["api"].items()
                     if (w.get("tool") or {}).get("allocated_bytes") is not None and k in s["scenarios"]})
    rows = []
    for label in labels:
        vals = []
        for s in summaries:
            b, n = get(s, ("api", label, "tool", "allocated_bytes")), get(s, ("scenarios", label, "changes"))
            vals.append(b / n / 2**20 if b is not None and n else None)
        rows.append(f"| {label} | {over_runs(summaries, ('scenarios', label, 'changes'), digits=0)} "
                    f"| {fmt(spread(vals), digits=2)} |")
    return rows


def ratio(summaries, field):
    vals = []
    for s in summaries:
        a = get(s, ("scenarios", "reloader-scale", field))
        b = get(s, ("scenarios", "cachemode-scale", field))
        vals.append(a / b if a and b else None)
    return fmt(spread(vals), digits=2)


def verb_table(summaries, scenario):
    keys = sorted({k for s in summaries for k in (get(s, ("api", scenario, "by_verb")) or {})})
    rows = []
    for k in keys:
        vals = []
        for s in summaries:
            if get(s, ("api", scenario)) is None:
                continue  # a run that stopped before this scenario
            n = get(s, ("scenarios", scenario, "changes"))
            v = (get(s, ("api", scenario, "by_verb")) or {}).get(k, 0)
            vals.append(v / n if n else v)
        med = statistics.median(vals)
        if med >= 0.05:
            rows.append(f"| {scenario} | `{k}` | {fmt(spread(vals), digits=2)} |")
    return rows


def idle_rows(summaries):
    rows = []
    for tool in ("cachemode", "reloader"):
        label = f"{tool}-idle"
        vals, verbs = [], {}
        for s in summaries:
            w = get(s, ("api", label))
            if not w:
                continue
            vals.append(w["by_client"].get("bench-" + tool, 0) * 60 / w["seconds"])
        if vals:
            rows.append(f"| {TOOL_NAMES[tool]} | {fmt(spread(vals), digits=1)} | {', '.join(idle_verbs(summaries, label))} |")
        del verbs
    return rows


def idle_verbs(summaries, label):
    """Verbs and resources with requests in the idle window (all clients, median per minute)."""
    keys = sorted({k for s in summaries for k in (get(s, ("api", label, "by_verb")) or {})})
    out = []
    for k in keys:
        vals = [(get(s, ("api", label, "by_verb")) or {}).get(k, 0) * 60 / get(s, ("api", label, "seconds"))
                for s in summaries if get(s, ("api", label))]
        out.append(f"`{k}` {statistics.median(vals):.1f}")
    return out


MEMORY_LABELS = (("idle", "0 apps (10 s after start)"), ("apps", "after the burst of changes"),
                 ("before-noise", "all apps, both tools idle"), ("noise", "+ unrelated Secrets and Deployments"))


def memory_rows(summaries):
    rows = []
    for tool in ("cachemode", "reloader"):
        for label, what in MEMORY_LABELS:
            key = f"{tool}:{label}"
            if not any(key in s["memory"] for s in summaries):
                continue
            cells = [over_runs(summaries, ("memory", key, f), 1 / 1024, 1)
                     for f in ("rss_kb", "hwm_kb", "heap_used_kb", "live_heap_kb")]
            cells.append(over_runs(summaries, ("memory", key, "threads"), digits=0))
            rows.append(f"| {TOOL_NAMES[tool]} | {what} | " + " | ".join(cells) + " |")
        growth = []
        for f in ("rss_kb", "live_heap_kb"):
            vals = []
            for s in summaries:
                a, b = get(s, ("memory", f"{tool}:before-noise", f)), get(s, ("memory", f"{tool}:noise", f))
                vals.append((b - a) / a * 100 if a and b is not None else None)
            growth.append(fmt(spread(vals), digits=1))
        if any(f"{tool}:noise" in s["memory"] for s in summaries):
            rows.append(f"| {TOOL_NAMES[tool]} | growth with unrelated objects, % | {growth[0]} | | | {growth[1]} | |")
    return rows


def startup_rows(summaries):
    rows = []
    for tool in ("cachemode", "reloader"):
        if any(tool in s["startup"] for s in summaries):
            cells = [over_runs(summaries, ("startup", tool, f)) for f in ("to_ready", "to_first_reconcile", "to_lease")]
            rows.append(f"| {TOOL_NAMES[tool]} | " + " | ".join(cells) + " |")
    return rows


def tables(summaries):
    out = [f"Runs: {len(summaries)}. Cells: min / **median** / max over the runs (one number when all agree). Seconds unless stated.", ""]
    out += ["### Change latency (paced changes, one app each)", "",
            "| tool | stage | changes | p50 | p95 | p99 |", "|---|---|---:|---:|---:|---:|"]
    out += latency_rows(summaries)
    out += ["", "### Scale: every app changed at once", "",
            "| scenario | changes | all patched, s after the first change | all done, s after the first change "
            "| all done, s after the last patch | rollout complete → done, p50 | … p95 | reconciles per change "
            "| tool's API requests per change |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    out += scale_rows(summaries)
    out += ["", f"Throughput ratio Reloader ÷ this operator (time for the whole burst): until all patched "
            f"{ratio(summaries, 'all_patched_after_first')}, until all done {ratio(summaries, 'all_done_after_first')} "
            "(above 1: this operator is faster)."]
    out += ["", "### API requests per change, by verb and resource (kube-apiserver `apiserver_request_total`, all clients)", "",
            "| scenario | verb resource | requests per change |", "|---|---|---:|"]
    for sc in ("cachemode-scale", "reloader-scale"):
        out += verb_table(summaries, sc)
    out += ["", "### Heap allocated per change (the tool's own counter: JVM `jvm_gc_memory_allocated_bytes_total`, "
            "Go `go_memstats_alloc_bytes_total`; the window includes the watch events of the rollouts)", "",
            "| window | changes | MiB allocated per change |", "|---|---:|---:|"]
    out += allocation_rows(summaries)
    out += ["", "### Requests per idle minute (the tool's own identity; all clients' verbs listed)", "",
            "| tool | requests per minute | every request in the window (all clients), per minute |", "|---|---:|---|"]
    out += idle_rows(summaries)
    out += ["", "### Memory (MiB)", "",
            "| tool | state | RSS | peak RSS | heap in use | live heap | threads |", "|---|---|---:|---:|---:|---:|---:|"]
    out += memory_rows(summaries)
    out += ["", "### Start-up (s after the process was launched)", "",
            "| tool | serving (/readyz 200; Reloader: /metrics) | first reconcile (first status write) | Lease taken |",
            "|---|---:|---:|---:|"]
    out += startup_rows(summaries)
    return "\n".join(out) + "\n"


def meta_flags(s):
    m = s["meta"][0] if s.get("meta") else {}
    env = f", `{m['env']}`" if m.get("env") else ""
    jar = f", {m['jar']}" if m.get("jar") else ""
    return f"{m.get('java', '')}: `{m.get('flags', '')}`, RECONCILE_THREADS={m.get('threads', '')}{env}{jar}"


def variants_table(out_dir):
    """One row per bench/jvm.sh variant (subdirectories of out_dir with a summary.json, in run order)."""
    import json
    import os

    rows = ["| variant | /readyz s | first reconcile s | Lease s | CPU s to idle | RSS idle | live heap idle "
            "| all done s | RSS after | peak RSS | live heap after | threads after | CPU s of the burst "
            "| MiB allocated per change | flags |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    dirs = [d for d in os.listdir(out_dir) if os.path.exists(os.path.join(out_dir, d, "summary.json"))]
    dirs.sort(key=lambda d: os.path.getmtime(os.path.join(out_dir, d, "summary.json")))
    for d in dirs:
        with open(os.path.join(out_dir, d, "summary.json"), encoding="utf-8") as f:
            s = json.load(f)
        st = s["startup"].get("cachemode", {})
        idle, after = s["memory"].get("cachemode:idle", {}), s["memory"].get("cachemode:apps", {})
        mib = lambda v: "–" if v is None else f"{v / 1024:.1f}"  # noqa: E731
        num = lambda v: "–" if v is None else f"{v:.2f}"  # noqa: E731
        burst = after.get("cpu_s", 0) - idle.get("cpu_s", 0) if after and idle else None
        allocated = get(s, ("api", "cachemode-scale", "tool", "allocated_bytes"))
        changes = get(s, ("scenarios", "cachemode-scale", "changes"))
        per_change = allocated / changes / 2**20 if allocated is not None and changes else None
        rows.append(
            f"| {d} | {num(st.get('to_ready'))} | {num(st.get('to_first_reconcile'))} | {num(st.get('to_lease'))} "
            f"| {num(idle.get('cpu_s'))} | {mib(idle.get('rss_kb'))} | {mib(idle.get('live_heap_kb'))} "
            f"| {num(get(s, ('scenarios', 'cachemode-scale', 'all_done_after_first')))} | {mib(after.get('rss_kb'))} "
            f"| {mib(after.get('hwm_kb'))} | {mib(after.get('live_heap_kb'))} | {after.get('threads', '–')} "
            f"| {num(burst)} | {num(per_change)} | {meta_flags(s)} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    import sys

    print(variants_table(sys.argv[1]), end="")
