package org.diffdenoise;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/architecture.md as a test: the layers, the arrows allowed between them, and no package cycles. */
class LayeringTest {

    private static JavaClasses product;

    @BeforeAll
    static void importProductClasses() {
        product = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.diffdenoise");
    }

    @Test
    void arrowsPointDownOnly() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("api").definedBy("org.diffdenoise", "org.diffdenoise.api..")
                .layer("image").definedBy("org.diffdenoise.image..")
                .layer("noise").definedBy("org.diffdenoise.noise..")
                .layer("model").definedBy("org.diffdenoise.model")
                .layer("model.tf").definedBy("org.diffdenoise.model.tf..")
                .layer("diffusion").definedBy("org.diffdenoise.diffusion..")
                .layer("classical").definedBy("org.diffdenoise.classical..")
                .layer("dicom").definedBy("org.diffdenoise.dicom..")
                .layer("pipeline").definedBy("org.diffdenoise.pipeline..")
                .layer("node").definedBy("org.diffdenoise.node..")
                .layer("train").definedBy("org.diffdenoise.train..")
                .layer("bench").definedBy("org.diffdenoise.bench..")
                .layer("fiji").definedBy("org.diffdenoise.fiji..")
                .layer("cli").definedBy("org.diffdenoise.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("fiji").mayNotBeAccessedByAnyLayer()
                .whereLayer("bench").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("train").mayOnlyBeAccessedByLayers("cli", "bench")
                .whereLayer("node").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("pipeline").mayOnlyBeAccessedByLayers("cli", "fiji", "node", "bench", "train")
                .whereLayer("dicom").mayOnlyBeAccessedByLayers("pipeline", "cli", "fiji", "node", "bench", "train")
                .whereLayer("classical").mayOnlyBeAccessedByLayers("pipeline", "cli", "fiji", "bench")
                .whereLayer("diffusion").mayOnlyBeAccessedByLayers("pipeline", "cli", "fiji", "node", "bench", "train")
                // TensorFlow's side of the model: only the code that composes the application opens networks
                .whereLayer("model.tf").mayOnlyBeAccessedByLayers("pipeline", "cli", "bench", "train")
                .whereLayer("model").mayOnlyBeAccessedByLayers("model.tf", "diffusion", "pipeline", "cli", "fiji", "node",
                        "bench", "train")
                .whereLayer("noise").mayOnlyBeAccessedByLayers("model", "model.tf", "diffusion", "classical", "pipeline",
                        "cli", "fiji", "node", "bench", "train")
                .whereLayer("image").mayOnlyBeAccessedByLayers("noise", "model", "model.tf", "diffusion", "classical",
                        "dicom", "pipeline", "cli", "fiji", "node", "bench", "train")
                .check(product);
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.diffdenoise.(**)").should().beFreeOfCycles().check(product);
    }

    @Test
    void pixelMedStaysBehindTheDicomInterfaces() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .that().resideOutsideOfPackages("org.diffdenoise..pixelmed..")
                .should().dependOnClassesThat().resideInAPackage("com.pixelmed..")
                .check(product);
    }

    /** TensorFlow only in model.tf (inference, export) and train (the training graph and its checkpoints). */
    @Test
    void tensorFlowStaysInModelTfAndTrain() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .that().resideOutsideOfPackages("org.diffdenoise.model.tf..", "org.diffdenoise.train..")
                .should().dependOnClassesThat().resideInAPackage("org.tensorflow..")
                .check(product);
    }

    /** model.tf builds on model, never the reverse: the model's values and contracts load without TensorFlow. */
    @Test
    void modelDoesNotUseModelTf() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .that().resideInAPackage("org.diffdenoise.model")
                .should().dependOnClassesThat().resideInAPackage("org.diffdenoise.model.tf..")
                .check(product);
    }
}
