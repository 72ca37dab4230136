package io.mconv.torch.pickle;

import io.mconv.torch.archive.PyGlobal;
import io.mconv.torch.archive.PyTuple;
import io.mconv.torch.archive.ScriptObject;
import io.mconv.torch.archive.TorchDType;
import io.mconv.torch.archive.TorchTensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The allowlist and meaning of the globals in torch's pickles ({@code data.pkl}, {@code constants.pkl} of
 * TorchScript archives written by torch 1.x and 2.x, and {@code torch.save} state_dicts). Everything here builds
 * values of the archive value model; nothing is loaded by name or run.
 *
 * <p>Allowed: {@code torch._utils._rebuild_tensor_v2}, {@code _rebuild_parameter},
 * {@code _rebuild_parameter_with_state}; the storage types ({@code torch.FloatStorage}, ..., every
 * {@link TorchDType#storageClass()}, {@code torch.UntypedStorage}, {@code torch.storage.UntypedStorage}); dtypes
 * ({@code torch.float32}, ...) and {@code torch.device}; {@code collections.OrderedDict}; the
 * {@code torch.jit._pickle} list builders and {@code restore_type_tag}; and, for TorchScript only, the archive's own
 * classes {@code __torch__.*}, which become {@link ScriptObject}s.
 *
 * <p>How values come out: {@code restore_type_tag(value, type)} and the {@code build_*list(list)} helpers give the
 * value itself (the type tag is dropped); {@code OrderedDict()} a {@code LinkedHashMap}; {@code torch.device("cpu")}
 * the string {@code "cpu"}; dtypes and storage types stay {@link PyGlobal}s. A {@code __torch__} object is created
 * by NEWOBJ and filled by BUILD: a dict state sets one attribute per key; any other state (what a class's
 * {@code __getstate__} returned) is kept whole under {@link #STATE_ATTRIBUTE}. REDUCE on a {@code __torch__} class
 * (TorchScript writes this for enum values) gives an object whose {@link #ARGS_ATTRIBUTE} holds the argument tuple.
 */
public final class TorchGlobals implements PickleGlobals {

    /** Attribute under which BUILD keeps a non-dict ({@code __setstate__}-style) state of a {@code __torch__} object. */
    public static final String STATE_ATTRIBUTE = "__setstate__";
    /** Attribute under which REDUCE on a {@code __torch__} class keeps the argument tuple. */
    public static final String ARGS_ATTRIBUTE = "__args__";
    /** What a tensor becomes when storages are not read ({@link #forLegacyScan()}). */
    public static final PyGlobal TENSOR_PLACEHOLDER = new PyGlobal("torch", "Tensor");

    private static final String UTILS = "torch._utils";
    private static final String JIT_PICKLE = "torch.jit._pickle";
    private static final Set<String> UTILS_FUNCTIONS = Set.of("_rebuild_tensor_v2", "_rebuild_parameter",
            "_rebuild_parameter_with_state");
    private static final Set<String> LIST_BUILDERS = Set.of("build_intlist", "build_tensorlist",
            "build_doublelist", "build_boollist");
    private static final Map<String, TorchDType> DTYPE_NAMES = Map.ofEntries(
            Map.entry("uint8", TorchDType.UINT8), Map.entry("int8", TorchDType.INT8),
            Map.entry("int16", TorchDType.INT16), Map.entry("short", TorchDType.INT16),
            Map.entry("int32", TorchDType.INT32), Map.entry("int", TorchDType.INT32),
            Map.entry("int64", TorchDType.INT64), Map.entry("long", TorchDType.INT64),
            Map.entry("float16", TorchDType.FLOAT16), Map.entry("half", TorchDType.FLOAT16),
            Map.entry("float32", TorchDType.FLOAT32), Map.entry("float", TorchDType.FLOAT32),
            Map.entry("float64", TorchDType.FLOAT64), Map.entry("double", TorchDType.FLOAT64),
            Map.entry("complex32", TorchDType.COMPLEX32), Map.entry("chalf", TorchDType.COMPLEX32),
            Map.entry("complex64", TorchDType.COMPLEX64), Map.entry("cfloat", TorchDType.COMPLEX64),
            Map.entry("complex128", TorchDType.COMPLEX128), Map.entry("cdouble", TorchDType.COMPLEX128),
            Map.entry("bool", TorchDType.BOOL), Map.entry("qint8", TorchDType.QINT8),
            Map.entry("quint8", TorchDType.QUINT8), Map.entry("qint32", TorchDType.QINT32),
            Map.entry("bfloat16", TorchDType.BFLOAT16));
    /** Storage keys are decimal in every torch version; anything else could name another entry ("../code/x"). */
    private static final Pattern STORAGE_KEY = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private final boolean scriptClasses;
    private final StorageSource storages;

    private TorchGlobals(boolean scriptClasses, StorageSource storages) {
        this.scriptClasses = scriptClasses;
        this.storages = storages;
    }

    /** For TorchScript's data.pkl and constants.pkl: also the archive's {@code __torch__} classes. */
    public static TorchGlobals forTorchScript(StorageSource storages) {
        return new TorchGlobals(true, storages);
    }

    /** For {@code torch.save} files: tensors and containers only, so a pickled module's class is refused. */
    public static TorchGlobals forStateDict(StorageSource storages) {
        return new TorchGlobals(false, storages);
    }

    /** For classifying a legacy torch.save pickle without its storages: tensors become {@link #TENSOR_PLACEHOLDER}. */
    public static TorchGlobals forLegacyScan() {
        return new TorchGlobals(false, null);
    }

    @Override
    public boolean allows(String module, String name) {
        return switch (module) {
            case UTILS -> UTILS_FUNCTIONS.contains(name);
            case "torch" -> storageDType(name).isPresent() || DTYPE_NAMES.containsKey(name)
                    || name.equals("UntypedStorage") || name.equals("device");
            case "torch.storage" -> name.equals("UntypedStorage");
            case "collections" -> name.equals("OrderedDict");
            case JIT_PICKLE -> LIST_BUILDERS.contains(name) || name.equals("restore_type_tag");
            default -> scriptClasses && isScriptClass(module);
        };
    }

    private static boolean isScriptClass(String module) {
        return module.equals("__torch__") || module.startsWith("__torch__.");
    }

    private static Optional<TorchDType> storageDType(String name) {
        return TorchDType.fromStorageClass(name);
    }

    @Override
    public Object call(PyGlobal callable, PyTuple args) {
        String module = callable.module();
        String name = callable.name();
        if (module.equals(UTILS)) {
            return switch (name) {
                case "_rebuild_tensor_v2" -> rebuildTensor(args);
                case "_rebuild_parameter", "_rebuild_parameter_with_state" -> rebuildParameter(args);
                default -> throw notCallable(callable);
            };
        }
        if (module.equals(JIT_PICKLE)) {
            if (name.equals("restore_type_tag")) {
                requireArity(callable, args, 2, 2);
                return args.get(0);
            }
            requireArity(callable, args, 1, 1);
            if (!(args.get(0) instanceof List<?>)) {
                throw new IllegalArgumentException(callable.qualifiedName() + " needs a list, got "
                        + PickleText.kindOf(args.get(0)));
            }
            return args.get(0);
        }
        if (module.equals("collections") && name.equals("OrderedDict")) {
            requireArity(callable, args, 0, 0);
            return new LinkedHashMap<>();
        }
        if (module.equals("torch") && name.equals("device")) {
            requireArity(callable, args, 1, 2);
            if (!(args.get(0) instanceof String device)) {
                throw new IllegalArgumentException("torch.device needs a string, got " + PickleText.kindOf(args.get(0)));
            }
            return device;
        }
        if (scriptClasses && isScriptClass(module)) {
            ScriptObject object = new ScriptObject(callable.qualifiedName());
            object.setAttribute(ARGS_ATTRIBUTE, args);
            return object;
        }
        throw notCallable(callable);
    }

    @Override
    public Object newObject(PyGlobal cls, PyTuple args) {
        if (!(scriptClasses && isScriptClass(cls.module()))) {
            throw new IllegalArgumentException(cls.qualifiedName() + " cannot be instantiated");
        }
        ScriptObject object = new ScriptObject(cls.qualifiedName());
        if (args.size() > 0) {
            object.setAttribute(ARGS_ATTRIBUTE, args);
        }
        return object;
    }

    @Override
    public void build(Object target, Object state) {
        if (target instanceof ScriptObject object) {
            if (state instanceof Map<?, ?> attributes) {
                for (Map.Entry<?, ?> e : attributes.entrySet()) {
                    if (!(e.getKey() instanceof String attribute)) {
                        throw new IllegalArgumentException("attribute name of " + object.className() + " is a "
                                + PickleText.kindOf(e.getKey()) + ", not a string");
                    }
                    object.setAttribute(attribute, e.getValue());
                }
            } else {
                object.setAttribute(STATE_ATTRIBUTE, state);
            }
            return;
        }
        if (target instanceof Map<?, ?> && state instanceof Map<?, ?>) {
            // A state_dict's OrderedDict carries Python attributes (_metadata: version numbers per submodule)
            // as BUILD state; they are not entries of the dict, and nothing here needs them.
            return;
        }
        throw new IllegalArgumentException("BUILD on a " + PickleText.kindOf(target) + " with a "
                + PickleText.kindOf(state) + " state is not supported");
    }

    @Override
    public Object persistentLoad(Object persistentId) {
        // ('storage', storage_type, key, location, numel), legacy files add a sixth view_metadata element.
        if (!(persistentId instanceof PyTuple pid) || pid.size() < 5 || pid.size() > 6
                || !"storage".equals(pid.get(0))) {
            throw new IllegalArgumentException("persistent id is not ('storage', type, key, location, numel)");
        }
        TorchDType dtype = dtypeOfStorageType(pid.get(1));
        if (!(pid.get(2) instanceof String key) || !STORAGE_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("storage key must be a short alphanumeric name, got "
                    + (pid.get(2) instanceof String s ? "'" + PickleText.shorten(s) + "'" : PickleText.kindOf(pid.get(2))));
        }
        if (!(pid.get(4) instanceof Long numel) || numel < 0) {
            throw new IllegalArgumentException("storage " + key + " has a bad element count");
        }
        if (pid.size() == 6 && pid.get(5) != null) {
            throw new IllegalArgumentException("storage " + key + " is a legacy storage view, which is not supported");
        }
        return new StorageRef(key, dtype, numel, storages == null ? null : storages.storage(key, dtype, numel));
    }

    private static TorchDType dtypeOfStorageType(Object type) {
        if (type instanceof PyGlobal g && (g.module().equals("torch") || g.module().equals("torch.storage"))) {
            if (g.name().equals("UntypedStorage")) {
                return TorchDType.UINT8;
            }
            Optional<TorchDType> fromStorage = storageDType(g.name());
            if (fromStorage.isPresent()) {
                return fromStorage.get();
            }
            TorchDType fromDtype = DTYPE_NAMES.get(g.name());
            if (fromDtype != null) {
                return fromDtype;
            }
        }
        throw new IllegalArgumentException("persistent id names no storage type or dtype (got "
                + (type instanceof PyGlobal g ? PickleText.shorten(g.qualifiedName()) : PickleText.kindOf(type)) + ")");
    }

    /** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
    private Object rebuildTensor(PyTuple args) {
        if (args.size() < 6 || args.size() > 7) {
            throw new IllegalArgumentException("_rebuild_tensor_v2 takes 6 or 7 arguments, got " + args.size());
        }
        if (!(args.get(0) instanceof StorageRef storage)) {
            throw new IllegalArgumentException("_rebuild_tensor_v2 needs a storage, got " + PickleText.kindOf(args.get(0)));
        }
        if (!(args.get(1) instanceof Long offset)) {
            throw new IllegalArgumentException("tensor storage offset is a " + PickleText.kindOf(args.get(1)));
        }
        long[] sizes = longs(args.get(2), "sizes");
        long[] strides = longs(args.get(3), "strides");
        if (!(args.get(4) instanceof Boolean requiresGrad)) {
            throw new IllegalArgumentException("tensor requires_grad is a " + PickleText.kindOf(args.get(4)));
        }
        if (storage.bytes() == null) {
            return TENSOR_PLACEHOLDER;
        }
        try {
            return new TorchTensor(storage.dtype(), sizes, strides, offset, storage.bytes(), storage.key(),
                    requiresGrad);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("tensor on storage " + storage.key() + ": " + e.getMessage(), e);
        }
    }

    /** {@code _rebuild_parameter(data, requires_grad, backward_hooks[, state])}: the tensor, marked trainable. */
    private Object rebuildParameter(PyTuple args) {
        if (args.size() < 3 || args.size() > 4) {
            throw new IllegalArgumentException("_rebuild_parameter takes 3 or 4 arguments, got " + args.size());
        }
        if (!(args.get(1) instanceof Boolean requiresGrad)) {
            throw new IllegalArgumentException("parameter requires_grad is a " + PickleText.kindOf(args.get(1)));
        }
        if (args.get(0) instanceof TorchTensor tensor) {
            return tensor.withRequiresGrad(requiresGrad);
        }
        if (args.get(0) == TENSOR_PLACEHOLDER) {
            return TENSOR_PLACEHOLDER;
        }
        throw new IllegalArgumentException("_rebuild_parameter needs a tensor, got " + PickleText.kindOf(args.get(0)));
    }

    private static long[] longs(Object value, String what) {
        if (!(value instanceof PyTuple t)) {
            throw new IllegalArgumentException("tensor " + what + " must be a tuple, got " + PickleText.kindOf(value));
        }
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.get(i) instanceof Long v)) {
                throw new IllegalArgumentException("tensor " + what + " holds a " + PickleText.kindOf(t.get(i)));
            }
            out[i] = v;
        }
        return out;
    }

    private static void requireArity(PyGlobal callable, PyTuple args, int min, int max) {
        if (args.size() < min || args.size() > max) {
            throw new IllegalArgumentException(callable.qualifiedName() + " takes " + (min == max ? min : min + " to "
                    + max) + " arguments, got " + args.size());
        }
    }

    private static IllegalArgumentException notCallable(PyGlobal g) {
        return new IllegalArgumentException(PickleText.shorten(g.qualifiedName()) + " cannot be called");
    }
}
