package org.diffdenoise.node;

import java.io.IOException;
import java.util.Set;

/** Takes each received instance into durable storage before the sender is told it was stored. */
public interface ReceivedInstanceSink {

    /** Moves the instance's file into the queue; an exception makes the C-STORE answer a failure. */
    void store(ReceivedInstance instance) throws IOException;

    /**
     * At the end of an association in which instances were refused for lack of resources (a full disk): their SOP
     * Instance UIDs and the series the association stored instances of (a refused instance's own series is not known
     * when its data set could not be written). The sender is expected to send them again.
     */
    default void refused(Set<String> seriesInstanceUids, Set<String> sopInstanceUids) {
    }
}
