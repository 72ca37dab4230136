package io.mconv.torch.archive;

import io.mconv.limits.Limit;
import io.mconv.onnx.io.InvalidModelException;
import io.mconv.torch.pickle.PickleException;
import io.mconv.torch.pickle.PickleGlobals;
import io.mconv.torch.pickle.PickleLimits;
import io.mconv.torch.pickle.Unpickler;

import java.nio.ByteBuffer;

/** Reads and unpickles one archive entry, turning pickle errors into one-line file errors. */
final class PickleEntries {

    private PickleEntries() {
    }

    static Object unpickle(ZipArchive zip, ArchiveLayout layout, String name, PickleGlobals globals) {
        ArchiveEntry entry = layout.find(name).orElseThrow(() -> new InvalidModelException(zip.path(),
                "the archive has no " + name));
        // data.pkl of a large model is a few MB; Limit.PICKLE_SIZE caps the one allocation a hostile archive asks for.
        byte[] bytes = zip.read(entry, Limit.PICKLE_SIZE);
        try {
            return new Unpickler(ByteBuffer.wrap(bytes), globals, PickleLimits.of(zip.limits())).load();
        } catch (PickleException e) {
            throw failure(zip, name, e);
        }
    }

    static InvalidModelException failure(ZipArchive zip, String name, PickleException e) {
        return new InvalidModelException(zip.path(), name + ", " + e.getMessage(), e);
    }
}
