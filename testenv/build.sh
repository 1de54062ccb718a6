#!/usr/bin/env bash
# Builds the local control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kwok and its
# stage config, helm) from the pinned Go modules under testenv/ into a cache directory outside the repository, and
# prints that directory. Its name is a hash of every input, so a warm run only checks that the outputs exist.
# Timings on 2 cores: cold Go cache ~15 min (kube ~9, kwok ~2, helm ~2, etcd <1); warm Go cache ~30 s (linking only).
#
#   testenv/build.sh           the control plane; prints its bin directory
#   testenv/build.sh standin   the demo's stand-in app (testenv/standin); prints the binary's path. Its own hash
#                              (of its sources), so editing it never relinks the control plane.
#
# The Kubernetes version is the one testenv/kube/go.mod pins; it is written to <bin>/kubernetes-version for the
# scripts and tests that check the server reports it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache_root=${CACHEMODE_TESTENV_CACHE:-$HOME/.cache/cachemode-testenv}
log() { echo "[testenv/build] $(date +%H:%M:%S) $*" >&2; }

if [[ "${1:-}" == standin ]]; then
  sources=("$here"/standin/go.mod "$here"/standin/go.sum)
  for f in "$here"/standin/*.go; do [[ "$f" == *_test.go ]] || sources+=("$f"); done
  dir="$cache_root/standin-$(cat "${sources[@]}" | sha256sum | cut -c1-16)"
  if [[ ! -s "$dir/standin" ]]; then
    mkdir -p "$dir"
    exec 9>"$dir/.lock"
    flock 9
    if [[ ! -s "$dir/standin" ]]; then
      log "building the stand-in app"
      (cd "$here/standin" && go build -trimpath -o "$dir/standin.tmp" . && mv "$dir/standin.tmp" "$dir/standin")
    fi
  fi
  echo "$dir/standin"
  exit 0
fi

inputs=("$here/build.sh")
for module in kube etcd kwok helm; do inputs+=("$here/$module/go.mod" "$here/$module/go.sum"); done
inputs_hash=$(cat "${inputs[@]}" | sha256sum | cut -c1-16)
bin="$cache_root/$inputs_hash/bin"
outputs=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok kwok-stages.yaml helm
  kubernetes-version)

missing=()
for b in "${outputs[@]}"; do [[ -s "$bin/$b" ]] || missing+=("$b"); done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "$bin"
  exit 0
fi

mkdir -p "$bin"
# Serialise concurrent builds (e.g. two test JVMs) on the same cache directory; re-check after taking the lock.
exec 9>"$cache_root/$inputs_hash/.lock"
flock 9
missing=()
for b in "${outputs[@]}"; do [[ -s "$bin/$b" ]] || missing+=("$b"); done
if [[ ${#missing[@]} -eq 0 ]]; then # another build finished while this one waited for the lock
  log "binaries ready in $bin (built by a concurrent run)"
  echo "$bin"
  exit 0
fi
k8s_version=$(cd "$here/kube" && go list -m -f '{{.Version}}' k8s.io/kubernetes)
build_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
minor=${k8s_version#v1.}; minor=${minor%%.*}
version_ldflags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  version_ldflags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  version_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$build_date"
done

tmp=$(mktemp -d "$cache_root/$inputs_hash/tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
build() { # module dir, ldflags, packages... ; binaries land in $tmp first, then move into $bin
  local dir=$1 ldflags=$2; shift 2
  log "building $* (first build takes minutes; later ones reuse the Go build cache)"
  (cd "$here/$dir" && go build -trimpath -ldflags "-s -w $ldflags" -o "$tmp/" "$@")
}

needs() { for b in "$@"; do [[ " ${missing[*]} " == *" $b "* ]] && return 0; done; return 1; }

if needs kube-apiserver kube-controller-manager kube-scheduler kubectl; then
  build kube "$version_ldflags" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
fi
if needs etcd; then
  build etcd "" go.etcd.io/etcd/server/v3
  mv "$tmp/server" "$tmp/etcd" # go build names it after the path element before the /v3 suffix
fi
if needs kwok kwok-stages.yaml; then
  build kwok "" sigs.k8s.io/kwok/cmd/kwok
  (cd "$here/kwok" && go run ./stages >"$tmp/kwok-stages.yaml") # kwok's default "fast" stages, from the module
fi
if needs helm; then
  helm_version=$(cd "$here/helm" && go list -m -f '{{.Version}}' helm.sh/helm/v3)
  helm_ldflags="-X helm.sh/helm/v3/internal/version.version=$helm_version -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
  helm_ldflags+=" -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$minor"
  helm_ldflags+=" -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$minor"
  build helm "$helm_ldflags" helm.sh/helm/v3/cmd/helm
fi
echo "$k8s_version" >"$tmp/kubernetes-version"
mv "$tmp"/* "$bin/"
log "binaries ready in $bin"
echo "$bin"
