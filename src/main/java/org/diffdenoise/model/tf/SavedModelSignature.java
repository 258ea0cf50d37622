package org.diffdenoise.model.tf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.diffdenoise.model.BundleMetadata;
import org.diffdenoise.model.ModelSignature;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Checks a SavedModel's serving signature against {@link ModelSignature} by reading saved_model.pb (no TensorFlow
 * session), so an incompatible bundle fails with what was expected and what was found.
 */
final class SavedModelSignature {

    /** Expected signature, for error messages. */
    static final String EXPECTED = "inputs x_t float32 [N,H,W,1], cond float32 [N,H,W," + ModelSignature.CONDITION_CHANNELS
            + "], t float32 [N], alpha_bar float32 [N], family float32 [N," + ModelSignature.FAMILY_CHANNELS
            + "], optionally texture float32 [N,k] (k from 1 to " + ModelSignature.TEXTURE_CHANNELS + "); output x0 float32 [N,H,W,1]";

    private SavedModelSignature() {
    }

    /** @throws IOException naming the bundle folder and what differs */
    static void verify(Path dir, BundleMetadata meta) throws IOException {
        String where = "model bundle " + dir;
        SignatureDef sig = signature(dir, meta.tags(), meta.signatureKey());
        int c = ModelSignature.CONDITION_CHANNELS;
        checkTensor(where, "input", sig.getInputsMap(), ModelSignature.X_T, new long[] {-1, -1, -1, 1});
        checkTensor(where, "input", sig.getInputsMap(), ModelSignature.COND, new long[] {-1, -1, -1, c});
        checkTensor(where, "input", sig.getInputsMap(), ModelSignature.T, new long[] {-1});
        checkTensor(where, "input", sig.getInputsMap(), ModelSignature.ALPHA_BAR, new long[] {-1});
        checkTensor(where, "input", sig.getInputsMap(), ModelSignature.FAMILY, new long[] {-1, ModelSignature.FAMILY_CHANNELS});
        int texture = textureChannels(where, sig);
        if (texture != meta.textureChannels())
            throw new IOException(where + ": its SavedModel takes " + (texture > 0 ? texture + " numbers of" : "no") + " '"
                    + ModelSignature.TEXTURE + "' input but its " + BundleMetadata.FILE_NAME + " says "
                    + (meta.textureChannels() > 0 ? meta.textureChannels() : "nothing of it") + "; seal it again (diffdenoise model seal)");
        checkTensor(where, "output", sig.getOutputsMap(), ModelSignature.X0, new long[] {-1, -1, -1, 1});
    }

    /** How many texture numbers the SavedModel's serving signature takes (0: no texture input). */
    static int textureChannels(Path dir, List<String> tags, String key) throws IOException {
        return textureChannels("model bundle " + dir, signature(dir, tags, key));
    }

    private static int textureChannels(String where, SignatureDef sig) throws IOException {
        if (!sig.getInputsMap().containsKey(ModelSignature.TEXTURE)) return 0;
        checkTensor(where, "input", sig.getInputsMap(), ModelSignature.TEXTURE, new long[] {-1, -1});
        TensorShapeProto s = sig.getInputsMap().get(ModelSignature.TEXTURE).getTensorShape();
        long k = s.getUnknownRank() ? -1 : s.getDim(1).getSize();
        if (!ModelSignature.acceptsTextureWidth(k))
            throw new IOException(where + ": input '" + ModelSignature.TEXTURE + "' has shape " + describe(s) + ", expected [N,k] with k from 1 to "
                    + ModelSignature.TEXTURE_CHANNELS + " (" + EXPECTED + ")");
        return (int) k;
    }

    private static SignatureDef signature(Path dir, List<String> metaTags, String metaKey) throws IOException {
        String where = "model bundle " + dir;
        List<String> tags = metaTags == null || metaTags.isEmpty() ? List.of("serve") : metaTags;
        String key = metaKey == null ? "serving_default" : metaKey;
        SavedModel sm;
        try (InputStream in = Files.newInputStream(dir.resolve("saved_model.pb"))) {
            sm = SavedModel.parseFrom(in);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IOException(where + ": saved_model.pb is not a SavedModel: " + e.getMessage(), e);
        }
        MetaGraphDef mg = null;
        for (MetaGraphDef m : sm.getMetaGraphsList())
            if (m.getMetaInfoDef().getTagsList().containsAll(tags)) mg = m;
        if (mg == null) throw new IOException(where + ": no meta graph with tags " + tags);
        SignatureDef sig = mg.getSignatureDefMap().get(key);
        if (sig == null)
            throw new IOException(where + ": no signature '" + key + "' (found " + mg.getSignatureDefMap().keySet()
                    + "); expected " + EXPECTED);
        return sig;
    }

    // expected: -1 = any size; a known size must match
    private static void checkTensor(String where, String kind, Map<String, TensorInfo> map, String name, long[] expected)
            throws IOException {
        TensorInfo ti = map.get(name);
        if (ti == null)
            throw new IOException(where + ": signature has no " + kind + " '" + name + "' (found " + map.keySet()
                    + "); expected " + EXPECTED);
        if (ti.getDtype() != DataType.DT_FLOAT)
            throw new IOException(where + ": " + kind + " '" + name + "' has dtype " + ti.getDtype() + ", expected float32");
        TensorShapeProto shape = ti.getTensorShape();
        String found = describe(shape);
        if (shape.getUnknownRank()) return;
        boolean ok = shape.getDimCount() == expected.length;
        for (int i = 0; ok && i < expected.length; i++) {
            long d = shape.getDim(i).getSize();
            if (expected[i] >= 0 && d >= 0 && d != expected[i]) ok = false;
        }
        if (!ok)
            throw new IOException(where + ": " + kind + " '" + name + "' has shape " + found + ", expected "
                    + describe(expected) + " (" + EXPECTED + ")");
    }

    private static String describe(TensorShapeProto s) {
        if (s.getUnknownRank()) return "unknown";
        long[] d = new long[s.getDimCount()];
        for (int i = 0; i < d.length; i++) d[i] = s.getDim(i).getSize();
        return describe(d);
    }

    private static String describe(long[] d) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < d.length; i++) b.append(i > 0 ? "," : "").append(d[i] < 0 ? "?" : String.valueOf(d[i]));
        return b.append(']').toString();
    }
}
