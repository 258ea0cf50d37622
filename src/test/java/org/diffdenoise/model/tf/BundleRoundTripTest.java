package org.diffdenoise.model.tf;

import org.diffdenoise.model.BundleMetadata;
import org.diffdenoise.model.DenoisingNetwork;
import org.diffdenoise.model.ModelBundle;
import org.diffdenoise.model.ModelSignature;
import org.diffdenoise.model.NoiseSchedule;
import org.diffdenoise.model.SavedModelHash;
import org.diffdenoise.model.UNetConfig;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.noise.NoiseModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Export -> load round trip of a bundle, and the clear failures for corrupt or incompatible bundles. */
class BundleRoundTripTest {

    static final UNetConfig SMALL = new UNetConfig(new int[] {8, 16, 16}, 16, 4, true);
    static final NoiseSchedule SCHEDULE = NoiseSchedule.cosine(1000);
    static final int N = 2, H = 16, W = 24;

    @TempDir
    static Path tmp;
    static Path bundleDir;
    static Map<String, float[]> weights;
    static float[] xt, cond;

    @BeforeAll
    static void export() throws IOException {
        // random weights everywhere (also the output conv, which training starts at zero) so eps != 0
        SplittableRandom rng = new SplittableRandom(42);
        weights = new LinkedHashMap<>();
        try (Graph g = new Graph()) {
            UNetGraph net = new UNetGraph(Ops.create(g), SMALL, UNetGraph.zeros(), 0);
            for (UNetGraph.Parameter p : net.parameters()) {
                float[] v = new float[p.size()];
                for (int i = 0; i < v.length; i++) v[i] = (float) (0.2 * NoiseModel.gaussian(rng));
                weights.put(p.name(), v);
            }
        }
        xt = new float[N * H * W];
        cond = new float[N * H * W * 4];
        for (int i = 0; i < xt.length; i++) xt[i] = (float) rng.nextDouble();
        for (int i = 0; i < cond.length; i++) cond[i] = (float) rng.nextDouble();
        bundleDir = tmp.resolve("bundle");
        BundleExporter.export(bundleDir, SMALL, SCHEDULE, weights, "test", Map.of("steps", 0));
    }

