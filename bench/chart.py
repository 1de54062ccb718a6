"""PNG chart of several runs' summaries (needs matplotlib: pip install matplotlib).

    chart.py OUT.png DIR...

Left: change latency p50/p95/p99 (paced changes) per tool and stage, median over runs with min-max whiskers.
Middle: the burst of every app changed at once: seconds until all patched and until all done.
Right: RSS and live heap at 0 apps, with all apps, and with the unrelated objects added.
"""

import json
import os
import statistics
import sys

from analyze import get


def med_err(values):
    vs = [v for v in values if v is not None]
    if not vs:
        return 0.0, (0.0, 0.0)
    m = statistics.median(vs)
    return m, (m - min(vs), max(vs) - m)


def bars(ax, groups, series, title, ylabel):
    """groups: x labels; series: {name: [(median, (lo, hi)) per group]}."""
    width = 0.8 / max(1, len(series))
    for i, (name, points) in enumerate(series.items()):
        xs = [g + (i - (len(series) - 1) / 2) * width for g in range(len(groups))]
        ax.bar(xs, [p[0] for p in points], width, label=name,
               yerr=[[p[1][0] for p in points], [p[1][1] for p in points]], capsize=2)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(groups, rotation=20, ha="right", fontsize=7)
    ax.set_title(title, fontsize=9)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.legend(fontsize=7)


def main(argv):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out, dirs = argv[0], argv[1:]
    summaries = []
    for d in dirs:
        with open(os.path.join(d, "summary.json"), encoding="utf-8") as f:
            summaries.append(json.load(f))
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.8))

    labels = sorted({k for s in summaries for k in s["scenarios"] if "-latency" in k})
    groups = [lbl.replace("cachemode", "operator").replace("-latency", "").replace("-settle-", " settle ") for lbl in labels]
    series = {}
    for q in ("p50", "p95", "p99"):
        series[q] = [med_err([get(s, ("scenarios", lbl, "to_patched", q)) for s in summaries]) for lbl in labels]
    bars(axes[0], [g + "\nto patched" for g in groups], series, "Change latency (paced), change → template patched", "s")

    scale = [lbl for lbl in ("cachemode-scale", "reloader-scale") if any(lbl in s["scenarios"] for s in summaries)]
    series = {
        what: [med_err([get(s, ("scenarios", lbl, field)) for s in summaries]) for lbl in scale]
        for what, field in (("all patched", "all_patched_after_first"), ("all rollouts complete", "all_rolled_after_first"),
                            ("all done", "all_done_after_first"))
    }
    n = get(summaries[0], ("scenarios", scale[0], "changes")) if scale else 0
    bars(axes[1], [lbl.replace("cachemode", "operator") for lbl in scale], series,
         f"{n} apps changed at once: s after the first change", "s")

    states = ("idle", "before-noise", "noise")
    groups = [f"{t.replace('cachemode', 'operator')}: {st}" for t in ("cachemode", "reloader") for st in states]
    series = {
        what: [med_err([kib / 1024 if (kib := get(s, ("memory", f"{t}:{st}", field))) is not None else None
                        for s in summaries])
               for t in ("cachemode", "reloader") for st in states]
        for what, field in (("RSS", "rss_kb"), ("live heap", "live_heap_kb"))
    }
    bars(axes[2], groups, series, "Memory: 0 apps, all apps, + unrelated objects", "MiB")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
