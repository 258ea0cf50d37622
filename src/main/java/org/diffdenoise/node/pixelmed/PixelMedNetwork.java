package org.diffdenoise.node.pixelmed;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.logging.Logger;

import com.pixelmed.dicom.SetOfDicomFiles;
import com.pixelmed.network.MultipleInstanceTransferStatusHandler;
import com.pixelmed.network.StorageSOPClassSCU;

import org.diffdenoise.node.DicomDestination;
import org.diffdenoise.node.DicomNetwork;
import org.diffdenoise.node.ReceivedInstanceSink;
import org.diffdenoise.node.StorageListener;

/** The node's DICOM network services on PixelMed: a Storage SCP and a C-STORE SCU. */
public final class PixelMedNetwork implements DicomNetwork {
    /**
     * PixelMed's network classes log aborted associations with stack traces through java.util.logging; the node
     * logs each event itself in one line, so theirs are kept off the console (held here: loggers are weakly kept).
     */
    private static final Logger PIXELMED_NETWORK_LOG = Logger.getLogger("com.pixelmed.network");

    static {
        PIXELMED_NETWORK_LOG.setUseParentHandlers(false);
    }

    private final Consumer<String> log;

    /** @param log receives one line per network event */
    public PixelMedNetwork(Consumer<String> log) {
        this.log = log;
    }

    @Override
    public StorageListener listen(int port, String aeTitle, BiPredicate<String, InetAddress> acceptCaller, Path incoming,
                                  ReceivedInstanceSink sink) throws IOException {
        return new PixelMedStorageListener(port, aeTitle, acceptCaller, incoming, sink, log);
    }

    @Override
    public void send(DicomDestination destination, String callingAeTitle, List<Path> files) throws IOException {
        if (files.isEmpty()) return;
        SetOfDicomFiles set = new SetOfDicomFiles();
        for (Path f : files) set.add(f.toFile());
        Counts counts = new Counts();
        try {
            StorageSOPClassSCU scu = new StorageSOPClassSCU(destination.host(), destination.port(), destination.aeTitle(),
                    callingAeTitle, set, 0, counts);
            if (scu.encounteredTrappedExceptions())
                throw new IOException(counts.completed + counts.warning == 0
                        ? "no association (destination down, refusing, or aborted)"
                        : "the association broke off after " + (counts.completed + counts.warning) + " of " + files.size()
                        + " instance(s)");
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(PixelMedStorageListener.reason(e), e);
        }
        if (counts.failed > 0 || counts.completed + counts.warning < files.size())
            throw new IOException("stored " + (counts.completed + counts.warning) + " of " + files.size()
                    + " instance(s) (" + counts.failed + " failed)");
    }

    /** Counts the SCU's per-instance outcomes. */
    private static final class Counts extends MultipleInstanceTransferStatusHandler {
        int completed;
        int failed;
        int warning;

        @Override
        public void updateStatus(int remaining, int completed, int failed, int warning, String sopInstanceUid) {
            this.completed = completed;
            this.failed = failed;
            this.warning = warning;
        }
    }
}
