# Thin wrapper over Maven and testenv/: Maven stays the build.
SHELL := /bin/bash
MVN ?= mvn -B
CRD := crds/cachemodes.cachemode.io-v1.yml
CHART_CRD := charts/cachemode-operator/crds/cachemodes.cachemode.io-v1.yml
JAR := operator/target/cachemode-operator.jar
JAR_INPUTS := $(shell find crds/src/main operator/src/main -type f) pom.xml crds/pom.xml operator/pom.xml

.PHONY: demo demo-down test build fmt crd testenv

## demo: on a local control plane, the operator proves one change (examples/atom-saas) and refuses another
## (examples/atom-legacy, whose code ignores the flag); exits 0 only when both end so
demo: $(JAR) testenv
	testenv/demo.sh

## demo-down: stop a control plane left running by KEEP=1 make demo
demo-down:
	testenv/demo.sh --down

## test: every test (unit, integration, end-to-end against the local control plane and a real redis-server)
test: testenv
	$(MVN) verify
	python3 -m unittest discover -s bench
	cd testenv/standin && go test ./...

## build: the operator jar (operator/target/cachemode-operator.jar), without tests; only when its sources changed
build: $(JAR)

$(JAR): $(JAR_INPUTS)
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
