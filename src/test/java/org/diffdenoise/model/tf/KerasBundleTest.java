package org.diffdenoise.model.tf;

import org.diffdenoise.model.BundleMetadata;
import org.diffdenoise.model.DenoisingNetwork;
import org.diffdenoise.model.ModelBundle;
import org.diffdenoise.model.NoiseSchedule;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.google.gson.Gson;
import com.google.gson.JsonObject;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.cli.ModelCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model trained in Python Keras (experiments/keras/make_bundle.py, TensorFlow 2.21 / Keras 3) and exported as a
 * SavedModel with the bundle signature: sealed with {@link BundleExporter#seal} it loads, TensorFlow Java reproduces
 * the Python output for the same input, and the Java sampler denoises with it.
 */
class KerasBundleTest {

    static final String RESOURCE = "/org/diffdenoise/model/keras-demo/";

    @TempDir
    static Path tmp;
    static Path bundle;
    static JsonObject reference;

    @BeforeAll
    static void seal() throws IOException, URISyntaxException {
        Path src = Path.of(KerasBundleTest.class.getResource(RESOURCE + "savedmodel/saved_model.pb").toURI()).getParent();
        bundle = tmp.resolve("keras");
        copy(src, bundle);
        try (InputStream in = KerasBundleTest.class.getResourceAsStream(RESOURCE + "reference.json")) {
            reference = new Gson().fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), JsonObject.class);
        }
        BundleExporter.seal(bundle, new BundleExporter.SealOptions("keras-demo", "1", 1, NoiseSchedule.cosine(1000),
                List.of("serve"), "serving_default", "x0 = z - s * E(z, cond, s), z = x_t / sqrt(abar)",
                Map.of("madeBy", reference.get("made_by").getAsString())), false);
    }

    static void copy(Path src, Path dst) throws IOException {
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    static float[] floats(String key) {
        var a = reference.getAsJsonArray(key);
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsFloat();
        return v;
    }

    @Test
    void sealedKerasModelReproducesThePythonOutput() throws IOException {
        ModelBundle b = ModelBundle.load(bundle);
        assertEquals("keras-demo", b.metadata().name());
        assertNull(b.metadata().architecture(), "a foreign model has no U-Net architecture record");
        var shape = reference.getAsJsonArray("shape");
        int n = shape.get(0).getAsInt(), h = shape.get(1).getAsInt(), w = shape.get(2).getAsInt();
        float[] expected = floats("x0");
        try (DenoisingNetwork net = TfNetworks.open(b)) {
            // t as the sampler feeds it; the network derives alpha_bar from the bundle's schedule, as Python did
            float[] out = net.predictX0(n, h, w, floats("x_t"), floats("cond"), floats("t"), NoiseFamily.RICIAN_MR);
            assertEquals(expected.length, out.length);
            double maxDiff = 0, maxChange = 0;
            float[] xt = floats("x_t"), ab = floats("alpha_bar");
            for (int i = 0; i < out.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(out[i] - expected[i]));
                maxChange = Math.max(maxChange, Math.abs(expected[i] - xt[i] / Math.sqrt(ab[i / (h * w)])));
            }
            System.out.printf("Keras bundle: largest |Java - Python| %.3g, largest change of the input %.3g%n", maxDiff, maxChange);
            assertTrue(maxDiff < 1e-5, "Java output differs from Keras's by " + maxDiff);
            assertTrue(maxChange > 1e-3, "the reference output must differ from the input for this to test anything: " + maxChange);
        }
    }

    @Test
    void javaSamplerDenoisesWithTheKerasModel() throws IOException {
        org.diffdenoise.pipeline.SelfCheck.Result r = ModelCommand.check(ModelBundle.load(bundle), 96, 5);
        // a 40 k-parameter CNN trained for a minute: far from the shipped model, but clearly a denoiser
        assertTrue(r.psnrDenoised() > r.psnrNoisy() + 3, "noisy " + r.psnrNoisy() + " dB, denoised " + r.psnrDenoised() + " dB");
    }

    @Test
    void kerasModelSavedThroughATfModuleIsRefusedWithTheRemedy() throws IOException, URISyntaxException {
        Path src = Path.of(KerasBundleTest.class.getResource(RESOURCE + "savedmodel-tf-module/saved_model.pb").toURI()).getParent();
        Path dir = tmp.resolve("tf-module");
        copy(src, dir);
        IOException e = assertThrows(IOException.class, () -> BundleExporter.seal(dir, new BundleExporter.SealOptions("keras-tf-module",
                "1", 1, NoiseSchedule.cosine(1000), List.of("serve"), "serving_default", "x0", Map.of()), false));
        assertTrue(e.getMessage().contains("does not run") && e.getMessage().contains("keras.export.ExportArchive"), e.getMessage());
        assertFalse(Files.exists(dir.resolve(BundleMetadata.FILE_NAME)), "nothing written for a model that cannot run");
    }

    @Test
    void sealingTwiceNeedsReplace() {
        IOException e = assertThrows(IOException.class, () -> BundleExporter.seal(bundle,
                new BundleExporter.SealOptions("x", "2", 1, NoiseSchedule.cosine(1000), List.of("serve"), "serving_default", "x0", Map.of()), false));
        assertTrue(e.getMessage().contains("already a bundle"), e.getMessage());
    }
}
