#!/usr/bin/env bash
# Builds the local control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kwok, helm)
# from the pinned Go modules under testenv/ into a cache directory outside the repository. The directory name is a hash
# of every input, so a warm run only checks that the binaries exist and prints their path.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache_root=${CACHEMODE_TESTENV_CACHE:-$HOME/.cache/cachemode-testenv}
k8s_version=v1.36.3
inputs_hash=$(cat "$here/build.sh" "$here"/*/go.mod "$here"/*/go.sum | sha256sum | cut -c1-16)
bin="$cache_root/$inputs_hash/bin"
binaries=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok helm)

missing=()
for b in "${binaries[@]}"; do [[ -x "$bin/$b" ]] || missing+=("$b"); done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "$bin"
  exit 0
fi

mkdir -p "$bin"
log() { echo "[testenv/build] $(date +%H:%M:%S) $*" >&2; }
build_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
minor=${k8s_version#v1.}; minor=${minor%%.*}
version_ldflags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  version_ldflags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  version_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$build_date"
done

build() { # module dir, ldflags, packages...
  local dir=$1 ldflags=$2; shift 2
  log "building $* (first build takes minutes; later ones reuse the Go build cache)"
  (cd "$here/$dir" && go build -trimpath -ldflags "-s -w $ldflags" -o "$bin/" "$@")
}

needs() { for b in "$@"; do [[ " ${missing[*]} " == *" $b "* ]] && return 0; done; return 1; }

if needs kube-apiserver kube-controller-manager kube-scheduler kubectl; then
  build kube "$version_ldflags" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
fi
if needs etcd; then
  build etcd "" go.etcd.io/etcd/server/v3
  mv "$bin/v3" "$bin/etcd"
fi
if needs kwok; then build kwok "" sigs.k8s.io/kwok/cmd/kwok; fi
if needs helm; then
  helm_ldflags="-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$minor"
  helm_ldflags+=" -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$minor"
  build helm "$helm_ldflags" helm.sh/helm/v3/cmd/helm
fi
log "binaries ready in $bin"
echo "$bin"
