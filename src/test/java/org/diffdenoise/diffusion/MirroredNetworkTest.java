package org.diffdenoise.diffusion;

import static org.junit.jupiter.api.Assertions.*;

import org.diffdenoise.api.NoiseFamily;
import org.diffdenoise.model.DenoisingNetwork;
import org.junit.jupiter.api.Test;

class MirroredNetworkTest {

    @Test
    void flipZeroIsTheNetworkItself() {
        DenoisingNetwork net = FakeNetworks.identity(4);
        assertSame(net, MirroredNetwork.of(net, 0));
        DenoisingNetwork lr = MirroredNetwork.of(net, 1);
        assertNotSame(net, lr);
        assertEquals(net.conditionChannels(), lr.conditionChannels());
        assertEquals(net.sizeMultiple(), lr.sizeMultiple());
        assertEquals(net.device(), lr.device());
    }

    @Test
    void theNetworkSeesTheMirroredImageAndItsPredictionComesBackUnmirrored() {
        int n = 2, h = 4, w = 8, m = h * w;
        float[] xt = new float[n * m];
        float[] cond = DiffusionSamplerTest.cond(n, m, 3);
        for (int i = 0; i < xt.length; i++) xt[i] = i * 0.1f;
        float[] t = {0.3f, 0.3f};
        float[] plain = FakeNetworks.positionDependent(4, w).predictX0(n, h, w, xt, cond, t, NoiseFamily.GAUSSIAN_CT);
        // up-down: the column-dependent term is unchanged and every pixel's own values come back to it
        float[] ud = MirroredNetwork.of(FakeNetworks.positionDependent(4, w), 2).predictX0(n, h, w, xt, cond, t, NoiseFamily.GAUSSIAN_CT);
        assertArrayEquals(plain, ud);
        // left-right: the network saw column x at w - 1 - x, so the column term is reversed
        float[] lr = MirroredNetwork.of(FakeNetworks.positionDependent(4, w), 1).predictX0(n, h, w, xt, cond, t, NoiseFamily.GAUSSIAN_CT);
        for (int i = 0; i < n * m; i++) {
            int x = i % w;
            assertEquals(0.01f * ((w - 1 - x) - x), lr[i] - plain[i], 1e-5f, "pixel " + i);
        }
        // the caller's arrays are left as they were
        for (int i = 0; i < xt.length; i++) assertEquals(i * 0.1f, xt[i]);
    }
}
