package main

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

func pod(name, hash string, running, terminating, suspended bool) podView {
	return podView{name: name, templateHash: hash, running: running, terminating: terminating, suspended: suspended}
}

func TestDecide(t *testing.T) {
	cases := []struct {
		name    string
		pods    []podView
		current string
		want    appState
	}{
		{"no pods", nil, "new", appState{mode: noPods}},
		{"no current ReplicaSet yet", []podView{pod("a", "old", true, false, false)}, "",
			appState{mode: noPods, redisPods: 1, getsPerSecond: 10}},
		{"before the change: both pods use Redis",
			[]podView{pod("a", "old", true, false, false), pod("b", "old", true, false, false)}, "old",
			appState{mode: redisActive, current: 2, redisPods: 2, getsPerSecond: 20}},
		{"rolling: new pods read true, an old one still sends GETs",
			[]podView{pod("a", "old", true, false, false), pod("c", "new", true, false, true),
				pod("d", "new", false, false, true)}, "new",
			appState{mode: localMemory, current: 2, suspended: 2, redisPods: 1, getsPerSecond: 10}},
		{"an old pod being deleted has stopped", []podView{pod("a", "old", false, true, false),
			pod("c", "new", true, false, true)}, "new",
			appState{mode: localMemory, current: 1, suspended: 1}},
		{"after the rollout: suspended, no GETs",
			[]podView{pod("c", "new", true, false, true), pod("d", "new", true, false, true)}, "new",
			appState{mode: localMemory, current: 2, suspended: 2}},
		{"restarted, but the code read false (act two): GETs continue",
			[]podView{pod("c", "new", true, false, false), pod("d", "new", true, false, false)}, "new",
			appState{mode: redisActive, current: 2, redisPods: 2, getsPerSecond: 20}},
		{"one current pod read false: not suspended",
			[]podView{pod("c", "new", true, false, true), pod("d", "new", true, false, false)}, "new",
			appState{mode: redisActive, current: 2, suspended: 1, redisPods: 1, getsPerSecond: 10}},
		{"a terminating current pod does not count",
			[]podView{pod("c", "new", true, false, true), pod("d", "new", false, true, false)}, "new",
			appState{mode: localMemory, current: 1, suspended: 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := decide(c.pods, c.current, 10); got != c.want {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestCurrentTemplateHashIsTheReplicaSetOfTheDeploymentsRevision(t *testing.T) {
	d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "atom-saas", UID: "dep",
		Annotations: map[string]string{revisionAnnotation: "2"}}}
	owner := []metav1.OwnerReference{{Kind: "Deployment", Name: "atom-saas", UID: "dep", Controller: ptr.To(true)}}
	rs := func(hash, revision string, owners []metav1.OwnerReference) *appsv1.ReplicaSet {
		return &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: "atom-saas-" + hash, OwnerReferences: owners,
			Labels:      map[string]string{appsv1.DefaultDeploymentUniqueLabelKey: hash},
			Annotations: map[string]string{revisionAnnotation: revision}}}
	}
	foreign := []metav1.OwnerReference{{Kind: "Deployment", Name: "other", UID: "x", Controller: ptr.To(true)}}
	sets := []*appsv1.ReplicaSet{rs("old", "1", owner), rs("imposter", "2", foreign), rs("new", "2", owner)}

	if got := currentTemplateHash(d, sets); got != "new" {
		t.Fatalf("got %q, want new", got)
	}
	d.Annotations = nil // the Deployment controller has not created a ReplicaSet yet
	if got := currentTemplateHash(d, sets); got != "" {
		t.Fatalf("got %q before any revision", got)
	}
}
