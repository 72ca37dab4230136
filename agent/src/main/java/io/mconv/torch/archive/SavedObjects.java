package io.mconv.torch.archive;

import io.mconv.torch.pickle.DisallowedGlobalException;
import io.mconv.torch.pickle.TorchGlobals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Tells what a {@code torch.save}d object is, and flattens a state_dict into named tensors. */
final class SavedObjects {

    private SavedObjects() {
    }

    /**
     * Whether a refused global is a class a whole pickled module names ({@code __main__.Net},
     * {@code torch.nn.modules.linear.Linear}) rather than a function such as {@code os.system}, so the message can
     * say "a pickled module" without running anything.
     */
    static boolean looksLikeClass(DisallowedGlobalException e) {
        String name = e.name();
        return e.module().equals("__main__") || e.module().startsWith("torch.nn.")
                || (!name.isEmpty() && Character.isUpperCase(name.charAt(0)));
    }

    static NotTorchScriptException describe(Path file, Object saved, String format) {
        if (saved instanceof Map<?, ?> map) {
            int tensors = countTensors(map);
            if (tensors > 0) {
                return new NotTorchScriptException(file, NotTorchScriptException.Kind.STATE_DICT,
                        TorchSaveAdvice.stateDict(format, tensors));
            }
            return new NotTorchScriptException(file, NotTorchScriptException.Kind.OTHER_PICKLE,
                    TorchSaveAdvice.otherPickle("a torch.save file holding a dict without tensors" + format));
        }
        String what = saved instanceof TorchTensor || saved == TorchGlobals.TENSOR_PLACEHOLDER ? "a single tensor"
                : "a " + (saved == null ? "None" : saved.getClass().getSimpleName());
        return new NotTorchScriptException(file, NotTorchScriptException.Kind.OTHER_PICKLE,
                TorchSaveAdvice.otherPickle("a torch.save file holding " + what + format));
    }

    /** Tensors (real or placeholders) anywhere in nested dicts; the value is depth-checked by the unpickler. */
    static int countTensors(Map<?, ?> map) {
        int n = 0;
        for (Object v : map.values()) {
            if (v instanceof TorchTensor || v == TorchGlobals.TENSOR_PLACEHOLDER) {
                n++;
            } else if (v instanceof Map<?, ?> inner) {
                n += countTensors(inner);
            }
        }
        return n;
    }

    /** {@code {"fc.weight": tensor, ...}}; nested dicts (checkpoints) are flattened with dotted names. */
    static Map<String, TorchTensor> tensorsByName(Map<?, ?> map) {
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        collect("", map, out);
        return out;
    }

    private static void collect(String prefix, Map<?, ?> map, Map<String, TorchTensor> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = prefix + e.getKey();
            if (e.getValue() instanceof TorchTensor t) {
                out.put(name, t);
            } else if (e.getValue() instanceof Map<?, ?> inner) {
                collect(name + ".", inner, out);
            }
        }
    }
}
