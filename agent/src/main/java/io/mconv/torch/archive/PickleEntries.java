package io.mconv.torch.archive;

import io.mconv.onnx.io.InvalidModelException;
import io.mconv.torch.pickle.PickleException;
import io.mconv.torch.pickle.PickleGlobals;
import io.mconv.torch.pickle.PickleLimits;
import io.mconv.torch.pickle.Unpickler;

import java.nio.ByteBuffer;

/** Reads and unpickles one archive entry, turning pickle errors into one-line file errors. */
final class PickleEntries {

    /** data.pkl of a large model is a few MB; this caps the one allocation a hostile archive can ask for. */
    static final long MAX_PICKLE_BYTES = 64L << 20;

    private PickleEntries() {
    }

    static Object unpickle(ZipArchive zip, ArchiveLayout layout, String name, PickleGlobals globals) {
        ArchiveEntry entry = layout.find(name).orElseThrow(() -> new InvalidModelException(zip.path(),
                "the archive has no " + name));
        byte[] bytes = zip.read(entry, MAX_PICKLE_BYTES);
        try {
            return new Unpickler(ByteBuffer.wrap(bytes), globals, PickleLimits.DEFAULT).load();
        } catch (PickleException e) {
            throw failure(zip, name, e);
        }
    }

    static InvalidModelException failure(ZipArchive zip, String name, PickleException e) {
        return new InvalidModelException(zip.path(), name + ", " + e.getMessage(), e);
    }
}
