package org.diffdenoise.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.SplittableRandom;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.model.DenoisingNetwork;
import org.diffdenoise.model.ModelSignature;
import org.diffdenoise.model.NoiseSchedule;
import org.diffdenoise.model.UNetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A few training steps on tiny patches of the real training sources: the loss falls and checkpoints resume. */
class TrainerTest {

    static final UNetConfig TINY = new UNetConfig(new int[] {8, 8, 16}, 16, 4, true);
    static TrainingSources sources;

    @BeforeAll
    static void loadSources() throws IOException {
        sources = TrainingSources.load(Paths.get("external-data"));
    }

    // initializes the trainer, fits it to one batch for some steps and returns its loss on that batch
    static float fit(Trainer trainer, TrainingBatch batch, int steps) {
        trainer.initialize();
        for (int s = 0; s < steps; s++) trainer.trainStep(batch, 3e-3f, 0.9f);
        return trainer.evaluate(batch);
    }

    /** Trains the TINY network for a few steps, exports it as a bundle into {@code dir}; returns its loss on the batch. */
    static float fitAndExport(TrainingBatch batch, int steps, Path dir) throws IOException {
        try (Trainer t = new Trainer(TINY, 4)) {
            float loss = fit(t, batch, steps);
            org.diffdenoise.model.tf.BundleExporter.export(dir, TINY, NoiseSchedule.cosine(1000), t.weights(false), "t", Map.of());
            return loss;
        }
    }

    @Test
    void lossFallsOverAFewSteps(@TempDir Path tmp) throws IOException {
        NoiseSchedule schedule = NoiseSchedule.cosine(1000);
        // one fixed batch, fitted for a few steps: the optimizer, gradients and loss wiring must bring the loss down
        TrainingBatch batch = new PatchSampler(sources, schedule, 5).batch(0, 8, 16);
        try (Trainer trainer = new Trainer(TINY, 3)) {
            trainer.initialize();
            float before = trainer.evaluate(batch);
            for (int s = 0; s < 40; s++) trainer.trainStep(batch, 3e-3f, 0.9f);
            float after = trainer.evaluate(batch);
            assertEquals(40, trainer.step());
            assertTrue(after < 0.7 * before, "loss should fall: before " + before + ", after " + after);
            TrainingBatch held = batch;

            // checkpoint -> a fresh trainer restores the same weights, EMA and step
            Path ckpt = tmp.resolve("ckpt");
            trainer.saveCheckpoint(ckpt, new Trainer.CheckpointState(trainer.step(), 5, 8, 16, 1.0, after));
            try (Trainer resumed = new Trainer(TINY, 77)) {
                Trainer.CheckpointState st = resumed.restoreCheckpoint(ckpt);
                assertEquals(40, st.step());
                assertEquals(40, resumed.step());
                assertEquals(after, resumed.evaluate(held), 0f);
                Map<String, float[]> a = trainer.weights(true), b = resumed.weights(true);
                for (String k : a.keySet()) assertArrayEquals(a.get(k), b.get(k), 0f, k);
            }
        }
    }

    @Test
    void warmStartCarriesWeightsThroughAWeightsFile(@TempDir Path tmp) throws IOException {
        NoiseSchedule schedule = NoiseSchedule.cosine(1000);
        TrainingBatch batch = new PatchSampler(sources, schedule, 6).batch(0, 8, 16);
        Path file = tmp.resolve("w.ddw");
        float trainedLoss;
        try (Trainer trainer = new Trainer(TINY, 3, Trainer.LossWeighting.LOG_MSE)) {
            trainedLoss = fit(trainer, batch, 20);
            WeightsFile.write(file, trainer.weights(false));
        }
        try (Trainer fresh = new Trainer(TINY, 99, Trainer.LossWeighting.LOG_MSE)) {
            fresh.initialize();
            float untrained = fresh.evaluate(batch);
            assertNotEquals(trainedLoss, untrained);
            Map<String, float[]> w = WeightsFile.read(file);
            fresh.loadWeights(w);
            // same weights, same loss; the moving average starts at the loaded weights too
            assertEquals(trainedLoss, fresh.evaluate(batch), 0f);
            for (String k : w.keySet()) assertArrayEquals(w.get(k), fresh.weights(true).get(k), 0f, k);
            // weights of another network are refused by name
            w.put("unet/nowhere/kernel", new float[1]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fresh.loadWeights(w));
            assertTrue(e.getMessage().contains("unet/nowhere/kernel"), e.getMessage());
        }
        java.nio.file.Files.write(tmp.resolve("bad.ddw"), new byte[] {1, 2, 3, 4, 5});
        IOException bad = assertThrows(IOException.class, () -> WeightsFile.read(tmp.resolve("bad.ddw")));
        assertTrue(bad.getMessage().contains("bad.ddw"), bad.getMessage());
    }

