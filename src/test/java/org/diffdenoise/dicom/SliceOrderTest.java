package org.diffdenoise.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Slice order and the rule that turns the 2.5D context off (several echoes at one location, mixed planes). */
class SliceOrderTest {

    private static final double[] AXIAL = {1, 0, 0, 0, 1, 0};

    private static SliceGeometry at(int instance, double z) {
        return new SliceGeometry(Path.of("f" + instance + ".dcm"), 0, "1.2.840.10008.5.1.4.1.1.4", "1.2.3." + instance,
                instance, new double[] {0, 0, z}, AXIAL, new double[] {1, 1}, 5);
    }

    private static List<SliceGeometry> ordered(List<SliceGeometry> g) {
        List<SliceGeometry> out = new ArrayList<>();
        for (int i : SliceOrder.order(g)) out.add(g.get(i));
        return out;
    }

    @Test
    void twoEchoesPerPositionRepeatPositionsAndInterleave() {
        // instances 1-3: echo 1 at z = 0, 5, 10; instances 4-6: echo 2 at the same positions
        List<SliceGeometry> g = List.of(at(1, 0), at(2, 5), at(3, 10), at(4, 0), at(5, 5), at(6, 10));
        List<SliceGeometry> o = ordered(g);
        // series order interleaves the echoes: neighbours in that order are the other echo, not the next position
        assertArrayEquals(new int[] {1, 4, 2, 5, 3, 6}, o.stream().mapToInt(SliceGeometry::instanceNumber).toArray());
        assertFalse(SliceOrder.neighboursAreSpatial(o));
    }

    @Test
    void distinctPositionsOrNoGeometryAtAllAreSpatialNeighbours() {
        assertTrue(SliceOrder.neighboursAreSpatial(ordered(List.of(at(1, 0), at(2, 5), at(3, 10)))));
        assertTrue(SliceOrder.neighboursAreSpatial(ordered(List.of(at(1, 0), at(2, 0.5)))));
        SliceGeometry noPosition = new SliceGeometry(Path.of("x.dcm"), 1, "1.2.840.10008.5.1.4.1.1.12.1", "1.2.9", 1, null, null,
                null, Double.NaN);
        // no geometry (e.g. XA frames): nothing is known, context stays
        assertTrue(SliceOrder.neighboursAreSpatial(List.of(noPosition, noPosition)));
    }

    @Test
    void threePlaneLocalizerHasNoSpatialNeighbours() {
        SliceGeometry axial = at(1, 0);
        SliceGeometry sagittal = new SliceGeometry(Path.of("s.dcm"), 0, "1.2.840.10008.5.1.4.1.1.4", "1.2.3.9", 2,
                new double[] {0, 0, 0}, new double[] {0, 1, 0, 0, 0, -1}, new double[] {1, 1}, 5);
        assertFalse(SliceOrder.neighboursAreSpatial(List.of(axial, sagittal)));
    }
}
