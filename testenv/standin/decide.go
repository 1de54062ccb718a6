package main

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const revisionAnnotation = "deployment.kubernetes.io/revision"

// podView is what the stand-in knows about one pod of the Deployment.
type podView struct {
	name         string
	templateHash string // the pod-template-hash label: which ReplicaSet (version) the pod belongs to
	running      bool   // phase Running and not being deleted: the app process is up
	terminating  bool
	suspended    bool // the flag read as true under the app's rule when the pod started
}

type mode int

const (
	noPods      mode = iota // no pod of the current version exists
	redisActive             // some current pod started with the flag reading false
	localMemory             // every current pod started with the flag reading true
)

// appState is the app as a whole, decided from its pods.
type appState struct {
	mode          mode
	current       int     // pods of the current version (not being deleted)
	suspended     int     // of those, how many read the flag as true
	redisPods     int     // running pods of any version that still use Redis
	getsPerSecond float64 // the GET load those pods send together
}

// decide follows the seed app: each pod reads the flag once, at start-up, and keeps using Redis
// until it is replaced if it read false. So GETs continue from old pods until the rollout removed
// them, and the app counts as suspended only when every pod of the current version read true.
func decide(pods []podView, currentHash string, getsPerPod float64) appState {
	var s appState
	for _, p := range pods {
		if p.running && !p.suspended {
			s.redisPods++
		}
		if p.templateHash != currentHash || currentHash == "" || p.terminating {
			continue
		}
		s.current++
		if p.suspended {
			s.suspended++
		}
	}
	s.getsPerSecond = float64(s.redisPods) * getsPerPod
	switch {
	case s.current == 0:
		s.mode = noPods
	case s.suspended == s.current:
		s.mode = localMemory
	default:
		s.mode = redisActive
	}
	return s
}

func (s appState) String() string {
	return fmt.Sprintf("%d current pods, %d read the flag as true; %d running pods use Redis: %g GET/s",
		s.current, s.suspended, s.redisPods, s.getsPerSecond)
}

// currentTemplateHash is the pod-template-hash of the Deployment's current ReplicaSet: the one it
// controls whose revision is the Deployment's revision (how `kubectl rollout` finds it). Empty
// until the Deployment controller has created it.
func currentTemplateHash(d *appsv1.Deployment, sets []*appsv1.ReplicaSet) string {
	revision := d.Annotations[revisionAnnotation]
	if revision == "" {
		return ""
	}
	for _, rs := range sets {
		if metav1.IsControlledBy(rs, d) && rs.Annotations[revisionAnnotation] == revision {
			return rs.Labels[appsv1.DefaultDeploymentUniqueLabelKey]
		}
	}
	return ""
}
