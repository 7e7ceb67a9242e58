package io.bktec.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package rules of docs/internals.md: a package uses only the packages of the levels below its own, never one
 * beside it or above it. The levels, top down, each a list of packages that share it.
 */
class PackageRulesTest {
    static final List<List<String>> LEVELS = List.of(
            List.of("cli"),
            List.of("job"),
            List.of("report", "jobretry"),
            List.of("run"),
            List.of("worker"),
            List.of("stream"),
            List.of("outcome"),
            List.of("coverage", "watch", "api", "runner", "discovery"),
            List.of("plan", "results", "config", "shell", "process"));

    /** The rules as ArchUnit layers: each package a layer, used only by the levels above it. */
    static Architectures.LayeredArchitecture rules() {
        Architectures.LayeredArchitecture layers = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (List<String> level : LEVELS) {
            for (String name : level) {
                layers = layers.layer(name).definedBy("io.bktec." + name + "..");
            }
        }
        List<String> above = new ArrayList<>();
        for (List<String> level : LEVELS) {
            for (String name : level) {
                layers = above.isEmpty() ? layers.whereLayer(name).mayNotBeAccessedByAnyLayer()
                        : layers.whereLayer(name).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
            }
            above.addAll(level);
        }
        return layers;
    }

    @Test
    void everyPackageUsesOnlyThePackagesBelowIt() {
        JavaClasses product = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.bktec");
        assertThat(product.stream().map(c -> c.getPackageName()).distinct())
                .as("every package of the product has a level").allSatisfy(name -> assertThat(LEVELS.stream()
                        .flatMap(List::stream).map(level -> "io.bktec." + level)).contains(name));
        EvaluationResult result = rules().evaluate(product);
        assertThat(result.hasViolation()).as(String.join("\n", result.getFailureReport().getDetails())).isFalse();
    }

    @Test
    void aPackageThatUsesOneAboveItBreaksTheRules() throws Exception {
        // a class of a low level (process) that uses run: what the rules are there to catch
        JavaClasses breaking = new ClassFileImporter().importClasses(
                Class.forName("io.bktec.process.PackageRulesBreaker"), io.bktec.run.RunPipeline.class);
        EvaluationResult result = rules().evaluate(breaking);
        assertThat(result.hasViolation()).isTrue();
        assertThat(String.join("\n", result.getFailureReport().getDetails()))
                .contains("io.bktec.process.PackageRulesBreaker").contains("io.bktec.run.RunPipeline");
    }
}