    @Test
    void aGrownNetworkStartsWithTheOutputOfTheOneItGrewFrom(@TempDir Path tmp) throws IOException {
        NoiseSchedule schedule = NoiseSchedule.cosine(1000);
        TrainingBatch batch = new PatchSampler(sources, schedule, 8).batch(0, 8, 16);
        Path dir = tmp.resolve("small");
        float smallLoss = fitAndExport(batch, 20, dir);
        UNetConfig grown = TINY.withDecoderBlocks(2);
        Map<String, float[]> w = WeightsFile.fromBundle(dir, grown);
        try (Trainer big = new Trainer(grown, 9)) {
            big.initialize();
            long before = big.network().parameterCount();
            java.util.List<String> fresh = big.loadWeights(w);
            // the two new blocks (up1b, up2b) keep their initial values; everything else came from the bundle
            assertFalse(fresh.isEmpty());
            assertTrue(fresh.stream().allMatch(n -> n.startsWith("unet/up1b/") || n.startsWith("unet/up2b/")), fresh.toString());
            assertEquals(w.size() + fresh.size(), big.network().parameters().size());
            assertTrue(before > 0);
            // the new blocks start as the identity, so the grown network computes what the small one did
            assertEquals(smallLoss, big.evaluate(batch), 1e-6f * smallLoss);
            // and they can learn: training moves their last convolution off zero
            for (int s = 0; s < 5; s++) big.trainStep(batch, 3e-3f, 0.9f);
            float[] conv2 = big.weights(false).get("unet/up1b/conv2/kernel");
            double e = 0;
            for (float x : conv2) e += x * x;
            assertTrue(e > 0, "up1b/conv2 stayed at zero");
        }
        // the small network cannot take the grown one's weights
        assertThrows(IOException.class, () -> {
            Path g = tmp.resolve("grown");
            try (Trainer big = new Trainer(grown, 9)) {
                big.initialize();
                org.diffdenoise.model.tf.BundleExporter.export(g, grown, schedule, big.weights(false), "t", Map.of());
            }
            WeightsFile.fromBundle(g, TINY);
        });
    }

    @Test
    void attentionBlockStartsAsIdentityAndLearns(@TempDir Path tmp) throws IOException {
        NoiseSchedule schedule = NoiseSchedule.cosine(1000);
        TrainingBatch batch = new PatchSampler(sources, schedule, 6).batch(0, 4, 32);
        Path dir = tmp.resolve("plain");
        float plainLoss = fitAndExport(batch, 10, dir);
        UNetConfig withAttention = TINY.withAttention(true);
        try (Trainer t = new Trainer(withAttention, 9)) {
            t.initialize();
            java.util.List<String> fresh = t.loadWeights(WeightsFile.fromBundle(dir, withAttention));
            assertEquals(java.util.List.of("unet/mid/attn/norm/gamma", "unet/mid/attn/norm/beta", "unet/mid/attn/qkv/kernel",
                    "unet/mid/attn/qkv/bias", "unet/mid/attn/proj/kernel", "unet/mid/attn/proj/bias"), fresh);
            // zero output projection: the network with the block computes what the one without it did
            assertEquals(plainLoss, t.evaluate(batch), 1e-6f * plainLoss);
            // gradients reach the block (BatchMatMul and Softmax have them in TensorFlow's C++ registry)
            for (int s = 0; s < 5; s++) t.trainStep(batch, 3e-3f, 0.9f);
            double e = 0;
            for (float x : t.weights(false).get("unet/mid/attn/proj/kernel")) e += x * x;
            assertTrue(e > 0, "the attention projection stayed at zero");
            assertNotEquals(plainLoss, t.evaluate(batch));
        }
        // an exported bundle records the block
        Path a = tmp.resolve("attn");
        try (Trainer t = new Trainer(withAttention, 9)) {
            t.initialize();
            assertTrue(org.diffdenoise.model.tf.BundleExporter.export(a, withAttention, schedule, t.weights(false), "t", Map.of())
                    .architecture().attention());
        }
        // weights that name parameters a network lacks are refused, not silently dropped
        assertThrows(IllegalArgumentException.class, () -> {
            try (Trainer t = new Trainer(withAttention, 9)) {
                t.initialize();
                org.diffdenoise.model.tf.BundleExporter.export(tmp.resolve("x"), TINY, schedule, t.weights(false), "t", Map.of());
            }
        });
    }

