package main

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/kubernetes/fake"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/utils/ptr"
)

// world is the Deployment, its ReplicaSets and pods as the informers would list them.
type world struct {
	deployment *appsv1.Deployment
	sets       []*appsv1.ReplicaSet
	pods       []*corev1.Pod
}

func (w *world) Get(name string) (*appsv1.Deployment, error) {
	if w.deployment == nil || w.deployment.Name != name {
		return nil, apierrors.NewNotFound(schema.GroupResource{Resource: "deployments"}, name)
	}
	return w.deployment, nil
}

type setList struct{ w *world }

func (l setList) List(labels.Selector) ([]*appsv1.ReplicaSet, error) { return l.w.sets, nil }

type podList struct{ w *world }

func (l podList) List(labels.Selector) ([]*corev1.Pod, error) { return l.w.pods, nil }

func controlledBy(kind, name string, uid types.UID) []metav1.OwnerReference {
	return []metav1.OwnerReference{{Kind: kind, Name: name, UID: uid, Controller: ptr.To(true)}}
}

func newWorld() *world {
	return &world{deployment: &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "atom-saas", Namespace: "atom", UID: "dep"}}}
}

// rollOut makes revision rev current with n running pods that read the flag through envFrom.
func (w *world) rollOut(rev, hash string, n int) {
	w.deployment.Annotations = map[string]string{revisionAnnotation: rev}
	w.sets = append(w.sets, &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{
		Name: "atom-saas-" + hash, UID: types.UID("rs-" + hash), OwnerReferences: controlledBy("Deployment", "atom-saas", "dep"),
		Labels:      map[string]string{appsv1.DefaultDeploymentUniqueLabelKey: hash},
		Annotations: map[string]string{revisionAnnotation: rev}}})
	for i := range n {
		name := "atom-saas-" + hash + "-" + string(rune('a'+i))
		w.pods = append(w.pods, &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "atom", UID: types.UID(name),
				OwnerReferences: controlledBy("ReplicaSet", "atom-saas-"+hash, types.UID("rs-"+hash)),
				Labels:          map[string]string{appsv1.DefaultDeploymentUniqueLabelKey: hash}},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app",
				EnvFrom: []corev1.EnvFromSource{secretRef("atom-saas-env", "")}}}},
			Status: corev1.PodStatus{Phase: corev1.PodRunning},
		})
	}
}

func (w *world) removeRevision(hash string) {
	var kept []*corev1.Pod
	for _, p := range w.pods {
		if p.Labels[appsv1.DefaultDeploymentUniqueLabelKey] != hash {
			kept = append(kept, p)
		}
	}
	w.pods = kept
}

func newStandin(t *testing.T, variable, flag string) (*standin, *fake.Clientset) {
	client := fake.NewClientset(&corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "atom-saas-env", Namespace: "atom"},
		Data:       map[string][]byte{"SUSPEND_REDIS": []byte(flag)},
	})
	rule, _ := lookupParseRule(defaultParseRule)
	dyn := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(),
		map[schema.GroupVersionResource]string{logsResource: "LogsList"})
	s := &standin{deployment: "atom-saas", namespace: "atom", variable: variable, ruleName: defaultParseRule,
		rule: rule, getsPerPod: 10, client: client, logs: podLogs{dir: t.TempDir(), client: dyn},
		load: &getLoad{}, pods: map[types.UID]*podRecord{}}
	t.Cleanup(s.logWriters.Wait) // t.Context() is done by then; runs before TempDir's removal
	return s, client
}

