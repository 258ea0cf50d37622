package org.diffdenoise.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.diffdenoise.pipeline.BatchOptions;

/**
 * How a DICOM node runs.
 *
 * @param port               TCP port of the Storage SCP (0: any free port)
 * @param aeTitle            the node's AE title (called AE title, and calling AE title when forwarding)
 * @param workDir            the durable queue (see {@link SeriesQueue})
 * @param accept             calling AE titles (and hosts) accepted; empty accepts none
 * @param forward            where derived series are sent (one or more)
 * @param seriesIdle         a series is complete when no instance arrived for it for this long
 * @param denoisers          series denoised at the same time (each holds its own model)
 * @param forwardOriginal    also forward the received instances
 * @param forwardUnprocessed forward a series that cannot be denoised unchanged (else it is only logged)
 * @param batch              denoising options, as for {@code denoise}
 * @param retryFirst         first wait before retrying a destination that failed; doubled up to {@code retryMax}
 */
public record NodeSettings(int port, String aeTitle, Path workDir, List<AcceptedCaller> accept,
                           List<DicomDestination> forward, Duration seriesIdle, int denoisers, boolean forwardOriginal,
                           boolean forwardUnprocessed, BatchOptions batch, Duration retryFirst, Duration retryMax) {
    /** Default idle time that completes a series. */
    public static final Duration DEFAULT_IDLE = Duration.ofSeconds(10);

    public NodeSettings {
        AcceptedCaller.checkAeTitle(aeTitle);
        accept = List.copyOf(accept);
        forward = List.copyOf(forward);
        if (forward.isEmpty()) throw new IllegalArgumentException("at least one --forward destination is needed");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is not in 0-65535");
        if (denoisers < 1) throw new IllegalArgumentException("denoisers must be at least 1");
        if (seriesIdle.isNegative() || seriesIdle.isZero()) throw new IllegalArgumentException("series idle time must be positive");
        if (retryFirst.isNegative() || retryFirst.isZero() || retryMax.compareTo(retryFirst) < 0)
            throw new IllegalArgumentException("retry times must be positive, the maximum at least the first");
    }

    /** Whether an association from {@code callingAe} at {@code address} is accepted. */
    public boolean accepts(String callingAe, java.net.InetAddress address) {
        for (AcceptedCaller c : accept)
            if (c.matches(callingAe, address)) return true;
        return false;
    }
}