    @Test
    void aNetworkGivenTheTextureInputStartsWithTheOutputOfTheOneWithoutAndLearnsToUseIt(@TempDir Path tmp) throws IOException {
        NoiseSchedule schedule = NoiseSchedule.cosine(1000);
        // simulator patches (correlated noise) with the texture the estimator measures on each
        TrainingBatch batch = new PatchSampler(sources, schedule, 8, 1.0, true, true).batch(0, 8, 32);
        float maxTexture = 0;
        for (float v : batch.texture()) maxTexture = Math.max(maxTexture, Math.abs(v));
        assertTrue(maxTexture > 0.5f, "the simulator patches' textures are not white: " + maxTexture);
        Path dir = tmp.resolve("plain");
        float plainLoss = fitAndExport(batch, 10, dir);
        UNetConfig textured = TINY.withTexture(true);
        try (Trainer t = new Trainer(textured, 9)) {
            t.initialize();
            java.util.List<String> fresh = t.loadWeights(WeightsFile.fromBundle(dir, textured));
            // the texture's projections: into the embedding, and a scale and a shift per residual block
            assertTrue(fresh.contains("unet/emb/texture/kernel") && fresh.contains("unet/mid1/texture_scale/kernel")
                    && fresh.contains("unet/up1/texture_shift/kernel"), fresh.toString());
            assertTrue(fresh.stream().allMatch(n -> n.contains("/texture")), fresh.toString());
            // zero-initialized: whatever the texture, the network computes what the one without the input did
            assertEquals(plainLoss, t.evaluate(batch), 1e-6f * plainLoss);
            for (int s = 0; s < 5; s++) t.trainStep(batch, 3e-3f, 0.9f);
            double e = 0;
            for (float x : t.weights(false).get("unet/emb/texture/kernel")) e += x * x;
            assertTrue(e > 0, "the texture weights stayed at zero");
            // now the texture changes the prediction
            TrainingBatch white = new TrainingBatch(batch.n(), batch.size(), batch.xt(), batch.cond(), batch.t(),
                    batch.alphaBar(), batch.family(), batch.clean(), new float[batch.texture().length]);
            assertNotEquals(t.evaluate(batch), t.evaluate(white));
            // an exported bundle declares the input; one without it is what older bundles are
            Path b = tmp.resolve("textured");
            assertTrue(org.diffdenoise.model.tf.BundleExporter.export(b, textured, schedule, t.weights(false), "t", Map.of())
                    .takesTexture());
            assertFalse(org.diffdenoise.model.tf.TfNetworks.load(dir).metadata().takesTexture());
        }
    }

