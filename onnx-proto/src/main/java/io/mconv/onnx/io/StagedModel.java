package io.mconv.onnx.io;

import java.nio.file.Path;

/**
 * A model written in full under temporary names in the destination's folder, not yet renamed into place.
 *
 * @param modelFile the temporary model file
 * @param dataFile  the temporary external data file, or null when every tensor is inline
 */
public record StagedModel(Path modelFile, Path dataFile) {

    /**
     * True when the temporary model file can be opened on its own. With external data it cannot: the model names
     * its data file by the final name, which does not hold the new bytes until the commit.
     */
    public boolean selfContained() {
        return dataFile == null;
    }
}
