package io.cachemode.operator.api.crdgen;

import io.cachemode.operator.api.CacheMode;
import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.File;

/**
 * Build step (exec-maven-plugin, {@code process-classes}): writes the CacheMode CRD into the
 * directory given as the only argument, with its printer columns in declaration order. It calls the
 * Fabric8 generator directly because its Maven plugin accepts no post-processor. Not part of the
 * published jar.
 */
public final class GenerateCrd {
  private GenerateCrd() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: GenerateCrd <output directory>");
    }
    File outputDir = new File(args[0]);
    if (!outputDir.isDirectory() && !outputDir.mkdirs()) {
      throw new IllegalStateException("cannot create " + outputDir);
    }
    int generated =
        new CRDGenerator()
            .customResourceClasses(CacheMode.class)
            .forCRDVersions("v1")
            .withPostProcessor(PrinterColumnOrder.declaredOn(CacheMode.class))
            .inOutputDir(outputDir)
            .generate();
    if (generated != 1) {
      throw new IllegalStateException("expected one CRD, the generator wrote " + generated);
    }
  }
}
