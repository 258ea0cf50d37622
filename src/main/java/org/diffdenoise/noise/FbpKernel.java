package org.diffdenoise.noise;

/**
 * Reconstruction kernels of filtered back-projection: the ramp |f| times a window W(f), f in cycles per pixel
 * (Nyquist 0.5). The noise power spectrum of the reconstruction follows |f| W(f)^2: the ramp gives the finest,
 * sharpest noise, the soft-tissue kernel blotchy low-frequency noise.
 */
public enum FbpKernel {
    /** W = 1 (Ram-Lak). */
    RAMP("ramp"),
    /** W = sinc(f / (2 f_N)). */
    SHEPP_LOGAN("Shepp-Logan"),
    /** W = (1 + cos(pi f / f_N)) / 2. */
    HANN("Hann"),
    /** A smooth soft-tissue kernel: a Hann window reaching zero at 0.6 f_N. */
    SOFT_TISSUE("soft tissue");

    private final String label;

    FbpKernel(String label) {
        this.label = label;
    }

    /** A readable name. */
    public String label() {
        return label;
    }

    /** The window at frequency f (cycles per pixel, 0 to 0.5). */
    public double window(double f) {
        double nyq = 0.5;
        return switch (this) {
            case RAMP -> 1;
            case SHEPP_LOGAN -> {
                double x = Math.PI * f / (2 * nyq);
                yield x == 0 ? 1 : Math.sin(x) / x;
            }
            case HANN -> 0.5 * (1 + Math.cos(Math.PI * f / nyq));
            case SOFT_TISSUE -> f >= 0.6 * nyq ? 0 : 0.5 * (1 + Math.cos(Math.PI * f / (0.6 * nyq)));
        };
    }
}
