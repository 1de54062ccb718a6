package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
)

// kwok (v0.8.0) serves a pod's container logs from a file named by a Logs object of the pod's
// name and namespace (sigs.k8s.io/kwok pkg/apis/v1alpha1/logs_types.go), read with the CRI log
// reader of k8s.io/cri-client (pkg/kwok/server/debugging_logs.go). So pods/log through the API
// server returns what this file holds, once kwok runs with its Logs resource enabled.
var logsResource = schema.GroupVersionResource{Group: "kwok.x-k8s.io", Version: "v1alpha1", Resource: "logs"}

const fieldManager = "cachemode-standin"

// startupLines are what the seed app logged when it started, by what it read from the flag.
func startupLines(app string, suspended bool) []string {
	if suspended {
		return []string{
			"Starting " + app,
			"🚨 REDIS SUSPENDED: Distributed caching is disabled",
			"Local memory mode engaged due to Redis suspension",
		}
	}
	return []string{"Starting " + app, "Redis cache connected: distributed caching is enabled"}
}

// criLines formats lines in the CRI container log format (timestamp, stream, full-line tag,
// message), the format kwok's log reader parses.
func criLines(at time.Time, lines []string) string {
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "%s stdout F %s\n", at.UTC().Format(time.RFC3339Nano), l)
	}
	return b.String()
}

// podLogs writes each pod's log file and the Logs object that points kwok at it. The Logs object
// is owned by the pod, so the garbage collector removes it with the pod.
type podLogs struct {
	dir    string
	client dynamic.Interface
}

func (l podLogs) path(p *corev1.Pod) string {
	return filepath.Join(l.dir, fmt.Sprintf("%s_%s_%s.log", p.Namespace, p.Name, p.UID))
}

// serve writes a pod's log, retrying every second until it works, and removes the file when ctx
// ends (the pod is gone; the garbage collector deletes its Logs object).
func (l podLogs) serve(ctx context.Context, p *corev1.Pod, content string) {
	defer os.Remove(l.path(p))
	for attempt := 0; ; attempt++ {
		err := l.write(ctx, p, content)
		if err == nil {
			<-ctx.Done()
			return
		}
		if attempt == 0 {
			log.Printf("pod %s: writing its logs (retried every second): %v", p.Name, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

func (l podLogs) write(ctx context.Context, p *corev1.Pod, content string) error {
	file := l.path(p)
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		return err
	}
	logs := l.client.Resource(logsResource).Namespace(p.Namespace)
	want := logsObject(p, file)
	_, err := logs.Create(ctx, want, metav1.CreateOptions{FieldManager: fieldManager})
	if !apierrors.IsAlreadyExists(err) {
		return err
	}
	// Left by an earlier run of the stand-in: point it at this file.
	old, err := logs.Get(ctx, p.Name, metav1.GetOptions{})
	if err != nil {
		return err
	}
	want.SetResourceVersion(old.GetResourceVersion())
	_, err = logs.Update(ctx, want, metav1.UpdateOptions{FieldManager: fieldManager})
	return err
}

func logsObject(p *corev1.Pod, file string) *unstructured.Unstructured {
	containers := make([]any, 0, len(p.Spec.Containers))
	for _, c := range p.Spec.Containers {
		containers = append(containers, c.Name)
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": logsResource.GroupVersion().String(),
		"kind":       "Logs",
		"metadata": map[string]any{
			"name":      p.Name,
			"namespace": p.Namespace,
			"ownerReferences": []any{map[string]any{
				"apiVersion": "v1", "kind": "Pod", "name": p.Name, "uid": string(p.UID),
			}},
		},
		"spec": map[string]any{"logs": []any{map[string]any{"containers": containers, "logsFile": file}}},
	}}
}
