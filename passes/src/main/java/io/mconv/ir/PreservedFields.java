package io.mconv.ir;

/**
 * Fields a model file carried that this version of mconv does not know (written by a newer ONNX), held opaque so
 * that writing the model back keeps them. Only the serializer looks inside; passes never do. A pass that replaces
 * an element simply starts with none.
 */
public final class PreservedFields {

    private Object fields;

    /** The serializer's opaque payload, or null when the element had none. */
    public Object get() {
        return fields;
    }

    public void set(Object payload) {
        this.fields = payload;
    }
}
