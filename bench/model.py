"""What the benchmark keeps of each watched object: small, pure extracts (no I/O), unit tested in test_bench.py.

An extract never holds a Secret value other than the benchmark's own flag ("true"/"false"; anything else is
recorded as "other"), so the recorded events can be kept and shared.
"""

import base64
import hashlib
import json

FLAG_KEY = "SUSPEND_REDIS"


def fingerprint(template):
    """Short digest of a pod template: changes exactly when a tool patches the template."""
    return hashlib.sha256(json.dumps(template, sort_keys=True).encode()).hexdigest()[:12]


def rollout_complete(dep):
    """`kubectl rollout status` rules for a Deployment: the controller saw this generation and every replica
    is updated and available (0 of 0 counts as complete)."""
    spec, status = dep.get("spec", {}), dep.get("status", {})
    generation = dep["metadata"].get("generation", 0)
    want = spec.get("replicas", 1)
    if status.get("observedGeneration", 0) < generation:
        return False
    for cond in status.get("conditions", []):
        if cond.get("type") == "Progressing" and cond.get("reason") == "ProgressDeadlineExceeded":
            return False
    updated = status.get("updatedReplicas", 0)
    return updated >= want and status.get("replicas", 0) <= updated and status.get("availableReplicas", 0) >= updated


def flag_value(secret):
    raw = (secret.get("data") or {}).get(FLAG_KEY)
    if raw is None:
        return None
    value = base64.b64decode(raw).decode(errors="replace")
    return value if value in ("true", "false") else "other"


def extract(kind, obj):
    """The fields of one object that the analysis reads, keyed by kind."""
    meta = obj["metadata"]
    out = {"kind": kind, "ns": meta.get("namespace"), "name": meta["name"], "rv": meta.get("resourceVersion")}
    if kind == "Deployment":
        out.update(
            gen=meta.get("generation", 0),
            ogen=obj.get("status", {}).get("observedGeneration", 0),
            fp=fingerprint(obj["spec"]["template"]),
            complete=rollout_complete(obj),
        )
    elif kind == "Secret":
        out["flag"] = flag_value(obj)
    elif kind == "CacheMode":
        status = obj.get("status") or {}
        out.update(
            gen=meta.get("generation", 0),
            suspend=obj.get("spec", {}).get("suspend"),
            phase=status.get("phase"),
            ogen=status.get("observedGeneration"),
        )
    elif kind == "Lease":
        out["holder"] = obj.get("spec", {}).get("holderIdentity")
    return out


def app_of(kind, name):
    """The app an object belongs to: app-0001 for Secret app-0001-env, Deployment app-0001, CacheMode
    app-0001-redis."""
    if kind == "Secret" and name.endswith("-env"):
        return name[: -len("-env")]
    if kind == "CacheMode" and name.endswith("-redis"):
        return name[: -len("-redis")]
    return name
