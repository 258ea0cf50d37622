package org.diffdenoise.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Paths;
import java.util.List;

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
}
