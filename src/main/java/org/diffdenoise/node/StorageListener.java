package org.diffdenoise.node;

/** A running Storage SCP; closing it stops accepting associations. */
public interface StorageListener extends AutoCloseable {

    /** The TCP port it listens on. */
    int port();

    @Override
    void close();
}
