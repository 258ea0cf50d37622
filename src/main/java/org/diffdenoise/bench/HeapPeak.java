package org.diffdenoise.bench;

import java.lang.management.ManagementFactory;

/** The highest used heap seen at the benchmark's sample points (after each denoise). */
final class HeapPeak {
    private long peak;

    void sample() {
        peak = Math.max(peak, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    long peak() {
        return peak;
    }
}
