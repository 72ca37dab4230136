package io.mconv.torch.archive;

import io.mconv.limits.Limits;

import io.mconv.onnx.io.FileProblemException;
import io.mconv.onnx.io.InvalidModelException;

import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the tensors of a {@code torch.save(model.state_dict())} zip (for building a model from weights, e.g.
 * {@code --arch mlp:768,512,768}). Tensors view mappings of the file, which stay valid after this returns.
 */
public final class StateDictArchive {

    private StateDictArchive() {
    }

    /**
     * Whether the file is a TorchScript archive (a zip with {@code code/}), which carries its own graph, so a
     * user-given architecture makes no sense for it. False for anything else, readable or not: {@link #open}
     * reports those problems.
     */
    public static boolean isTorchScript(Path file) {
        try {
            if (LegacyTorchFile.isLegacy(LegacyHead.read(file))) {
                return false;
            }
            try (ZipArchive zip = ZipArchive.open(file)) {
                return ArchiveLayout.of(zip).hasFolder("code/");
            }
        } catch (FileProblemException e) {
            return false;
        }
    }

    /**
     * The state_dict's tensors by name, in file order; nested dicts (a checkpoint's {@code "model": {...}}) are
     * flattened with dotted names, and non-tensor values are left out.
     *
     * @throws InvalidModelException  not a torch.save zip, or one that fails a check (hostile zip, bad pickle or
     *                                storage), or a TorchScript archive
     * @throws NotTorchScriptException a whole pickled module (its class is refused, not run)
     */
    public static Map<String, TorchTensor> open(Path file) {
        return open(file, Limits.defaults());
    }

    /** As {@link #open(Path)}, under {@code limits} (zip directory, inflate ratio, pickle size, depth, count). */
    public static Map<String, TorchTensor> open(Path file, Limits limits) {
        byte[] head = LegacyHead.read(file);
        if (LegacyTorchFile.isLegacy(head)) {
            throw new InvalidModelException(file, "a legacy (non-zip) torch.save file; load it in Python and "
                    + "re-save it with torch.save(state_dict, path) from torch 1.6 or later");
        }
        try (ZipArchive zip = ZipArchive.open(file, limits)) {
            ArchiveLayout layout = ArchiveLayout.of(zip);
            if (layout.hasFolder("code/")) {
                throw new InvalidModelException(file, "a TorchScript archive, not a state_dict; convert it directly");
            }
            Object saved = TorchSaveZip.load(zip, layout);
            if (!(saved instanceof Map<?, ?> map)) {
                throw new InvalidModelException(file, "torch.save holds a " + (saved == null ? "None"
                        : saved.getClass().getSimpleName()) + ", not a state_dict");
            }
            Map<String, TorchTensor> tensors = SavedObjects.tensorsByName(map);
            if (tensors.isEmpty()) {
                throw new InvalidModelException(file, "the state_dict holds no tensors");
            }
            return tensors;
        }
    }
}
