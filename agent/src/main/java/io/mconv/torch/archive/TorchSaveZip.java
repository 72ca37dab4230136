package io.mconv.torch.archive;

import io.mconv.onnx.io.InvalidModelException;
import io.mconv.torch.pickle.DisallowedGlobalException;
import io.mconv.torch.pickle.TorchGlobals;

/**
 * A zip written by {@code torch.save} (data.pkl and data/, no code/): unpickled with the state_dict allowlist,
 * which refuses a pickled module's class at its GLOBAL opcode, so telling the two apart runs nothing.
 */
final class TorchSaveZip {

    private TorchSaveZip() {
    }

    /** The saved object, or the NotTorchScriptException that names a pickled module. */
    static Object load(ZipArchive zip, ArchiveLayout layout) {
        try {
            return PickleEntries.unpickle(zip, layout, "data.pkl",
                    TorchGlobals.forStateDict(new ArchiveStorages(zip, layout, "data/")));
        } catch (InvalidModelException e) {
            if (e.getCause() instanceof DisallowedGlobalException g && SavedObjects.looksLikeClass(g)) {
                throw new NotTorchScriptException(zip.path(), NotTorchScriptException.Kind.PICKLED_MODULE,
                        TorchSaveAdvice.pickledModule("", g.qualifiedName()));
            }
            throw e;
        }
    }

    /** The exception that says what this torch.save zip holds. */
    static RuntimeException describe(ZipArchive zip, ArchiveLayout layout) {
        return SavedObjects.describe(zip.path(), load(zip, layout), "");
    }
}