    /** The same weights run in a fresh in-memory graph. */
    static float[] inMemory(float[] t, NoiseFamily family) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            UNetGraph net = new UNetGraph(tf, SMALL, (ops, name, shape, init) -> UNetGraph.initialized()
                    .create(ops, name, shape, weights.get(name)), 0);
            try (Session s = new Session(g)) {
                s.initialize();
                float[] ab = new float[N], fam = new float[N * 3];
                for (int i = 0; i < N; i++) {
                    ab[i] = (float) SCHEDULE.alphaBar(Math.round(t[i] * 1000));
                    fam[i * 3 + family.ordinal()] = 1;
                }
                try (TFloat32 a = TFloat32.tensorOf(Shape.of(N, H, W, 1), DataBuffers.of(xt, true, false));
                     TFloat32 c = TFloat32.tensorOf(Shape.of(N, H, W, 4), DataBuffers.of(cond, true, false));
                     TFloat32 tt = TFloat32.tensorOf(Shape.of(N), DataBuffers.of(t, true, false));
                     TFloat32 abt = TFloat32.tensorOf(Shape.of(N), DataBuffers.of(ab, true, false));
                     TFloat32 f = TFloat32.tensorOf(Shape.of(N, 3), DataBuffers.of(fam, true, false));
                     Result r = s.runner().feed(net.inputs().xt(), a).feed(net.inputs().cond(), c).feed(net.inputs().t(), tt)
                             .feed(net.inputs().alphaBar(), abt).feed(net.inputs().family(), f).fetch(net.x0()).run()) {
                    float[] out = new float[N * H * W];
                    ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
                    return out;
                }
            }
        }
    }

    @Test
    void loadedBundleMatchesInMemoryGraph() throws IOException {
        ModelBundle b = ModelBundle.load(bundleDir);
        assertEquals(SavedModelHash.sha256(bundleDir), b.sha256());
        assertEquals("cosine", b.schedule().type());
        assertEquals(1000, b.schedule().timesteps());
        assertEquals(BundleExporter.MODEL_NAME, b.descriptor().name());
        float[] t = {0.02f, 0.05f};
        float[] expected = inMemory(t, NoiseFamily.POISSON_GAUSSIAN_XRAY);
        try (DenoisingNetwork net = TfNetworks.open(b)) {
            assertEquals(4, net.conditionChannels());
            assertEquals(8, net.sizeMultiple());
            assertEquals("CPU", net.device(), "this build has only the CPU native library");
            float[] got = net.predictX0(N, H, W, xt, cond, t, NoiseFamily.POISSON_GAUSSIAN_XRAY);
            double maxDiff = 0, maxDev = 0;
            for (int i = 0; i < got.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(got[i] - expected[i]));
                maxDev = Math.max(maxDev, Math.abs(got[i] - xt[i]));
            }
            assertTrue(maxDiff < 1e-5, "loaded bundle differs from the in-memory graph by " + maxDiff);
            assertTrue(maxDev > 1e-3, "network output should not be the identity at t > 0");
            // another family gives another answer: the one-hot reaches the network
            float[] other = net.predictX0(N, H, W, xt, cond, t, NoiseFamily.RICIAN_MR);
            double famDiff = 0;
            for (int i = 0; i < got.length; i++) famDiff = Math.max(famDiff, Math.abs(got[i] - other[i]));
            assertTrue(famDiff > 1e-5, "noise family had no effect");
        }
    }

    @Test
    void aTextureBundleReadsTheTextureAndOlderBundlesIgnoreIt() throws IOException {
        UNetConfig textured = SMALL.withTexture(true);
        Map<String, float[]> w = new LinkedHashMap<>(weights);
        SplittableRandom rng = new SplittableRandom(7);
        try (Graph g = new Graph()) {
            for (UNetGraph.Parameter p : new UNetGraph(Ops.create(g), textured, UNetGraph.zeros(), 0).parameters()) {
                if (w.containsKey(p.name())) continue;
                assertTrue(p.name().contains("/texture"), p.name());
                float[] v = new float[p.size()];
                for (int i = 0; i < v.length; i++) v[i] = (float) (0.3 * NoiseModel.gaussian(rng));
                w.put(p.name(), v);
            }
        }
        Path dir = tmp.resolve("textured");
        BundleExporter.export(dir, textured, SCHEDULE, w, "test", Map.of());
        float[] t = {0.02f, 0.05f};
        float[] white = new float[N * ModelSignature.TEXTURE_CHANNELS], correlated = white.clone();
        for (int i = 0; i < correlated.length; i++) correlated[i] = i % 2 == 0 ? 2.3f : -2f;
        try (DenoisingNetwork net = TfNetworks.open(TfNetworks.load(dir))) {
            assertTrue(net.takesTexture());
            float[] a = net.predictX0(N, H, W, xt, cond, t, NoiseFamily.GAUSSIAN_CT, white);
            float[] b = net.predictX0(N, H, W, xt, cond, t, NoiseFamily.GAUSSIAN_CT, correlated);
            // no texture given = white noise
            assertArrayEquals(a, net.predictX0(N, H, W, xt, cond, t, NoiseFamily.GAUSSIAN_CT));
            double diff = 0;
            for (int i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i] - b[i]));
            assertTrue(diff > 1e-5, "texture had no effect");
            assertThrows(IllegalArgumentException.class, () -> net.predictX0(N, H, W, xt, cond, t, NoiseFamily.GAUSSIAN_CT, new float[1]));
        }
        // a bundle without the input computes the same whatever texture it is handed
        try (DenoisingNetwork net = TfNetworks.open(ModelBundle.load(bundleDir))) {
            assertFalse(net.takesTexture());
            assertArrayEquals(net.predictX0(N, H, W, xt, cond, t, NoiseFamily.GAUSSIAN_CT),
                    net.predictX0(N, H, W, xt, cond, t, NoiseFamily.GAUSSIAN_CT, correlated));
        }
        // metadata that hides the SavedModel's texture input is refused with the reason
        Path hidden = tmp.resolve("hidden");
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = hidden.resolve(dir.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to);
                else Files.copy(f, to);
            }
        }
        Path json = hidden.resolve(BundleMetadata.FILE_NAME);
        String meta = Files.readString(json);
        String cut = meta.replaceAll(",\\s*\\{\\s*\"name\"\\s*:\\s*\"texture\"[^}]*\\}", "");
        assertNotEquals(meta, cut);
        Files.writeString(json, cut);
        IOException e = assertThrows(IOException.class, () -> TfNetworks.load(hidden));
        assertTrue(e.getMessage().contains("'texture'") && e.getMessage().contains(hidden.toString()), e.getMessage());
    }

    @Test
    void x0EqualsXtWhenAlphaBarIsOne() throws IOException {
        try (DenoisingNetwork net = TfNetworks.open(ModelBundle.load(bundleDir))) {
            float[] got = net.predictX0(N, H, W, xt, cond, new float[] {0f, 0f}, NoiseFamily.RICIAN_MR);
            assertArrayEquals(xt, got, 0f);
        }
    }

    @Test
    void repeatedCallsDoNotLeakAndRejectBadSizes() throws IOException {
        try (DenoisingNetwork net = TfNetworks.open(ModelBundle.load(bundleDir))) {
            float[] first = net.predictX0(N, H, W, xt, cond, new float[] {0.03f, 0.03f}, NoiseFamily.GAUSSIAN_CT);
            for (int i = 0; i < 20; i++) net.predictX0(N, H, W, xt, cond, new float[] {0.03f, 0.03f}, NoiseFamily.GAUSSIAN_CT);
            float[] again = net.predictX0(N, H, W, xt, cond, new float[] {0.03f, 0.03f}, NoiseFamily.GAUSSIAN_CT);
            assertArrayEquals(first, again, 0f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> net.predictX0(1, 12, 16, new float[12 * 16], new float[12 * 16 * 4], new float[1], NoiseFamily.RICIAN_MR));
            assertTrue(e.getMessage().contains("multiples of 8"), e.getMessage());
        }
    }

    @Test
    void flippedByteInVariablesIsReportedWithTheFileName() throws IOException {
        Path copy = copyBundle("corrupt");
        Path data = copy.resolve("variables/variables.data-00000-of-00001");
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(data, bytes);
        IOException e = assertThrows(IOException.class, () -> ModelBundle.load(copy));
        assertTrue(e.getMessage().contains("variables/variables.data-00000-of-00001"), e.getMessage());
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void missingMetadataIsReported() throws IOException {
        Path copy = copyBundle("nometa");
        Files.delete(copy.resolve(BundleMetadata.FILE_NAME));
        IOException e = assertThrows(IOException.class, () -> ModelBundle.load(copy));
        assertTrue(e.getMessage().contains(BundleMetadata.FILE_NAME), e.getMessage());
    }

    @Test
    void wrongConditioningChannelsAreReported() throws IOException {
        Path dir = exportToyModel("three-channels", 3, "x0");
        IOException e = assertThrows(IOException.class, () -> TfNetworks.load(dir));
        assertTrue(e.getMessage().contains("'cond' has shape [?,?,?,3], expected [?,?,?,4]"), e.getMessage());
    }

    @Test
    void missingOutputIsReported() throws IOException {
        Path dir = exportToyModel("wrong-output", 4, "denoised");
        IOException e = assertThrows(IOException.class, () -> TfNetworks.load(dir));
        assertTrue(e.getMessage().contains("no output 'x0'") && e.getMessage().contains("denoised"), e.getMessage());
    }

    @Test
    void aBundleLoadedWithoutTensorFlowIsCheckedBeforeItsNetworkOpens() throws IOException {
        // ModelBundle.load checks metadata and hashes only; opening the network checks the signature first
        Path dir = exportToyModel("wrong-output-open", 4, "denoised");
        ModelBundle b = ModelBundle.load(dir);
        IOException e = assertThrows(IOException.class, () -> TfNetworks.open(b).close());
        assertTrue(e.getMessage().contains("no output 'x0'") && e.getMessage().contains("denoised"), e.getMessage());
    }

    @Test
    void compatibleForeignModelLoadsAndRuns() throws IOException {
        // any SavedModel with the expected signature works, e.g. one trained elsewhere (here: x0 = x_t)
        Path dir = exportToyModel("foreign", 4, "x0");
        try (DenoisingNetwork net = TfNetworks.open(ModelBundle.load(dir))) {
            assertArrayEquals(xt, net.predictX0(N, H, W, xt, cond, new float[] {0.1f, 0.2f}, NoiseFamily.RICIAN_MR), 0f);
        }
    }

    @Test
    void sealedForeignSavedModelLoadsWithItsOwnSizeMultiple() throws IOException {
        Path dir = exportToySavedModel("to-seal", 4, "x0");
        BundleMetadata m = BundleExporter.seal(dir, new BundleExporter.SealOptions("toy", "3", 4, SCHEDULE, List.of("serve"),
                "serving_default", "x0 = x_t", Map.of("data", "none")), false);
        assertEquals(SavedModelHash.sha256(dir), m.sha256());
        ModelBundle b = ModelBundle.load(dir);
        assertEquals(4, b.metadata().sizeMultiple());
        assertEquals("toy 3", b.metadata().name() + " " + b.metadata().version());
        List<String> listed = Files.readAllLines(dir.resolve(BundleExporter.FILE_LIST));
        assertEquals(BundleMetadata.FILE_NAME, listed.get(listed.size() - 1));
        assertTrue(listed.containsAll(SavedModelHash.savedModelFiles(dir)), listed.toString());
        try (DenoisingNetwork net = TfNetworks.open(b)) {
            // 4 divides 16 and 24 but 8 does not divide 4: sizes of 4 are accepted
            float[] x = new float[4 * 4];
            for (int i = 0; i < x.length; i++) x[i] = i;
            assertArrayEquals(x, net.predictX0(1, 4, 4, x, new float[4 * 4 * 4], new float[] {0.3f}, NoiseFamily.GAUSSIAN_CT), 0f);
        }
    }

    @Test
    void sealingAMismatchedSavedModelWritesNothing() throws IOException {
        Path dir = exportToySavedModel("seal-wrong", 4, "denoised");
        IOException e = assertThrows(IOException.class, () -> BundleExporter.seal(dir, new BundleExporter.SealOptions("toy", "1", 8,
                SCHEDULE, List.of("serve"), "serving_default", "x0", Map.of()), false));
        assertTrue(e.getMessage().contains("no output 'x0'"), e.getMessage());
        assertFalse(Files.exists(dir.resolve(BundleMetadata.FILE_NAME)));
        assertFalse(Files.exists(dir.resolve(BundleExporter.FILE_LIST)));
        Path empty = Files.createDirectories(tmp.resolve("not-a-savedmodel"));
        e = assertThrows(IOException.class, () -> BundleExporter.seal(empty, new BundleExporter.SealOptions("toy", "1", 8,
                SCHEDULE, List.of("serve"), "serving_default", "x0", Map.of()), false));
        assertTrue(e.getMessage().contains("no saved_model.pb"), e.getMessage());
    }

    @Test
    void sizeMultipleBelowOneIsReported() throws IOException {
        Path dir = copyBundle("size-multiple-zero");
        Path meta = dir.resolve(BundleMetadata.FILE_NAME);
        Files.writeString(meta, Files.readString(meta).replace("\"sizeMultiple\": 8", "\"sizeMultiple\": 0"));
        IOException e = assertThrows(IOException.class, () -> ModelBundle.load(dir));
        assertTrue(e.getMessage().contains("sizeMultiple is 0"), e.getMessage());
    }

    /** A SavedModel returning x_t, with a cond input of the given channels and the given output name. */
    static Path exportToyModel(String name, int condChannels, String outputName) throws IOException {
        Path dir = exportToySavedModel(name, condChannels, outputName);
        BundleMetadata meta = BundleExporter.metadata(SMALL, SCHEDULE, "toy", Map.of(), SavedModelHash.sha256(dir),
                SavedModelHash.fileHashes(dir), 1);
        Files.writeString(dir.resolve(BundleMetadata.FILE_NAME), BundleExporter.toJson(meta));
        return dir;
    }

    /** The SavedModel alone (no metadata): x0 = x_t * v with a variable v = 1. */
    static Path exportToySavedModel(String name, int condChannels, String outputName) throws IOException {
        Path dir = tmp.resolve(name);
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 1)));
            var c = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, condChannels)));
            var t = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
            var ab = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
            var f = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3)));
            var v = tf.variable(tf.constant(1f));
            var out = tf.math.mul(tf.identity(x), v);
            try (Session s = new Session(g)) {
                s.initialize();
                Signature sig = Signature.builder().key(Signature.DEFAULT_KEY).input("x_t", x).input("cond", c)
                        .input("t", t).input("alpha_bar", ab).input("family", f).output(outputName, out).build();
                SavedModelBundle.exporter(dir.toString()).withTags("serve").withSession(s).withSignature(sig).export();
            }
        }
        return dir;
    }

    static Path copyBundle(String name) throws IOException {
        Path copy = tmp.resolve(name);
        for (String f : List.of("saved_model.pb", "variables/variables.index", "variables/variables.data-00000-of-00001",
                BundleMetadata.FILE_NAME, BundleExporter.FILE_LIST)) {
            Files.createDirectories(copy.resolve(f).getParent());
            Files.copy(bundleDir.resolve(f), copy.resolve(f));
        }
        return copy;
    }
}
