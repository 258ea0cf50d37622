package org.diffdenoise.dicom;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

/**
 * What is written for one source series: the denoised pixels (modality values, the source's shape) and,
 * optionally, a per-pixel uncertainty map (standard deviation across samples, modality units, same shape), which
 * becomes a second derived series beside the first.
 *
 * @param denoised    never null
 * @param uncertainty null when there is none (one sample)
 */
public record DerivedImages(RandomAccessibleInterval<FloatType> denoised, RandomAccessibleInterval<FloatType> uncertainty) {
    public DerivedImages {
        if (denoised == null) throw new IllegalArgumentException("denoised pixels must not be null");
    }
}
