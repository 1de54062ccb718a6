package io.cachemode.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Declares the value one app's cache-suspend flag should have. The operator writes it into the
 * app's Secret (or Fly secrets), restarts the app once, verifies health and Redis request traffic,
 * and rolls back when the change breaks the app.
 *
 * <p>{@code kubectl get cmode} shows the printer columns in the order they are declared here (the
 * CRD build step keeps that order, see {@code crdgen.PrinterColumnOrder}); Ready and Health, at
 * priority 1, only with {@code -o wide}.
 */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@Kind(ApiConstants.KIND)
@Plural(ApiConstants.PLURAL)
@ShortNames(ApiConstants.SHORT_NAME)
@AdditionalPrinterColumn(
    name = "Suspend",
    jsonPath = ".spec.suspend",
    type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Verified",
    jsonPath = ".status.conditions[?(@.type==\"Verified\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "GET/min Before",
    jsonPath = ".status.requests.before.perMinute",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
    name = "GET/min After",
    jsonPath = ".status.requests.after.perMinute",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Health",
    jsonPath = ".status.health",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
public class CacheMode extends CustomResource<CacheModeSpec, CacheModeStatus>
    implements Namespaced {}
