package io.mconv.torch.pickle;

import io.mconv.torch.archive.TorchDType;

import java.nio.ByteBuffer;

/**
 * What a persistent id {@code ('storage', type, key, location, numel)} loads to: an intermediate that only
 * {@code _rebuild_tensor_v2} consumes. {@code bytes} is null when storages are not read (classifying a legacy file).
 */
record StorageRef(String key, TorchDType dtype, long numel, ByteBuffer bytes) {
}
