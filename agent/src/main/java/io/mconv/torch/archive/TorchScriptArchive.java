package io.mconv.torch.archive;

import io.mconv.onnx.io.InvalidModelException;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A TorchScript archive ({@code torch.jit.save}) opened for export: the zip is checked, {@code data.pkl} and
 * {@code constants.pkl} are unpickled with the safe allowlist, and tensor storages are mapped from the file (torch
 * stores them uncompressed), never copied. Code files are read on demand. Close it to unmap.
 *
 * <p>CONTRACT (to be implemented by the archive/pickle work; the exporter is written against it).
 */
public final class TorchScriptArchive implements AutoCloseable {

    private TorchScriptArchive() {
    }

    /**
     * Opens and checks an archive.
     *
     * @throws InvalidModelException  not a zip, a hostile zip (BAD_INPUTS 11, 12), a malformed or disallowed pickle
     *                                (13, 14), a bad storage (15); the message names the cause
     * @throws NotTorchScriptException a zip or legacy pickle from {@code torch.save} of a state_dict or a whole
     *                                module (16)
     */
    public static TorchScriptArchive open(Path file) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public Path path() {
        throw new UnsupportedOperationException();
    }

    /** The archive's top-level folder name ({@code resnet18} in {@code resnet18/data.pkl}). */
    public String prefix() {
        throw new UnsupportedOperationException();
    }

    /** The {@code version} entry (the file format version, e.g. 3 for torch 1.13). */
    public int formatVersion() {
        throw new UnsupportedOperationException();
    }

    /** The root module from {@code data.pkl}. */
    public ScriptObject root() {
        throw new UnsupportedOperationException();
    }

    /** {@code constants.pkl}'s tuple (what {@code CONSTANTS.cN} index), in order. */
    public List<Object> constants() {
        throw new UnsupportedOperationException();
    }

    /**
     * The source of the code file that defines a qualified class or function name, e.g.
     * {@code __torch__.torchvision.models.resnet.ResNet} → {@code code/__torch__/torchvision/models/resnet.py}
     * (the longest existing module path prefix wins). Empty when no file defines it.
     */
    public Optional<CodeFile> codeFileFor(String qualifiedName) {
        throw new UnsupportedOperationException();
    }

    /** Every entry name relative to the prefix, in archive order. */
    public List<String> entryNames() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }

    /**
     * One code file: its entry name relative to the prefix ({@code code/__torch__/torchvision/models/resnet.py}),
     * the module path it defines ({@code __torch__.torchvision.models.resnet}) and its text.
     */
    public record CodeFile(String entryName, String modulePath, String source) {
    }
}
