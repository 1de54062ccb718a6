#!/usr/bin/env bash
# Quick check of the local control plane without Java: up, a 2-replica Deployment becomes available on the fake node,
# `kubectl rollout restart` completes, down. Exits non-zero on any failure. Usage: testenv/smoke.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$("$here/build.sh")
state=$(mktemp -d "${TMPDIR:-/tmp}/cachemode-smoke.XXXXXX")
trap '"$here/down.sh" "$state"' EXIT
kubeconfig=$("$here/up.sh" "$state")
k() { "$bin/kubectl" --kubeconfig "$kubeconfig" "$@"; }

version=$(<"$bin/kubernetes-version")
[[ "$(k version)" == *"Server Version: $version"* ]] || { echo "smoke: server is not $version" >&2; exit 1; }
k create namespace smoke
k -n smoke create deployment web --image=registry.invalid/app:1 --replicas=2
k -n smoke wait --for=jsonpath='{.status.availableReplicas}'=2 deployment/web --timeout=60s
k -n smoke rollout restart deployment/web
k -n smoke rollout status deployment/web --timeout=60s
k -n smoke get replicasets,pods -o wide
echo "smoke: OK"
