package org.diffdenoise.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.diffdenoise.Version;
import org.diffdenoise.api.CancelToken;
import org.diffdenoise.api.CancelledException;
import org.diffdenoise.api.DenoiseResult;
import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.ErrorText;
import org.diffdenoise.api.OwnedTempFolder;
import org.diffdenoise.api.Denoiser;
import org.diffdenoise.api.ModelDescriptor;
import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.api.NothingToDenoiseException;
import org.diffdenoise.dicom.AtomicSeriesDirectory;
import org.diffdenoise.dicom.DerivedImages;
import org.diffdenoise.dicom.DicomBackend;
import org.diffdenoise.dicom.DicomException;
import org.diffdenoise.dicom.DicomSeries;
import org.diffdenoise.dicom.OutputWriteException;
import org.diffdenoise.dicom.Provenance;
import org.diffdenoise.dicom.SeriesRef;
import org.diffdenoise.dicom.SeriesWriteResult;
import org.diffdenoise.dicom.SliceOrder;
import org.diffdenoise.dicom.StudyScan;

/**
 * Series in, derived series out: reads each series of a study folder, denoises it and writes a new DERIVED series.
 * One failing series is reported and the batch goes on; nothing partial is ever left in the output.
 */
public final class StudyDenoiser {

    private final DicomBackend dicom;
    private final Supplier<? extends Denoiser> denoiserFactory;
    private Denoiser denoiser;

    /**
     * @param dicom           the DICOM backend
     * @param denoiserFactory creates the denoiser on first use (loading a model is slow, and a study with no
     *                        readable series should not pay for it); the StudyDenoiser closes it
     */
    public StudyDenoiser(DicomBackend dicom, Supplier<? extends Denoiser> denoiserFactory) {
        this.dicom = dicom;
        this.denoiserFactory = denoiserFactory;
    }

    /** Scans a study folder (recursively) for series. */
    public StudyScan scan(Path input) throws IOException {
        if (!Files.isDirectory(input) && !Files.isRegularFile(input))
            throw new IOException("input does not exist: " + input);
        return dicom.scan(input);
    }

    /** Denoises every (selected) series of {@code input} into {@code outputRoot}. */
    public BatchReport denoiseStudy(Path input, Path outputRoot, BatchOptions options, BatchListener listener,
                                    CancelToken cancel) throws IOException {
        StudyFolders.checkOutput(input, outputRoot);
        // the output folder itself is made by the first series written (a batch that writes nothing leaves none)
        for (String done : AtomicSeriesDirectory.removeLeftovers(outputRoot)) listener.note(done);
        for (Path p : OwnedTempFolder.removeStaleInSystemTemp())
            listener.note("removed " + p + " (temporary folder of an interrupted run)");
        StudyScan scan = scan(input);
        List<SeriesRef> selected = new ArrayList<>();
        for (SeriesRef s : scan.series())
            if (options.seriesUids().isEmpty() || options.seriesUids().contains(s.seriesInstanceUid())) selected.add(s);
        List<SeriesResult> results = new ArrayList<>();
        for (int i = 0; i < selected.size(); i++) {
            SeriesRef ref = selected.get(i);
            if (cancel.isCancelled()) {
                results.add(new SeriesResult(ref, SeriesStatus.NOT_RUN, null, "not run: batch cancelled", new double[0], "", 0));
                continue;
            }
            listener.seriesStarted(i, selected.size(), ref);
            SeriesResult r = denoiseSeries(ref, outputRoot, options, listener, i, selected.size(), cancel, false).result();
            results.add(r);
            listener.seriesFinished(i, selected.size(), r);
        }
        // again at the end: a folder that a run killed right after creating it (before its owner marker) is spared at
        // the start while it may still be a live run's, for OwnedTempFolder.EMPTY_UNMARKED_AGE
        for (String done : AtomicSeriesDirectory.removeLeftovers(outputRoot)) listener.note(done);
        return new BatchReport(input, outputRoot, results, scan.skipped());
    }

