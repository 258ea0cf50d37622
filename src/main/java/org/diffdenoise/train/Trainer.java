package org.diffdenoise.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.diffdenoise.model.UNetConfig;
import org.diffdenoise.model.tf.UNetGraph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * A training session over a {@link TrainingGraph}: initialization, {@link WarmStart warm start}, Adam steps with a fed
 * learning rate and EMA decay ({@link LearningRateSchedule}), evaluation and {@link Checkpoints checkpoints}.
 * Checkpoints hold weights, Adam slots, EMA and the step; batches are a function of (seed, step), so a resumed run
 * sees the same data it would have seen.
 */
public final class Trainer implements AutoCloseable {

    private final TrainingGraph g;
    private final Session session;
    private final LossWeighting weighting;
    private long step;

    /**
     * What the gradients minimize. Both are the x0-space MSE per patch; they differ in how patches of different noise
     * levels count.
     */
    public enum LossWeighting {
        /** Plain x0 MSE: a patch counts with its noise variance (low noise levels get little signal). */
        X0,
        /**
         * Mean over patches of log(x0 MSE + {@value #EPS}): the gradient of each patch is divided by its own error, so
         * every patch counts like its PSNR in dB does, whatever its noise level (dividing by sigma^2 instead was
         * tried and over-weighted the lowest noise levels: docs/model.md).
         */
        LOG_MSE;

        static final float EPS = 1e-7f;
    }

    /** Training state stored beside the TensorFlow checkpoint. */
    public record CheckpointState(long step, long seed, int batch, int patch, double trainedSeconds, double runningLoss) {
    }

    /** Builds the training graph with fresh weights drawn from {@code seed}, minimizing the plain x0 MSE. */
    public Trainer(UNetConfig config, long seed) {
        this(config, seed, LossWeighting.X0);
    }

    /** Builds the training graph with fresh weights drawn from {@code seed}. */
    public Trainer(UNetConfig config, long seed, LossWeighting weighting) {
        this(config, seed, weighting, false);
    }

    /** @param textureOnly train only the texture input's weights (the rest stays exactly as loaded) */
    public Trainer(UNetConfig config, long seed, LossWeighting weighting, boolean textureOnly) {
        this.weighting = weighting;
        g = new TrainingGraph(config, seed, weighting, textureOnly);
        ConfigProto cfg = ConfigProto.newBuilder().setIntraOpParallelismThreads(2).setInterOpParallelismThreads(1).build();
        session = new Session(g.graph, cfg);
    }

    /** Starts from the initial weights (EMA = weights, step 0). */
    public void initialize() {
        session.initialize();
        session.run(g.emaInit);
        step = 0;
    }

    public long step() {
        return step;
    }

    public LossWeighting weighting() {
        return weighting;
    }

    /**
     * Warm start: sets the weights and their moving average to the given values (by parameter name); Adam's moments
     * stay as they are (zero after {@link #initialize}). See {@link WarmStart#load}.
     *
     * @return the names of the parameters that kept their initial values
     */
    public List<String> loadWeights(Map<String, float[]> values) {
        return WarmStart.load(g, session, values);
    }

    public UNetGraph network() {
        return g.net;
    }

    /** One Adam step on a batch; returns the batch loss before the update. */
    public float trainStep(TrainingBatch b, float lr, float decay) {
        try (TrainingGraph.Feeds f = g.feeds(b);
             TFloat32 lrT = TFloat32.scalarOf(lr); TFloat32 dT = TFloat32.scalarOf(decay);
             Result r = f.feed(session.runner()).feed(g.learningRate, lrT).feed(g.emaDecay, dT).fetch(g.loss)
                     .addTarget(g.trainStep).run()) {
            step++;
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    /** Loss of the current (not EMA) weights on a batch, without training. */
    public float evaluate(TrainingBatch b) {
        try (TrainingGraph.Feeds f = g.feeds(b); Result r = f.feed(session.runner()).fetch(g.loss).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    /** The objective the gradients minimize (equal to {@link #evaluate} for {@link LossWeighting#X0}), on a batch. */
    public float evaluateObjective(TrainingBatch b) {
        try (TrainingGraph.Feeds f = g.feeds(b); Result r = f.feed(session.runner()).fetch(g.objective).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    /** Predicted x0 of the current weights for a batch. */
    public float[] predict(TrainingBatch b) {
        try (TrainingGraph.Feeds f = g.feeds(b); Result r = f.feed(session.runner()).fetch(g.net.x0()).run()) {
            float[] out = new float[b.n() * b.size() * b.size()];
            ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
            return out;
        }
    }

    /** The weights (or their moving average), by parameter name. */
    public Map<String, float[]> weights(boolean movingAverage) {
        Map<String, float[]> out = new LinkedHashMap<>();
        List<UNetGraph.Parameter> params = g.net.parameters();
        Session.Runner r = session.runner();
        for (int i = 0; i < params.size(); i++) r.fetch(movingAverage ? g.ema.get(i) : params.get(i).variable());
        try (Result res = r.run()) {
            for (int i = 0; i < params.size(); i++) {
                float[] v = new float[params.get(i).size()];
                ((TFloat32) res.get(i)).copyTo(DataBuffers.of(v, false, false));
                out.put(params.get(i).name(), v);
            }
        }
        return out;
    }

    /** Saves all variables (weights, Adam slots, EMA) and the state; the previous checkpoint is replaced atomically. */
    public void saveCheckpoint(Path dir, CheckpointState state) throws IOException {
        Checkpoints.save(session, dir, state);
    }

    /** Restores a checkpoint written by {@link #saveCheckpoint}. */
    public CheckpointState restoreCheckpoint(Path dir) throws IOException {
        CheckpointState state = Checkpoints.restore(session, dir);
        step = state.step();
        return state;
    }

    @Override
    public void close() {
        session.close();
        g.close();
    }
}
