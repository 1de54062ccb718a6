"""Unit tests of the benchmark's analysis: python3 -m unittest discover -s bench (no cluster, no processes)."""

import base64
import json
import os
import tempfile
import unittest

import analyze
import model
import report


def dep(gen=1, ogen=1, replicas=0, updated=0, available=0, status_replicas=0, annotations=None):
    return {
        "metadata": {"name": "app-0001", "namespace": "ns", "generation": gen, "resourceVersion": "7"},
        "spec": {"replicas": replicas, "template": {"metadata": {"annotations": annotations or {}}}},
        "status": {"observedGeneration": ogen, "updatedReplicas": updated, "availableReplicas": available,
                   "replicas": status_replicas},
    }


class ModelTest(unittest.TestCase):
    def test_rollout_complete_follows_kubectl_rules(self):
        self.assertTrue(model.rollout_complete(dep()))
        self.assertFalse(model.rollout_complete(dep(gen=2, ogen=1)), "the controller has not seen the new template")
        self.assertFalse(model.rollout_complete(dep(replicas=1, updated=1, available=0, status_replicas=1)))
        self.assertFalse(model.rollout_complete(dep(replicas=1, updated=1, available=1, status_replicas=2)),
                         "an old pod is still running")
        self.assertTrue(model.rollout_complete(dep(replicas=1, updated=1, available=1, status_replicas=1)))
        stuck = dep()
        stuck["status"]["conditions"] = [{"type": "Progressing", "reason": "ProgressDeadlineExceeded"}]
        self.assertFalse(model.rollout_complete(stuck))

    def test_fingerprint_changes_with_the_template_only(self):
        a = model.extract("Deployment", dep(annotations={"x": "1"}))
        b = model.extract("Deployment", dep(annotations={"x": "2"}))
        c = model.extract("Deployment", dep(annotations={"x": "1"}, ogen=0))
        self.assertNotEqual(a["fp"], b["fp"])
        self.assertEqual(a["fp"], c["fp"])

    def test_secret_extract_keeps_only_the_benchmark_flag(self):
        def secret(value):
            return {"metadata": {"name": "app-0001-env", "namespace": "ns"},
                    "data": {model.FLAG_KEY: base64.b64encode(value.encode()).decode(), "DATABASE_URL": "eA=="}}

        self.assertEqual(model.extract("Secret", secret("true"))["flag"], "true")
        e = model.extract("Secret", secret("postgres://user:pw@db"))
        self.assertEqual(e["flag"], "other")
        self.assertNotIn("pw", json.dumps(e))

    def test_app_of_maps_each_kind_to_its_app(self):
        self.assertEqual(model.app_of("Secret", "app-0001-env"), "app-0001")
        self.assertEqual(model.app_of("CacheMode", "app-0001-redis"), "app-0001")
        self.assertEqual(model.app_of("Deployment", "app-0001"), "app-0001")


def ev(t, kind, **kw):
    names = {"Deployment": "app-0001", "Secret": "app-0001-env", "CacheMode": "app-0001-redis"}
    return {"t": t, "kind": kind, "ns": "ns", "name": names[kind], **kw}


class PairingTest(unittest.TestCase):
    change = {"t": 10.0, "ns": "ns", "app": "app-0001", "value": "false", "label": "x"}

    def events(self):
        return [
            ev(1.0, "Deployment", fp="a", gen=1, ogen=1, complete=True),
            ev(1.0, "CacheMode", phase="Suspended", gen=1, ogen=1),
            ev(9.0, "Deployment", fp="a", gen=1, ogen=1, complete=True),  # before the change: ignored
            ev(10.1, "CacheMode", phase="Active", gen=1, ogen=1),  # the previous generation's phase: not done
            ev(11.0, "Secret", flag="false"),
            ev(11.5, "CacheMode", phase="Active", gen=2, ogen=1),  # the edited spec, not yet reconciled
            ev(12.0, "Deployment", fp="b", gen=2, ogen=1, complete=True),  # patched, not yet observed
            ev(12.5, "Deployment", fp="b", gen=2, ogen=2, complete=False),
            ev(13.0, "Deployment", fp="b", gen=2, ogen=2, complete=True),
            ev(13.4, "CacheMode", phase="Active", gen=2, ogen=2),
        ]

    def test_cachemode_change_is_done_at_its_final_phase_after_the_patch(self):
        [o] = analyze.pair_changes([self.change], self.events(), "cachemode")
        self.assertEqual((o["secret"], o["patched"], o["rolled"], o["done"]), (11.0, 12.0, 13.0, 13.4))

    def test_done_may_arrive_before_the_patch_on_another_watch_stream(self):
        events = [e for e in self.events() if e["t"] != 13.4] + [ev(11.9, "CacheMode", phase="Active", gen=2, ogen=2)]
        [o] = analyze.pair_changes([self.change], events, "cachemode")
        self.assertEqual((o["patched"], o["done"]), (12.0, 11.9))

    def test_reloader_change_is_done_when_its_rollout_is_complete(self):
        [o] = analyze.pair_changes([self.change], self.events(), "reloader")
        self.assertEqual(o["done"], 13.0)

    def test_a_change_without_effect_stays_pending(self):
        events = [e for e in self.events() if e["t"] < 11.5]
        [o] = analyze.pair_changes([self.change], events, "cachemode")
        self.assertIsNone(o["patched"])
        self.assertIsNone(o["done"])
        s = analyze.summarize_changes([o])
        self.assertEqual((s["missing_patch"], s["missing_done"]), (1, 1))

    def test_burst_summary_measures_from_first_change_and_last_patch(self):
        outcomes = [
            {"app": "a", "t": 0.0, "secret": 1.0, "patched": 2.0, "rolled": 3.0, "done": 4.0},
            {"app": "b", "t": 0.5, "secret": 1.0, "patched": 5.0, "rolled": 6.0, "done": 9.0},
        ]
        s = analyze.summarize_changes(outcomes)
        self.assertEqual(s["all_patched_after_first"], 5.0)
        self.assertEqual(s["all_done_after_first"], 9.0)
        self.assertEqual(s["all_done_after_last_patch"], 4.0)
        self.assertEqual(s["to_patched"]["p50"], 2.0)
        self.assertEqual(s["rolled_to_done"]["max"], 3.0)


