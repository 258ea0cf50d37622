package org.diffdenoise.dicom.pixelmed;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;

/**
 * The vendor private elements a derived image keeps from its source: those that say how the slices were acquired
 * (diffusion b-value and direction, mosaic count, slice times, pulse sequence), which converters such as dcm2niix read
 * to make a diffusion or fMRI volume of the series. Every other private element is removed, because some describe the
 * old pixels (GE's histogram tables and pixel ranges, Philips' private rescale).
 */
final class AcquisitionPrivateData {

    /**
     * The elements kept of the private blocks whose creator is {@code creator}: in {@code group} (0 for any group), the
     * element bytes listed, or the whole block when {@code elements} is empty.
     */
    private record KeptBlock(String creator, int group, Set<Integer> elements) {
        boolean keeps(int element) {
            return elements.isEmpty() || elements.contains(element);
        }
    }

    private static final List<KeptBlock> KEPT = List.of(
            // Siemens: the MR header (0019, 0051) and the CSA headers (0029) hold nothing but the acquisition
            new KeptBlock(SiemensPrivate.MR_HEADER, 0, Set.of()),
            new KeptBlock(SiemensPrivate.CSA_HEADER, 0, Set.of()),
            // GE: pulse sequence names, diffusion direction
            new KeptBlock("GEMS_ACQU_01", 0x0019, Set.of(0x9C, 0x9E, 0xBB, 0xBC, 0xBD)),
            // GE: locations in acquisition, slice acquisition times (RTIA timer)
            new KeptBlock("GEMS_RELA_01", 0x0021, Set.of(0x4F, 0x5E)),
            // GE: the protocol data block (slice order, phase encoding polarity, multiband)
            new KeptBlock("GEMS_SERS_01", 0x0025, Set.of(0x1B)),
            // GE: effective echo spacing, raw data type (magnitude, phase...), b-value, ASSET factors, phase direction
            new KeptBlock("GEMS_PARM_01", 0x0043, Set.of(0x2C, 0x2F, 0x39, 0x83, 0x8A)),
            // Philips: b-value, diffusion direction label, phase number, slice number, slice orientation
            new KeptBlock("Philips Imaging DD 001", 0x2001, Set.of(0x03, 0x04, 0x08, 0x0A, 0x0B)),
            // Philips: diffusion direction (RL, AP, FH); not the private rescale (0x0D, 0x0E) of the old pixels
            new KeptBlock("Philips MR Imaging DD 001", 0x2005, Set.of(0xB0, 0xB1, 0xB2)));

    private AcquisitionPrivateData() {
    }

    /** The private creators and elements of {@code source} that a derived image keeps (see the class comment). */
    static List<Attribute> of(AttributeList source) {
        List<Attribute> kept = new ArrayList<>();
        for (AttributeTag t : new ArrayList<>(source.keySet())) {
            if (t.getGroup() % 2 == 0 || t.getElement() < 0x10 || t.getElement() > 0xFF) continue;
            String c = Attribute.getSingleStringValueOrNull(source, t);
            KeptBlock rule = c == null ? null : rule(c.trim(), t.getGroup());
            if (rule == null) continue;
            List<Attribute> elements = new ArrayList<>();
            for (int e = 0; e <= 0xFF; e++) {
                Attribute a = rule.keeps(e) ? source.get(new AttributeTag(t.getGroup(), (t.getElement() << 8) | e)) : null;
                if (a != null) elements.add(a);
            }
            if (elements.isEmpty()) continue;
            kept.add(source.get(t));
            kept.addAll(elements);
        }
        return kept;
    }

    private static KeptBlock rule(String creator, int group) {
        for (KeptBlock b : KEPT) {
            if (b.creator().equals(creator) && (b.group() == 0 || b.group() == group)) return b;
        }
        return null;
    }
}
