package org.diffdenoise.diffusion;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.model.ModelSignature;

/**
 * Collects the tiles of the slices that need denoising into batches, runs the sampler on each batch and blends the
 * tiles of a slice back together; only one batch and the blenders of the slices in flight are held.
 */
final class TileBatcher {

    /** Told when all tiles of a slice are blended. */
    @FunctionalInterface
    interface SliceDone {
        /** @param values the slice's w x h predicted values, normalized units */
        void accept(int slice, float[] values);
    }

    private final DiffusionSampler sampler;
    private final Conditioning conditioning;
    private final SliceNoise[] noise;
    private final TileGrid grid;
    private final DenoiseSettings settings;
    private final NoiseFamily family;
    private final double eta;
    private final List<TileJob> jobs = new ArrayList<>();

    /** @param eta 0 for deterministic sampling */
    TileBatcher(DiffusionSampler sampler, Conditioning conditioning, SliceNoise[] noise, TileGrid grid,
                DenoiseSettings settings, NoiseFamily family, double eta) {
        this.sampler = sampler;
        this.conditioning = conditioning;
        this.noise = noise;
        this.grid = grid;
        this.settings = settings;
        this.family = family;
        this.eta = eta;
        for (int z = 0; z < noise.length; z++) {
            if (noise[z].tStar() == 0) continue;
            for (TileGrid.Tile t : grid.tiles()) jobs.add(new TileJob(z, t));
        }
    }

    /** The network evaluations of one sample: each batch takes as many as its longest step sequence. */
    long stepsPerSample() {
        long total = 0;
        for (int from = 0; from < jobs.size(); from += settings.batchSize()) {
            int longest = 0;
            for (TileJob job : batch(from))
                longest = Math.max(longest, sampler.evaluations(noise[job.slice()].tStar(), settings.steps()));
            total += longest;
        }
        return total;
    }

    /** Runs sample {@code sample} (of {@code samples}) over all batches, handing each finished slice to {@code done}. */
    void run(int sample, int samples, StepProgress progress, CancelToken cancel, SliceDone done) {
        Map<Integer, TileBlender> blenders = new HashMap<>();
        int m = grid.x().span() * grid.y().span();
        for (int from = 0; from < jobs.size(); from += settings.batchSize()) {
            cancel.throwIfCancelled();
            List<TileJob> batch = batch(from);
            float[] x0 = sample(batch, sample, samples, progress, cancel);
            for (int j = 0; j < batch.size(); j++) {
                TileJob job = batch.get(j);
                TileBlender b = blenders.computeIfAbsent(job.slice(), z -> new TileBlender(grid));
                b.add(job.tile(), x0, j * m);
                if (b.complete()) {
                    done.accept(job.slice(), b.result());
                    blenders.remove(job.slice());
                }
            }
        }
    }

    private List<TileJob> batch(int from) {
        return jobs.subList(from, Math.min(jobs.size(), from + settings.batchSize()));
    }

    private float[] sample(List<TileJob> batch, int sample, int samples, StepProgress progress, CancelToken cancel) {
        int n = batch.size();
        int[] tStar = new int[n];
        long[] seeds = new long[n];
        int tc = ModelSignature.TEXTURE_CHANNELS;
        float[] texture = new float[n * tc];
        for (int j = 0; j < n; j++) {
            TileJob job = batch.get(j);
            tStar[j] = noise[job.slice()].tStar();
            seeds[j] = itemSeed(settings.seed(), sample, job.slice(), job.tile().index());
            System.arraycopy(noise[job.slice()].texture(), 0, texture, j * tc, tc);
        }
        String where = describe(batch, sample, samples);
        SamplingBatch request = new SamplingBatch(n, grid.y().span(), grid.x().span(), conditioning.of(batch), tStar,
                settings.steps(), eta, seeds, sample, family, texture);
        return sampler.sample(request, cancel, (step, steps) -> progress.stepDone(where, step, steps));
    }

    private String describe(List<TileJob> batch, int sample, int samples) {
        int depth = noise.length;
        int z0 = batch.get(0).slice() + 1, z1 = batch.get(batch.size() - 1).slice() + 1;
        StringBuilder sb = new StringBuilder();
        if (samples > 1) sb.append("sample ").append(sample + 1).append('/').append(samples).append(' ');
        sb.append("slice ").append(z0 == z1 ? String.valueOf(z0) : z0 + "-" + z1).append('/').append(depth);
        if (grid.size() > 1 && z0 == z1) {
            int t0 = batch.get(0).tile().index() + 1, t1 = batch.get(batch.size() - 1).tile().index() + 1;
            sb.append(" tile ").append(t0 == t1 ? String.valueOf(t0) : t0 + "-" + t1).append('/').append(grid.size());
        }
        return sb.toString();
    }

    /** A seed per (seed, sample, slice, tile), so the noise a tile gets does not depend on batching. */
    static long itemSeed(long seed, int sample, int slice, int tile) {
        long h = seed;
        h = h * 0x9E3779B97F4A7C15L + sample;
        h = h * 0x9E3779B97F4A7C15L + slice;
        h = h * 0x9E3779B97F4A7C15L + tile;
        return new SplittableRandom(h).nextLong();
    }
}
