package org.diffdenoise.model.tf;

import java.io.IOException;
import java.nio.file.Path;

import org.diffdenoise.model.BundleMetadata;
import org.diffdenoise.model.DenoisingNetwork;
import org.diffdenoise.model.ModelBundle;

/**
 * The TensorFlow side of a model bundle, for the code that composes the application (pipeline's registry, cli,
 * train, bench): a bundle loaded with its SavedModel's serving signature checked too, and its network opened.
 */
public final class TfNetworks {

    /** Intra-op threads of {@link #open(ModelBundle)}. */
    static final int DEFAULT_THREADS = 2;

    private TfNetworks() {
    }

    /**
     * {@link ModelBundle#load} plus the serving signature of its saved_model.pb, without starting TensorFlow.
     *
     * @throws IOException when the bundle is missing, corrupt or has the wrong signature; the message says which
     */
    public static ModelBundle load(Path dir) throws IOException {
        return checked(ModelBundle.load(dir));
    }

    /** The shipped bundle, checked like {@link #load}. */
    public static ModelBundle loadDefault() throws IOException {
        return checked(ModelBundle.loadDefault());
    }

    /**
     * A bundle folder, the shipped bundle when {@code dir} is null, or a bundle shipped under a name
     * ({@link ModelBundle#SHIPPED}), checked like {@link #load}.
     */
    public static ModelBundle loadOrDefault(Path dir) throws IOException {
        if (dir == null) return loadDefault();
        String shipped = ModelBundle.shippedResource(dir);
        return shipped != null ? checked(ModelBundle.loadResource(shipped)) : load(dir);
    }

    private static ModelBundle checked(ModelBundle b) throws IOException {
        SavedModelSignature.verify(b.directory(), b.metadata());
        return b;
    }

    /** Opens the network on the default device (GPU when one is visible to TensorFlow), 2 intra-op threads. */
    public static DenoisingNetwork open(ModelBundle b) throws IOException {
        return open(b, DEFAULT_THREADS);
    }

    /**
     * Opens the network with a given number of intra-op threads; the caller closes it. The signature is checked
     * first (again, when the bundle came from {@link #load}: a few milliseconds), so a bundle loaded by
     * {@link ModelBundle#load} alone never runs unchecked.
     *
     * @throws IOException           when the signature does not match
     * @throws IllegalStateException when the SavedModel loads but does not run (see {@link TfDenoisingNetwork#probe})
     */
    public static DenoisingNetwork open(ModelBundle b, int intraOpThreads) throws IOException {
        SavedModelSignature.verify(b.directory(), b.metadata());
        return open(b.directory(), b.metadata(), intraOpThreads);
    }

    /** Opens the network and runs it once on a tiny input (see {@link TfDenoisingNetwork#probe}). */
    static TfDenoisingNetwork open(Path dir, BundleMetadata metadata, int intraOpThreads) {
        TfDenoisingNetwork net = new TfDenoisingNetwork(dir, metadata, intraOpThreads);
        try {
            net.probe(dir);
            return net;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }
}
