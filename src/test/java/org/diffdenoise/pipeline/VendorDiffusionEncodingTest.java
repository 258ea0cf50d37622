package org.diffdenoise.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.FloatSingleAttribute;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.dicom.Dicom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GE and Philips store a diffusion image's b-value and gradient direction in private elements, which dcm2niix reads
 * to write the .bval / .bvec of the volume. The derived series used to drop all private data, so a denoised diffusion
 * series converted to a 4D volume without its diffusion encoding, useless for diffusion analysis. The series here are
 * made from a real GE Signa Excite diffusion image (ami.js's test data): two slices, each at b = 0 and b = 1000.
 */
class VendorDiffusionEncodingTest {
    private static final Path GE_DWI = Path.of("external-data", "ami", "mi2b2.dcm");
    private static final double[][] DIRECTION = {{0, 0, 0}, {0.6, 0.8, 0}};
    private static final int[] B = {0, 1000};

    @Test
    void aGeDiffusionSeriesKeepsItsBValuesAndDirections(@TempDir Path tmp) throws Exception {
        Path study = series(tmp.resolve("study"), Vendor.GE);
        Path out = denoise(study, tmp.resolve("out"));
        String source = encoding(study, tmp.resolve("nii-source"));
        assertEquals("0 1000\n0 -0.6\n0 0.8\n0 0\n", source);  // dcm2niix flips y into its own frame
        assertEquals(source, encoding(out, tmp.resolve("nii-out")));
        AttributeList derived = first(out);
        assertTrue(derived.get(new AttributeTag(0x0025, 0x101B)) != null, "GE's protocol data block (slice order) is kept");
        assertNull(derived.get(new AttributeTag(0x0043, 0x1029)), "GE's histogram tables of the old pixels are not kept");
        assertNull(derived.get(new AttributeTag(0x0029, 0x1015)), "GE's pixel range of the old pixels is not kept");
    }

    @Test
    void aPhilipsDiffusionSeriesKeepsItsBValuesAndDirectionsButNotThePrivateRescale(@TempDir Path tmp) throws Exception {
        Path study = series(tmp.resolve("study"), Vendor.PHILIPS);
        Path out = denoise(study, tmp.resolve("out"));
        String source = encoding(study, tmp.resolve("nii-source"));
        assertTrue(source.startsWith("0 1000\n"), source);
        assertEquals(source, encoding(out, tmp.resolve("nii-out")));
        // Philips' private rescale described the source's stored values, not the derived image's
        assertNull(first(out).get(PHILIPS_SCALE_SLOPE));
    }

    private enum Vendor { GE, PHILIPS }

    private static final AttributeTag PHILIPS_SCALE_SLOPE = new AttributeTag(0x2005, 0x100E);

    /** Two slices 6 mm apart, each at b = 0 and b = 1000, from the real GE header, with the vendor's encoding. */
    private static Path series(Path dir, Vendor vendor) throws Exception {
        assertTrue(Files.exists(GE_DWI), "real GE test data missing under external-data: run scripts/setup.sh");
        Files.createDirectories(dir);
        int n = 0;
        for (int v = 0; v < B.length; v++) {
            for (int s = 0; s < 2; s++) {
                n++;
                AttributeList l = new AttributeList();
                l.read(GE_DWI.toString());
                double z = -44.4881 + 6 * s;
                put(l, new DecimalStringAttribute(TagFromName.ImagePositionPatient), -102.497, -140.594, z);
                put(l, new DecimalStringAttribute(TagFromName.SliceLocation), z);
                IntegerStringAttribute number = new IntegerStringAttribute(TagFromName.InstanceNumber);
                number.addValue(n);
                l.put(number);
                UniqueIdentifierAttribute sop = new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID);
                sop.addValue("1.2.826.0.1.3680043.2.1143.7." + n);
                l.put(sop);
                if (vendor == Vendor.GE) {
                    IntegerStringAttribute b = new IntegerStringAttribute(new AttributeTag(0x0043, 0x1039));
                    for (int x : new int[] {B[v], 8, 0, 0}) b.addValue(x);
                    l.put(b);
                    for (int k = 0; k < 3; k++)
                        put(l, new DecimalStringAttribute(new AttributeTag(0x0019, 0x10BB + k)), DIRECTION[v][k]);
                    IntegerStringAttribute locations = new IntegerStringAttribute(new AttributeTag(0x0021, 0x104F));
                    locations.addValue(2);
                    l.put(locations);
                } else {
                    l.removePrivateAttributes();
                    LongStringAttribute maker = new LongStringAttribute(TagFromName.Manufacturer);
                    maker.addValue("Philips Medical Systems");
                    l.put(maker);
                    creator(l, 0x2001, "Philips Imaging DD 001");
                    creator(l, 0x2005, "Philips MR Imaging DD 001");
                    putFloat(l, new AttributeTag(0x2001, 0x1003), B[v]);
                    for (int k = 0; k < 3; k++) putFloat(l, new AttributeTag(0x2005, 0x10B0 + k), DIRECTION[v][k]);
                    putFloat(l, PHILIPS_SCALE_SLOPE, 0.5);
                }
                l.removeMetaInformationHeaderAttributes();
                FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "TEST");
                l.write(dir.resolve("IM" + n + ".dcm").toString(), TransferSyntax.ExplicitVRLittleEndian, true, true);
            }
        }
        return dir;
    }

    private static void put(AttributeList l, DecimalStringAttribute a, double... values) throws Exception {
        for (double x : values) a.addValue(x);
        l.put(a);
    }

    private static void putFloat(AttributeList l, AttributeTag t, double value) throws Exception {
        FloatSingleAttribute a = new FloatSingleAttribute(t);
        a.addValue((float) value);
        l.put(a);
    }

    private static void creator(AttributeList l, int group, String name) throws Exception {
        LongStringAttribute a = new LongStringAttribute(new AttributeTag(group, 0x0010));
        a.addValue(name);
        l.put(a);
    }

    /** Denoises the study with the median filter (fast; what is checked is the header) and returns the series folder. */
    private static Path denoise(Path study, Path out) throws Exception {
        StudyDenoiser p = new StudyDenoiser(Dicom.backend(), () -> DenoiserRegistry.create(DenoiserRegistry.Method.median, null));
        try {
            BatchReport r = p.denoiseStudy(study, out, BatchOptions.defaults(), BatchListener.NONE, CancelToken.none());
            assertEquals(1, r.written(), () -> "results: " + r.results());
            return r.results().get(0).output();
        } finally {
            p.close();
        }
    }

    /** The .bval and .bvec dcm2niix writes for {@code series}, one after the other, or what it said without them. */
    private static String encoding(Path series, Path dir) throws Exception {
        Process p = new ProcessBuilder("dcm2niix", "-o", Files.createDirectories(dir).toString(), "-f", "dwi", series.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), log);
        assertTrue(log.contains("(256x256x2x2)"), log);
        Path bval = dir.resolve("dwi.bval"), bvec = dir.resolve("dwi.bvec");
        if (!Files.exists(bval) || !Files.exists(bvec)) return "no .bval / .bvec: " + log;
        return Files.readString(bval) + Files.readString(bvec);
    }

    private static AttributeList first(Path dir) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.toString().endsWith(".dcm")).sorted().toList();
        }
        AttributeList l = new AttributeList();
        l.read(files.get(0).toString());
        return l;
    }
}
