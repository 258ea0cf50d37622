package org.diffdenoise.node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiPredicate;

import java.net.InetAddress;

/** The DICOM network services the node needs (Storage SCP and SCU, Verification), implemented by a toolkit. */
public interface DicomNetwork {

    /**
     * Starts a Storage SCP (C-STORE, C-ECHO) on {@code port} (0: any free port) with {@code aeTitle}.
     *
     * @param acceptCaller decides from the calling AE title and address whether an association is accepted;
     *                     others are rejected at association (A-ASSOCIATE-RJ, calling AE title not recognized)
     * @param incoming     the folder for instances being received (same file system as the queue)
     * @param sink         takes every complete instance before the C-STORE response is sent
     */
    StorageListener listen(int port, String aeTitle, BiPredicate<String, InetAddress> acceptCaller, Path incoming,
                           ReceivedInstanceSink sink) throws IOException;

    /** Sends {@code files} to {@code destination} by C-STORE; returns only when every instance was stored. */
    void send(DicomDestination destination, String callingAeTitle, List<Path> files) throws IOException;
}
