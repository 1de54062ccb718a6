package main

import (
	"context"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
)

// standin plays one app: it follows the pods of one Deployment, decides for each new pod what the
// app's code reads from its flag, and behaves like the app those pods form.
type standin struct {
	deployment, namespace, container, variable, ruleName string
	rule                                                 parseRule
	getsPerPod                                           float64
	client                                               kubernetes.Interface
	logs                                                 podLogs
	load                                                 *getLoad

	state      atomic.Pointer[appState]
	pods       map[types.UID]*podRecord
	last       string         // the last state printed
	logWriters sync.WaitGroup // one per pod; each removes its file when it ends
}

// podRecord is what the stand-in keeps about a pod from the moment it first saw it.
type podRecord struct {
	suspended bool               // the flag read as true under the app's rule when the pod started
	stopLogs  context.CancelFunc // ends serving its logs, once the pod is gone
}

func (s *standin) current() appState {
	if p := s.state.Load(); p != nil {
		return *p
	}
	return appState{}
}

func (s *standin) run(ctx context.Context) error {
	factory := informers.NewSharedInformerFactoryWithOptions(s.client, 0, informers.WithNamespace(s.namespace))
	deployments := factory.Apps().V1().Deployments()
	replicaSets := factory.Apps().V1().ReplicaSets()
	pods := factory.Core().V1().Pods()
	changed := make(chan struct{}, 1)
	notify := cache.ResourceEventHandlerFuncs{
		AddFunc:    func(any) { poke(changed) },
		UpdateFunc: func(any, any) { poke(changed) },
		DeleteFunc: func(any) { poke(changed) },
	}
	for _, i := range []cache.SharedIndexInformer{deployments.Informer(), replicaSets.Informer(), pods.Informer()} {
		if _, err := i.AddEventHandler(notify); err != nil {
			return err
		}
	}
	factory.Start(ctx.Done())
	for typ, ok := range factory.WaitForCacheSync(ctx.Done()) {
		if !ok {
			return fmt.Errorf("cache of %v did not sync", typ)
		}
	}
	resync := time.NewTicker(time.Second) // retries log writes that failed (e.g. Logs not served yet)
	defer resync.Stop()
	for {
		s.sync(ctx, deployments.Lister().Deployments(s.namespace), replicaSets.Lister(), pods.Lister())
		select {
		case <-ctx.Done():
			s.logWriters.Wait()
			return nil
		case <-changed:
		case <-resync.C:
		}
	}
}

