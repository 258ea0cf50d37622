package org.diffdenoise.bench.data;

import org.diffdenoise.image.FloatImage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Minimal NIfTI-1 reader (.nii or .nii.gz, single file): header dims, datatype, vox_offset, scl_slope/scl_inter,
 * either byte order. Enough to take axial slices out of template volumes.
 */
public final class NiftiReader {

    /** A 3D volume, x fastest, in scaled units (scl_slope applied when non-zero). */
    public record Volume(int nx, int ny, int nz, float[] data) {
        /** Axial slice z flipped vertically so that anterior is at the top, as radiological displays show it. */
        public FloatImage axial(int z) {
            if (z < 0 || z >= nz) throw new IllegalArgumentException("slice " + z + " outside 0.." + (nz - 1));
            float[] s = new float[nx * ny];
            for (int y = 0; y < ny; y++) System.arraycopy(data, z * nx * ny + y * nx, s, (ny - 1 - y) * nx, nx);
            return new FloatImage(nx, ny, s);
        }
    }

    private NiftiReader() {
    }

    public static Volume read(Path file) throws IOException {
        byte[] all;
        try (InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file)) {
            all = in.readAllBytes();
        } catch (IOException e) {
            throw new IOException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (all.length < 348) throw new IOException(file + ": too short for a NIfTI-1 header");
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 348) {
            b.order(ByteOrder.BIG_ENDIAN);
            if (b.getInt(0) != 348) throw new IOException(file + ": sizeof_hdr is not 348: not NIfTI-1");
        }
        String magic = new String(all, 344, 3, java.nio.charset.StandardCharsets.US_ASCII);
        if (!magic.equals("n+1") && !magic.equals("ni1")) throw new IOException(file + ": bad NIfTI magic '" + magic + "'");
        int ndim = b.getShort(40);
        int nx = b.getShort(42), ny = b.getShort(44), nz = ndim >= 3 ? b.getShort(46) : 1;
        int datatype = b.getShort(70);
        int voxOffset = (int) b.getFloat(108);
        float slope = b.getFloat(112), inter = b.getFloat(116);
        if (slope == 0 || !Float.isFinite(slope)) { slope = 1; inter = 0; }
        long n = (long) nx * ny * nz;
        int bytes = switch (datatype) {
            case 2, 256 -> 1;      // uint8, int8
            case 4, 512 -> 2;      // int16, uint16
            case 8, 16, 768 -> 4;  // int32, float32, uint32
            case 64 -> 8;          // float64
            default -> throw new IOException(file + ": NIfTI datatype " + datatype + " is not supported");
        };
        if (voxOffset + n * bytes > all.length) throw new IOException(file + ": data shorter than header says");
        float[] d = new float[(int) n];
        for (int i = 0; i < n; i++) {
            int p = voxOffset + i * bytes;
            double v = switch (datatype) {
                case 2 -> all[p] & 0xff;
                case 256 -> all[p];
                case 4 -> b.getShort(p);
                case 512 -> b.getShort(p) & 0xffff;
                case 8 -> b.getInt(p);
                case 768 -> b.getInt(p) & 0xffffffffL;
                case 16 -> b.getFloat(p);
                default -> b.getDouble(p);
            };
            d[i] = (float) (v * slope + inter);
        }
        return new Volume(nx, ny, nz, d);
    }
}
