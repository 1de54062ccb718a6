// Command stages prints the kwok "fast" stage set (the one kwokctl installs by default) as a multi-document YAML
// config for `kwok --config`: node-initialize, node-heartbeat-with-lease, pod-ready, pod-complete, pod-delete.
// The YAML comes from the kwok module itself, so it always matches the kwok version pinned in go.mod.
package main

import (
	"fmt"
	"strings"

	nodefast "sigs.k8s.io/kwok/kustomize/stage/node/fast"
	nodeheartbeat "sigs.k8s.io/kwok/kustomize/stage/node/heartbeat-with-lease"
	podfast "sigs.k8s.io/kwok/kustomize/stage/pod/fast"
)

// kwok's node-initialize writes only the missing one of InternalIP and Hostname when the other is there, and its
// status update replaces the list: a node that becomes NotReady (an API server outage in a test) loses the address
// pods/log needs ("no preferred addresses found"). Here it always writes both.
const initAddresses = `
      addresses:
      {{ with NodeIP }}
      - address: {{ . | Quote }}
        type: InternalIP
      {{ end }}
      {{ with NodeName }}
      - address: {{ . | Quote }}
        type: Hostname
      {{ end }}

      {{ with NodePort }}`

func nodeInit() string {
	s := nodefast.DefaultNodeInit
	from := strings.Index(s, "{{ $hasInternalIP := false }}")
	to := strings.Index(s, "{{ with NodePort }}")
	if from < 0 || to < from {
		panic("kwok's node-initialize stage changed: review initAddresses")
	}
	start := strings.LastIndex(s[:from], "\n")
	return s[:start] + initAddresses + s[to+len("{{ with NodePort }}"):]
}

func main() {
	stages := []string{
		nodeInit(),
		nodeheartbeat.DefaultNodeHeartbeatWithLease,
		podfast.DefaultPodReady,
		podfast.DefaultPodComplete,
		podfast.DefaultPodDelete,
	}
	for i, s := range stages {
		if i > 0 {
			fmt.Println("---")
		}
		fmt.Println(strings.TrimSpace(s))
	}
}
