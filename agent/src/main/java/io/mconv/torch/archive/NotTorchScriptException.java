package io.mconv.torch.archive;

import io.mconv.onnx.io.FileProblemException;

import java.nio.file.Path;

/**
 * The file is a PyTorch file but not TorchScript: a state_dict or a whole pickled {@code nn.Module} saved with
 * {@code torch.save}. The message says which and how to make a TorchScript file. The CLI maps it to exit code 3.
 */
public final class NotTorchScriptException extends FileProblemException {

    private static final long serialVersionUID = 1L;

    /** What the file holds. */
    public enum Kind { STATE_DICT, PICKLED_MODULE, OTHER_PICKLE }

    private final Kind kind;

    public NotTorchScriptException(Path file, Kind kind, String reason) {
        super(file, reason, null);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
