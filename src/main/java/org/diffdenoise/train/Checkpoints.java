package org.diffdenoise.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import org.diffdenoise.api.FileTrees;
import org.tensorflow.Session;

/** Checkpoint folders: every variable of a session (weights, Adam slots, EMA) plus the training state as JSON. */
final class Checkpoints {

    private Checkpoints() {
    }

    /** Saves the session's variables and the state into {@code dir}; the previous checkpoint is replaced atomically. */
    static void save(Session session, Path dir, Trainer.CheckpointState state) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, dir.getFileName() + ".tmp");
        session.save(tmp.resolve("model").toString());
        Files.writeString(tmp.resolve("state.json"), new GsonBuilder().setPrettyPrinting().create().toJson(state),
                StandardCharsets.UTF_8);
        FileTrees.replaceDirectory(tmp, dir);
    }

    /** Restores the variables saved by {@link #save} into the session and returns the state. */
    static Trainer.CheckpointState restore(Session session, Path dir) throws IOException {
        Path stateFile = dir.resolve("state.json");
        if (!Files.isRegularFile(stateFile)) throw new IOException("no checkpoint in " + dir + " (missing state.json)");
        Trainer.CheckpointState state = new Gson().fromJson(Files.readString(stateFile), Trainer.CheckpointState.class);
        session.restore(dir.resolve("model").toString());
        return state;
    }
}
