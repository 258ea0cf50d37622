package org.diffdenoise.dicom;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Which patterns of positions and Instance Numbers count as missing images, and which do not. */
class SeriesGapsTest {
    static final double[] AXIAL = {1, 0, 0, 0, 1, 0};

    static List<SliceGeometry> stack(double... z) {
        List<SliceGeometry> l = new ArrayList<>();
        for (int i = 0; i < z.length; i++) {
            l.add(new SliceGeometry(Path.of("s" + i + ".dcm"), 0, "1.2", "1.2." + i, i + 1, new double[] {0, 0, z[i]},
                    AXIAL, new double[] {1, 1}, 1));
        }
        return l;
    }

    static List<SliceGeometry> numbered(int... numbers) {
        List<SliceGeometry> l = new ArrayList<>();
        for (int n : numbers) {
            l.add(new SliceGeometry(Path.of("i" + n + ".dcm"), 0, "1.2", "1.2." + n, n, null, null, null, Double.NaN));
        }
        return l;
    }

    @Test
    void aMissingPositionInAnEvenStackIsFound() {
        String r = SeriesGaps.find(stack(0, 5, 15, 20, 25));
        assertNotNull(r);
        assertTrue(r.contains("between s1.dcm and s2.dcm (about 1 slice(s) missing)"), r);
        assertNotNull(SeriesGaps.find(stack(0, 5, 10, 25, 30, 35, 40)), "two slices missing in one place");
    }

    @Test
    void regularOrIrregularStacksSayNothing() {
        assertNull(SeriesGaps.find(stack(0, 5, 10, 15, 20)));
        assertNull(SeriesGaps.find(stack(0, 5, 10, 17, 22)), "1.4x the spacing: variable spacing, not a gap");
        assertNull(SeriesGaps.find(stack(0, 1.25, 2.5, 202.5)), "a jump over more slices than the series has: two stacks");
        assertNull(SeriesGaps.find(stack(0, 5, 15)), "too few regular steps to judge");
        assertNull(SeriesGaps.find(stack(0, 5)));
    }

    @Test
    void aMissingEchoAtOnePositionIsFound() {
        String r = SeriesGaps.find(stack(0, 0, 5, 5, 10, 15, 15));
        assertNotNull(r);
        assertTrue(r.contains("holds 1 image(s), every other position 2"), r);
        assertNull(SeriesGaps.find(stack(0, 0, 5, 5, 10, 10, 15, 15)), "two echoes everywhere");
    }

    @Test
    void instanceNumbersCountOnlyWithoutPositions() {
        assertNotNull(SeriesGaps.find(numbered(1, 2, 4, 5, 6)));
        assertNull(SeriesGaps.find(numbered(1, 3, 5, 7)), "numbered in steps of two");
        assertNull(SeriesGaps.find(numbered(1, 2, 3, 4)));
        assertNull(SeriesGaps.find(numbered(1, 2, 50, 51)), "a jump over more than the series holds");
        // with positions, a hole in the numbers alone is not evidence (e.g. a localizer numbered in the series)
        List<SliceGeometry> s = stack(0, 5, 10, 15);
        List<SliceGeometry> renumbered = new ArrayList<>();
        int[] n = {1, 2, 4, 5};
        for (int i = 0; i < s.size(); i++) {
            SliceGeometry g = s.get(i);
            renumbered.add(new SliceGeometry(g.file(), 0, g.sopClassUid(), g.sopInstanceUid(), n[i], g.imagePositionPatient(),
                    g.imageOrientationPatient(), g.pixelSpacing(), g.sliceThickness()));
        }
        assertNull(SeriesGaps.find(renumbered));
    }
}
