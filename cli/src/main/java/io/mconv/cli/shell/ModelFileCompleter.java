package io.mconv.cli.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jline.builtins.Completers;

/** File-name completion for MODEL arguments: folders and model files only, so Tab lands on the model. */
final class ModelFileCompleter extends Completers.FileNameCompleter {

    /** What mconv reads as a model: ONNX, and TorchScript or state_dict files as PyTorch saves them. */
    private static final List<String> MODEL_SUFFIXES = List.of(".onnx", ".pt", ".pth", ".ptl", ".torchscript");

    @Override
    protected boolean accept(Path path) {
        if (!super.accept(path)) {
            return false;
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isDirectory(path) || MODEL_SUFFIXES.stream().anyMatch(name::endsWith);
    }
}
