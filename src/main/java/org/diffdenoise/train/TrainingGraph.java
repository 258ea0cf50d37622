package org.diffdenoise.train;

import java.util.ArrayList;
import java.util.List;

import org.diffdenoise.model.ModelSignature;
import org.diffdenoise.model.UNetConfig;
import org.diffdenoise.model.tf.UNetGraph;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The training graph: the U-Net, an x0-space MSE loss (and the objective of the chosen {@link Trainer.LossWeighting}),
 * Adam applied with ApplyAdam and a fed learning rate (so warmup needs no second optimizer), and an exponential moving
 * average of the weights that reads the updated weights.
 */
final class TrainingGraph implements AutoCloseable {

    static final float BETA1 = 0.9f, BETA2 = 0.999f, EPSILON = 1e-8f;

    final Graph graph;
    final UNetGraph net;
    final Placeholder<TFloat32> clean, learningRate, emaDecay;
    final Operand<TFloat32> loss, objective;
    final Op trainStep, emaInit;
    /** The moving average of each parameter, in the order of {@link UNetGraph#parameters()}. */
    final List<Variable<TFloat32>> ema = new ArrayList<>();

    /**
     * The texture input's weights learn this much faster than the rest: they start at zero in a network warm-started
     * from one without them, and at the fine-tuning rate (Adam moves a weight by about the rate per step) they stayed
     * negligible (rms 0.005 against the first embedding layer's 0.17 after 1,358 steps of run i's first attempt) while
     * the shared weights drifted.
     */
    static final float TEXTURE_LR_FACTOR = 30;

    TrainingGraph(UNetConfig config, long seed, Trainer.LossWeighting weighting) {
        this(config, seed, weighting, false);
    }

    /** @param textureOnly train only the texture input's weights; the rest stays exactly as loaded */
    TrainingGraph(UNetConfig config, long seed, Trainer.LossWeighting weighting, boolean textureOnly) {
        graph = new Graph();
        Ops tf = Ops.create(graph);
        net = new UNetGraph(tf, config, UNetGraph.initialized(), seed);
        clean = tf.withName("clean").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 1)));
        learningRate = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        emaDecay = tf.withName("ema_decay").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        // x0-space MSE: the epsilon loss weighted by the noise-to-signal ratio squared
        // per-patch MSE first; patches are equal-sized, so their mean is the batch MSE
        Operand<TFloat32> perPatch = tf.math.mean(tf.math.squaredDifference(net.x0(), clean), tf.constant(new int[] {1, 2, 3}));
        loss = tf.withName("loss").math.mean(perPatch, tf.constant(0));
        if (weighting == Trainer.LossWeighting.LOG_MSE) {
            objective = tf.withName("objective").math.mean(tf.math.log(tf.math.add(perPatch, tf.constant(Trainer.LossWeighting.EPS))),
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
        // the trained parameters: all, or only the texture input's (no weight gradients for the frozen rest)
        List<Integer> trained = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) if (!textureOnly || UNetGraph.isTextureParameter(params.get(i).name())) trained.add(i);
        if (trained.isEmpty()) throw new IllegalArgumentException("no texture parameters to train in " + config);
        List<Operand<?>> vars = new ArrayList<>();
        for (int i : trained) vars.add(params.get(i).variable());
        Gradients grads = tf.gradients(objective, vars);
        List<Op> applies = new ArrayList<>();
        Operand<TFloat32> textureRate = tf.math.mul(learningRate, tf.constant(TEXTURE_LR_FACTOR));
        for (int k = 0; k < trained.size(); k++) {
            int i = trained.get(k);
            @SuppressWarnings("unchecked")
            Operand<TFloat32> g = (Operand<TFloat32>) (Operand<?>) grads.dy(k);
            boolean texture = UNetGraph.isTextureParameter(params.get(i).name());
            applies.add(tf.train.applyAdam(params.get(i).variable(), ms.get(i), vs.get(i), beta1Power, beta2Power,
                    texture ? textureRate : learningRate, tf.constant(BETA1), tf.constant(BETA2), tf.constant(EPSILON), g));
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
    }

    /** The tensors of a batch fed to the network's inputs and the clean target. */
    Feeds feeds(TrainingBatch b) {
        return new Feeds(b);
    }

    @Override
    public void close() {
        graph.close();
    }

    /** A batch's tensors, closed together. */
    final class Feeds implements AutoCloseable {
        private final TFloat32 xt, cond, t, ab, fam, cl, tex;

        private Feeds(TrainingBatch b) {
            long n = b.n(), s = b.size();
            xt = TFloat32.tensorOf(Shape.of(n, s, s, 1), DataBuffers.of(b.xt(), true, false));
            cond = TFloat32.tensorOf(Shape.of(n, s, s, 4), DataBuffers.of(b.cond(), true, false));
            t = TFloat32.tensorOf(Shape.of(n), DataBuffers.of(b.t(), true, false));
            ab = TFloat32.tensorOf(Shape.of(n), DataBuffers.of(b.alphaBar(), true, false));
            fam = TFloat32.tensorOf(Shape.of(n, ModelSignature.FAMILY_CHANNELS), DataBuffers.of(b.family(), true, false));
            cl = TFloat32.tensorOf(Shape.of(n, s, s, 1), DataBuffers.of(b.clean(), true, false));
            tex = net.inputs().texture() == null ? null : textureTensor(b, (int) net.inputs().texture().shape().size(1));
        }

        // the batch carries the whole texture; a network trained with a narrower one takes its first numbers
        private static TFloat32 textureTensor(TrainingBatch b, int width) {
            return TFloat32.tensorOf(Shape.of(b.n(), width),
                    DataBuffers.of(org.diffdenoise.model.NoiseTexture.firstChannels(b.texture(), 0, b.n(), width), true, false));
        }

        Session.Runner feed(Session.Runner r) {
            UNetGraph.Inputs in = net.inputs();
            r = r.feed(in.xt(), xt).feed(in.cond(), cond).feed(in.t(), t).feed(in.alphaBar(), ab).feed(in.family(), fam)
                    .feed(clean, cl);
            return tex == null ? r : r.feed(in.texture(), tex);
        }

        @Override
        public void close() {
            xt.close();
            cond.close();
            t.close();
            ab.close();
            if (tex != null) tex.close();
            fam.close();
            cl.close();
        }
    }
}
