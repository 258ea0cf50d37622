package org.diffdenoise.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;

class ProvenanceTextTest {

    static Provenance provenance(String meaning) {
        return new Provenance("conditioned reverse diffusion (DDIM)", "unet", "1", "abc", 2, 4, 42, new double[] {3.5}, "DiffDenoise", "0.1",
                meaning);
    }

    @Test
    void uncertaintyDescriptionSaysWhatTheValuesAre() {
        String meaning = "estimated standard deviation of the error of the denoised value (modality units); calibrated: sd = "
                + "sqrt((2.86 x spread)^2 + (0.413 x noise sigma)^2), RICIAN_MR fit of 2026-12-05T19:56:57Z on 9 simulated cases";
        String d = ProvenanceText.uncertaintySummary(provenance(meaning), new double[] {3.5});
        assertTrue(d.startsWith("Uncertainty: estimated standard deviation of the error"), d);
        assertTrue(d.contains("0.413 x noise sigma") && d.contains("4 samples"), d);
        assertTrue(d.length() <= ProvenanceText.MAX_DERIVATION_DESCRIPTION);
        JsonObject o = JsonParser.parseString(ProvenanceText.json(provenance(meaning), new double[] {3.5}, "uncertainty")).getAsJsonObject();
        assertEquals(meaning, o.get("uncertaintyMeaning").getAsString());
        JsonObject denoised = JsonParser.parseString(ProvenanceText.json(provenance(meaning), new double[] {3.5}, "denoised")).getAsJsonObject();
        assertFalse(denoised.has("uncertaintyMeaning"), "the denoised series does not carry the map's meaning");
    }

    @Test
    void withoutAMeaningTheOldWordingStays() {
        Provenance p = new Provenance("m", "unet", "1", "abc", 2, 3, 42, new double[0], "DiffDenoise", "0.1");
        assertTrue(ProvenanceText.uncertaintySummary(p, new double[0])
                .startsWith("Uncertainty: per-pixel standard deviation across 3 samples of the reverse diffusion (modality units)."));
    }

    @Test
    void theAdaptationIsDescribedStoredAndReadBack() {
        String a = "adaptation: sigma map x 1.3, from 2^(i/4) in [0.5, 4] by a recorruption loss against a white-noise control in 4.1 s";
        Provenance p = new Provenance("m", "unet", "1", "abc", 2, 1, 42, new double[] {3.5}, "DiffDenoise", "0.1", null, a);
        assertTrue(ProvenanceText.summary(p, new double[] {3.5}).contains("; " + a + "; estimated noise sigma"));
        RecordedDerivation back = RecordedDerivation.fromJson("1.2.3", ProvenanceText.json(p, new double[] {3.5}));
        assertEquals(a, back.provenance().adaptation());
        Provenance plain = new Provenance("m", "unet", "1", "abc", 2, 1, 42, new double[] {3.5}, "DiffDenoise", "0.1");
        assertFalse(ProvenanceText.json(plain, new double[] {3.5}).contains("adaptation"), "a run without --adapt records none");
        assertEquals(null, RecordedDerivation.fromJson("1.2.3", ProvenanceText.json(plain, new double[] {3.5})).provenance().adaptation());
    }

    @Test
    void aNoteOnCorrelatedNoiseFollowsTheSigmaAndIsStoredAndReadBack() {
        String note = "noise spatially correlated (Haar scale-2 / scale-1 variance ratio 11.7, about 1 for white noise): the estimated "
                + "sigma is the level the model is conditioned on and can exceed the pixel standard deviation";
        Provenance p = new Provenance("m", "unet", "1", "abc", 2, 1, 42, new double[] {40.6}, "DiffDenoise", "0.1", null, null, note);
        assertTrue(ProvenanceText.summary(p, new double[] {40.6}).endsWith("estimated noise sigma 40.60 (modality units); " + note),
                ProvenanceText.summary(p, new double[] {40.6}));
        assertTrue(ProvenanceText.uncertaintySummary(p, new double[] {40.6}).contains(note));
        assertEquals(note, RecordedDerivation.fromJson("1.2.3", ProvenanceText.json(p, new double[] {40.6})).provenance().noiseNote());
        Provenance plain = new Provenance("m", "unet", "1", "abc", 2, 1, 42, new double[] {3.5}, "DiffDenoise", "0.1");
        assertFalse(ProvenanceText.json(plain, new double[] {3.5}).contains("noiseNote"), "white noise: no note");
        assertEquals(null, RecordedDerivation.fromJson("1.2.3", ProvenanceText.json(plain, new double[] {3.5})).provenance().noiseNote());
    }

    @Test
    void aStrengthOtherThanOneIsDescribedStoredAndReadBack() {
        Provenance p = new Provenance("m", "unet", "1", "abc", 2, 1, 42, new double[] {3.5}, "DiffDenoise", "0.1", null, null, null, 0.5);
        assertTrue(ProvenanceText.summary(p, new double[] {3.5}).contains("; seed 42; strength 0.5000 (times the noise level); estimated"),
                ProvenanceText.summary(p, new double[] {3.5}));
        assertEquals(0.5, RecordedDerivation.fromJson("1.2.3", ProvenanceText.json(p, new double[] {3.5})).provenance().strength());
        Provenance plain = new Provenance("m", "unet", "1", "abc", 2, 1, 42, new double[] {3.5}, "DiffDenoise", "0.1");
        assertFalse(ProvenanceText.json(plain, new double[] {3.5}).contains("strength"), "outputs at strength 1 read as before");
        assertFalse(ProvenanceText.summary(plain, new double[] {3.5}).contains("strength"));
        assertEquals(1, RecordedDerivation.fromJson("1.2.3", ProvenanceText.json(plain, new double[] {3.5})).provenance().strength());
    }
}
