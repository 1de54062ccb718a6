# Thin wrapper over Maven and testenv/: Maven stays the build.
SHELL := /bin/bash
MVN ?= mvn -B
CRD := crds/cachemodes.cachemode.io-v1.yml
CHART_CRD := charts/cachemode-operator/crds/cachemodes.cachemode.io-v1.yml

.PHONY: demo demo-down test build fmt crd testenv

## demo: start a local control plane, run the operator on examples/atom-saas, show the status converging
demo: build testenv
	testenv/demo.sh

## demo-down: stop a control plane left running by KEEP=1 make demo
demo-down:
	testenv/demo.sh --down

## test: every test (unit, integration, end-to-end against the local control plane and a real redis-server)
test: testenv
	$(MVN) verify

## build: the operator jar (operator/target/cachemode-operator.jar), without tests
build:
	$(MVN) -q -DskipTests package

## testenv: build (or reuse) the control-plane binaries from the Go modules under testenv/
testenv:
	@testenv/build.sh >/dev/null

## fmt: format the Java sources (the build fails on unformatted code)
fmt:
	$(MVN) -q spotless:apply

## crd: refresh the committed CRD copies from the Java model
crd:
	$(MVN) -q -pl crds -DskipTests process-classes
	cp crds/target/classes/META-INF/fabric8/cachemodes.cachemode.io-v1.yml $(CRD)
	cp $(CRD) $(CHART_CRD)
