package org.diffdenoise.dicom.pixelmed;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FloatDoubleAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.UnlimitedTextAttribute;

import org.diffdenoise.dicom.Provenance;
import org.diffdenoise.dicom.ProvenanceText;

/** The machine-readable provenance of a derived instance, in a private block (see docs/dicom.md). */
final class PrivateProvenance {
    static final int PRIVATE_GROUP = 0x0011;
    static final String PRIVATE_CREATOR = "DIFFDENOISE 1";
    static final AttributeTag PRIVATE_CREATOR_TAG = new AttributeTag(PRIVATE_GROUP, 0x0010);
    /** UT: the full provenance as JSON. */
    static final AttributeTag PROVENANCE_JSON_TAG = new AttributeTag(PRIVATE_GROUP, 0x1001);
    /** FD, one value per frame: estimated noise sigma in modality units. */
    static final AttributeTag NOISE_SIGMA_TAG = new AttributeTag(PRIVATE_GROUP, 0x1002);
    /** LO: model SHA-256 (64 hex digits). */
    static final AttributeTag MODEL_SHA256_TAG = new AttributeTag(PRIVATE_GROUP, 0x1003);

    private PrivateProvenance() {
    }

    /**
     * Puts the private creator, the provenance JSON of a series of {@code kind} ("denoised" or "uncertainty"), the
     * noise sigma of each frame (when estimated) and the model's SHA-256 (when known).
     */
    static void apply(AttributeList d, Provenance p, double[] sigmas, String kind) throws DicomException {
        LongStringAttribute creator = new LongStringAttribute(PRIVATE_CREATOR_TAG);
        creator.addValue(PRIVATE_CREATOR);
        d.put(creator);
        UnlimitedTextAttribute json = new UnlimitedTextAttribute(PROVENANCE_JSON_TAG);
        json.addValue(DerivedText.asciiJson(ProvenanceText.json(p, sigmas, kind)));
        d.put(json);
        if (sigmas.length > 0) {
            FloatDoubleAttribute sigma = new FloatDoubleAttribute(NOISE_SIGMA_TAG);
            for (double s : sigmas) {
                sigma.addValue(s);
            }
            d.put(sigma);
        }
        if (p.modelSha256() != null && !p.modelSha256().isEmpty()) {
            LongStringAttribute sha = new LongStringAttribute(MODEL_SHA256_TAG);
            sha.addValue(p.modelSha256().length() > 64 ? p.modelSha256().substring(0, 64) : p.modelSha256());
            d.put(sha);
        }
    }
}
