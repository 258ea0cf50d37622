package org.diffdenoise.model.tf;

import org.diffdenoise.model.BundleMetadata;
import org.diffdenoise.model.DenoisingNetwork;
import org.diffdenoise.model.ModelSignature;
import org.diffdenoise.model.NoiseSchedule;
import org.diffdenoise.model.NoiseTexture;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bytedeco.javacpp.BytePointer;
import org.diffdenoise.api.NoiseFamily;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Tensor;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.types.TFloat32;

import static org.tensorflow.internal.c_api.global.tensorflow.*;

/**
 * Runs a model bundle's SavedModel signature through TensorFlow Java: the {@link DenoisingNetwork} the diffusion
 * sampler calls. Large batches are split so one call never holds more than {@link #MAX_PIXELS_PER_CALL} pixels; every
 * tensor is closed after each call, so repeated calls do not grow native memory.
 */
public final class TfDenoisingNetwork implements DenoisingNetwork {

    /** Upper bound on N*H*W per session call (about 64 MB of conditioning input). */
    public static final long MAX_PIXELS_PER_CALL = 4L << 20;

    private static volatile String detectedDevice;

    private final SavedModelBundle bundle;
    private final SessionFunction function;
    private final BundleMetadata metadata;
    private final int[] familyIndex;
    private final int textureChannels;
    private volatile boolean closed;

    TfDenoisingNetwork(Path dir, BundleMetadata metadata, int intraOpThreads) {
        this.metadata = metadata;
        this.bundle = SavedModelBundle.loader(dir.toString()).withTags(metadata.tags().toArray(String[]::new))
                .withConfigProto(config(intraOpThreads)).load();
        this.function = bundle.function(metadata.signatureKey());
        textureChannels = metadata.textureChannels();
        familyIndex = new int[NoiseFamily.values().length];
        for (NoiseFamily f : NoiseFamily.values()) {
            int i = metadata.noiseFamilies() == null ? ModelSignature.familyIndex(f) : metadata.noiseFamilies().indexOf(f.name());
            familyIndex[f.ordinal()] = i;
        }
    }

