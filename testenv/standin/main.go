// Command standin plays an application for the CacheMode demo and tests, on a local control plane
// whose pods (kwok) run nothing. It follows one Deployment's pods and, for each, decides what the
// app's code would read from its flag when the pod started (the pod's environment, resolved from
// the Secret as it was then, under the app's parse rule). While pods that read false run, it
// sends their GET load to a real Redis; once every pod of the current version read true it stops,
// its health endpoint answers like the seed app's, and each pod's log says Redis is suspended.
//
//	standin --kubeconfig K --namespace atom --deployment atom-saas --redis redis://127.0.0.1:6379 \
//	  --listen 127.0.0.1:18081 --log-dir DIR [--env SUSPEND_REDIS] [--parse-rule LowercaseTrue]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

func main() {
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)
	if err := run(); err != nil {
		log.Printf("standin: %v", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		kubeconfig = flag.String("kubeconfig", "", "kubeconfig of the cluster (required)")
		namespace  = flag.String("namespace", "", "namespace of the Deployment (required)")
		deployment = flag.String("deployment", "", "the Deployment whose pods this app runs in (required)")
		container  = flag.String("container", "", "the app's container (default: the first one)")
		variable   = flag.String("env", "SUSPEND_REDIS", "the environment variable the app's code reads")
		ruleName   = flag.String("parse-rule", defaultParseRule, "how the app's code reads it: LowercaseTrue is "+
			`os.getenv(VAR, "false").lower() == "true"; TrimmedLowercaseTrue strips first; ExactTrue compares bytes`)
		redisURL   = flag.String("redis", "", "redis:// URL of the app's Redis, on loopback (required)")
		getsPerPod = flag.Float64("gets-per-pod", 10, "GETs per second each pod using Redis sends")
		listen     = flag.String("listen", "", "loopback host:port serving /api/health (required)")
		logDir     = flag.String("log-dir", "", "directory for the pods' log files (required)")
	)
	flag.Parse()
	for name, v := range map[string]string{"kubeconfig": *kubeconfig, "namespace": *namespace,
		"deployment": *deployment, "redis": *redisURL, "listen": *listen, "log-dir": *logDir} {
		if v == "" {
			return fmt.Errorf("--%s is required", name)
		}
	}
	rule, err := lookupParseRule(*ruleName)
	if err != nil {
		return err
	}
	if err := requireLoopback("--listen", *listen); err != nil {
		return err
	}
	redisOptions, err := redis.ParseURL(*redisURL)
	if err != nil {
		return fmt.Errorf("--redis: %w", err)
	}
	if err := requireLoopback("--redis", redisOptions.Addr); err != nil {
		return err
	}
	if err := os.MkdirAll(*logDir, 0o755); err != nil {
		return err
	}
	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		return err
	}
	config.UserAgent = fieldManager
	client, err := kubernetes.NewForConfig(config)
	if err != nil {
		return err
	}
	dyn, err := dynamic.NewForConfig(config)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	rdb := redis.NewClient(redisOptions)
	defer rdb.Close()
	s := &standin{
		deployment: *deployment, namespace: *namespace, container: *container, variable: *variable,
		ruleName: *ruleName, rule: rule, getsPerPod: *getsPerPod, client: client,
		logs: podLogs{dir: *logDir, client: dyn}, load: &getLoad{rdb: rdb},
		pods: map[types.UID]*podRecord{},
	}

	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/api/health", healthHandler(s.current, s.load.err))
	server := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := server.Serve(listener); !errors.Is(err, http.ErrServerClosed) {
			log.Printf("health endpoint: %v", err)
			stop()
		}
	}()
	log.Printf("playing Deployment %s/%s (reads %s under %s); health on http://%s/api/health",
		*namespace, *deployment, *variable, *ruleName, listener.Addr())
	go s.load.run(ctx)
	err = s.run(ctx)
	shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = server.Shutdown(shutdown)
	return err
}

// requireLoopback keeps the stand-in's traffic on this machine: it listens and connects only on
// loopback addresses (an IP literal, so no name can resolve elsewhere).
func requireLoopback(flagName, hostPort string) error {
	host, _, err := net.SplitHostPort(hostPort)
	if err != nil {
		return fmt.Errorf("%s: %w", flagName, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%s: %q is not a loopback IP address", flagName, host)
	}
	return nil
}
