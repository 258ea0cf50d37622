package org.diffdenoise.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

import org.diffdenoise.api.CancelToken;
import org.diffdenoise.dicom.Dicom;
import org.diffdenoise.model.tf.TfNetworks;

/** Test support: a study folder denoised with the shipped model and default options, and what its output says. */
final class ShippedModelStudy {

    private ShippedModelStudy() {
    }

    /** Denoises every series under {@code study} into {@code out} with the shipped model and default options. */
    static BatchReport denoise(Path study, Path out) throws IOException {
        return denoise(study, out, BatchOptions.defaults());
    }

    /** Denoises every series under {@code study} into {@code out} with the shipped model. */
    static BatchReport denoise(Path study, Path out, BatchOptions options) throws IOException {
        StudyDenoiser p = new StudyDenoiser(Dicom.backend(), () -> {
            try {
                return DenoiserRegistry.diffusion(TfNetworks.loadDefault());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            return p.denoiseStudy(study, out, options, BatchListener.NONE, CancelToken.none());
        } finally {
            p.close();
        }
    }

    /** The Derivation Description of the first instance (by file name) of a written series folder. */
    static String derivationDescription(Path dir) throws Exception {
        Path first;
        try (Stream<Path> s = Files.list(dir)) {
            first = s.filter(f -> f.toString().endsWith(".dcm")).sorted().findFirst().orElseThrow();
        }
        AttributeList l = new AttributeList();
        l.read(first.toString());
        return Attribute.getSingleStringValueOrEmptyString(l, TagFromName.DerivationDescription);
    }
}
