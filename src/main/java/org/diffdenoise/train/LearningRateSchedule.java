package org.diffdenoise.train;

/** The learning-rate and EMA-decay schedules of a training run: linear warmup, optional cosine decay, EMA ramp-up. */
public final class LearningRateSchedule {

    private LearningRateSchedule() {
    }

    /** Learning rate at a step: linear warmup over {@code warmup} steps to {@code peak}. */
    public static float warmup(long step, float peak, int warmup) {
        return peak * Math.min(1f, (step + 1) / (float) warmup);
    }

    /** Cosine decay factor at a fraction (0..1, clamped) of the budget: 1 at the start, 5 % at the end. */
    public static float cosineDecay(double fraction) {
        return (float) (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, fraction)))));
    }

    /** EMA decay at a step: ramps up so early averages are not dominated by the random initialization. */
    public static float emaDecay(long step, float max) {
        return Math.min(max, (1f + step) / (10f + step));
    }
}