class StatsTest(unittest.TestCase):
    def test_nearest_rank_percentiles(self):
        values = list(range(1, 201))  # 1..200
        self.assertEqual(analyze.percentile(values, 50), 100)
        self.assertEqual(analyze.percentile(values, 95), 190)
        self.assertEqual(analyze.percentile(values, 99), 198)
        self.assertEqual(analyze.percentile([7], 99), 7)
        self.assertIsNone(analyze.percentile([], 50))

    def test_spread_ignores_missing_runs(self):
        self.assertEqual(analyze.spread([3, None, 1, 2]), {"min": 1, "median": 2, "max": 3, "runs": 3})
        self.assertIsNone(analyze.spread([None]))


PROM_BEFORE = """# HELP apiserver_request_total x
apiserver_request_total{code="200",component="apiserver",resource="secrets",scope="resource",subresource="",verb="GET",version="v1"} 10
apiserver_request_total{code="201",component="apiserver",resource="events",scope="resource",subresource="",verb="POST",version="v1"} 2
apiserver_flowcontrol_dispatched_requests_total{flow_schema="bench-cachemode",priority_level="bench-tools"} 5
"""
PROM_AFTER = """apiserver_request_total{code="200",component="apiserver",resource="secrets",scope="resource",subresource="",verb="GET",version="v1"} 14
apiserver_request_total{code="404",component="apiserver",resource="secrets",scope="resource",subresource="",verb="GET",version="v1"} 1
apiserver_request_total{code="201",component="apiserver",resource="events",scope="resource",subresource="",verb="POST",version="v1"} 2
apiserver_request_total{code="200",component="apiserver",group="cachemode.io",resource="cachemodes",scope="resource",subresource="status",verb="PATCH",version="v1alpha1"} 3
apiserver_flowcontrol_dispatched_requests_total{flow_schema="bench-cachemode",priority_level="bench-tools"} 13
apiserver_flowcontrol_dispatched_requests_total{flow_schema="exempt",priority_level="exempt"} 4
"""


class PromTest(unittest.TestCase):
    def test_api_delta_by_verb_resource_and_by_client(self):
        d = analyze.api_delta(analyze.parse_prom(PROM_BEFORE), analyze.parse_prom(PROM_AFTER))
        self.assertEqual(d["by_verb"], {"GET secrets": 5, "PATCH cachemodes/status": 3})
        self.assertEqual(d["by_client"], {"bench-cachemode": 8, "exempt": 4})

    def test_tool_counters(self):
        before = analyze.parse_prom('reloader_reload_executed_total{success="true"} 2\n'
                                    'reloader_reload_executed_total{success="false"} 1\n')
        after = analyze.parse_prom('reloader_reload_executed_total{success="true"} 7\n'
                                   'reloader_reload_executed_total{success="false"} 4\n')
        self.assertEqual(analyze.tool_metric_deltas(before, after), {"reloads": 5})

    def test_heap_allocation_from_either_runtime(self):
        jvm = analyze.tool_metric_deltas(analyze.parse_prom("jvm_gc_memory_allocated_bytes_total 1.0E9\n"),
                                         analyze.parse_prom("jvm_gc_memory_allocated_bytes_total 3.5E9\n"))
        go = analyze.tool_metric_deltas(analyze.parse_prom("go_memstats_alloc_bytes_total 100\n"),
                                        analyze.parse_prom("go_memstats_alloc_bytes_total 400\n"))
        self.assertEqual(jvm["allocated_bytes"], 2.5e9)
        self.assertEqual(go, {"allocated_bytes": 300})


