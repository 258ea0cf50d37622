package org.diffdenoise.node.pixelmed;

import java.io.ByteArrayInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.Association;
import com.pixelmed.network.CEchoRequestCommandMessage;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.MessageServiceElementCommand;
import com.pixelmed.network.PDataPDU;
import com.pixelmed.network.PresentationDataValue;

/**
 * Receives one request message (C-ECHO or C-STORE) of an association. A C-STORE data set is streamed into a
 * temporary Part 10 file and fsynced, so that the response is sent only after the node owns a durable copy
 * (PixelMed's own StorageSOPClassSCP neither syncs the file nor can answer with a failure status).
 */
final class StoreRequestReceiver extends CompositeResponseHandler {
    private final Path incoming;
    private byte[] command;
    private CEchoRequestCommandMessage echo;
    private CStoreRequestCommandMessage store;
    private byte presentationContextId;
    private Path file;
    private FileOutputStream fileOut;
    private OutputStream out;
    private String failure;

    StoreRequestReceiver(Path incoming) {
        this.incoming = incoming;
    }

    @Override
    public void sendPDataIndication(PDataPDU pdata, Association association)
            throws DicomNetworkException, DicomException, IOException {
        for (Object o : pdata.getPDVList()) {
            PresentationDataValue pdv = (PresentationDataValue) o;
            presentationContextId = pdv.getPresentationContextID();
            if (pdv.isCommand()) {
                command = concat(command, pdv.getValue());
                if (pdv.isLastFragment()) startCommand(association);
            } else if (store != null) {
                writeData(pdv.getValue());
                if (pdv.isLastFragment()) {
                    finishFile();
                    setDone(true);
                }
            }
        }
    }

    private void startCommand(Association association) throws DicomNetworkException, DicomException, IOException {
        AttributeList list = new AttributeList();
        list.read(new DicomInputStream(new ByteArrayInputStream(command), TransferSyntax.Default, false));
        int field = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.CommandField, 0xffff);
        if (field == MessageServiceElementCommand.C_ECHO_RQ) {
            echo = new CEchoRequestCommandMessage(list);
            setDone(true);
        } else if (field == MessageServiceElementCommand.C_STORE_RQ) {
            store = new CStoreRequestCommandMessage(list);
            String ts = association.getTransferSyntaxForPresentationContextID(presentationContextId);
            try {
                file = Files.createTempFile(incoming, "receiving-", ".dcm");
                fileOut = new FileOutputStream(file.toFile());
                out = new java.io.BufferedOutputStream(fileOut, 1 << 16);
                DicomOutputStream meta = new DicomOutputStream(out, TransferSyntax.ExplicitVRLittleEndian, null);
                new FileMetaInformation(store.getAffectedSOPClassUID(), store.getAffectedSOPInstanceUID(), ts,
                        association.getCallingAETitle()).getAttributeList().write(meta);
                meta.flush();
            } catch (IOException | DicomException e) {
                fail("cannot write the received instance: " + e.getMessage());
            }
        } else {
            throw new DicomNetworkException("unsupported command " + MessageServiceElementCommand.toString(field));
        }
    }

    private void writeData(byte[] bytes) {
        if (out == null) return;
        try {
            out.write(bytes);
        } catch (IOException e) {
            fail("cannot write the received instance: " + e.getMessage());
        }
    }

    private void finishFile() {
        if (out == null) return;
        try {
            out.flush();
            fileOut.getFD().sync();
            out.close();
        } catch (IOException e) {
            fail("cannot write the received instance: " + e.getMessage());
        } finally {
            out = null;
        }
    }

    private void fail(String reason) {
        if (failure == null) failure = reason;
        closeQuietly();
    }

    /** Closes and deletes a partly written file (association aborted, write failed). */
    void discard() {
        closeQuietly();
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // incoming/ is emptied at the next start
            }
        }
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // already failing
            }
            out = null;
        }
    }

    CEchoRequestCommandMessage echo() {
        return echo;
    }

    CStoreRequestCommandMessage store() {
        return store;
    }

    byte presentationContextId() {
        return presentationContextId;
    }

    /** The fsynced file of a C-STORE, or null when writing it failed ({@link #failure()} says why). */
    Path file() {
        return failure == null ? file : null;
    }

    String failure() {
        return failure;
    }

    @Override
    protected void evaluateStatusAndSetSuccess(AttributeList list) {
        // requests only: there is no response status to evaluate
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (a == null) return b;
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
