package org.diffdenoise.train;

import org.diffdenoise.model.ModelSignature;

import org.diffdenoise.api.FileTrees;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import org.diffdenoise.model.NoiseSchedule;
import org.diffdenoise.model.UNetConfig;
import org.diffdenoise.model.UNetGraph;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The training graph and its state: the U-Net, an x0-space MSE loss, Adam (applied with ApplyAdam and a fed learning
 * rate, so warmup needs no second optimizer), and an exponential moving average of the weights.
 * Checkpoints hold weights, Adam slots, EMA and the step; batches are a function of (seed, step), so a resumed run
 * sees the same data it would have seen.
 */
public final class Trainer implements AutoCloseable {

    static final float BETA1 = 0.9f, BETA2 = 0.999f, EPSILON = 1e-8f;

    private final Graph graph;
    private final Session session;
    private final UNetGraph net;
    private final Placeholder<TFloat32> clean, learningRate, emaDecay;
    private final Operand<TFloat32> loss, objective;
    private final LossWeighting weighting;
    private final Op trainStep, emaInit;
    private final List<Variable<TFloat32>> ema = new ArrayList<>();
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

    /** Builds the training graph with fresh weights drawn from {@code seed}, minimizing the plain x0 MSE. */
    public Trainer(UNetConfig config, long seed) {
        this(config, seed, LossWeighting.X0);
    }