class RunTest(unittest.TestCase):
    def test_a_recorded_run_becomes_a_summary_and_a_report(self):
        with tempfile.TemporaryDirectory() as d:
            def write(name, lines):
                with open(os.path.join(d, name), "w", encoding="utf-8") as f:
                    f.write("".join(json.dumps(x) + "\n" for x in lines))

            change = dict(PairingTest.change, tool="cachemode", label="cachemode-scale")
            write("changes.jsonl", [change])
            write("events.jsonl", PairingTest().events() + [
                {"t": 101.0, "kind": "Lease", "ns": "bench-system", "name": "cachemode-operator", "holder": "bench-cachemode"},
                {"t": 102.0, "kind": "CacheMode", "ns": "bench-start", "name": "app-0001-redis", "phase": "Suspended",
                 "gen": 1, "ogen": 1},
            ])
            for name, text in (("api-a.prom", PROM_BEFORE), ("api-b.prom", PROM_AFTER),
                               ("cm-a.prom", "jvm_gc_memory_allocated_bytes_total 1048576\n"),
                               ("cm-b.prom", "jvm_gc_memory_allocated_bytes_total 3145728\n")):
                with open(os.path.join(d, name), "w", encoding="utf-8") as f:
                    f.write(text)
            write("marks.jsonl", [
                {"label": "cachemode-launch", "t": 100.0, "identity": "bench-cachemode"},
                {"label": "cachemode-ready", "t": 100.5},
                {"label": "cachemode-scale-start", "t": 9.0, "api": "api-a.prom", "tool_metrics": "cm-a.prom"},
                {"label": "cachemode-scale-end", "t": 20.0, "api": "api-b.prom", "tool_metrics": "cm-b.prom"},
            ])
            write("memory.jsonl", [{"tool": "cachemode", "label": "idle", "rss_kb": 102400, "live_heap_kb": 20480}])
            write("meta.jsonl", [{"cores": "2"}])
            s = analyze.analyze_run(d)
        self.assertEqual(s["startup"]["cachemode"], {"to_ready": 0.5, "to_first_reconcile": 2.0, "to_lease": 1.0})
        self.assertAlmostEqual(s["scenarios"]["cachemode-scale"]["to_done"]["p50"], 3.4)
        self.assertEqual(s["api"]["cachemode-scale"]["by_client"]["bench-cachemode"], 8)
        text = report.tables([s, s, s])
        self.assertIn("| this operator | 0.50 | 2.00 | 1.00 |", text)
        self.assertIn("| this operator: every CacheMode's suspend flipped | 1 | 2.0 | 3.4 | 1.4 | 0.40 | 0.40 |", text)
        self.assertIn("| cachemode-scale | 1 | 2.00 |", text)


class VariantsTest(unittest.TestCase):
    def test_a_variants_row_has_its_burst_cpu_and_allocation_per_change(self):
        summary = {"meta": [{"java": "openjdk 17", "flags": "-XX:+UseSerialGC", "threads": "16"}],
                   "startup": {"cachemode": {"to_ready": 3.0}},
                   "scenarios": {"cachemode-scale": {"changes": 1000, "all_done_after_first": 50.0}},
                   "api": {"cachemode-scale": {"tool": {"allocated_bytes": 1000 * 1.5 * 2**20}}},
                   "memory": {"cachemode:idle": {"cpu_s": 10.0, "rss_kb": 102400},
                              "cachemode:apps": {"cpu_s": 40.0, "rss_kb": 174080, "threads": 55}}}
        with tempfile.TemporaryDirectory() as d:
            os.mkdir(os.path.join(d, "v1"))
            with open(os.path.join(d, "v1", "summary.json"), "w", encoding="utf-8") as f:
                json.dump(summary, f)
            row = report.variants_table(d).splitlines()[2]
        self.assertTrue(row.startswith("| v1 | 3.00 |"), row)
        self.assertIn("| 170.0 | – | – | 55 | 30.00 | 1.50 | openjdk 17", row)

    def test_a_variants_flags_name_its_environment_when_it_has_one(self):
        meta = {"java": "openjdk 17", "flags": "-XX:+UseSerialGC", "threads": "16"}
        self.assertEqual(report.meta_flags({"meta": [meta]}), "openjdk 17: `-XX:+UseSerialGC`, RECONCILE_THREADS=16")
        with_env = dict(meta, env="MALLOC_ARENA_MAX=2")
        self.assertEqual(report.meta_flags({"meta": [with_env]}),
                         "openjdk 17: `-XX:+UseSerialGC`, RECONCILE_THREADS=16, `MALLOC_ARENA_MAX=2`")

    def test_a_variants_flags_name_its_jar_when_it_ran_another_build(self):
        meta = {"java": "openjdk 17", "flags": "-XX:+UseSerialGC", "threads": "16", "jar": "lean.jar"}
        self.assertEqual(report.meta_flags({"meta": [meta]}),
                         "openjdk 17: `-XX:+UseSerialGC`, RECONCILE_THREADS=16, lean.jar")


if __name__ == "__main__":
    unittest.main()
