package org.diffdenoise.dicom.pixelmed;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UIDGenerator;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.diffdenoise.dicom.DicomException;
import org.diffdenoise.dicom.DicomSeries;
import org.diffdenoise.dicom.SkippedFile;
import org.diffdenoise.dicom.StudyScan;
import org.diffdenoise.dicom.SyntheticSeriesWriter.ReadBack;
import org.diffdenoise.dicom.SyntheticSeriesWriter.SeriesSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** PixelMed implementation of {@link org.diffdenoise.dicom.SyntheticSeriesWriter}. */
public final class PixelMedSyntheticSeries {
    private static final String AE = "DIFFDENOISE";

    private PixelMedSyntheticSeries() {
    }

    public static List<Path> write(List<float[]> slices, int width, int height, SeriesSpec spec, Path dir) throws IOException {
        Files.createDirectories(dir);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (float[] s : slices) for (float v : s) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        boolean signed = spec.modality().equals("CT");
        // Stored values span most of 16 bits; the slope keeps sub-unit precision for small ranges.
        double slope = hi > lo ? (hi - lo) / 60000.0 : 1.0;
        slope = Double.parseDouble(String.format(Locale.ROOT, "%.6g", slope));
        double intercept = signed ? Math.floor(lo + 30000 * slope) : Math.floor(lo);
        String now = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        List<Path> files = new ArrayList<>();
        try {
            UIDGenerator gen = new UIDGenerator();
            String study = spec.studyInstanceUid() != null ? spec.studyInstanceUid() : gen.getAnotherNewUID();
            String series = gen.getAnotherNewUID(), frame = gen.getAnotherNewUID();
            String sopClass = switch (spec.modality()) {
                case "MR" -> SOPClass.MRImageStorage;
                case "CT" -> SOPClass.CTImageStorage;
                default -> SOPClass.ComputedRadiographyImageStorage;
            };
            for (int z = 0; z < slices.size(); z++) {
                AttributeList l = new AttributeList();
                String sop = gen.getAnotherNewUID();
                put(l, TagFromName.SpecificCharacterSet, "ISO_IR 100");
                put(l, TagFromName.SOPClassUID, sopClass);
                put(l, TagFromName.SOPInstanceUID, sop);
                switch (spec.modality()) {
                    case "CT" -> put(l, TagFromName.ImageType, "ORIGINAL", "PRIMARY", "AXIAL");
                    case "MR" -> put(l, TagFromName.ImageType, "ORIGINAL", "PRIMARY", "OTHER");
                    default -> put(l, TagFromName.ImageType, "ORIGINAL", "PRIMARY");
                }
                // an unpaired body part makes Laterality absent (General Series type 2C)
                put(l, TagFromName.BodyPartExamined, spec.modality().equals("CR") ? "CHEST" : "HEAD");
                put(l, TagFromName.StudyDate, now.substring(0, 8));
                put(l, TagFromName.StudyTime, now.substring(8));
                put(l, TagFromName.SeriesDate, now.substring(0, 8));
                put(l, TagFromName.SeriesTime, now.substring(8));
                put(l, TagFromName.ContentDate, now.substring(0, 8));
                put(l, TagFromName.ContentTime, now.substring(8));
                put(l, TagFromName.AccessionNumber);
                put(l, TagFromName.Modality, spec.modality());
                put(l, TagFromName.Manufacturer, "DiffDenoise synthetic");
                put(l, TagFromName.ReferringPhysicianName);
                put(l, TagFromName.StudyDescription, spec.studyDescription());
                put(l, TagFromName.SeriesDescription, spec.seriesDescription());
                put(l, TagFromName.PatientName, spec.patientName());
                put(l, TagFromName.PatientID, spec.patientId());
                put(l, TagFromName.PatientBirthDate);
                put(l, TagFromName.PatientSex);
                put(l, TagFromName.StudyInstanceUID, study);
                put(l, TagFromName.SeriesInstanceUID, series);
                put(l, TagFromName.StudyID, "1");
                put(l, TagFromName.SeriesNumber, Integer.toString(spec.seriesNumber()));
                put(l, TagFromName.InstanceNumber, Integer.toString(z + 1));
                put(l, TagFromName.PatientOrientation, spec.modality().equals("CR") ? new String[] {"L", "F"} : new String[0]);
                put(l, TagFromName.BurnedInAnnotation, "NO");
                double[] pos = {-0.5 * width * spec.pixelSpacingMm(), -0.5 * height * spec.pixelSpacingMm(), z * spec.sliceThicknessMm()};
                String ps = fmt(spec.pixelSpacingMm());
                if (spec.modality().equals("CR")) {
                    put(l, TagFromName.ViewPosition);
                    put(l, TagFromName.ImagerPixelSpacing, ps, ps);
                    put(l, TagFromName.PixelSpacing, ps, ps);
                    put(l, TagFromName.PhotometricInterpretation, "MONOCHROME2");
                } else {
                    put(l, TagFromName.PatientPosition, "HFS");
                    put(l, TagFromName.FrameOfReferenceUID, frame);
                    put(l, TagFromName.PositionReferenceIndicator);
                    put(l, TagFromName.ImagePositionPatient, fmt(pos[0]), fmt(pos[1]), fmt(pos[2]));
                    put(l, TagFromName.ImageOrientationPatient, "1", "0", "0", "0", "1", "0");
                    put(l, TagFromName.SliceLocation, fmt(pos[2]));
                    put(l, TagFromName.PixelSpacing, ps, ps);
                    put(l, TagFromName.SliceThickness, fmt(spec.sliceThicknessMm()));
                    put(l, TagFromName.SpacingBetweenSlices, fmt(spec.sliceThicknessMm()));
                    put(l, TagFromName.PhotometricInterpretation, "MONOCHROME2");
                }
                if (spec.modality().equals("MR")) {
                    // not in this PixelMed's TagFromName: (0018,0020/21/22) Scanning Sequence, Variant, Options
                    putCs(l, new AttributeTag(0x0018, 0x0020), "SE");
                    putCs(l, new AttributeTag(0x0018, 0x0021), "NONE");
                    putCs(l, new AttributeTag(0x0018, 0x0022));
                    put(l, TagFromName.MRAcquisitionType, "2D");
                    put(l, TagFromName.EchoTime, "15");
                    put(l, TagFromName.RepetitionTime, "500");
                    put(l, TagFromName.EchoTrainLength, "1");
                    putDs(l, new AttributeTag(0x0018, 0x0087), "1.5"); // Magnetic Field Strength
                    put(l, TagFromName.AcquisitionNumber, "1");
                }
                if (spec.modality().equals("CT")) {
                    putDs(l, new AttributeTag(0x0018, 0x0060), "120"); // KVP
                    put(l, TagFromName.AcquisitionNumber, "1");
                }
                put(l, TagFromName.SamplesPerPixel, "1");
                put(l, TagFromName.Rows, Integer.toString(height));
                put(l, TagFromName.Columns, Integer.toString(width));
                put(l, TagFromName.BitsAllocated, "16");
                put(l, TagFromName.BitsStored, "16");
                put(l, TagFromName.HighBit, "15");
                put(l, TagFromName.PixelRepresentation, signed ? "1" : "0");
                put(l, TagFromName.RescaleIntercept, fmt(intercept));
                put(l, TagFromName.RescaleSlope, fmt(slope));
                if (!spec.modality().equals("MR")) put(l, TagFromName.RescaleType, spec.modality().equals("CT") ? "HU" : "US");
                put(l, TagFromName.WindowCenter, fmt((lo + hi) / 2));
                put(l, TagFromName.WindowWidth, fmt(Math.max(hi - lo, 1)));
                if (spec.modality().equals("CR")) put(l, TagFromName.PresentationLUTShape, "IDENTITY");
                short[] px = new short[width * height];
                float[] s = slices.get(z);
                for (int i = 0; i < px.length; i++) {
                    long q = Math.round((s[i] - intercept) / slope);
                    q = signed ? Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, q)) : Math.max(0, Math.min(65535, q));
                    px[i] = (short) q;
                }
                OtherWordAttribute pd = new OtherWordAttribute(TagFromName.PixelData);
                pd.setValues(px);
                l.put(pd);
                FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, AE);
                Path f = dir.resolve(String.format(Locale.ROOT, "IM%04d.dcm", z + 1));
                try {
                    l.write(f.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
                } catch (IOException e) {
                    throw new IOException(f + ": cannot write: " + e.getMessage(), e);
                }
                files.add(f);
            }
        } catch (com.pixelmed.dicom.DicomException e) {
            throw new IOException(dir + ": cannot build DICOM attributes: " + e.getMessage(), e);
        }
        return files;
    }

    /**
     * Reads one series through the backend's normal path ({@link PixelMedStudyScanner} and {@link PixelMedSeriesLoader}):
     * the same decoders, rescale and slice order as every other read.
     */
    public static ReadBack read(Path dirOrFile) throws IOException {
        StudyScan scan = PixelMedStudyScanner.scan(dirOrFile);
        if (scan.series().isEmpty()) {
            if (scan.skipped().isEmpty()) throw new IOException(dirOrFile + ": no DICOM files");
            SkippedFile first = scan.skipped().get(0);
            throw new IOException(first.file() + ": not readable as a DICOM image: " + first.reason());
        }
        if (scan.series().size() > 1)
            throw new IOException(dirOrFile + ": holds " + scan.series().size() + " series; expected one");
        DicomSeries series;
        try {
            series = PixelMedSeriesLoader.load(scan.series().get(0));
        } catch (DicomException e) {
            throw new IOException(e.getMessage(), e);
        }
        RandomAccessibleInterval<FloatType> px = series.pixels();
        int w = (int) px.dimension(0), h = (int) px.dimension(1);
        List<float[]> slices = new ArrayList<>();
        for (int z = 0; z < series.sliceCount(); z++) {
            float[] s = new float[w * h];
            int i = 0;
            for (FloatType v : Views.flatIterable(Views.hyperSlice(px, 2, z))) s[i++] = v.get();
            slices.add(s);
        }
        AttributeList first = ((PixelMedSourceHeaders) series.sourceHeaders()).perSlice().get(0).header();
        return new ReadBack(w, h, slices, series.ref().modality(), Headers.string(first, TagFromName.StudyInstanceUID),
                series.ref().seriesInstanceUid());
    }

    private static void put(AttributeList l, AttributeTag tag, String... values) throws com.pixelmed.dicom.DicomException {
        Attribute a = AttributeFactory.newAttribute(tag);
        for (String v : values) a.addValue(v);
        l.put(a);
    }

    private static void putCs(AttributeList l, AttributeTag tag, String... values) throws com.pixelmed.dicom.DicomException {
        Attribute a = new com.pixelmed.dicom.CodeStringAttribute(tag);
        for (String v : values) a.addValue(v);
        l.put(a);
    }

    private static void putDs(AttributeList l, AttributeTag tag, String value) throws com.pixelmed.dicom.DicomException {
        Attribute a = new com.pixelmed.dicom.DecimalStringAttribute(tag);
        a.addValue(value);
        l.put(a);
    }

    private static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains("e") || s.contains("E")) s = String.format(Locale.ROOT, "%.6f", v);
        if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s.length() > 16 ? s.substring(0, 16) : s;
    }
}
