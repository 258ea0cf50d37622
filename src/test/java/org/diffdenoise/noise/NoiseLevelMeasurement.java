package org.diffdenoise.noise;

import java.util.SplittableRandom;

import org.diffdenoise.api.NoiseFamily;
import org.junit.jupiter.api.Test;

/** Prints estimator accuracy on phantoms and real images (run explicitly: -Dtest=NoiseLevelMeasurement). */
class NoiseLevelMeasurement {

    @Test
    void measure() throws Exception {
        TestImages.Image cam = TestImages.camera(), mrp = TestImages.mrPhantom(256, 256), xr = TestImages.xrayPhantom(512, 512);
        TestImages.Image brain = TestImages.brainMr(10);
        System.out.printf("brain %dx%d range %.1f%n", brain.w(), brain.h(), brain.range());
        double native0 = NoiseLevelEstimator.rician(brain.px(), brain.w(), brain.h()).sigma();
        System.out.println("brain native: " + NoiseLevelEstimator.rician(brain.px(), brain.w(), brain.h()));
        System.out.println("camera native: " + NoiseLevelEstimator.gaussian(cam.px(), cam.w(), cam.h()));
        for (double f : new double[] {0.02, 0.05, 0.10}) {
            for (int seed = 1; seed <= 2; seed++) {
                SplittableRandom rng = new SplittableRandom(seed);
                double s = f * cam.range();
                NoiseEstimate g = NoiseLevelEstimator.gaussian(new GaussianNoise(s).degrade(cam.px(), rng), cam.w(), cam.h());
                System.out.printf("camera gauss %.2f: true %.3f est %.3f ratio %.3f%n", f, s, g.sigma(), g.sigma() / s);
                s = f * mrp.range();
                NoiseEstimate r = NoiseLevelEstimator.rician(new RicianNoise(s).degrade(mrp.px(), rng), mrp.w(), mrp.h());
                System.out.printf("mrphantom rice %.2f: true %.4f est %.4f ratio %.3f %s%n", f, s, r.sigma(), r.sigma() / s, r.method());
                NoiseEstimate ga = NoiseLevelEstimator.gaussian(new RicianNoise(s).degrade(mrp.px(), rng), mrp.w(), mrp.h());
                System.out.printf("   (all-block MAD would give ratio %.3f)%n", ga.sigma() / s);
                s = f * brain.range();
                r = NoiseLevelEstimator.rician(new RicianNoise(s).degrade(brain.px(), rng), brain.w(), brain.h());
                System.out.printf("brain rice %.2f: added %.2f expected hypot(added, native) %.2f est %.2f ratio %.3f %s%n", f, s, Math.hypot(s, native0), r.sigma(), r.sigma() / Math.hypot(s, native0), r.method());
                // Poisson-Gaussian: read noise = half of the sigma at mid range
                for (TestImages.Image im : new TestImages.Image[] {xr, cam}) {
                    double range = im.range(), mid = range * 0.5;
                    double sig = f * range, read = 0.5 * sig, gain = (sig * sig - read * read) / mid;
                    NoiseEstimate p = NoiseLevelEstimator.poissonGaussian(new PoissonGaussianNoise(gain, read).degrade(im.px(), rng), im.w(), im.h());
                    System.out.printf("pg %s %.2f: gain %.4g/%.4g read %.4g/%.4g  sigma@0.2 %.3f sigma@0.5 %.3f sigma@0.9 %.3f%n", im == xr ? "xray" : "cam", f,
                            p.gain(), gain, p.readSigma(), read,
                            ratio(p, gain, read, 0.2 * range), ratio(p, gain, read, 0.5 * range), ratio(p, gain, read, 0.9 * range));
                }
            }
        }
        System.out.println(NoiseLevelEstimator.estimate(brain.px(), brain.w(), brain.h(), NoiseFamily.RICIAN_MR));
    }


    @Test
    void measureAllBrainSlices() throws Exception {
        for (int z = 1; z <= 20; z++) {
            TestImages.Image b = TestImages.brainMr(z);
            NoiseEstimate n0 = NoiseLevelEstimator.rician(b.px(), b.w(), b.h());
            StringBuilder sb = new StringBuilder(String.format("slice %2d range %6.1f native %6.2f |", z, b.range(), n0.sigma()));
            for (double f : new double[] {0.02, 0.05, 0.10}) {
                double s = f * b.range();
                NoiseEstimate e = NoiseLevelEstimator.rician(new RicianNoise(s).degrade(b.px(), new SplittableRandom(z)), b.w(), b.h());
                sb.append(String.format(" %.0f%%: %.3f %s", f * 100, e.sigma() / Math.hypot(s, n0.sigma()), e.method().startsWith("rician: mean") ? "bg+fg" : "fg"));
            }
            System.out.println(sb);
        }
    }

    static double ratio(NoiseEstimate p, double gain, double read, double x) {
        return Math.sqrt(p.gain() * x + p.readSigma() * p.readSigma()) / Math.sqrt(gain * x + read * read);
    }
}