    /**
     * Runs the network once on a tiny all-zero batch, so a SavedModel whose variables TensorFlow's C API cannot
     * restore fails when it is opened, with a message that says why, not halfway through a batch run.
     *
     * @throws IllegalStateException naming the bundle and the likely cause
     */
    void probe(Path dir) {
        int m = sizeMultiple(), c = conditionChannels();
        try {
            predictX0(1, m, m, new float[m * m], new float[m * m * c], new float[] {0.1f}, NoiseFamily.RICIAN_MR);
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage());
            String hint = msg.contains("Could not find variable") || msg.contains("uninitialized")
                    ? " TensorFlow's C API did not restore the model's variables. Keras 3 models saved with "
                      + "tf.saved_model.save (a tf.Module holding Keras layers) show this; export them with "
                      + "keras.export.ExportArchive instead, with an endpoint \"serving_default\" returning {\"x0\": ...} (docs/model.md, 'Bringing your own model')."
                    : "";
            String first = msg.lines().findFirst().orElse(msg).strip();
            if (first.endsWith(".")) first = first.substring(0, first.length() - 1);
            throw new IllegalStateException("model bundle " + dir + " loads but does not run: " + first + "." + hint, e);
        }
    }

    static ConfigProto config(int intraOpThreads) {
        return ConfigProto.newBuilder().setIntraOpParallelismThreads(Math.max(1, intraOpThreads))
                .setInterOpParallelismThreads(1)
                .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true)).build();
    }

    /** The bundle's noise schedule. */
    public NoiseSchedule schedule() {
        return metadata.schedule().toNoiseSchedule();
    }

    @Override
    public float[] predictX0(int n, int h, int w, float[] xt, float[] cond, float[] t, NoiseFamily family) {
        return predictX0(n, h, w, xt, cond, t, family, null);
    }

    @Override
    public boolean takesTexture() {
        return textureChannels > 0;
    }

    @Override
    public float[] predictX0(int n, int h, int w, float[] xt, float[] cond, float[] t, NoiseFamily family, float[] texture) {
        if (closed) throw new IllegalStateException("network is closed");
        int m = sizeMultiple(), c = conditionChannels();
        if (n < 1 || h < m || w < m || h % m != 0 || w % m != 0)
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "batch %d x %d x %d: height and width must be positive multiples of %d", n, h, w, m));
        long px = (long) h * w;
        if (xt.length != n * px || cond.length != n * px * c || t.length != n)
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "array sizes do not match n=%d h=%d w=%d: x_t %d (expected %d), cond %d (expected %d), t %d",
                    n, h, w, xt.length, n * px, cond.length, n * px * c, t.length));
        int tc = ModelSignature.TEXTURE_CHANNELS;
        if (texture != null && texture.length != n * tc)
            throw new IllegalArgumentException("texture has " + texture.length + " values, expected " + n * tc);
        NoiseSchedule schedule = schedule();
        float[] out = new float[xt.length];
        int chunk = (int) Math.max(1, Math.min(n, MAX_PIXELS_PER_CALL / px));
        for (int start = 0; start < n; start += chunk) {
            int k = Math.min(chunk, n - start);
            float[] ab = new float[k], tt = new float[k], fam = new float[k * ModelSignature.FAMILY_CHANNELS];
            for (int i = 0; i < k; i++) {
                tt[i] = t[start + i];
                int step = (int) Math.round(tt[i] * schedule.timesteps());
                ab[i] = (float) schedule.alphaBar(Math.max(0, Math.min(schedule.timesteps(), step)));
                fam[i * ModelSignature.FAMILY_CHANNELS + familyIndex[family.ordinal()]] = 1f;
            }
            Map<String, Tensor> in = new HashMap<>();
            try {
                in.put(UNetGraph.X_T, TFloat32.tensorOf(Shape.of(k, h, w, 1),
                        DataBuffers.of(xt, true, false).slice(start * px, k * px)));
                in.put(UNetGraph.COND, TFloat32.tensorOf(Shape.of(k, h, w, c),
                        DataBuffers.of(cond, true, false).slice(start * px * c, k * px * c)));
                in.put(UNetGraph.T, TFloat32.tensorOf(Shape.of(k), DataBuffers.of(tt, true, false)));
                in.put(UNetGraph.ALPHA_BAR, TFloat32.tensorOf(Shape.of(k), DataBuffers.of(ab, true, false)));
                in.put(UNetGraph.FAMILY, TFloat32.tensorOf(Shape.of(k, ModelSignature.FAMILY_CHANNELS), DataBuffers.of(fam, true, false)));
                if (takesTexture()) {
                    float[] tex = NoiseTexture.firstChannels(texture, start, k, textureChannels);
                    in.put(UNetGraph.TEXTURE, TFloat32.tensorOf(Shape.of(k, textureChannels), DataBuffers.of(tex, true, false)));
                }
                try (Result r = function.call(in)) {
                    TFloat32 x0 = (TFloat32) r.get(UNetGraph.X0).orElseThrow(
                            () -> new IllegalStateException("model returned no '" + UNetGraph.X0 + "' output"));
                    if (x0.shape().size() != k * px)
                        throw new IllegalStateException("model returned x0 of shape " + x0.shape() + " for input "
                                + k + "x" + h + "x" + w);
                    x0.copyTo(DataBuffers.of(out, false, false).slice(start * px, k * px));
                }
            } finally {
                in.values().forEach(Tensor::close);
            }
        }
        return out;
    }

    @Override
    public int conditionChannels() {
        return metadata.conditionChannels();
    }

    @Override
    public int sizeMultiple() {
        return metadata.sizeMultiple();
    }

    @Override
    public String device() {
        String d = detectedDevice;
        if (d == null) detectedDevice = d = detectDevice();
        return d;
    }

    /** "GPU:0" when TensorFlow sees a GPU (GPU native library and a visible device), else "CPU". */
    static String detectDevice() {
        TF_Status status = TF_NewStatus();
        TF_Graph graph = TF_NewGraph();
        TF_SessionOptions opts = TF_NewSessionOptions();
        try {
            byte[] cfg = config(1).toByteArray();
            try (BytePointer p = new BytePointer(cfg)) {
                TF_SetConfig(opts, p, cfg.length, status);
            }
            TF_Session session = TF_NewSession(graph, opts, status);
            if (TF_GetCode(status) != 0 || session == null) return "CPU";
            try {
                TF_DeviceList list = TF_SessionListDevices(session, status);
                if (TF_GetCode(status) != 0 || list == null) return "CPU";
                try {
                    List<String> gpus = new ArrayList<>();
                    for (int i = 0; i < TF_DeviceListCount(list); i++) {
                        BytePointer type = TF_DeviceListType(list, i, status);
                        if (type != null && "GPU".equals(type.getString())) gpus.add(TF_DeviceListName(list, i, status).getString());
                    }
                    return gpus.isEmpty() ? "CPU" : "GPU:0";
                } finally {
                    TF_DeleteDeviceList(list);
                }
            } finally {
                TF_CloseSession(session, status);
                TF_DeleteSession(session, status);
            }
        } finally {
            TF_DeleteSessionOptions(opts);
            TF_DeleteGraph(graph);
            TF_DeleteStatus(status);
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        bundle.close();
    }
}
