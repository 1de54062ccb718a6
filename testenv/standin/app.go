package main

import (
	"context"
	"fmt"
	"log"
	"os"
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

	state atomic.Pointer[appState]
	pods  map[types.UID]*podRecord
	last  string // the last state printed
}

// podRecord is what the stand-in keeps about a pod from the moment it first saw it.
type podRecord struct {
	suspended bool   // the flag read as true under the app's rule when the pod started
	logFile   string // where its log is written
	served    bool   // the file and its Logs object exist
	reported  bool   // a failed log write was reported once; later attempts retry quietly
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
	var views []podView
	hash := ""
	seen := map[types.UID]bool{}
	if d, err := deployments.Get(s.deployment); err == nil {
		sets := owned(d, rsLister)
		hash = currentTemplateHash(d, sets)
		for _, p := range podsOf(sets, podLister) {
			seen[p.UID] = true
			if v, ok := s.view(ctx, p); ok {
				views = append(views, v)
			}
		}
	} else if !apierrors.IsNotFound(err) {
		log.Printf("reading Deployment %s: %v", s.deployment, err)
	}
	for uid, r := range s.pods {
		if !seen[uid] {
			_ = os.Remove(r.logFile) // the pod is gone; the garbage collector deletes its Logs object
			delete(s.pods, uid)
		}
	}
	st := decide(views, hash, s.getsPerPod)
	s.load.setRate(st.getsPerSecond)
	s.state.Store(&st)
	if line := st.String(); line != s.last {
		log.Printf("%s: %s", s.deployment, line)
		s.last = line
	}
}

// view records, the first time a pod is seen, what the app in it read from its flag: the value is
// read from the API server then, as the kubelet resolves the environment when the container starts.
func (s *standin) view(ctx context.Context, p *corev1.Pod) (podView, bool) {
	r, known := s.pods[p.UID]
	if !known {
		c, ok := s.appContainer(p)
		if !ok {
			return podView{}, false
		}
		value, present, err := envValue(c, s.variable, apiValues{ctx: ctx, client: s.client, namespace: p.Namespace})
		if err != nil {
			log.Printf("pod %s: reading its environment: %v", p.Name, err)
			return podView{}, false
		}
		r = &podRecord{suspended: readsSuspend(s.rule, value, present), logFile: s.logs.path(p)}
		s.pods[p.UID] = r
		set := "is not set"
		if present {
			set = "is set"
		}
		log.Printf("pod %s started: %s %s, reads as %t under %s", p.Name, s.variable, set, r.suspended, s.ruleName)
	}
	if !r.served {
		err := s.logs.write(ctx, p, criLines(p.CreationTimestamp.Time, startupLines(s.deployment, r.suspended)))
		if err != nil && !r.reported {
			log.Printf("pod %s: writing its logs (retried every second): %v", p.Name, err)
		}
		r.served, r.reported = err == nil, err != nil
	}
	return podView{
		name:         p.Name,
		templateHash: p.Labels[appsv1.DefaultDeploymentUniqueLabelKey],
		running:      p.Status.Phase == corev1.PodRunning && p.DeletionTimestamp == nil,
		terminating:  p.DeletionTimestamp != nil,
		suspended:    r.suspended,
	}, true
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