    /** Builds the training graph with fresh weights drawn from {@code seed}. */
    public Trainer(UNetConfig config, long seed, LossWeighting weighting) {
        this.weighting = weighting;
        graph = new Graph();
        Ops tf = Ops.create(graph);
        net = new UNetGraph(tf, config, UNetGraph.initialized(), seed);
        clean = tf.withName("clean").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 1)));
        learningRate = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        emaDecay = tf.withName("ema_decay").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        // x0-space MSE: the epsilon loss weighted by the noise-to-signal ratio squared
        // per-patch MSE first; patches are equal-sized, so their mean is the batch MSE
        Operand<TFloat32> perPatch = tf.math.mean(tf.math.squaredDifference(net.x0, clean), tf.constant(new int[] {1, 2, 3}));
        loss = tf.withName("loss").math.mean(perPatch, tf.constant(0));
        if (weighting == LossWeighting.LOG_MSE) {
            objective = tf.withName("objective").math.mean(tf.math.log(tf.math.add(perPatch, tf.constant(LossWeighting.EPS))),
                    tf.constant(0));
        } else {
            objective = loss;
        }

        List<UNetGraph.Parameter> params = net.parameters();
        // slots first, while the graph is small (naming scans the graph), then the gradients
        Variable<TFloat32> beta1Power = UNetGraph.named(tf, "adam/beta1_power").variable(tf.constant(BETA1));
        Variable<TFloat32> beta2Power = UNetGraph.named(tf, "adam/beta2_power").variable(tf.constant(BETA2));
        List<Variable<TFloat32>> ms = new ArrayList<>(), vs = new ArrayList<>();
        List<Op> emaInits = new ArrayList<>();
        for (UNetGraph.Parameter p : params) {
            Operand<TFloat32> zeros = tf.zeros(tf.constant(p.shape()), TFloat32.class);
            ms.add(UNetGraph.named(tf, "adam/" + p.name() + "/m").variable(zeros));
            vs.add(UNetGraph.named(tf, "adam/" + p.name() + "/v").variable(zeros));
            Variable<TFloat32> e = UNetGraph.named(tf, "ema/" + p.name()).variable(zeros);
            ema.add(e);
            emaInits.add(tf.assign(e, p.variable()));
        }
        List<Operand<?>> vars = new ArrayList<>();
        for (UNetGraph.Parameter p : params) vars.add(p.variable());
        Gradients grads = tf.gradients(objective, vars);
        List<Op> applies = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            @SuppressWarnings("unchecked")
            Operand<TFloat32> g = (Operand<TFloat32>) (Operand<?>) grads.dy(i);
            applies.add(tf.train.applyAdam(params.get(i).variable(), ms.get(i), vs.get(i), beta1Power, beta2Power,
                    learningRate, tf.constant(BETA1), tf.constant(BETA2), tf.constant(EPSILON), g));
        }
        // the beta powers advance only after every apply has read them
        Ops afterApply = tf.withControlDependencies(applies);
        List<Op> afterOps = new ArrayList<>();
        afterOps.add(afterApply.assign(beta1Power, afterApply.math.mul(beta1Power, afterApply.constant(BETA1))));
        afterOps.add(afterApply.assign(beta2Power, afterApply.math.mul(beta2Power, afterApply.constant(BETA2))));
        // EMA reads the updated weights: ema -= (1 - decay) * (ema - w)
        Operand<TFloat32> oneMinus = afterApply.math.sub(afterApply.constant(1f), emaDecay);
        for (int i = 0; i < params.size(); i++) {
            Variable<TFloat32> e = ema.get(i);
            afterOps.add(afterApply.assignSub(e, afterApply.math.mul(oneMinus, afterApply.math.sub(e, params.get(i).variable()))));
        }
        trainStep = tf.withControlDependencies(afterOps).withName("train_step").noOp();
        emaInit = tf.withControlDependencies(emaInits).withName("ema_init").noOp();

        ConfigProto cfg = ConfigProto.newBuilder().setIntraOpParallelismThreads(2).setInterOpParallelismThreads(1).build();
        session = new Session(graph, cfg);
    }

    /** Starts from the initial weights (EMA = weights, step 0). */
    public void initialize() {
        session.initialize();
        session.run(emaInit);
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
     * stay as they are (zero after {@link #initialize}). Parameters absent from {@code values} keep their initial
     * values (growing a network: the new decoder blocks start as the identity); every given value must name a
     * parameter of this network with the right size, and at least one must.
     *
     * @return the names of the parameters that kept their initial values
     */
    public List<String> loadWeights(Map<String, float[]> values) {
        if (values.isEmpty()) throw new IllegalArgumentException("warm-start weights: none given");
        Ops tf = Ops.create(graph);
        List<UNetGraph.Parameter> params = net.parameters();
        Map<String, UNetGraph.Parameter> byName = net.parametersByName();
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            UNetGraph.Parameter p = byName.get(e.getKey());
            if (p == null) throw new IllegalArgumentException("warm-start weights: " + e.getKey() + " is not a parameter of this network");
            if (e.getValue().length != p.size())
                throw new IllegalArgumentException("warm-start weights: " + p.name() + " has " + e.getValue().length
                        + " values, expected " + p.size());
        }
        List<String> kept = new ArrayList<>();
        List<TFloat32> tensors = new ArrayList<>();
        try {
            Session.Runner r = session.runner();
            for (int i = 0; i < params.size(); i++) {
                UNetGraph.Parameter p = params.get(i);
                float[] v = values.get(p.name());
                if (v == null) {
                    kept.add(p.name());
                    continue;
                }
                TFloat32 t = TFloat32.tensorOf(Shape.of(p.shape()), DataBuffers.of(v, true, false));
                tensors.add(t);
                Placeholder<TFloat32> ph = UNetGraph.named(tf, "warm_start/value_" + i).placeholder(TFloat32.class,
                        Placeholder.shape(Shape.of(p.shape())));
                r.feed(ph, t).addTarget(tf.assign(p.variable(), ph)).addTarget(tf.assign(ema.get(i), ph));
            }
            r.run();
        } finally {
            for (TFloat32 t : tensors) t.close();
        }
        return kept;
    }

    public UNetGraph network() {
        return net;
    }

    /** Learning rate at a step: linear warmup over {@code warmup} steps to {@code peak}. */
    public static float learningRate(long step, float peak, int warmup) {
        return peak * Math.min(1f, (step + 1) / (float) warmup);
    }

    /** Cosine decay factor at a fraction (0..1, clamped) of the budget: 1 at the start, 5 % at the end. */
    public static float cosineDecay(double fraction) {
        return (float) (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, fraction)))));
    }

    /** EMA decay at a step: ramps up so early averages are not dominated by the random initialization. */
    public static float emaDecay(long step, float max) {
        return Math.min(max, (1f + step) / (10f + step));
    }

    /** One Adam step on a batch; returns the batch loss before the update. */
    public float trainStep(TrainingBatch b, float lr, float decay) {
        try (Feeds f = new Feeds(b);
             TFloat32 lrT = TFloat32.scalarOf(lr); TFloat32 dT = TFloat32.scalarOf(decay);
             Result r = f.feed(session.runner()).feed(learningRate, lrT).feed(emaDecay, dT).fetch(loss).addTarget(trainStep).run()) {
            step++;
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    /** Loss of the current (not EMA) weights on a batch, without training. */
    public float evaluate(TrainingBatch b) {
        try (Feeds f = new Feeds(b); Result r = f.feed(session.runner()).fetch(loss).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    /** The objective the gradients minimize (equal to {@link #evaluate} for {@link LossWeighting#X0}), on a batch. */
    public float evaluateObjective(TrainingBatch b) {
        try (Feeds f = new Feeds(b); Result r = f.feed(session.runner()).fetch(objective).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    /** Predicted x0 of the current weights for a batch. */
    public float[] predict(TrainingBatch b) {
        try (Feeds f = new Feeds(b); Result r = f.feed(session.runner()).fetch(net.x0).run()) {
            float[] out = new float[b.n() * b.size() * b.size()];
            ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
            return out;
        }
    }

    /** The weights (or their moving average), by parameter name. */
    public Map<String, float[]> weights(boolean movingAverage) {
        Map<String, float[]> out = new LinkedHashMap<>();
        List<UNetGraph.Parameter> params = net.parameters();
        Session.Runner r = session.runner();
        for (int i = 0; i < params.size(); i++) r.fetch(movingAverage ? ema.get(i) : params.get(i).variable());
        try (Result res = r.run()) {
            for (int i = 0; i < params.size(); i++) {
                float[] v = new float[params.get(i).size()];
                ((TFloat32) res.get(i)).copyTo(DataBuffers.of(v, false, false));
                out.put(params.get(i).name(), v);
            }
        }
        return out;
    }

    /** Training state stored beside the TensorFlow checkpoint. */
    public record CheckpointState(long step, long seed, int batch, int patch, double trainedSeconds, double runningLoss) {
    }

    /** Saves all variables (weights, Adam slots, EMA) and the state; the previous checkpoint is replaced atomically. */
    public void saveCheckpoint(Path dir, CheckpointState state) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, dir.getFileName() + ".tmp");
        session.save(tmp.resolve("model").toString());
        Files.writeString(tmp.resolve("state.json"), new GsonBuilder().setPrettyPrinting().create().toJson(state),
                StandardCharsets.UTF_8);
        FileTrees.replaceDirectory(tmp, dir);
    }

    /** Restores a checkpoint written by {@link #saveCheckpoint}. */
    public CheckpointState restoreCheckpoint(Path dir) throws IOException {
        Path stateFile = dir.resolve("state.json");
        if (!Files.isRegularFile(stateFile)) throw new IOException("no checkpoint in " + dir + " (missing state.json)");
        CheckpointState state = new Gson().fromJson(Files.readString(stateFile), CheckpointState.class);
        session.restore(dir.resolve("model").toString());
        step = state.step();
        return state;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }

    // the batch's tensors, closed together
    private final class Feeds implements AutoCloseable {
        final TFloat32 xt, cond, t, ab, fam, cl;

        Feeds(TrainingBatch b) {
            long n = b.n(), s = b.size();
            xt = TFloat32.tensorOf(Shape.of(n, s, s, 1), DataBuffers.of(b.xt(), true, false));
            cond = TFloat32.tensorOf(Shape.of(n, s, s, 4), DataBuffers.of(b.cond(), true, false));
            t = TFloat32.tensorOf(Shape.of(n), DataBuffers.of(b.t(), true, false));
            ab = TFloat32.tensorOf(Shape.of(n), DataBuffers.of(b.alphaBar(), true, false));
            fam = TFloat32.tensorOf(Shape.of(n, ModelSignature.FAMILY_CHANNELS), DataBuffers.of(b.family(), true, false));
            cl = TFloat32.tensorOf(Shape.of(n, s, s, 1), DataBuffers.of(b.clean(), true, false));
        }

        Session.Runner feed(Session.Runner r) {
            return r.feed(net.xt, xt).feed(net.cond, cond).feed(net.t, t).feed(net.alphaBar, ab).feed(net.family, fam)
                    .feed(clean, cl);
        }

        @Override
        public void close() {
            xt.close();
            cond.close();
            t.close();
            ab.close();
            fam.close();
            cl.close();
        }
    }
}