func setFlag(t *testing.T, client *fake.Clientset, value string) {
	s, _ := client.CoreV1().Secrets("atom").Get(context.Background(), "atom-saas-env", metav1.GetOptions{})
	s.Data["SUSPEND_REDIS"] = []byte(value)
	if _, err := client.CoreV1().Secrets("atom").Update(context.Background(), s, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

func (s *standin) syncWorld(t *testing.T, w *world) appState {
	s.sync(t.Context(), w, setList{w}, podList{w})
	return s.current()
}

// eventually waits up to 5 s for what the log goroutines do.
func eventually(t *testing.T, what string, done func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !done(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
	}
}

func fileContains(path, text string) bool {
	content, err := os.ReadFile(path)
	return err == nil && strings.Contains(string(content), text)
}

func TestTheIncidentFixedPodsStartedWithTheRepairedFlagStopTheGets(t *testing.T) {
	s, client := newStandin(t, "SUSPEND_REDIS", "fa61a13817d73a23")
	w := newWorld()
	w.rollOut("1", "v1", 2)
	if got := s.syncWorld(t, w); got.mode != redisActive || got.getsPerSecond != 20 {
		t.Fatalf("with the digest: %v", got)
	}

	setFlag(t, client, "true") // what the operator writes; running pods keep what they read
	if got := s.syncWorld(t, w); got.mode != redisActive || got.getsPerSecond != 20 {
		t.Fatalf("after the write, before the restart: %v", got)
	}

	w.rollOut("2", "v2", 2) // the restart: new pods start while the old ones still run
	if got := s.syncWorld(t, w); got.mode != localMemory || got.getsPerSecond != 20 {
		t.Fatalf("mid-rollout: %v", got)
	}
	w.removeRevision("v1")
	if got := s.syncWorld(t, w); got.mode != localMemory || got.getsPerSecond != 0 || got.current != 2 {
		t.Fatalf("after the rollout: %v", got)
	}
	if len(s.pods) != 2 {
		t.Fatalf("pods of the old revision still tracked: %v", s.pods)
	}
	eventually(t, "log files of deleted pods removed", func() bool {
		files, _ := filepath.Glob(filepath.Join(s.logs.dir, "*_atom-saas-v1-*"))
		return len(files) == 0
	})
	for _, p := range w.pods {
		eventually(t, "the suspension in the log of "+p.Name, func() bool {
			return fileContains(s.logs.path(p), "🚨 REDIS SUSPENDED: Distributed caching is disabled")
		})
	}
}

func TestCodeThatReadsAnotherNameKeepsItsGetsAfterTheRestart(t *testing.T) {
	s, client := newStandin(t, "REDIS_DISABLED", "false")
	w := newWorld()
	w.rollOut("1", "v1", 2)
	s.syncWorld(t, w)
	setFlag(t, client, "true")
	w.rollOut("2", "v2", 2)
	w.removeRevision("v1")
	got := s.syncWorld(t, w)
	if got.mode != redisActive || got.getsPerSecond != 20 {
		t.Fatalf("an app that never reads SUSPEND_REDIS must keep using Redis: %v", got)
	}
	file := filepath.Join(s.logs.dir, "atom_atom-saas-v2-a_atom-saas-v2-a.log")
	eventually(t, "the log of a new pod", func() bool { return fileContains(file, "Redis cache connected") })
	if fileContains(file, "REDIS SUSPENDED") {
		t.Fatal("a pod that read false logged a suspension")
	}
}

func TestAMissingDeploymentMeansNoPodsAndNoGets(t *testing.T) {
	s, _ := newStandin(t, "SUSPEND_REDIS", "false")
	if got := s.syncWorld(t, &world{}); got.mode != noPods || got.getsPerSecond != 0 {
		t.Fatalf("got %v", got)
	}
}

func TestALogWriteThatFailsIsRetriedUntilTheLogsResourceIsServed(t *testing.T) {
	s, _ := newStandin(t, "SUSPEND_REDIS", "true")
	dyn := s.logs.client.(*dynamicfake.FakeDynamicClient)
	var served, refused atomic.Bool
	dyn.PrependReactor("create", "logs", func(clienttesting.Action) (bool, runtime.Object, error) {
		if served.Load() {
			return false, nil, nil
		}
		refused.Store(true)
		return true, nil, apierrors.NewNotFound(schema.GroupResource{Group: "kwok.x-k8s.io", Resource: "logs"}, "")
	})
	w := newWorld()
	w.rollOut("1", "v1", 1)
	s.syncWorld(t, w)
	eventually(t, "a first, refused attempt", refused.Load)
	served.Store(true)
	eventually(t, "the Logs object after a retry", func() bool {
		_, err := dyn.Resource(logsResource).Namespace("atom").Get(context.Background(), "atom-saas-v1-a", metav1.GetOptions{})
		return err == nil
	})
}

func TestGetsOfPodsThatAreGoneStopBeforeNewPodsAreRead(t *testing.T) {
	s, client := newStandin(t, "SUSPEND_REDIS", "false")
	w := newWorld()
	w.rollOut("1", "v1", 2)
	s.syncWorld(t, w)
	setFlag(t, client, "true")
	w.rollOut("2", "v2", 2) // seen at once with the old pods gone, as after a fast rollout
	w.removeRevision("v1")
	var rateDuringRead float64 = -1
	client.PrependReactor("get", "secrets", func(clienttesting.Action) (bool, runtime.Object, error) {
		rateDuringRead = math.Float64frombits(s.load.rate.Load())
		return false, nil, nil
	})
	s.syncWorld(t, w)
	if rateDuringRead != 0 {
		t.Fatalf("while reading the new pods' Secret the old pods' GETs still ran at %g/s", rateDuringRead)
	}
}
