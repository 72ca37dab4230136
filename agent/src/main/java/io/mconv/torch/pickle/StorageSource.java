package io.mconv.torch.pickle;

import io.mconv.torch.archive.TorchDType;

import java.nio.ByteBuffer;

/** Where a pickle's persistent storage ids point: the archive's {@code data/<key>} (or {@code constants/<key>}). */
@FunctionalInterface
public interface StorageSource {

    /**
     * The bytes of storage {@code key}, exactly {@code numel} elements of {@code dtype} long, read-only.
     *
     * @throws IllegalArgumentException when the storage is missing or holds fewer bytes than declared
     */
    ByteBuffer storage(String key, TorchDType dtype, long numel);
}
