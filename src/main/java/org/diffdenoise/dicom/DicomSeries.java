package org.diffdenoise.dicom;

import java.util.List;
import java.util.Objects;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

/** A decoded series: float modality values (x, y, slice), per-slice geometry and encoding, and the source headers. */
public final class DicomSeries {
    private final SeriesRef ref;
    private final RandomAccessibleInterval<FloatType> pixels;
    private final List<SliceGeometry> geometry;
    private final List<StoredEncoding> encodings;
    private final SourceHeaders sourceHeaders;
    private final MosaicLayout mosaic;

    public DicomSeries(SeriesRef ref, RandomAccessibleInterval<FloatType> pixels, List<SliceGeometry> geometry,
                       List<StoredEncoding> encodings, SourceHeaders sourceHeaders) {
        this(ref, pixels, geometry, encodings, sourceHeaders, null);
    }

    /** @param mosaic the tiling of each stored image when they are Siemens mosaics, or null */
    public DicomSeries(SeriesRef ref, RandomAccessibleInterval<FloatType> pixels, List<SliceGeometry> geometry,
                       List<StoredEncoding> encodings, SourceHeaders sourceHeaders, MosaicLayout mosaic) {
        this.mosaic = mosaic;
        this.ref = Objects.requireNonNull(ref);
        this.pixels = Objects.requireNonNull(pixels);
        this.geometry = List.copyOf(geometry);
        this.encodings = List.copyOf(encodings);
        this.sourceHeaders = Objects.requireNonNull(sourceHeaders);
        long n = pixels.numDimensions() == 3 ? pixels.dimension(2) : 1;
        if (this.geometry.size() != n || this.encodings.size() != n) {
            throw new IllegalArgumentException("geometry/encoding count does not match " + n + " slices");
        }
    }

    /** The scan entry this series was loaded from. */
    public SeriesRef ref() {
        return ref;
    }

    /** Pixels in modality units (Rescale Slope/Intercept applied), dimensions (columns, rows, slices). */
    public RandomAccessibleInterval<FloatType> pixels() {
        return pixels;
    }

    /** Per-slice source and geometry, in slice order. */
    public List<SliceGeometry> geometry() {
        return geometry;
    }

    /** Encoding of the first slice (bits, signedness, rescale, photometric). */
    public StoredEncoding encoding() {
        return encodings.get(0);
    }

    /** Encoding of one slice (rescale may differ between slices). */
    public StoredEncoding encoding(int slice) {
        return encodings.get(slice);
    }

    /** Encodings of all slices, in slice order. */
    public List<StoredEncoding> encodings() {
        return encodings;
    }

    /** True when the photometric interpretation is MONOCHROME1; pixels are kept as stored (not inverted). */
    public boolean monochrome1() {
        return encoding().monochrome1();
    }

    /** (row spacing, column spacing) in mm of the first slice, or null when absent. */
    public double[] pixelSpacing() {
        double[] s = geometry.get(0).pixelSpacing();
        return s == null ? null : s.clone();
    }

    /** Number of slices (frames). */
    public int sliceCount() {
        return geometry.size();
    }

    /**
     * How each stored image tiles the slices of a volume when the series is a Siemens mosaic (each slice of
     * {@link #pixels()} is then one whole mosaic), or null.
     */
    public MosaicLayout mosaic() {
        return mosaic;
    }

    /** Backend-private source headers used by the writer. */
    public SourceHeaders sourceHeaders() {
        return sourceHeaders;
    }
}
