package org.diffdenoise.model.tf;

import org.diffdenoise.model.ModelSignature;
import org.diffdenoise.model.UNetConfig;

import org.diffdenoise.image.StandardNormal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.diffdenoise.api.NoiseFamily;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Builds the conditional U-Net in a TensorFlow graph: inputs x_t, cond, t, alpha_bar, family (and texture when the
 * configuration has it); output x0 via an
 * epsilon prediction, x0 = (x_t - sqrt(1 - abar) * eps) / sqrt(abar), where the network's head predicts
 * sqrt(1 - abar) * eps (the noise in x_t, image units).
 */
public final class UNetGraph {

    /** Input and output names of the graph and of the SavedModel signature ({@link ModelSignature}). */
    public static final String X_T = ModelSignature.X_T, COND = ModelSignature.COND, T = ModelSignature.T,
            ALPHA_BAR = ModelSignature.ALPHA_BAR, FAMILY = ModelSignature.FAMILY, TEXTURE = ModelSignature.TEXTURE,
            X0 = ModelSignature.X0;

    /**
     * The graph's input placeholders, to feed in training and to name in the exported signature; {@code texture} is
     * null for a network without the texture input.
     */
    public record Inputs(Placeholder<TFloat32> xt, Placeholder<TFloat32> cond, Placeholder<TFloat32> t,
                         Placeholder<TFloat32> alphaBar, Placeholder<TFloat32> family, Placeholder<TFloat32> texture) {
    }

    /** Creates the network's weights; training gives them random initial values, export gives placeholders. */
    public interface ParameterFactory {
        Variable<TFloat32> create(Ops tf, String name, long[] shape, float[] initialValues);
    }

    /** A weight's name and shape, in creation order. */
    public record Parameter(String name, long[] shape, Variable<TFloat32> variable) {
        public int size() {
            long n = 1;
            for (long d : shape) n *= d;
            return (int) n;
        }
    }

    private final Ops tf;
    private final UNetConfig config;
    private final ParameterFactory factory;
    private final SplittableRandom initRng;
    private final List<Parameter> parameters = new ArrayList<>();

    private final Placeholder<TFloat32> xt, cond, t, alphaBar, family, texture;
    private final Operand<TFloat32> x0;

