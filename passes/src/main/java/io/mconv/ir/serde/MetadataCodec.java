package io.mconv.ir.serde;

import io.mconv.onnx.proto.Onnx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** String-to-string entries (metadata_props, bindings) to and from ordered maps. */
final class MetadataCodec {

    private MetadataCodec() {
    }

    static Map<String, String> fromProto(List<Onnx.StringStringEntryProto> entries) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Onnx.StringStringEntryProto e : entries) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    static List<Onnx.StringStringEntryProto> toProto(Map<String, String> map) {
        List<Onnx.StringStringEntryProto> out = new ArrayList<>(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            out.add(Onnx.StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()).build());
        }
        return out;
    }
}