    @Test
    void textureOnlyTrainingLeavesEveryOtherWeightAndWhiteNoiseExactlyAsTheyWere(@TempDir Path tmp) throws IOException {
        NoiseSchedule schedule = NoiseSchedule.cosine(1000);
        TrainingBatch batch = new PatchSampler(sources, schedule, 8, 1.0, true, true).batch(0, 8, 32);
        Path dir = tmp.resolve("plain");
        fitAndExport(batch, 10, dir);
        UNetConfig textured = TINY.withTexture(true);
        Map<String, float[]> start = WeightsFile.fromBundle(dir, textured);
        TrainingBatch white = new TrainingBatch(batch.n(), batch.size(), batch.xt(), batch.cond(), batch.t(),
                batch.alphaBar(), batch.family(), batch.clean(), new float[batch.texture().length]);
        try (Trainer t = new Trainer(textured, 9, Trainer.LossWeighting.X0, true)) {
            t.initialize();
            t.loadWeights(start);
            float whiteBefore = t.evaluate(white), before = t.evaluate(batch);
            for (int s = 0; s < 8; s++) t.trainStep(batch, 1e-3f, 0.9f);
            Map<String, float[]> after = t.weights(false);
            for (Map.Entry<String, float[]> e : start.entrySet())
                assertArrayEquals(e.getValue(), after.get(e.getKey()), e.getKey() + " moved");
            assertTrue(after.keySet().stream().filter(n -> n.contains("/texture")).anyMatch(n -> {
                for (float v : after.get(n)) if (v != 0) return true;
                return false;
            }), "no texture weight moved");
            // texture 0: the output is exactly that of the network without the input; the textured batch improved
            assertEquals(whiteBefore, t.evaluate(white));
            assertTrue(t.evaluate(batch) < before, t.evaluate(batch) + " vs " + before);
        }
    }

    @Test
    void whitePatchesCarryTheWhiteTextureOrTheMeasuredOne() {
        NoiseSchedule schedule = NoiseSchedule.cosine(1000);
        TrainingBatch b = new PatchSampler(sources, schedule, 8, 0.0, false, true).batch(3, 16, 64);
        int white = 0;
        for (int i = 0; i < b.n(); i++) {
            boolean allZero = true;
            for (int k = 0; k < ModelSignature.TEXTURE_CHANNELS; k++) allZero &= b.texture()[ModelSignature.TEXTURE_CHANNELS * i + k] == 0;
            if (allZero) white++;
        }
        // half the white-noise patches get the descriptor a given sigma produces, half the measured one
        assertTrue(white > 2 && white < 14, white + " of 16 white");
        // without the texture option the batches are exactly those of earlier runs (texture all zero)
        TrainingBatch plain = new PatchSampler(sources, schedule, 8, 0.0, false, false).batch(3, 16, 64);
        for (float v : plain.texture()) assertEquals(0f, v);
    }

    @Test
    void logMseObjectiveFalls() {
        NoiseSchedule schedule = NoiseSchedule.cosine(1000);
        TrainingBatch batch = new PatchSampler(sources, schedule, 5).batch(0, 8, 16);
        try (Trainer plain = new Trainer(TINY, 3)) {
            plain.initialize();
            assertEquals(plain.evaluate(batch), plain.evaluateObjective(batch), 0f);
        }
        try (Trainer trainer = new Trainer(TINY, 3, Trainer.LossWeighting.LOG_MSE)) {
            trainer.initialize();
            // the objective is the mean log of the per-patch MSEs: below the log of their mean (Jensen), above their minimum
            float before = trainer.evaluateObjective(batch), plainBefore = trainer.evaluate(batch);
            assertTrue(before < Math.log(plainBefore), before + " vs log " + Math.log(plainBefore));
            for (int s = 0; s < 100; s++) trainer.trainStep(batch, 3e-3f, 0.9f);
            float after = trainer.evaluateObjective(batch);
            // a fall of 0.2 in mean log MSE: the patches' errors shrink by about 18 % (geometric mean)
            assertTrue(after < before - 0.2, "log-MSE objective should fall: before " + before + ", after " + after);
        }
    }