func poke(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

type deploymentGetter interface {
	Get(name string) (*appsv1.Deployment, error)
}

type replicaSetLister interface {
	List(selector labels.Selector) ([]*appsv1.ReplicaSet, error)
}

type podLister interface {
	List(selector labels.Selector) ([]*corev1.Pod, error)
}

func (s *standin) sync(ctx context.Context, deployments deploymentGetter, rsLister replicaSetLister, podLister podLister) {
	hash, pods := "", []*corev1.Pod(nil)
	if d, err := deployments.Get(s.deployment); err == nil {
		sets := owned(d, rsLister)
		hash, pods = currentTemplateHash(d, sets), podsOf(sets, podLister)
	} else if !apierrors.IsNotFound(err) {
		log.Printf("reading Deployment %s: %v", s.deployment, err)
	}
	s.forgetAllBut(pods)
	// Pods that stopped or went away stop sending GETs at once, before the API reads for new pods
	// below: a rollout the operator sees complete must not find GETs of pods already gone.
	s.load.setRate(decide(s.views(pods), hash, s.getsPerPod).getsPerSecond)
	for _, p := range pods {
		if _, known := s.pods[p.UID]; !known {
			s.record(ctx, p)
		}
	}
	st := decide(s.views(pods), hash, s.getsPerPod)
	s.load.setRate(st.getsPerSecond)
	s.state.Store(&st)
	if line := st.String(); line != s.last {
		log.Printf("%s: %s", s.deployment, line)
		s.last = line
	}
}

func (s *standin) forgetAllBut(pods []*corev1.Pod) {
	seen := make(map[types.UID]bool, len(pods))
	for _, p := range pods {
		seen[p.UID] = true
	}
	for uid, r := range s.pods {
		if !seen[uid] {
			r.stopLogs()
			delete(s.pods, uid)
		}
	}
}

// views are the pods the stand-in has a record of, as the decision sees them.
func (s *standin) views(pods []*corev1.Pod) []podView {
	var views []podView
	for _, p := range pods {
		if r, known := s.pods[p.UID]; known {
			views = append(views, podView{
				name:         p.Name,
				templateHash: p.Labels[appsv1.DefaultDeploymentUniqueLabelKey],
				running:      p.Status.Phase == corev1.PodRunning && p.DeletionTimestamp == nil,
				terminating:  p.DeletionTimestamp != nil,
				suspended:    r.suspended,
			})
		}
	}
	return views
}

// record decides, the first time a pod is seen, what the app in it read from its flag: the value is
// read from the API server then, as the kubelet resolves the environment when the container starts.
// A failed read is retried on the next sync.
func (s *standin) record(ctx context.Context, p *corev1.Pod) {
	c, ok := s.appContainer(p)
	if !ok {
		return
	}
	value, present, err := envValue(c, s.variable, apiValues{ctx: ctx, client: s.client, namespace: p.Namespace})
	if err != nil {
		log.Printf("pod %s: reading its environment: %v", p.Name, err)
		return
	}
	logsCtx, stopLogs := context.WithCancel(ctx)
	r := &podRecord{suspended: readsSuspend(s.rule, value, present), stopLogs: stopLogs}
	s.pods[p.UID] = r
	// Off this loop: kwok's Logs resource may be slow or not served yet, and GETs must not wait on it.
	content, pod := criLines(p.CreationTimestamp.Time, startupLines(s.deployment, r.suspended)), p.DeepCopy()
	s.logWriters.Go(func() { s.logs.serve(logsCtx, pod, content) })
	set := "is not set"
	if present {
		set = "is set"
	}
	log.Printf("pod %s started: %s %s, reads as %t under %s", p.Name, s.variable, set, r.suspended, s.ruleName)
}

func (s *standin) appContainer(p *corev1.Pod) (corev1.Container, bool) {
	for i, c := range p.Spec.Containers {
		if c.Name == s.container || (s.container == "" && i == 0) {
			return c, true
		}
	}
	return corev1.Container{}, false
}

func owned(d *appsv1.Deployment, l replicaSetLister) []*appsv1.ReplicaSet {
	all, _ := l.List(labels.Everything())
	var sets []*appsv1.ReplicaSet
	for _, rs := range all {
		if metav1.IsControlledBy(rs, d) {
			sets = append(sets, rs)
		}
	}
	return sets
}

func podsOf(sets []*appsv1.ReplicaSet, l podLister) []*corev1.Pod {
	all, _ := l.List(labels.Everything())
	var pods []*corev1.Pod
	for _, p := range all {
		for _, rs := range sets {
			if metav1.IsControlledBy(p, rs) {
				pods = append(pods, p)
				break
			}
		}
	}
	return pods
}

// apiValues reads Secrets and ConfigMaps from the API server (not a cache), so a value written
// just before a pod was created is the one that pod gets.
type apiValues struct {
	ctx       context.Context
	client    kubernetes.Interface
	namespace string
}

func (a apiValues) secret(name string) (map[string]string, bool, error) {
	s, err := a.client.CoreV1().Secrets(a.namespace).Get(a.ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	data := make(map[string]string, len(s.Data))
	for k, v := range s.Data {
		data[k] = string(v)
	}
	return data, true, nil
}

func (a apiValues) configMap(name string) (map[string]string, bool, error) {
	c, err := a.client.CoreV1().ConfigMaps(a.namespace).Get(a.ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	return c.Data, true, nil
}
