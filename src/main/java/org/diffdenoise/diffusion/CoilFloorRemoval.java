package org.diffdenoise.diffusion;

import java.util.Optional;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.noise.CoilFloor;
import org.diffdenoise.noise.MultiCoilBackground;

/**
 * Multi-coil magnitude MR before it is denoised: when the series' background reads as several coils
 * ({@link MultiCoilBackground}), their noncentral-chi floor is removed ({@link CoilFloor}) from the stack the denoiser reads, so that the
 * network, trained on one coil's Rician noise, sees Rician-like statistics. Other families and single-coil MR pass as
 * they are.
 */
final class CoilFloorRemoval {

    /** The request to denoise, and what was done to it in words (null when nothing was). */
    record Applied(DenoiseRequest request, String note) {
    }

    private CoilFloorRemoval() {
    }

    static Applied apply(DenoiseRequest request) {
        if (request.family() != NoiseFamily.RICIAN_MR) return new Applied(request, null);
        SliceStack src = request.stack();
        Optional<CoilFloor> found = MultiCoilBackground.floorOf(src::slice, src.depth(), src.width(), src.height());
        if (found.isEmpty()) return new Applied(request, null);
        CoilFloor floor = found.get();
        return new Applied(request.withStack(src.mapped(v -> floor.remove((float) v))),
                "multi-coil magnitude background (" + floor.reading().describe() + ", read from the air): its noise floor was removed before "
                        + "denoising (2 (N - 1) sigma^2 off the squared magnitude; the background mapped onto one coil's)");
    }
}
