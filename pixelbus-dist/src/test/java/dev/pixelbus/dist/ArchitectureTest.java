package dev.pixelbus.dist;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The shape of the code, checked over every module's classes: the contract depends on nothing of
 * pixelbus's, the arrows between packages run one way, the product never reaches into the benchmark
 * tools, and the few things that must happen in one place happen there. It lives in pixelbus-dist,
 * the one module that has every other on its class path (pixelbus-bench included: a rule about
 * classes that are not imported could never fail). A constant ({@code static final String}) is
 * inlined by javac and invisible here; types, methods and fields are not.
 */
@AnalyzeClasses(packages = "dev.pixelbus", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** Every module's classes were imported, or the rules below would pass over what they cannot see. */
  @ArchTest
  static void everyModuleIsImported(JavaClasses classes) {
    for (String module : List.of("api", "common", "image", "echo", "fetch", "web", "bridge", "grpc", "app", "bench")) {
      if (!classes.containPackage("dev.pixelbus." + module)) {
        throw new AssertionError("no classes of dev.pixelbus." + module + " on the class path: the rules would not see them");
      }
    }
  }

  @ArchTest
  static final ArchRule theContractDependsOnNothingOfPixelbus = noClasses()
      .that().resideInAPackage("dev.pixelbus.api..")
      .should().dependOnClassesThat(resideInAPackage("dev.pixelbus..").and(resideOutsideOfPackage("dev.pixelbus.api..")))
      .as("pixelbus-api (dev.pixelbus.api) depends on no other dev.pixelbus package");

  @ArchTest
  static final ArchRule noPackageCycles = slices().matching("dev.pixelbus.(**)").should().beFreeOfCycles()
      .as("no cycles between any two packages");

  @ArchTest
  static final ArchRule thePartsNeverReachIntoTheApp = noClasses()
      .that().resideOutsideOfPackages("dev.pixelbus.app..", "dev.pixelbus.bench..")
      .should().dependOnClassesThat(resideInAPackage("dev.pixelbus.app.."))
      .as("the part modules do not depend on pixelbus-app (only the benchmark tools, which drive its command line, do)");

  @ArchTest
  static final ArchRule theProductNeverReachesIntoTheTools = noClasses()
      .that().resideInAPackage("dev.pixelbus..").and().resideOutsideOfPackage("dev.pixelbus.bench..")
      .should().dependOnClassesThat(resideInAPackage("dev.pixelbus.bench.."))
      .as("no product package depends on the benchmark tools (dev.pixelbus.bench): the app finds their commands"
          + " through META-INF/services, so the product builds, runs and ships without them");

  @ArchTest
  static final ArchRule pureOpsKnowNoVertxAndNoFiles = noClasses()
      .that().resideInAPackage("dev.pixelbus.image.ops..")
      .should().dependOnClassesThat(resideInAnyPackage("io.vertx..", "java.nio.file.."))
      .as("image.ops is pure OpenCV: no Vert.x, no files");

  @ArchTest
  static final ArchRule onlyTheAppSetsUpLogging = noClasses()
      .that().resideOutsideOfPackage("dev.pixelbus.app..")
      .should().dependOnClassesThat(resideInAPackage("ch.qos.logback.."))
      .as("library modules log through SLF4J and configure nothing");

  @ArchTest
  static final ArchRule vertxInternalsInTheirOnePlaces = noClasses()
      .that().doNotHaveFullyQualifiedName("dev.pixelbus.image.cluster.ClusterView")
      .and().doNotHaveFullyQualifiedName("dev.pixelbus.image.chunk.BatchFrame")
      .and().doNotHaveFullyQualifiedName("dev.pixelbus.echo.EchoServerVerticle")
      .and().doNotHaveFullyQualifiedName("dev.pixelbus.fetch.DirectBody")
      .should().dependOnClassesThat(resideInAnyPackage("io.vertx.core.internal..", "io.vertx.core.impl.."))
      .as("Vert.x internals only in ClusterView (the cluster), BatchFrame (a zero-copy buffer) and"
          + " EchoServerVerticle (the socket's channel), DirectBody (a small download in direct memory)");
}