    @Test
    void batchesAreAFunctionOfSeedAndStep() {
        NoiseSchedule schedule = NoiseSchedule.cosine(1000);
        TrainingBatch a = new PatchSampler(sources, schedule, 11).batch(7, 4, 32);
        TrainingBatch b = new PatchSampler(sources, schedule, 11).batch(7, 4, 32);
        TrainingBatch c = new PatchSampler(sources, schedule, 11).batch(8, 4, 32);
        assertArrayEquals(a.xt(), b.xt(), 0f);
        assertArrayEquals(a.cond(), b.cond(), 0f);
        assertArrayEquals(a.clean(), b.clean(), 0f);
        assertFalse(java.util.Arrays.equals(a.clean(), c.clean()));
        for (int i = 0; i < a.n(); i++) {
            assertTrue(a.t()[i] > 0 && a.t()[i] <= 1, "t in (0, 1]");
            assertEquals(1f, a.family()[i * 3] + a.family()[i * 3 + 1] + a.family()[i * 3 + 2], 0f, "one-hot family");
        }
    }

    @Test
    void weightsComeBackOutOfExportedBundles(@TempDir Path tmp) throws IOException {
        Map<String, float[]> w;
        try (Trainer trainer = new Trainer(TINY, 5)) {
            trainer.initialize();
            w = trainer.weights(false);
        }
        Path dir = tmp.resolve("bundle");
        org.diffdenoise.model.tf.BundleExporter.export(dir, TINY, NoiseSchedule.cosine(1000), w, "t", Map.of());
        Map<String, float[]> back = WeightsFile.load(dir, TINY);
        assertEquals(w.keySet(), back.keySet());
        for (String k : w.keySet()) assertArrayEquals(w.get(k), back.get(k), 0f, k);
        // a bundle of another architecture is refused
        IOException e = assertThrows(IOException.class, () -> WeightsFile.fromBundle(dir, UNetConfig.standard()));
        assertTrue(e.getMessage().contains("needs") || e.getMessage().contains("variables"), e.getMessage());

        // the shipped bundle (exported by an older build, whose scopes carry _N suffixes) reads back completely
        org.diffdenoise.model.ModelBundle shippedBundle = org.diffdenoise.model.ModelBundle.loadDefault();
        Path shipped = shippedBundle.directory();
        UNetConfig shippedConfig = UNetConfig.standard().withTextureChannels(shippedBundle.metadata().textureChannels());
        Map<String, float[]> sw = WeightsFile.load(shipped, shippedConfig);
        long total = 0;
        double energy = 0;
        for (float[] v : sw.values()) {
            total += v.length;
            for (float x : v) energy += x * x;
        }
        try (Trainer standard = new Trainer(shippedConfig, 1)) {
            assertEquals(standard.network().parameterCount(), total);
        }
        assertTrue(energy > 1, "trained weights are not zero");
    }

