package org.diffdenoise.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.diffdenoise.api.ErrorText;
import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.dicom.SeriesRef;
import org.diffdenoise.dicom.SkippedFile;
import org.diffdenoise.dicom.StudyScan;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Lists the series of a study folder and what would be skipped, and why. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "List the series found in a study folder (modality, size, slices, transfer syntax) and the files that would be skipped.")
public final class InfoCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "INPUT_DIR", description = "study folder (scanned recursively) or a DICOM file")
    Path input;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = new TerminalWriter(spec.commandLine().getOut());
        if (!input.toFile().exists()) {
            new TerminalWriter(spec.commandLine().getErr()).println("error: input does not exist: " + input);
            return DiffDenoiseCli.EXIT_USAGE;
        }
        StudyScan scan = Dicom.backend().scan(input);
        out.printf("%d series in %s%n", scan.series().size(), input);
        for (SeriesRef s : scan.series()) {
            out.println(describe(s));
            if (s.mosaic() != null)
                out.println("      Siemens mosaic: " + s.mosaic().describe() + ", denoised slice by slice");
            if (s.unsupportedReason() != null) out.println("      cannot be denoised: " + s.unsupportedReason());
            if (s.incompleteReason() != null)
                out.println("      INCOMPLETE (fails unless --allow-incomplete): " + s.incompleteReason());
        }
        if (!scan.skipped().isEmpty()) {
            out.printf("%d file(s) skipped:%n", scan.skipped().size());
            for (SkippedFile f : scan.skipped()) out.printf("  %s: %s%n", f.file(), ErrorText.clean(f.reason()));
        }
        out.flush();
        return scan.series().stream().allMatch(s -> s.unsupportedReason() == null && s.incompleteReason() == null) ? DiffDenoiseCli.EXIT_OK
                : DiffDenoiseCli.EXIT_SOME_FAILED;
    }

    /** One line per series: modality, size, slices, transfer syntax, description, UID. */
    static String describe(SeriesRef s) {
        String line = String.format("  %-3s %4dx%-4d %4d slice(s)  %-28s  #%s %s  [%s]", s.modality(), s.columns(), s.rows(),
                s.slices(), s.transferSyntaxName(), s.seriesNumber() == null ? "-" : s.seriesNumber(),
                s.seriesDescription() == null ? "" : s.seriesDescription(), s.seriesInstanceUid());
        return line;
    }
}
