package org.diffdenoise.dicom.pixelmed;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

import org.diffdenoise.dicom.DerivationCodes;
import org.diffdenoise.dicom.Provenance;
import org.diffdenoise.dicom.ProvenanceText;
import org.diffdenoise.dicom.SourceImageRef;
import org.diffdenoise.dicom.StoredEncoding;

/**
 * Builds one derived instance from its source header, highdicom-style, module by module: patient, study, frame of
 * reference, geometry and pixel encoding are inherited ({@link InheritedAttributes}); identity, derivation,
 * references, provenance and pixels are new, each from its own class. All changes to a derived instance are made
 * here and nowhere else.
 */
final class DerivedInstanceFactory {

    /**
     * Per-series values shared by every derived instance.
     *
     * @param sourceInstances every instance of the source series, for the Referenced Series Sequence
     * @param uncertainty null for the denoised series
     * @param fallbackWindow {center, width} in modality units for an invalid source window; null: none
     */
    record SeriesContext(String seriesInstanceUid, int seriesNumber, String seriesDescription, String date, String time,
                         String dateTime, Provenance provenance, String sourceSeriesInstanceUid,
                         List<SourceImageRef> sourceInstances, Uncertainty uncertainty,
                         Supplier<double[]> fallbackWindow) {
    }

    /**
     * The series holds a per-pixel standard deviation across samples, in modality units, stored with
     * {@code encoding} (16-bit unsigned, own Rescale Slope) and displayed with the given window.
     */
    record Uncertainty(StoredEncoding encoding, double windowCenter, double windowWidth) {
    }

    /** One frame of the new instance: which source frame it replaces and its estimated noise sigma (NaN: none). */
    record Frame(int sourceFrame /* 1-based, 0 for single-frame */, double noiseSigma) {
    }

    private DerivedInstanceFactory() {
    }

    /** The derived instance for {@code source}: {@code pixels} holds its frames in {@code frames} order. */
    static AttributeList derive(AttributeList source, SeriesContext series, int instanceNumber, List<Frame> frames,
                                StoredPixels pixels) throws DicomException {
        AttributeList d = InheritedAttributes.of(source);
        Uncertainty u = series.uncertainty();
        if (u == null && series.fallbackWindow() != null) DisplayWindows.repair(d, series.fallbackWindow());
        IdentityModule.apply(d, source, series, instanceNumber);
        FunctionalGroups.deriveFrameTypes(d);
        if (u != null) UncertaintyEncoding.apply(d, u);

        Provenance p = series.provenance();
        double[] sigmas = frames.stream().filter(f -> !Double.isNaN(f.noiseSigma())).mapToDouble(Frame::noiseSigma).toArray();
        String description = u == null ? ProvenanceText.summary(p, sigmas) : ProvenanceText.uncertaintySummary(p, sigmas);
        String sopClassUid = Headers.string(source, TagFromName.SOPClassUID);
        String sopInstanceUid = Headers.string(source, TagFromName.SOPInstanceUID);
        List<SourceImageRef> sources = new ArrayList<>();
        for (Frame f : frames) sources.add(SourceImageRef.frame(sopClassUid, sopInstanceUid, f.sourceFrame()));
        DerivationModule.apply(d, source, description,
                u == null ? DerivationCodes.SMOOTHING : DerivationCodes.SD_ACROSS_SAMPLES, sources);
        d.put(DerivationModule.referencedSeries(series.sourceSeriesInstanceUid(), series.sourceInstances()));
        d.put(DerivationModule.contributingEquipment(source, p, series.dateTime()));

        PrivateProvenance.apply(d, p, sigmas, u == null ? "denoised" : "uncertainty");
        d.put(pixels.attribute());  // the Image Pixel module and rescale are inherited (or set for uncertainty)
        DerivedText.encode(d, source);  // copied text keeps its bytes, new text in the source's character set
        // PixelMed writes uncompressed only: always Explicit VR Little Endian
        FileMetaInformation.addFileMetaInformation(d, TransferSyntax.ExplicitVRLittleEndian, "DIFFDENOISE");
        return d;
    }
}
