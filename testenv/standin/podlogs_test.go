package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	crilogs "k8s.io/cri-client/pkg/logs"
)

func TestTheLogFileReadsBackThroughTheCriReaderKwokUses(t *testing.T) {
	file := filepath.Join(t.TempDir(), "pod.log")
	at := time.Date(2026, 12, 2, 4, 0, 0, 123, time.UTC)
	if err := os.WriteFile(file, []byte(criLines(at, startupLines("atom-saas", true))), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	// As kwok's GetContainerLogs calls it (pkg/kwok/server/debugging_logs.go), without follow.
	if err := crilogs.ReadLogs(context.Background(), file, "", &crilogs.LogOptions{}, nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	want := "Starting atom-saas\n🚨 REDIS SUSPENDED: Distributed caching is disabled\n" +
		"Local memory mode engaged due to Redis suspension\n"
	if out.String() != want {
		t.Fatalf("kwok would serve %q, want %q", out.String(), want)
	}
}

func TestAPodThatReadFalseLogsNoSuspension(t *testing.T) {
	if strings.Contains(strings.Join(startupLines("atom-legacy", false), "\n"), "REDIS SUSPENDED") {
		t.Fatal("a pod that reads false must not claim Redis is suspended")
	}
}

func TestWriteCreatesTheFileAndAPodOwnedLogsObject(t *testing.T) {
	dir := t.TempDir()
	client := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(),
		map[schema.GroupVersionResource]string{logsResource: "LogsList"})
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "atom-saas-7d9-abcde", Namespace: "atom", UID: "uid-1"},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app"}, {Name: "sidecar"}}},
	}
	l := podLogs{dir: dir, client: client}
	if err := l.write(context.Background(), p, "line\n"); err != nil {
		t.Fatal(err)
	}
	content, err := os.ReadFile(filepath.Join(dir, "atom_atom-saas-7d9-abcde_uid-1.log"))
	if err != nil || string(content) != "line\n" {
		t.Fatalf("file: %q, %v", content, err)
	}
	got, err := client.Resource(logsResource).Namespace("atom").Get(context.Background(), p.Name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	logs, _, _ := unstructured.NestedSlice(got.Object, "spec", "logs")
	entry := logs[0].(map[string]any)
	if entry["logsFile"] != filepath.Join(dir, "atom_atom-saas-7d9-abcde_uid-1.log") ||
		len(entry["containers"].([]any)) != 2 || entry["containers"].([]any)[1] != "sidecar" {
		t.Fatalf("spec.logs: %v", logs)
	}
	owners := got.GetOwnerReferences()
	if len(owners) != 1 || owners[0].Kind != "Pod" || owners[0].UID != "uid-1" {
		t.Fatalf("owner references: %v", owners)
	}
}

func TestWriteReplacesALogsObjectLeftByAnEarlierRun(t *testing.T) {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web-1", Namespace: "atom", UID: "new"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app"}}}}
	stale := logsObject(&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web-1", Namespace: "atom", UID: "old"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app"}}}}, "/gone.log")
	client := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(),
		map[schema.GroupVersionResource]string{logsResource: "LogsList"}, stale)
	l := podLogs{dir: t.TempDir(), client: client}
	if err := l.write(context.Background(), p, "x\n"); err != nil {
		t.Fatal(err)
	}
	got, _ := client.Resource(logsResource).Namespace("atom").Get(context.Background(), "web-1", metav1.GetOptions{})
	logs, _, _ := unstructured.NestedSlice(got.Object, "spec", "logs")
	if logs[0].(map[string]any)["logsFile"] != l.path(p) || got.GetOwnerReferences()[0].UID != "new" {
		t.Fatalf("not replaced: %v", got.Object)
	}
}
