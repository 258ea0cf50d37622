package org.diffdenoise.node.pixelmed;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.AnyExplicitStorePresentationContextSelectionPolicy;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CEchoResponseCommandMessage;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.CStoreResponseCommandMessage;
import com.pixelmed.network.ResponseStatus;

import org.diffdenoise.node.NodeLog;
import org.diffdenoise.node.ReceivedInstance;
import org.diffdenoise.node.ReceivedInstanceSink;
import org.diffdenoise.node.StorageListener;

/** A Storage SCP on PixelMed's association layer: one thread per association, durable before each response. */
final class PixelMedStorageListener implements StorageListener {
    /** C-STORE failure: Cannot understand (PS3.4 B.2.3). */
    static final int STATUS_CANNOT_UNDERSTAND = 0xC000;
    /** C-STORE failure: Data Set does not match SOP Class. */
    static final int STATUS_DATASET_MISMATCH = 0xA900;
    /** C-STORE failure: Refused, out of resources. */
    static final int STATUS_OUT_OF_RESOURCES = 0xA700;
    private static final int ASSOCIATE_RQ = 0x01;
    private static final int MAX_ASSOCIATE_RQ = 1 << 20;

    private final ServerSocket server;
    private final String aeTitle;
    private final BiPredicate<String, InetAddress> acceptCaller;
    private final Path incoming;
    private final ReceivedInstanceSink sink;
    private final Consumer<String> log;
    private final ExecutorService associations = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dicom-association");
        t.setDaemon(true);
        return t;
    });
    private final Thread acceptor;
    private volatile boolean closed;

    PixelMedStorageListener(int port, String aeTitle, BiPredicate<String, InetAddress> acceptCaller, Path incoming,
                            ReceivedInstanceSink sink, Consumer<String> log) throws IOException {
        this.server = new ServerSocket(port);
        this.aeTitle = aeTitle;
        this.acceptCaller = acceptCaller;
        this.incoming = incoming;
        this.sink = sink;
        this.log = log;
        this.acceptor = new Thread(this::acceptLoop, "dicom-listener-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @Override
    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        associations.shutdownNow();
        try {
            associations.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                associations.execute(() -> serve(s));
            } catch (IOException e) {
                if (!closed) log.accept("listener: " + e.getMessage());
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        String peer = socket.getInetAddress().getHostAddress();
        try (socket) {
            socket.setSoTimeout(30_000);
            byte[] request = readAssociateRequest(socket.getInputStream());
            if (request == null) return;
            String calling = new String(request, 26, 16, StandardCharsets.US_ASCII).trim();
            if (!acceptCaller.test(calling, socket.getInetAddress())) {
                log.accept("association from " + NodeLog.escape(calling) + " at " + peer
                        + " rejected: calling AE title not accepted");
                reject(socket.getOutputStream());
                return;
            }
            PreReadSocket replay = new PreReadSocket(socket, request);
            Association association = AssociationFactory.createNewAssociation(replay, aeTitle,
                    new AnyExplicitStorePresentationContextSelectionPolicy());
            Outcomes outcomes = new Outcomes();
            try {
                while (!closed && serveOneRequest(association, outcomes)) {
                    // next request message of this association
                }
            } catch (AReleaseException released) {
                // normal end of the association
            } finally {
                outcomes.report(sink);
            }
        } catch (Exception e) {
            if (!closed) log.accept("association from " + peer + " ended: " + NodeLog.escape(reason(e)));
        }
    }

    /**
     * What one association stored: the series it brought instances of, and the instances refused for lack of resources,
     * reported to the sink as soon as a series is known to go with them (a refused instance's own series is unknown).
     */
    private static final class Outcomes {
        final Set<String> series = new LinkedHashSet<>();
        final Set<String> refused = new LinkedHashSet<>();

        void report(ReceivedInstanceSink sink) {
            if (refused.isEmpty() || series.isEmpty()) return;
            sink.refused(Set.copyOf(series), Set.copyOf(refused));
            refused.clear();
        }
    }

    /** An exception's message without the Java class names PixelMed puts into its messages. */
    static String reason(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\b(?:[a-z_][\\w]*\\.)+[A-Z]\\w*(?:Exception|Error):\\s*", "").trim();
    }

    /** Reads the first PDU; null (connection closed) unless it is an A-ASSOCIATE-RQ of a sane size. */
    private static byte[] readAssociateRequest(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] header = new byte[6];
        data.readFully(header);
        long length = ((header[2] & 0xffL) << 24) | ((header[3] & 0xff) << 16) | ((header[4] & 0xff) << 8) | (header[5] & 0xff);
        if ((header[0] & 0xff) != ASSOCIATE_RQ || length < 68 || length > MAX_ASSOCIATE_RQ) return null;
        byte[] pdu = new byte[6 + (int) length];
        System.arraycopy(header, 0, pdu, 0, 6);
        data.readFully(pdu, 6, (int) length);
        return pdu;
    }

    /** A-ASSOCIATE-RJ: rejected-permanent, by the service user, calling AE title not recognized (PS3.8 9.3.4). */
    private static void reject(OutputStream out) throws IOException {
        out.write(new byte[] {0x03, 0, 0, 0, 0, 4, 0, 1, 1, 3});
        out.flush();
    }

    private boolean serveOneRequest(Association association, Outcomes outcomes) throws Exception {
        StoreRequestReceiver receiver = new StoreRequestReceiver(incoming);
        association.setReceivedDataHandler(receiver);
        try {
            association.waitForPDataPDUsUntilHandlerReportsDone();
        } catch (Exception e) {
            receiver.discard();
            throw e;
        }
        byte pc = receiver.presentationContextId();
        if (receiver.echo() != null) {
            association.send(pc, new CEchoResponseCommandMessage(receiver.echo().getAffectedSOPClassUID(),
                    receiver.echo().getMessageID(), ResponseStatus.Success).getBytes(), null);
            return true;
        }
        CStoreRequestCommandMessage rq = receiver.store();
        int status = take(receiver, rq, association.getCallingAETitle(), outcomes);
        outcomes.report(sink);
        association.send(pc, new CStoreResponseCommandMessage(rq.getAffectedSOPClassUID(), rq.getAffectedSOPInstanceUID(),
                rq.getMessageID(), status).getBytes(), null);
        return true;
    }

    /** Checks the received instance and hands it to the sink; the C-STORE status to answer. */
    private int take(StoreRequestReceiver receiver, CStoreRequestCommandMessage rq, String callingAe, Outcomes outcomes) {
        Path file = receiver.file();
        String sop = rq.getAffectedSOPInstanceUID();
        if (file == null) {
            log.accept("instance " + NodeLog.escape(sop) + " from " + NodeLog.escape(callingAe) + " refused: " + receiver.failure());
            receiver.discard();
            outcomes.refused.add(sop);
            return STATUS_OUT_OF_RESOURCES;
        }
        String problem;
        int status = STATUS_CANNOT_UNDERSTAND;
        AttributeList list = new AttributeList();
        try (DicomInputStream in = new DicomInputStream(file.toFile())) {
            // headers only: decoding the pixels here would refuse what the reader decodes later through dcmtk
            list.read(in, TagFromName.PixelData);
            String series = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SeriesInstanceUID);
            String study = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyInstanceUID);
            String sopInData = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID);
            String classInData = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPClassUID);
            if (series.isEmpty()) problem = "no Series Instance UID";
            else if (study.isEmpty()) problem = "no Study Instance UID";
            else if (!sopInData.equals(sop)) problem = "SOP Instance UID in the data set (" + sopInData
                    + ") differs from the C-STORE request's";
            else if (!classInData.equals(rq.getAffectedSOPClassUID())) {
                problem = "SOP Class UID in the data set (" + classInData + ") differs from the C-STORE request's";
                status = STATUS_DATASET_MISMATCH;
            } else {
                sink.store(new ReceivedInstance(rq.getAffectedSOPClassUID(), sop, series, study, callingAe, file));
                outcomes.series.add(series);
                return ResponseStatus.Success;
            }
        } catch (IOException e) {
            problem = "not stored: " + reason(e);
            status = STATUS_OUT_OF_RESOURCES;
            outcomes.refused.add(sop);
        } catch (Exception e) {
            problem = "cannot be read: " + reason(e);
        }
        log.accept("instance " + NodeLog.escape(sop) + " from " + NodeLog.escape(callingAe) + " refused: "
                + NodeLog.escape(problem));
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // incoming/ is emptied at the next start
        }
        return status;
    }

}
