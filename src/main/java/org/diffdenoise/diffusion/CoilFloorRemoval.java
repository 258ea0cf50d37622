package org.diffdenoise.diffusion;

import java.util.Optional;

import org.diffdenoise.noise.CoilFloor;
import org.diffdenoise.noise.MultiCoilBackground;

/**
 * Multi-coil magnitude MR before it is denoised: when the series' background reads as several coils
 * ({@link MultiCoilBackground}), their noncentral-chi floor is removed ({@link CoilFloor}) from the stack the denoiser reads, so that the
 * network, trained on one coil's Rician noise, sees Rician-like statistics, unless the settings ask to keep it. Other
 * families and single-coil MR pass as they are. The note says which was done; {@link #recordedIn} reads it back.
 */
public final class CoilFloorRemoval {

    private static final String REMOVED = "its noise floor was removed before denoising";
    private static final String KEPT = "its noise floor was kept, as asked";

    /** The request to denoise, and what was done to it in words (null when nothing was). */
    record Applied(DenoiseRequest request, String note) {
    }

    private CoilFloorRemoval() {
    }

    /** @param air the request's air ({@link MultiCoilBackground#background}; {@code NONE} for other families) */
    static Applied apply(DenoiseRequest request, MultiCoilBackground.SeriesBackground air) {
        Optional<CoilFloor> found = air.floor();
        if (found.isEmpty()) return new Applied(request, null);
        SliceStack src = request.stack();
        CoilFloor floor = found.get();
        String read = "multi-coil magnitude background (" + floor.reading().describe() + ", read from the air): ";
        if (request.settings().keepCoilFloor())
            return new Applied(request, read + KEPT + " (the output keeps the background's level; the network expects one coil's "
                    + "noise, so the floor is not removed)");
        return new Applied(request.withStack(src.mapped(v -> floor.remove((float) v))),
                read + REMOVED + " (2 (N - 1) sigma^2 off the squared magnitude; the background mapped onto one coil's)");
    }

    /**
     * What a run's noise note says was done with a multi-coil floor: true when it was kept, false when it was removed,
     * empty when the series did not read as multi-coil (then keeping or removing makes no difference).
     */
    public static Optional<Boolean> recordedIn(String noiseNote) {
        if (noiseNote == null) return Optional.empty();
        if (noiseNote.contains(KEPT)) return Optional.of(true);
        if (noiseNote.contains(REMOVED)) return Optional.of(false);
        return Optional.empty();
    }
}
