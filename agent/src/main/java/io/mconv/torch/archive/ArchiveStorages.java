package io.mconv.torch.archive;

import io.mconv.torch.pickle.StorageSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * Resolves persistent storage ids to mapped entries of one folder ({@code data/} for data.pkl, {@code constants/}
 * for constants.pkl). Each storage is mapped once and shared by every tensor that views it.
 */
final class ArchiveStorages implements StorageSource {

    private final ZipArchive zip;
    private final ArchiveLayout layout;
    private final String folder;
    private final Map<String, ByteBuffer> mapped = new HashMap<>();

    ArchiveStorages(ZipArchive zip, ArchiveLayout layout, String folder) {
        this.zip = zip;
        this.layout = layout;
        this.folder = folder;
    }

    @Override
    public ByteBuffer storage(String key, TorchDType dtype, long numel) {
        String name = folder + key;
        ArchiveEntry entry = layout.find(name).orElseThrow(() -> new IllegalArgumentException("storage " + name
                + " is missing from the archive"));
        long need;
        try {
            need = Math.multiplyExact(numel, dtype.elementSize());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("storage " + name + " declares " + numel + " elements, too many");
        }
        if (entry.size() < need) {
            throw new IllegalArgumentException("storage " + name + " has " + entry.size() + " bytes but is declared as "
                    + numel + " " + dtype + " elements (" + need + " bytes)");
        }
        ByteBuffer whole = mapped.computeIfAbsent(name, n -> zip.map(entry));
        // The view is cut to the declared element count: tensors are checked against what the pickle declared.
        ByteBuffer view = whole.duplicate();
        view.limit((int) need);
        return view.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }
}
