package org.diffdenoise.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

import org.diffdenoise.api.DenoiseSettings;
import org.diffdenoise.api.ModelDescriptor;
import org.diffdenoise.dicom.DerivedSeriesLayout;
import org.diffdenoise.dicom.DicomBackend;
import org.diffdenoise.dicom.Provenance;
import org.diffdenoise.dicom.RecordedDerivation;
import org.diffdenoise.dicom.SeriesRef;
import org.diffdenoise.diffusion.CoilFloorRemoval;

/**
 * Decides, before a series is read or denoised, what to do about a derived series already in the output folder:
 * denoise (none there, or overwrite asked), keep it (the same source, settings and model made it: a rerun after an
 * interrupted batch finishes only what is missing), or refuse (other settings, unless overwrite is asked).
 */
public final class ExistingOutputPolicy {

    /** What to do with one series. */
    public enum Action {
        /** Nothing of this series is in the output yet, or it is to be replaced. */
        DENOISE,
        /** Its derived series is there, made from this source with these settings and this model. */
        ALREADY_DONE,
        /** A derived series of it is there, made otherwise; overwrite was not asked. */
        REFUSE
    }

    /**
     * The decision for one series.
     *
     * @param action      what to do
     * @param folder      the derived series folder this series writes to
     * @param uncertainty the uncertainty series folder beside it, when one is there
     * @param message     why, for the report ("" for DENOISE)
     */
    public record Decision(Action action, Path folder, Path uncertainty, String message) {
    }

    private ExistingOutputPolicy() {
    }

    /**
     * @param model the denoiser's descriptor, asked for only when a derived series is already there (it may load the model)
     */
    public static Decision decide(DicomBackend dicom, SeriesRef ref, Path outputRoot, BatchOptions options,
                                  Supplier<ModelDescriptor> model) {
        int number = DerivedSeriesLayout.seriesNumber(ref.seriesNumber());
        Path folder = outputRoot.resolve(DerivedSeriesLayout.folderName(number, ref.seriesDescription(), ref.seriesInstanceUid()));
        if (!Files.exists(folder) || options.overwrite()) return new Decision(Action.DENOISE, folder, null, "");
        Optional<RecordedDerivation> recorded = dicom.recordedDerivation(folder);
        if (recorded.isEmpty())
            return new Decision(Action.REFUSE, folder, null, "output series folder " + folder
                    + " already exists and holds no DiffDenoise provenance (overwrite not requested)");
        int sdNumber = DerivedSeriesLayout.uncertaintySeriesNumber(ref.seriesNumber());
        Path sd = outputRoot.resolve(DerivedSeriesLayout.uncertaintyFolderName(sdNumber, ref.seriesDescription(), ref.seriesInstanceUid()));
        boolean wantsSd = options.writeUncertainty() && options.settings().samples() > 1;
        List<String> differences = differences(ref, recorded.get(), options.settings(), model.get());
        if (wantsSd && !Files.isDirectory(sd)) differences.add("no uncertainty series beside it");
        if (differences.isEmpty())
            return new Decision(Action.ALREADY_DONE, folder, wantsSd ? sd : null, "already done: " + folder
                    + " holds this series denoised with the same settings and model (kept; nothing recomputed)");
        return new Decision(Action.REFUSE, folder, null, "output series folder " + folder
                + " already holds this series denoised otherwise (" + String.join("; ", differences)
                + "); ask for overwrite to replace it, or choose another output folder");
    }

    /** What differs between an earlier run's provenance and this run, in words ("steps 4 here, 2 there"). */
    static List<String> differences(SeriesRef ref, RecordedDerivation recorded, DenoiseSettings s, ModelDescriptor m) {
        List<String> d = new ArrayList<>();
        Provenance p = recorded.provenance();
        if (!recorded.sourceSeriesUid().isEmpty() && !recorded.sourceSeriesUid().equals(ref.seriesInstanceUid()))
            d.add("made from series " + recorded.sourceSeriesUid());
        if (!p.method().equals(m.method())) d.add("method " + m.method() + " here, " + p.method() + " there");
        boolean bothHashed = !p.modelSha256().isEmpty() && !m.sha256().isEmpty();
        if (bothHashed ? !p.modelSha256().equals(m.sha256()) : !(p.modelName().equals(m.name()) && p.modelVersion().equals(m.version())))
            d.add("model " + m.name() + " " + m.version() + " here, " + p.modelName() + " " + p.modelVersion() + " there");
        if (p.steps() != s.steps()) d.add("steps " + s.steps() + " here, " + p.steps() + " there");
        if (p.samples() != s.samples()) d.add("samples " + s.samples() + " here, " + p.samples() + " there");
        if (p.seed() != s.seed()) d.add("seed " + s.seed() + " here, " + p.seed() + " there");
        if (p.strength() != s.strength()) d.add(String.format(Locale.ROOT, "strength %.3g here, %.3g there", s.strength(), p.strength()));
        // only the model adapts (the classical baselines, which have no model hash, ignore the setting)
        boolean adapts = s.adapt() && !m.sha256().isEmpty();
        if (adapts != (p.adaptation() != null))
            d.add("per-series adaptation " + (adapts ? "on" : "off") + " here, " + (adapts ? "off" : "on") + " there");
        // the floor setting only matters where the earlier run read a multi-coil background, which its note records (and
        // only the model removes it)
        Optional<Boolean> keptThere = CoilFloorRemoval.recordedIn(p.noiseNote());
        if (keptThere.isPresent() && keptThere.get() != s.keepCoilFloor() && !m.sha256().isEmpty())
            d.add("multi-coil noise floor " + (s.keepCoilFloor() ? "kept" : "removed") + " here, " + (keptThere.get() ? "kept" : "removed") + " there");
        if (!Double.isNaN(s.noiseSigma())) {
            for (double v : p.noiseSigmaPerSlice()) {
                if (Math.abs(v - s.noiseSigma()) > 1e-6 * Math.max(1, Math.abs(s.noiseSigma()))) {
                    d.add(String.format(Locale.ROOT, "noise sigma %s here, %s there", s.noiseSigma(), v));
                    break;
                }
            }
        }
        return d;
    }
}