    /**
     * Reads, denoises and writes one series. Never throws for bad data: failures come back as a FAILED result.
     *
     * @param keepImages keep the decoded and denoised images in the outcome (for a viewer)
     * @param outputRoot where to write, or null to denoise without writing
     */
    public SeriesOutcome denoiseSeries(SeriesRef ref, Path outputRoot, BatchOptions options, BatchListener listener,
                                       int index, int count, CancelToken cancel, boolean keepImages) {
        long t0 = System.nanoTime();
        DicomSeries source = null;
        DenoiseResult result = null;
        try {
            if (ref.unsupportedReason() != null) {
                // the reason names the offending file when the series has several
                return failed(ref, describe(ref) + ": " + ref.unsupportedReason(), t0, null);
            }
            if (ref.incompleteReason() != null && !options.allowIncomplete()) {
                return failed(ref, describe(ref) + ": incomplete series: " + ref.incompleteReason() + "; nothing written"
                        + " (allow incomplete series, --allow-incomplete, to write it anyway, marked INCOMPLETE)", t0, null);
            }
            if (outputRoot != null) {
                // decided before reading or denoising: a rerun skips what it already wrote and refuses other settings
                ExistingOutputPolicy.Decision existing = ExistingOutputPolicy.decide(dicom, ref, outputRoot, options, () -> denoiser().describe());
                if (existing.action() == ExistingOutputPolicy.Action.ALREADY_DONE)
                    return new SeriesOutcome(new SeriesResult(ref, SeriesStatus.ALREADY_DONE, existing.folder(), existing.message(),
                            new double[0], "", millisSince(t0), existing.uncertainty()), null, null);
                if (existing.action() == ExistingOutputPolicy.Action.REFUSE) return failed(ref, existing.message(), t0, null);
            }
            source = dicom.load(ref);
            cancel.throwIfCancelled();
            if (outputRoot != null) {
                String shortage = OutputSpace.shortage(outputRoot, OutputSpace.pixelBytes(source,
                        options.writeUncertainty() && options.settings().samples() > 1));
                if (shortage != null) return outputFault(ref, shortage, t0, keepImages ? source : null);
            }
            Denoiser d = denoiser();
            // neighbours in series order are context only when they are other positions of one orientation (not other
            // echoes or phases at the same place, not another plane of a localizer)
            boolean noContext = options.settings().sliceContext() && !SliceOrder.neighboursAreSpatial(source.geometry());
            DenoiseSettings settings = noContext ? options.settings().withSliceContext(false) : options.settings();
            result = MosaicSlices.packed(source, d.denoise(MosaicSlices.input(source), NoiseFamily.forModality(ref.modality()),
                    settings, (stage, done, total) -> listener.progress(index, count, stage, done, total), cancel));
            cancel.throwIfCancelled();
            Path written = null;
            Path uncertaintyWritten = null;
            String message = "denoised";
            if (outputRoot != null) {
                DerivedImages images = new DerivedImages(result.denoised(),
                        options.writeUncertainty() ? result.uncertainty() : null);
                SeriesWriteResult w = dicom.writeDerived(source, images, provenance(d.describe(), options, result),
                        outputRoot, options.overwrite());
                written = w.directory();
                message = "wrote " + w.instances() + " instance(s) to " + written;
                if (noContext) message += " (neighbouring slices are not adjacent positions of one orientation, e.g. several"
                        + " echoes: each denoised without its neighbours)";
                if (source.mosaic() != null) message += "; " + MosaicSlices.note(source.mosaic());
                if (result.adaptation() != null) message += "; " + result.adaptation();
                if (options.settings().strength() != DenoiseSettings.DEFAULT_STRENGTH)
                    message += String.format(Locale.ROOT, "; strength %.3g (times the noise level)", options.settings().strength());
                if (result.noiseNote() != null) message += "; " + result.noiseNote();
                if (w.uncertainty() != null) {
                    uncertaintyWritten = w.uncertainty().directory();
                    message += "; uncertainty (" + (DenoiseResult.SAMPLE_SD.equals(result.uncertaintyMeaning()) ? "SD of "
                            + options.settings().samples() + " samples, uncalibrated" : "estimated SD of the error")
                            + ") to " + uncertaintyWritten;
                }
            }
            SeriesStatus status = SeriesStatus.WRITTEN;
            if (ref.incompleteReason() != null) {
                status = SeriesStatus.INCOMPLETE;
                message = "INCOMPLETE input series (" + ref.incompleteReason() + "); " + message;
            }
            SeriesResult r = new SeriesResult(ref, status, written, message, result.noiseSigma(),
                    result.device(), millisSince(t0), uncertaintyWritten);
            return new SeriesOutcome(r, keepImages ? source : null, keepImages ? result : null);
        } catch (CancelledException e) {
            return new SeriesOutcome(new SeriesResult(ref, SeriesStatus.CANCELLED, null, "cancelled; nothing written",
                    new double[0], "", millisSince(t0)), null, null);
        } catch (NothingToDenoiseException e) {
            return failed(ref, describe(ref) + ": " + e.getMessage() + "; nothing written" + (e.levelHelps() ? " (give the noise level, "
                    + "--sigma or the macro's noise_sigma, to denoise it anyway)" : ""), t0, keepImages ? source : null);
        } catch (OutputWriteException e) {
            return outputFault(ref, ErrorText.clean(e.getMessage()), t0, keepImages ? source : null);
        } catch (DicomException e) {
            return failed(ref, ErrorText.clean(e.getMessage()), t0, keepImages ? source : null);
        } catch (OutOfMemoryError | StackOverflowError e) {
            return failed(ref, describe(ref) + ": " + ErrorText.of(e), t0, null);
        } catch (RuntimeException e) {
            return failed(ref, describe(ref) + ": " + ErrorText.of(e), t0, keepImages ? source : null);
        }
    }

    /** The provenance recorded in each derived instance. */
    static Provenance provenance(ModelDescriptor m, BatchOptions o, DenoiseResult r) {
        return new Provenance(m.method(), m.name(), m.version(), m.sha256(), o.settings().steps(), o.settings().samples(),
                o.settings().seed(), r.noiseSigma(), Version.NAME, Version.get(), r.uncertaintyMeaning(), r.adaptation(), r.noiseNote(),
                o.settings().strength());
    }

    private synchronized Denoiser denoiser() {
        if (denoiser == null) denoiser = denoiserFactory.get();
        return denoiser;
    }

    /** Closes the denoiser (native memory) if it was created. */
    public synchronized void close() {
        if (denoiser != null) denoiser.close();
        denoiser = null;
    }

    private static String describe(SeriesRef ref) {
        String where = ref.files().isEmpty() ? "" : " (" + ref.files().get(0) + (ref.files().size() > 1 ? " and " + (ref.files().size() - 1) + " more" : "") + ")";
        return "series " + ref.seriesInstanceUid() + where;
    }

    private static SeriesOutcome failed(SeriesRef ref, String message, long t0, DicomSeries source) {
        return new SeriesOutcome(new SeriesResult(ref, SeriesStatus.FAILED, null, message, new double[0], "", millisSince(t0)),
                source, null);
    }

    /** FAILED because the output's file system cannot take the series, not because of the series. */
    private static SeriesOutcome outputFault(SeriesRef ref, String message, long t0, DicomSeries source) {
        return new SeriesOutcome(new SeriesResult(ref, SeriesStatus.FAILED, null, message, new double[0], "", millisSince(t0), null, true),
                source, null);
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
