package org.diffdenoise.diffusion;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.model.DenoisingNetwork;

/** Networks with known behaviour for testing the sampling and tiling machinery. */
final class FakeNetworks {

    /** Base: records calls, 4 condition channels, a configurable size multiple. */
    abstract static class Fake implements DenoisingNetwork {
        final int multiple;
        final List<int[]> calls = new ArrayList<>(); // {n, h, w}
        final List<float[]> times = new ArrayList<>();
        IntConsumer onCall = k -> { };

        Fake(int multiple) {
            this.multiple = multiple;
        }

        @Override
        public final float[] predictX0(int n, int h, int w, float[] xt, float[] cond, float[] t, NoiseFamily family) {
            if (h % multiple != 0 || w % multiple != 0) throw new AssertionError("size " + w + "x" + h + " not a multiple of " + multiple);
            if (cond.length != n * h * w * 4 || xt.length != n * h * w || t.length != n) throw new AssertionError("bad shapes");
            for (float v : cond) if (!Float.isFinite(v)) throw new AssertionError("non-finite conditioning value");
            calls.add(new int[] {n, h, w});
            times.add(t.clone());
            onCall.accept(calls.size());
            float[] out = new float[n * h * w];
            for (int i = 0; i < out.length; i++) out[i] = x0(xt[i], cond, i);
            return out;
        }

        abstract float x0(float xt, float[] cond, int pixel);

        @Override
        public int conditionChannels() {
            return 4;
        }

        @Override
        public int sizeMultiple() {
            return multiple;
        }

        @Override
        public String device() {
            return "fake";
        }

        @Override
        public void close() {
        }
    }

    /** Returns the noisy slice itself (conditioning channel 0). */
    static Fake identity(int multiple) {
        return new Fake(multiple) {
            @Override
            float x0(float xt, float[] cond, int p) {
                return cond[p * 4];
            }
        };
    }

    /** Adds 0.01 times the pixel's column index to the state-dependent prediction: not mirror-symmetric. */
    static Fake positionDependent(int multiple, int width) {
        return new Fake(multiple) {
            @Override
            float x0(float xt, float[] cond, int p) {
                return 0.5f * cond[p * 4] + 0.5f * xt + 0.01f * (p % width);
            }
        };
    }

    /** Depends on the diffusion state too, so stochastic steps change its output. */
    static Fake stateDependent(int multiple) {
        return new Fake(multiple) {
            @Override
            float x0(float xt, float[] cond, int p) {
                return 0.5f * cond[p * 4] + 0.5f * xt;
            }
        };
    }
}
