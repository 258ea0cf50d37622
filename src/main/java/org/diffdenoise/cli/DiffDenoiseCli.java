package org.diffdenoise.cli;

import org.diffdenoise.Version;
import org.diffdenoise.api.ErrorText;
import org.diffdenoise.api.PrintableText;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `diffdenoise` command line: denoise, info, serve, model, train, bench. */
@Command(name = "diffdenoise", mixinStandardHelpOptions = true, versionProvider = DiffDenoiseCli.VersionProvider.class,
        description = "Denoise DICOM MR and X-ray series with a conditioned reverse-diffusion model.",
        subcommands = {DenoiseCommand.class, InfoCommand.class, ServeCommand.class, ModelCommand.class, org.diffdenoise.train.TrainCommand.class,
                org.diffdenoise.bench.BenchmarkCommand.class})
public final class DiffDenoiseCli implements Runnable {

    /** Exit code when every series was written. */
    public static final int EXIT_OK = 0;
    /** Exit code when some series failed (the others were written). */
    public static final int EXIT_SOME_FAILED = 1;
    /** Exit code for bad usage. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: denoise, info, serve, model, train or bench");
    }

    /** Builds the command line with the exit codes documented above. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new DiffDenoiseCli());
        cl.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_SOME_FAILED);
        cl.getCommandSpec().exitCodeOnInvalidInput(EXIT_USAGE);
        // the last resort: whatever a command lets escape is one line of plain words, never a stack trace
        // (DIFFDENOISE_DEBUG=1 prints the trace for a developer)
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if ("1".equals(System.getenv("DIFFDENOISE_DEBUG"))) e.printStackTrace(cmd.getErr());
            cmd.getErr().println("error: " + PrintableText.escape(ErrorText.of(e)));
            cmd.getErr().flush();
            return EXIT_SOME_FAILED;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Reports the Maven version. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {Version.NAME + " " + Version.get()};
        }
    }
}