    /**
     * A warm start from a bundle trained with a narrower texture (session 9's networks take the first 2 numbers)
     * widens its texture kernels with zero rows: exported again with the whole texture, the network computes exactly
     * what the narrower bundle computes, whatever the new numbers say.
     */
    @Test
    void aNarrowerTextureBundleWidensWithoutChangingItsOutput(@TempDir Path tmp) throws IOException {
        UNetConfig narrowConfig = TINY.withTextureChannels(2), wide = TINY.withTexture(true);
        Map<String, float[]> trained;
        try (Trainer t = new Trainer(narrowConfig, 4)) {
            t.initialize();
            trained = t.weights(false);
        }
        SplittableRandom r = new SplittableRandom(3);
        // as if trained: the zero-initialized weights (the texture's, the output layer's) not zero
        for (float[] v : trained.values()) {
            boolean zero = true;
            for (float x : v) zero &= x == 0;
            if (zero) for (int i = 0; i < v.length; i++) v[i] = (float) (0.1 * r.nextGaussian());
        }
        Path narrowDir = tmp.resolve("narrow"), wideDir = tmp.resolve("wide");
        org.diffdenoise.model.tf.BundleExporter.export(narrowDir, narrowConfig, NoiseSchedule.cosine(1000), trained, "narrow", Map.of());
        assertEquals(2, org.diffdenoise.model.tf.TfNetworks.load(narrowDir).metadata().textureChannels());
        Map<String, float[]> w = WeightsFile.fromBundle(narrowDir, wide);
        float[] emb = w.get("unet/emb/texture/kernel"), embNarrow = trained.get("unet/emb/texture/kernel");
        assertArrayEquals(embNarrow, java.util.Arrays.copyOf(emb, embNarrow.length), 0f);
        for (int i = embNarrow.length; i < emb.length; i++) assertEquals(0f, emb[i]);
        org.diffdenoise.model.tf.BundleExporter.export(wideDir, wide, NoiseSchedule.cosine(1000), w, "wide", Map.of());
        assertEquals(ModelSignature.TEXTURE_CHANNELS, org.diffdenoise.model.tf.TfNetworks.load(wideDir).metadata().textureChannels());
        int n = 2, h = 32, wd = 32;
        float[] xt = new float[n * h * wd], cond = new float[n * h * wd * 4], t = {0.03f, 0.06f};
        for (int i = 0; i < xt.length; i++) xt[i] = (float) r.nextGaussian();
        for (int i = 0; i < cond.length; i++) cond[i] = i % 4 == 3 ? 0.3f : (float) r.nextGaussian();
        float[] texture = new float[n * ModelSignature.TEXTURE_CHANNELS];
        for (int i = 0; i < texture.length; i++) texture[i] = (float) (2 * r.nextDouble() - 0.5);
        try (DenoisingNetwork a = org.diffdenoise.model.tf.TfNetworks.open(org.diffdenoise.model.tf.TfNetworks.load(narrowDir));
             DenoisingNetwork b = org.diffdenoise.model.tf.TfNetworks.open(org.diffdenoise.model.tf.TfNetworks.load(wideDir))) {
            float[] before = a.predictX0(n, h, wd, xt, cond, t, NoiseFamily.GAUSSIAN_CT, texture);
            assertArrayEquals(before, b.predictX0(n, h, wd, xt, cond, t, NoiseFamily.GAUSSIAN_CT, texture), 1e-5f);
            // the narrower network reads its first numbers and not the third
            float[] first = texture.clone(), third = texture.clone();
            first[0] += 1;
            third[2] += 1;
            assertFalse(java.util.Arrays.equals(before, a.predictX0(n, h, wd, xt, cond, t, NoiseFamily.GAUSSIAN_CT, first)));
            assertArrayEquals(before, a.predictX0(n, h, wd, xt, cond, t, NoiseFamily.GAUSSIAN_CT, third), 0f);
        }
    }

    @Test
    void ricianPatchesHaveAirAtTheOffsetInferenceSees() {
        int n = 96, size = 32, m = size * size;
        TrainingBatch b = new PatchSampler(sources, NoiseSchedule.cosine(1000), 21).batch(0, n, size);
        int rician = 0, withAir = 0;
        for (int i = 0; i < n; i++) {
            if (b.family()[i * 3] != 1f) continue; // RICIAN_MR is the first family
            rician++;
            float sigma = b.cond()[i * m * 4 + 3];
            float min = Float.MAX_VALUE;
            for (int p = 0; p < m; p++) min = Math.min(min, b.clean()[i * m + p]);
            // zero magnitude sits 0.05 to 0.15 sigma below 0, never at a random offset of up to +-0.05
            assertTrue(min >= -0.15f * sigma - 1e-6f, "clean minimum " + min + " below -0.15 sigma (" + sigma + ")");
            int atMin = 0;
            for (int p = 0; p < m; p++) if (b.clean()[i * m + p] == min) atMin++;
            if (min < 0 && atMin >= m / 20) withAir++;
        }
        assertTrue(rician >= 30, "about half the patches are Rician: " + rician);
        // half the Rician patches get an air region of at least 5 % of the patch
        assertTrue(withAir >= rician / 4 && withAir < rician, withAir + " of " + rician + " Rician patches have air");
    }

    @Test
    void timestepMatchesNoiseLevel() {
        NoiseSchedule schedule = NoiseSchedule.cosine(1000);
        PatchSampler sampler = new PatchSampler(sources, schedule, 1);
        for (double sigma : new double[] {0.005, 0.05, 0.15}) {
            int t = sampler.matchTimestep(sigma);
            assertTrue(schedule.noiseToSignal(t) >= sigma);
            assertTrue(schedule.noiseToSignal(t - 1) < sigma);
        }
    }
}
