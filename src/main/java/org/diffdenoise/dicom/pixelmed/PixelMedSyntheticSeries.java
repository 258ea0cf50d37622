package org.diffdenoise.dicom.pixelmed;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UIDGenerator;
import org.diffdenoise.dicom.SyntheticSeriesWriter.ReadBack;
import org.diffdenoise.dicom.SyntheticSeriesWriter.SeriesSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

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
        } catch (DicomException e) {
            throw new IOException(dir + ": cannot build DICOM attributes: " + e.getMessage(), e);
        }
        return files;
    }

    public static ReadBack read(Path dirOrFile) throws IOException {
        List<Path> files;
        if (Files.isDirectory(dirOrFile)) {
            try (Stream<Path> s = Files.list(dirOrFile)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
        } else {
            files = List.of(dirOrFile);
        }
        record Inst(int number, List<float[]> frames, AttributeList list) { }
        List<Inst> insts = new ArrayList<>();
        int w = -1, h = -1;
        for (Path f : files) {
            AttributeList l = new AttributeList();
            try {
                l.read(f.toFile());
            } catch (DicomException | IOException e) {
                throw new IOException(f + ": not readable as DICOM: " + e.getMessage(), e);
            }
            if (l.get(TagFromName.PixelData) == null) throw new IOException(f + ": has no pixel data");
            int rows = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.Rows, 0);
            int cols = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.Columns, 0);
            int spp = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.SamplesPerPixel, 1);
            if (spp != 1) throw new IOException(f + ": " + spp + " samples per pixel; only grayscale is supported");
            if (w >= 0 && (w != cols || h != rows)) throw new IOException(f + ": size " + cols + "x" + rows + " differs from the series");
            w = cols; h = rows;
            insts.add(new Inst(Attribute.getSingleIntegerValueOrDefault(l, TagFromName.InstanceNumber, insts.size() + 1), decode(l, f), l));
        }
        if (insts.isEmpty()) throw new IOException(dirOrFile + ": no DICOM files");
        insts.sort(Comparator.comparingInt(Inst::number));
        List<float[]> slices = new ArrayList<>();
        for (Inst i : insts) slices.addAll(i.frames());
        AttributeList first = insts.get(0).list();
        return new ReadBack(w, h, slices, Attribute.getSingleStringValueOrDefault(first, TagFromName.Modality, ""),
                Attribute.getSingleStringValueOrDefault(first, TagFromName.StudyInstanceUID, ""),
                Attribute.getSingleStringValueOrDefault(first, TagFromName.SeriesInstanceUID, ""));
    }

    private static List<float[]> decode(AttributeList l, Path f) throws IOException {
        try {
            int rows = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.Rows, 0);
            int cols = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.Columns, 0);
            int frames = Math.max(1, Attribute.getSingleIntegerValueOrDefault(l, TagFromName.NumberOfFrames, 1));
            int bits = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.BitsAllocated, 16);
            int stored = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.BitsStored, bits);
            boolean signed = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.PixelRepresentation, 0) == 1;
            double slope = Attribute.getSingleDoubleValueOrDefault(l, TagFromName.RescaleSlope, 1.0);
            double icpt = Attribute.getSingleDoubleValueOrDefault(l, TagFromName.RescaleIntercept, 0.0);
            if (slope == 0) slope = 1;
            Attribute pd = l.get(TagFromName.PixelData);
            int n = rows * cols;
            List<float[]> out = new ArrayList<>(frames);
            int mask = stored >= 32 ? -1 : (1 << stored) - 1;
            if (bits == 8) {
                byte[] b = pd.getByteValues();
                if (b.length < n * frames) throw new IOException(f + ": pixel data shorter than " + frames + " frames");
                for (int k = 0; k < frames; k++) {
                    float[] s = new float[n];
                    for (int i = 0; i < n; i++) s[i] = (float) ((b[k * n + i] & 0xff) * slope + icpt);
                    out.add(s);
                }
            } else if (bits == 16) {
                short[] v = pd.getShortValues();
                if (v.length < n * frames) throw new IOException(f + ": pixel data shorter than " + frames + " frames");
                for (int k = 0; k < frames; k++) {
                    float[] s = new float[n];
                    for (int i = 0; i < n; i++) {
                        int raw = v[k * n + i] & mask;
                        if (signed && stored < 32 && (raw & (1 << (stored - 1))) != 0) raw -= 1 << stored;
                        s[i] = (float) (raw * slope + icpt);
                    }
                    out.add(s);
                }
            } else {
                throw new IOException(f + ": " + bits + " bits allocated is not supported");
            }
            return out;
        } catch (DicomException e) {
            throw new IOException(f + ": cannot decode pixel data: " + e.getMessage(), e);
        }
    }

    private static void put(AttributeList l, AttributeTag tag, String... values) throws DicomException {
        Attribute a = AttributeFactory.newAttribute(tag);
        for (String v : values) a.addValue(v);
        l.put(a);
    }

    private static void putCs(AttributeList l, AttributeTag tag, String... values) throws DicomException {
        Attribute a = new com.pixelmed.dicom.CodeStringAttribute(tag);
        for (String v : values) a.addValue(v);
        l.put(a);
    }

    private static void putDs(AttributeList l, AttributeTag tag, String value) throws DicomException {
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
