package org.diffdenoise.dicom.pixelmed;

import static org.diffdenoise.dicom.pixelmed.NewAttributes.set;

import java.util.ArrayList;
import java.util.List;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;

import org.diffdenoise.dicom.DicomUids;

/**
 * Who a derived instance is (SOP Common, General Series, General Image): a new SOP Instance UID, the new series'
 * UID, number, description and dates, its instance number, and an Image Type saying DERIVED.
 */
final class IdentityModule {
    private IdentityModule() {
    }

    /** Sets the identity of instance {@code instanceNumber} (1-based) of the derived series. */
    static void apply(AttributeList d, AttributeList source, DerivedInstanceFactory.SeriesContext series,
                      int instanceNumber) throws DicomException {
        set(d, TagFromName.SOPInstanceUID, DicomUids.newUid());
        set(d, TagFromName.SeriesInstanceUID, series.seriesInstanceUid());
        set(d, TagFromName.SeriesNumber, Integer.toString(series.seriesNumber()));
        set(d, TagFromName.InstanceNumber, Integer.toString(instanceNumber));
        set(d, TagFromName.SeriesDescription, series.seriesDescription());
        set(d, TagFromName.SeriesDate, series.date());
        set(d, TagFromName.SeriesTime, series.time());
        set(d, TagFromName.ContentDate, series.date());
        set(d, TagFromName.ContentTime, series.time());
        set(d, TagFromName.InstanceCreationDate, series.date());
        set(d, TagFromName.InstanceCreationTime, series.time());
        set(d, TagFromName.ImageType, imageType(source));
    }

    /**
     * Value 1 DERIVED, value 2 SECONDARY, later values kept (e.g. CT's AXIAL). Enhanced multi-frame objects (with
     * functional groups) allow only PRIMARY as value 2, so they keep it.
     */
    private static String[] imageType(AttributeList source) throws DicomException {
        Attribute a = source.get(TagFromName.ImageType);
        String[] old = a == null ? new String[0] : a.getStringValues();
        boolean enhanced = source.get(TagFromName.SharedFunctionalGroupsSequence) != null;
        List<String> values = new ArrayList<>(List.of("DERIVED", enhanced ? "PRIMARY" : "SECONDARY"));
        for (int i = 2; old != null && i < old.length; i++) {
            values.add(old[i]);
        }
        return values.toArray(new String[0]);
    }
}
