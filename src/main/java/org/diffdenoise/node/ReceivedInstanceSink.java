package org.diffdenoise.node;

import java.io.IOException;

/** Takes each received instance into durable storage before the sender is told it was stored. */
public interface ReceivedInstanceSink {

    /** Moves the instance's file into the queue; an exception makes the C-STORE answer a failure. */
    void store(ReceivedInstance instance) throws IOException;
}