    /**
     * @param tf       ops of the graph to build in
     * @param config   channels etc.
     * @param factory  how weights are created
     * @param initSeed seed of the initial weights (ignored by factories that do not use initial values)
     */
    public UNetGraph(Ops tf, UNetConfig config, ParameterFactory factory, long initSeed) {
        this.tf = tf;
        this.config = config;
        this.factory = factory;
        this.initRng = new SplittableRandom(initSeed);
        int nf = ModelSignature.FAMILY_CHANNELS;
        xt = tf.withName(X_T).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 1)));
        cond = tf.withName(COND).placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(-1, -1, -1, config.conditionChannels())));
        t = tf.withName(T).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        alphaBar = tf.withName(ALPHA_BAR).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        family = tf.withName(FAMILY).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, nf)));
        texture = config.textureChannels() == 0 ? null
                : tf.withName(TEXTURE).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, config.textureChannels())));

        Operand<TFloat32> emb = embedding(nf);
        int[] c = config.channels();
        Operand<TFloat32> in = tf.concat(List.of(xt, cond), tf.constant(3));
        int inChannels = 1 + config.conditionChannels();
        if (config.pixelUnshuffle()) {
            in = tf.nn.spaceToDepth(in, 2L);
            inChannels *= 4;
        }
        Operand<TFloat32> h = conv("in", in, 3, inChannels, c[0], 1, false);
        Operand<TFloat32> s1 = resBlock("down1", h, c[0], c[0], emb);
        h = conv("down1/pool", s1, 3, c[0], c[1], 2, false);
        Operand<TFloat32> s2 = resBlock("down2", h, c[1], c[1], emb);
        h = conv("down2/pool", s2, 3, c[1], c[2], 2, false);
        h = resBlock("mid1", h, c[2], c[2], emb);
        if (config.attention()) h = attention("mid/attn", h, c[2]);
        h = resBlock("mid2", h, c[2], c[2], emb);
        h = upsampleTo("up2/up", h, s2, c[2], c[1]);
        h = resBlock("up2", tf.concat(List.of(h, s2), tf.constant(3)), 2 * c[1], c[1], emb);
        h = extraBlocks("up2", h, c[1], emb);
        h = upsampleTo("up1/up", h, s1, c[1], c[0]);
        h = resBlock("up1", tf.concat(List.of(h, s1), tf.constant(3)), 2 * c[0], c[0], emb);
        h = extraBlocks("up1", h, c[0], emb);
        h = silu(groupNorm("out/norm", h, c[0]));
        // Zero-initialized output: the untrained network predicts eps = 0, i.e. returns x_t / sqrt(abar).
        // The head's output is the predicted noise component sqrt(1 - abar) * eps of x_t.
        Operand<TFloat32> epsilon;
        if (config.pixelUnshuffle()) {
            epsilon = tf.nn.depthToSpace(conv("out", h, 3, c[0], 4, 1, true), 2L);
        } else {
            epsilon = conv("out", h, 3, c[0], 1, 1, true);
        }

        // The head's raw output R is the noise component of x_t in image units, sqrt(1 - abar) * eps (an eps-prediction
        // with output scale c_out = sqrt(1 - abar)): noise extraction is then nearly scale-equivariant (DnCNN-style
        // residual learning), whereas an unscaled eps head must divide by the noise level and learned far more slowly.
        // sign(1 - abar) is exactly 0 at step 0, so x0 = x_t there.
        Operand<TFloat32> ab = tf.reshape(tf.math.maximum(alphaBar, tf.constant(1e-4f)), tf.constant(new int[] {-1, 1, 1, 1}));
        Operand<TFloat32> noisy = tf.math.sign(tf.math.maximum(tf.math.sub(tf.constant(1f), ab), tf.constant(0f)));
        Operand<TFloat32> noise = tf.math.mul(noisy, epsilon);
        x0 = tf.withName(X0).math.div(tf.math.sub(xt, noise), tf.math.sqrt(ab));
    }

    /** The input placeholders. */
    public Inputs inputs() {
        return new Inputs(xt, cond, t, alphaBar, family, texture);
    }

    /** The predicted clean image x0 (the signature's output). */
    public Operand<TFloat32> x0() {
        return x0;
    }

    /** The weights in creation order. */
    public List<Parameter> parameters() {
        return Collections.unmodifiableList(parameters);
    }

    /** Total number of weights. */
    public long parameterCount() {
        return parameters.stream().mapToLong(Parameter::size).sum();
    }

    // sinusoidal embedding of t * 1000 concatenated with the family one-hot, then a 2-layer MLP; the texture (when
    // present) enters the first layer through its own zero-initialized, bias-free weights (and every residual block
    // as a per-channel scale and shift), so a warm start keeps the output and texture 0 always gives it
    private Operand<TFloat32> embedding(int nf) {
        int half = 16;
        float[] freqs = new float[half];
        for (int k = 0; k < half; k++) freqs[k] = (float) (1000.0 * Math.exp(-Math.log(10000.0) * k / half));
        Operand<TFloat32> arg = tf.math.mul(tf.reshape(t, tf.constant(new int[] {-1, 1})),
                tf.constant(new float[][] {freqs}));
        Operand<TFloat32> e = tf.concat(List.of(tf.math.sin(arg), tf.math.cos(arg), family), tf.constant(1));
        int d = config.embeddingDim();
        Operand<TFloat32> pre = dense("emb/dense1", e, 2 * half + nf, d);
        if (texture != null) pre = tf.math.add(pre, textureProjection("emb/texture", d));
        e = silu(pre);
        return silu(dense("emb/dense2", e, d, d));
    }

    // decoder blocks after the first: "up1b", "up1c", ...; each starts as the identity (zero last convolution)
    private Operand<TFloat32> extraBlocks(String level, Operand<TFloat32> h, int c, Operand<TFloat32> emb) {
        for (int k = 1; k < config.decoderBlocks(); k++) h = resBlock(level + (char) ('a' + k), h, c, c, emb, true);
        return h;
    }

    private Operand<TFloat32> resBlock(String name, Operand<TFloat32> x, int cin, int cout, Operand<TFloat32> emb) {
        return resBlock(name, x, cin, cout, emb, false);
    }

    private Operand<TFloat32> resBlock(String name, Operand<TFloat32> x, int cin, int cout, Operand<TFloat32> emb,
            boolean identityAtStart) {
        Operand<TFloat32> h = conv(name + "/conv1", silu(groupNorm(name + "/norm1", x, cin)), 3, cin, cout, 1, false);
        Operand<TFloat32> bias = dense(name + "/emb", emb, config.embeddingDim(), cout);
        if (texture != null) {
            // per-channel scale and shift by the texture (FiLM), exactly the identity for white noise (texture 0)
            Operand<TFloat32> scale = tf.math.add(tf.constant(1f), textureProjection(name + "/texture_scale", cout));
            h = tf.math.mul(h, tf.reshape(scale, tf.constant(new int[] {-1, 1, 1, cout})));
            bias = tf.math.add(bias, textureProjection(name + "/texture_shift", cout));
        }
        h = tf.math.add(h, tf.reshape(bias, tf.constant(new int[] {-1, 1, 1, cout})));
        h = conv(name + "/conv2", silu(groupNorm(name + "/norm2", h, cout)), 3, cout, cout, 1, identityAtStart);
        Operand<TFloat32> skip = cin == cout ? x : conv(name + "/skip", x, 1, cin, cout, 1, false);
        return tf.math.add(skip, h);
    }

    // single-head self-attention over all positions of x [N,H,W,C], residual; the zero output projection makes it
    // start as the identity
    private Operand<TFloat32> attention(String name, Operand<TFloat32> x, int c) {
        Operand<TInt32> shape = tf.shape(x);
        Operand<TInt32> tokens = tf.concat(List.of(tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {1})),
                tf.constant(new int[] {-1, 3 * c})), tf.constant(0));
        Operand<TFloat32> flat = tf.reshape(groupNorm(name + "/norm", x, c), tf.constant(new int[] {-1, c}));
        Operand<TFloat32> qkv = tf.reshape(dense(name + "/qkv", flat, c, 3 * c, false), tokens); // [N, HW, 3C]
        Operand<TFloat32> q = tf.slice(qkv, tf.constant(new int[] {0, 0, 0}), tf.constant(new int[] {-1, -1, c}));
        Operand<TFloat32> k = tf.slice(qkv, tf.constant(new int[] {0, 0, c}), tf.constant(new int[] {-1, -1, c}));
        Operand<TFloat32> v = tf.slice(qkv, tf.constant(new int[] {0, 0, 2 * c}), tf.constant(new int[] {-1, -1, c}));
        Operand<TFloat32> scores = tf.math.mul(tf.train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true)),
                tf.constant((float) (1 / Math.sqrt(c))));
        Operand<TFloat32> mixed = tf.train.batchMatMul(tf.nn.softmax(scores), v, TFloat32.class);
        Operand<TFloat32> out = dense(name + "/proj", tf.reshape(mixed, tf.constant(new int[] {-1, c})), c, c, true);
        return tf.math.add(x, tf.reshape(out, shape));
    }

    private Operand<TFloat32> upsampleTo(String name, Operand<TFloat32> x, Operand<TFloat32> like, int cin, int cout) {
        Operand<TInt32> hw = tf.slice(tf.shape(like), tf.constant(new int[] {1}), tf.constant(new int[] {2}));
        return conv(name, tf.image.resizeNearestNeighbor(x, hw), 3, cin, cout, 1, false);
    }

    private Operand<TFloat32> groupNorm(String name, Operand<TFloat32> x, int c) {
        int g = UNetConfig.groups(c);
        Operand<TInt32> shape = tf.shape(x);
        Operand<TInt32> grouped = tf.concat(List.of(tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {1})),
                tf.constant(new int[] {-1, g, c / g})), tf.constant(0));
        Operand<TFloat32> xg = tf.reshape(x, grouped);
        Operand<TInt32> axes = tf.constant(new int[] {1, 3});
        Operand<TFloat32> mean = tf.math.mean(xg, axes, Mean.keepDims(true));
        Operand<TFloat32> centered = tf.math.sub(xg, mean);
        Operand<TFloat32> var = tf.math.mean(tf.math.square(centered), axes, Mean.keepDims(true));
        Operand<TFloat32> normed = tf.reshape(tf.math.mul(centered, tf.math.rsqrt(tf.math.add(var, tf.constant(1e-5f)))), shape);
        float[] ones = new float[c];
        Arrays.fill(ones, 1f);
        Variable<TFloat32> gamma = param(name + "/gamma", new long[] {c}, ones);
        Variable<TFloat32> beta = param(name + "/beta", new long[] {c}, new float[c]);
        return tf.nn.biasAdd(tf.math.mul(normed, gamma), beta);
    }

    private Operand<TFloat32> silu(Operand<TFloat32> x) {
        return tf.math.mul(x, tf.math.sigmoid(x));
    }

    private Operand<TFloat32> conv(String name, Operand<TFloat32> x, int k, int cin, int cout, int stride, boolean zeroInit) {
        float[] w = new float[k * k * cin * cout];
        if (!zeroInit) {
            double std = Math.sqrt(2.0 / (k * k * cin));
            // the second conv of a residual block starts small so blocks begin near identity
            if (name.endsWith("/conv2")) std *= 0.2;
            for (int i = 0; i < w.length; i++) w[i] = (float) (std * StandardNormal.draw(initRng));
        }
        Variable<TFloat32> kernel = param(name + "/kernel", new long[] {k, k, cin, cout}, w);
        Variable<TFloat32> bias = param(name + "/bias", new long[] {cout}, new float[cout]);
        return tf.nn.biasAdd(tf.nn.conv2d(x, kernel, List.of(1L, (long) stride, (long) stride, 1L), "SAME"), bias);
    }

    private Operand<TFloat32> dense(String name, Operand<TFloat32> x, int in, int out) {
        return dense(name, x, in, out, false);
    }

    private Operand<TFloat32> dense(String name, Operand<TFloat32> x, int in, int out, boolean zeroInit) {
        float[] w = new float[in * out];
        double std = Math.sqrt(1.0 / in);
        if (!zeroInit) for (int i = 0; i < w.length; i++) w[i] = (float) (std * StandardNormal.draw(initRng));
        Variable<TFloat32> kernel = param(name + "/kernel", new long[] {in, out}, w);
        Variable<TFloat32> bias = param(name + "/bias", new long[] {out}, new float[out]);
        return tf.nn.biasAdd(tf.linalg.matMul(x, kernel), bias);
    }

    /** Whether a parameter belongs to the texture input (its projections into the embedding and the blocks). */
    public static boolean isTextureParameter(String name) {
        return name.contains(TEXTURE_PARAMETER_MARK);
    }

    // every texture projection's name carries this mark ("emb/texture", "<block>/texture_scale", "<block>/texture_shift")
    private static final String TEXTURE_PARAMETER_MARK = "/texture";

    // texture [N, textureChannels] times a zero-initialized kernel, no bias: exactly 0 for white noise (texture 0),
    // so a network with the texture input computes what the one without it did on white noise, whatever it learns
    private Operand<TFloat32> textureProjection(String name, int out) {
        Variable<TFloat32> kernel = param(name + "/kernel", new long[] {config.textureChannels(), out},
                new float[config.textureChannels() * out]);
        return tf.linalg.matMul(texture, kernel);
    }

    private Variable<TFloat32> param(String name, long[] shape, float[] init) {
        Variable<TFloat32> v = factory.create(tf, "unet/" + name, shape, init);
        parameters.add(new Parameter("unet/" + name, shape, v));
        return v;
    }

    /** A factory whose variables start at the given initial values (used for training). */
    public static ParameterFactory initialized() {
        return (tf, name, shape, init) -> named(tf, name).variable(
                tf.constant(Shape.of(shape), DataBuffers.of(init, true, false)));
    }

    /** A factory whose variables start at zero, to be assigned later (used for export). */
    public static ParameterFactory zeros() {
        return (tf, name, shape, init) -> named(tf, name).variable(tf.zeros(tf.constant(Shape.of(shape).asArray()), TFloat32.class));
    }

    /** Ops whose next op gets the full slash-separated {@code name} (sub-scopes for all but the last part). */
    public static Ops named(Ops tf, String name) {
        int slash = name.lastIndexOf('/');
        if (slash < 0) return tf.withName(name);
        return scope(tf, name.substring(0, slash)).withName(name.substring(slash + 1));
    }

    // Ops.withSubScope scans every operation of the graph, so sub-scopes are made once per path and reused:
    // without this, naming the training graph's ~450 variables took minutes.
    private static final Map<Ops, Map<String, Ops>> SCOPES = new java.util.WeakHashMap<>();

    private static synchronized Ops scope(Ops tf, String path) {
        Map<String, Ops> cache = SCOPES.computeIfAbsent(tf, k -> new java.util.HashMap<>());
        Ops cached = cache.get(path);
        if (cached != null) return cached;
        int slash = path.lastIndexOf('/');
        Ops parent = slash < 0 ? tf : scope(tf, path.substring(0, slash));
        Ops scoped = parent.withSubScope(path.substring(slash + 1));
        cache.put(path, scoped);
        return scoped;
    }

    /** Names of the parameters in creation order, for checkpoints. */
    public Map<String, Parameter> parametersByName() {
        Map<String, Parameter> m = new LinkedHashMap<>();
        for (Parameter p : parameters) m.put(p.name(), p);
        return m;
    }
}
