package io.mconv.torch.archive;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An instance of one of the archive's own {@code __torch__} classes (a scripted module, or any TorchScript class)
 * as {@code data.pkl} records it: the qualified class name and its attribute values, in pickle order. It is plain
 * data: nothing of the class is executed. Attribute values are the unpickler's value model: null (None),
 * Boolean, Long, Double, String, byte[], {@link PyTuple}, {@code List<Object>}, {@code Map<Object, Object>},
 * {@link TorchTensor}, {@link ScriptObject}, {@link PyGlobal}.
 */
public final class ScriptObject {

    private final String className;
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    public ScriptObject(String className) {
        this.className = className;
    }

    /** The qualified name, e.g. {@code __torch__.torch.nn.modules.conv.___torch_mangle_0.Conv2d}. */
    public String className() {
        return className;
    }

    public Map<String, Object> attributes() {
        return Collections.unmodifiableMap(attributes);
    }

    public Object attribute(String name) {
        return attributes.get(name);
    }

    public boolean hasAttribute(String name) {
        return attributes.containsKey(name);
    }

    /** Used by the unpickler's BUILD while the object is being restored. */
    public void setAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public String toString() {
        return className + attributes.keySet();
    }
}
