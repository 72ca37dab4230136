package io.mconv.torch.archive;

import io.mconv.limits.Limit;
import io.mconv.limits.Limits;
import io.mconv.onnx.io.InvalidModelException;
import io.mconv.torch.pickle.TorchGlobals;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A TorchScript archive ({@code torch.jit.save}) opened for export: the zip is checked, {@code data.pkl} and
 * {@code constants.pkl} are unpickled with the safe allowlist, and tensor storages are mapped from the file (torch
 * stores them uncompressed), never copied. Code files are read on demand. Close it to release the file; the
 * mappings behind tensors stay valid until the tensors are unreachable.
 *
 * <p>Layouts: torch 1.x ({@code version}, {@code data.pkl}, {@code constants.pkl}, {@code code/},
 * {@code data/N}, {@code constants/N}, {@code *.debug_pkl}) and 2.x (also {@code .data/version} in place of
 * {@code version}, {@code byteorder}, {@code .data/serialization_id}), under any top-level folder name.
 *
 * <p>Values follow {@link ScriptObject}'s value model; see {@link TorchGlobals} for how each allowlisted global
 * becomes a value, and {@link TorchGlobals#STATE_ATTRIBUTE} / {@link TorchGlobals#ARGS_ATTRIBUTE} for objects
 * restored by {@code __setstate__} or REDUCE.
 */
public final class TorchScriptArchive implements AutoCloseable {

    private static final long MAX_SMALL_RECORD = 64;

    private final Path path;
    private final ZipArchive zip;
    private final ArchiveLayout layout;
    private final int formatVersion;
    private final ScriptObject root;
    private final List<Object> constants;
    private final Map<String, Optional<CodeFile>> codeCache = new HashMap<>();

    private TorchScriptArchive(Path path, ZipArchive zip, ArchiveLayout layout, int formatVersion, ScriptObject root,
                               List<Object> constants) {
        this.path = path;
        this.zip = zip;
        this.layout = layout;
        this.formatVersion = formatVersion;
        this.root = root;
        this.constants = constants;
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
        return open(file, Limits.defaults());
    }

    /**
     * Opens and checks an archive under {@code limits} (zip directory, inflate ratio, pickle and code sizes, pickle
     * depth and object count); {@link #limits()} hands them on to the exporter.
     */
    public static TorchScriptArchive open(Path file, Limits limits) {
        rejectPickles(file, limits);
        ZipArchive zip = ZipArchive.open(file, limits);
        try {
            ArchiveLayout layout = ArchiveLayout.of(zip);
            if (layout.find("data.pkl").isEmpty()) {
                throw new InvalidModelException(file, "a zip archive without data.pkl, so not a PyTorch file");
            }
            checkByteOrder(zip, layout);
            int version = formatVersion(zip, layout);
            boolean hasCode = layout.hasFolder("code/");
            boolean hasConstants = layout.find("constants.pkl").isPresent();
            if (!hasCode && !hasConstants) {
                throw TorchSaveZip.describe(zip, layout);
            }
            if (!hasCode || !hasConstants) {
                throw new InvalidModelException(file, "a TorchScript archive needs both code/ and constants.pkl; this "
                        + "one has only " + (hasCode ? "code/" : "constants.pkl"));
            }
            Object data = PickleEntries.unpickle(zip, layout, "data.pkl",
                    TorchGlobals.forTorchScript(new ArchiveStorages(zip, layout, "data/")));
            if (!(data instanceof ScriptObject module)) {
                throw new InvalidModelException(file, "data.pkl holds a " + kind(data) + ", not a TorchScript module");
            }
            Object consts = PickleEntries.unpickle(zip, layout, "constants.pkl",
                    TorchGlobals.forTorchScript(new ArchiveStorages(zip, layout, "constants/")));
            if (!(consts instanceof PyTuple tuple)) {
                throw new InvalidModelException(file, "constants.pkl holds a " + kind(consts) + ", not a tuple");
            }
            return new TorchScriptArchive(file, zip, layout, version, module, tuple.elements());
        } catch (RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /** A pickle where a zip should be is a torch.save file (legacy format) or some other Python pickle. */
    private static void rejectPickles(Path file, Limits limits) {
        byte[] start = LegacyHead.read(file);
        if (LegacyTorchFile.isLegacy(start)) {
            throw LegacyTorchFile.describe(file, limits);
        }
        if (LegacyTorchFile.isPickle(start)) {
            throw new NotTorchScriptException(file, NotTorchScriptException.Kind.OTHER_PICKLE,
                    TorchSaveAdvice.otherPickle("a Python pickle, not a zip archive"));
        }
    }

    /** torch 2.x records the writer's byte order; tensors are read as little-endian, so "big" is refused. */
    private static void checkByteOrder(ZipArchive zip, ArchiveLayout layout) {
        Optional<ArchiveEntry> entry = layout.find("byteorder");
        if (entry.isEmpty()) {
            return;
        }
        String order = smallText(zip, entry.get()).trim();
        if (order.equals("big")) {
            throw new InvalidModelException(zip.path(), "the archive was written on a big-endian machine (byteorder "
                    + "'big'); only little-endian archives are supported");
        }
        if (!order.equals("little")) {
            throw new InvalidModelException(zip.path(), "unknown byteorder record '" + order + "'");
        }
    }

    /** {@code version} (torch 1.x, and 2.x below format 6) or {@code .data/version}; a small decimal number. */
    private static int formatVersion(ZipArchive zip, ArchiveLayout layout) {
        ArchiveEntry entry = layout.find(".data/version").or(() -> layout.find("version")).orElseThrow(() ->
                new InvalidModelException(zip.path(), "the archive has no version record"));
        String text = smallText(zip, entry).trim();
        try {
            int v = Integer.parseInt(text);
            if (v < 1 || v > 1000) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidModelException(zip.path(), "the version record holds '" + text + "', not a format "
                    + "version");
        }
    }

    private static String smallText(ZipArchive zip, ArchiveEntry entry) {
        return utf8(zip, entry, zip.read(entry, MAX_SMALL_RECORD));
    }

    private static String utf8(ZipArchive zip, ArchiveEntry entry, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidModelException(zip.path(), "entry " + ZipDirectory.quote(entry.name())
                    + " is not valid UTF-8 text");
        }
    }

    private static String kind(Object value) {
        return value == null ? "None" : value.getClass().getSimpleName();
    }

    /** The limits the archive was opened with, for the code that runs its scripts. */
    public Limits limits() {
        return zip.limits();
    }

    public Path path() {
        return path;
    }

    /** The archive's top-level folder name ({@code resnet18} in {@code resnet18/data.pkl}). */
    public String prefix() {
        return layout.prefix();
    }

    /** The {@code version} entry (the file format version, e.g. 3 for torch 1.13). */
    public int formatVersion() {
        return formatVersion;
    }

    /** The root module from {@code data.pkl}. */
    public ScriptObject root() {
        return root;
    }

    /** {@code constants.pkl}'s tuple (what {@code CONSTANTS.cN} index), in order. */
    public List<Object> constants() {
        return constants;
    }

    /**
     * The source of the code file that defines a qualified class or function name, e.g.
     * {@code __torch__.torchvision.models.resnet.ResNet} → {@code code/__torch__/torchvision/models/resnet.py}
     * (the longest existing module path prefix wins). Empty when no file defines it.
     *
     * @throws InvalidModelException the code file is damaged, too large or not UTF-8
     */
    public Optional<CodeFile> codeFileFor(String qualifiedName) {
        String[] parts = qualifiedName.split("\\.", -1);
        for (int n = parts.length; n >= 1; n--) {
            String modulePath = String.join(".", java.util.Arrays.copyOf(parts, n));
            String entryName = "code/" + String.join("/", java.util.Arrays.copyOf(parts, n)) + ".py";
            Optional<CodeFile> file = codeCache.computeIfAbsent(entryName, name -> layout.find(name)
                    .map(entry -> new CodeFile(name, modulePath, utf8(zip, entry, zip.read(entry, Limit.CODE_SIZE)))));
            if (file.isPresent()) {
                return file;
            }
        }
        return Optional.empty();
    }

    /** Every entry name relative to the prefix, in archive order. */
    public List<String> entryNames() {
        return layout.names();
    }

    @Override
    public void close() {
        zip.close();
    }

    /**
     * One code file: its entry name relative to the prefix ({@code code/__torch__/torchvision/models/resnet.py}),
     * the module path it defines ({@code __torch__.torchvision.models.resnet}) and its text.
     */
    public record CodeFile(String entryName, String modulePath, String source) {
    }
}
