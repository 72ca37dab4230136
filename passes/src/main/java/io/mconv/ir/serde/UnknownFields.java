package io.mconv.ir.serde;

import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.mconv.ir.PreservedFields;

/**
 * Carries a message's unknown fields (from a newer ONNX than ours) across the IR: stored opaque on import,
 * merged back on export. Attributes, tensors and types do not keep theirs (see docs/architecture.md).
 */
final class UnknownFields {

    private UnknownFields() {
    }

    static void keep(Message message, PreservedFields into) {
        UnknownFieldSet unknown = message.getUnknownFields();
        if (unknown.getSerializedSize() > 0) {
            into.set(unknown);
        }
    }

    static void restore(PreservedFields from, Message.Builder builder) {
        if (from.get() instanceof UnknownFieldSet unknown) {
            builder.mergeUnknownFields(unknown);
        }
    }
}
