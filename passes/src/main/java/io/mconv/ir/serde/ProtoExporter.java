package io.mconv.ir.serde;

import com.google.protobuf.ByteString;
import io.mconv.ir.Attribute;
import io.mconv.ir.Function;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.QuantizationAnnotation;
import io.mconv.ir.SparseTensor;
import io.mconv.ir.Tensor;
import io.mconv.ir.TrainingInfo;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.onnx.proto.Onnx;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes the IR back to a ModelProto. Tensor bytes are wrapped, not copied. value_info is emitted for every typed
 * intermediate value, so shape information computed by passes reaches the file.
 */
public final class ProtoExporter {

    private final BufferTable buffers;

    private ProtoExporter(BufferTable buffers) {
        this.buffers = buffers;
    }

    /** A model whose off-heap tensors refer to {@code buffers}; pass both to the model writer. */
    public record Export(Onnx.ModelProto model, BufferTable buffers) {
    }

    /** The whole model in one proto, every tensor inline (memory-mapped tensors are copied): for runtimes. */
    public static Onnx.ModelProto exportModel(Model m) {
        return new ProtoExporter(null).model(m);
    }

    /**
     * The model for the writer: tensors read from memory-mapped external data are not copied but referenced
     * through the returned {@link BufferTable}, which the writer streams from.
     */
    public static Export exportForWriting(Model m) {
        BufferTable table = new BufferTable();
        return new Export(new ProtoExporter(table).model(m), table);
    }

    private Onnx.ModelProto model(Model m) {
        Onnx.ModelProto.Builder b = Onnx.ModelProto.newBuilder();
        if (m.irVersion() != null) {
            b.setIrVersion(m.irVersion());
        }
        for (Map.Entry<String, Long> e : m.opsetImports().asMap().entrySet()) {
            b.addOpsetImport(opset(e.getKey(), e.getValue()));
        }
        if (m.producerName() != null) {
            b.setProducerName(m.producerName());
        }
        if (m.producerVersion() != null) {
            b.setProducerVersion(m.producerVersion());
        }
        if (m.domain() != null) {
            b.setDomain(m.domain());
        }
        if (m.modelVersion() != null) {
            b.setModelVersion(m.modelVersion());
        }
        if (m.docString() != null) {
            b.setDocString(m.docString());
        }
        b.setGraph(graph(m.graph()));
        b.addAllMetadataProps(MetadataCodec.toProto(m.metadata()));
        for (TrainingInfo ti : m.trainingInfo()) {
            Onnx.TrainingInfoProto.Builder tb = Onnx.TrainingInfoProto.newBuilder();
            if (ti.initialization() != null) {
                tb.setInitialization(graph(ti.initialization()));
            }
            if (ti.algorithm() != null) {
                tb.setAlgorithm(graph(ti.algorithm()));
            }
            tb.addAllInitializationBinding(MetadataCodec.toProto(ti.initializationBinding()));
            tb.addAllUpdateBinding(MetadataCodec.toProto(ti.updateBinding()));
            b.addTrainingInfo(tb);
        }
        for (Function f : m.functions()) {
            b.addFunctions(function(f));
        }
        UnknownFields.restore(m.preservedFields(), b);
        return b.build();
    }

    /** An empty domain is left unset: the spec reads an absent domain as the default one. */
    private static Onnx.OperatorSetIdProto opset(String domain, long version) {
        Onnx.OperatorSetIdProto.Builder b = Onnx.OperatorSetIdProto.newBuilder().setVersion(version);
        if (!domain.isEmpty()) {
            b.setDomain(domain);
        }
        return b.build();
    }

    private Onnx.GraphProto graph(Graph g) {
        Onnx.GraphProto.Builder b = Onnx.GraphProto.newBuilder();
        if (!g.name().isEmpty()) {
            b.setName(g.name());
        }
        for (Node n : g) {
            b.addNode(node(n));
        }
        for (Value v : g.initializers().values()) {
            Onnx.TensorProto.Builder tb = TensorCodec.toProto(v.constValue(), buffers).toBuilder().setName(v.name());
            b.addInitializer(tb);
        }
        for (Value v : g.sparseInitializers().values()) {
            SparseTensor s = v.sparseConstValue();
            Onnx.SparseTensorProto sp = TensorCodec.sparseToProto(s);
            b.addSparseInitializer(sp.toBuilder().setValues(sp.getValues().toBuilder().setName(v.name())));
        }
        if (g.docString() != null) {
            b.setDocString(g.docString());
        }
        for (Value v : g.inputs()) {
            b.addInput(valueInfo(v));
        }
        Set<Value> outputs = new HashSet<>(g.outputs());
        for (Value v : g.outputs()) {
            b.addOutput(valueInfo(v));
        }
        for (Node n : g) {
            for (Value v : n.outputs()) {
                if (v != null && v.type() != null && !outputs.contains(v)) {
                    b.addValueInfo(valueInfo(v));
                }
            }
        }
        for (QuantizationAnnotation qa : g.quantizationAnnotations()) {
            b.addQuantizationAnnotation(Onnx.TensorAnnotation.newBuilder().setTensorName(qa.tensorName())
                    .addAllQuantParameterTensorNames(MetadataCodec.toProto(qa.quantParameterTensorNames())));
        }
        b.addAllMetadataProps(MetadataCodec.toProto(g.metadata()));
        UnknownFields.restore(g.preservedFields(), b);
        return b.build();
    }

    private static Onnx.ValueInfoProto valueInfo(Value v) {
        Onnx.ValueInfoProto.Builder b = Onnx.ValueInfoProto.newBuilder().setName(v.name());
        if (v.type() != null) {
            b.setType(TypeCodec.toProto(v.type()));
        }
        if (v.docString() != null) {
            b.setDocString(v.docString());
        }
        b.addAllMetadataProps(MetadataCodec.toProto(v.metadata()));
        UnknownFields.restore(v.preservedFields(), b);
        return b.build();
    }

    private Onnx.NodeProto node(Node n) {
        Onnx.NodeProto.Builder b = Onnx.NodeProto.newBuilder();
        for (Value v : n.inputs()) {
            b.addInput(v == null ? "" : v.name());
        }
        for (Value v : n.outputs()) {
            b.addOutput(v == null ? "" : v.name());
        }
        if (!n.name().isEmpty()) {
            b.setName(n.name());
        }
        b.setOpType(n.opType());
        if (!n.domain().isEmpty()) {
            b.setDomain(n.domain());
        }
        if (n.overload() != null) {
            b.setOverload(n.overload());
        }
        for (Attribute a : n.attributes()) {
            b.addAttribute(attribute(a));
        }
        if (n.docString() != null) {
            b.setDocString(n.docString());
        }
        b.addAllMetadataProps(MetadataCodec.toProto(n.metadata()));
        UnknownFields.restore(n.preservedFields(), b);
        return b.build();
    }

    private Onnx.AttributeProto attribute(Attribute a) {
        Onnx.AttributeProto.Builder b = Onnx.AttributeProto.newBuilder().setName(a.name())
                .setType(Onnx.AttributeProto.AttributeType.forNumber(a.kind().code()));
        if (a.docString() != null) {
            b.setDocString(a.docString());
        }
        if (a.isReference()) {
            return b.setRefAttrName(a.refAttrName()).build();
        }
        switch (a.kind()) {
            case FLOAT -> b.setF(a.asFloat());
            case INT -> b.setI(a.asInt());
            case STRING -> b.setS(ByteString.copyFrom(a.asBytes()));
            case TENSOR -> b.setT(TensorCodec.toProto(a.asTensor(), buffers));
            case GRAPH -> b.setG(graph(a.asGraph()));
            case SPARSE_TENSOR -> b.setSparseTensor(TensorCodec.sparseToProto(a.asSparseTensor()));
            case TYPE_PROTO -> b.setTp(TypeCodec.toProto(a.asType()));
            case FLOATS -> {
                for (float f : a.asFloats()) {
                    b.addFloats(f);
                }
            }
            case INTS -> {
                for (long i : a.asInts()) {
                    b.addInts(i);
                }
            }
            case STRINGS -> {
                for (byte[] s : a.asByteStrings()) {
                    b.addStrings(ByteString.copyFrom(s));
                }
            }
            case TENSORS -> {
                for (Tensor t : a.asTensors()) {
                    b.addTensors(TensorCodec.toProto(t, buffers));
                }
            }
            case GRAPHS -> {
                for (Graph g : a.asGraphs()) {
                    b.addGraphs(graph(g));
                }
            }
            case SPARSE_TENSORS -> {
                for (SparseTensor s : a.asSparseTensors()) {
                    b.addSparseTensors(TensorCodec.sparseToProto(s));
                }
            }
            case TYPE_PROTOS -> {
                for (ValueType t : a.asTypes()) {
                    b.addTypeProtos(TypeCodec.toProto(t));
                }
            }
        }
        return b.build();
    }

    private Onnx.FunctionProto function(Function f) {
        Onnx.FunctionProto.Builder b = Onnx.FunctionProto.newBuilder().setName(f.name());
        if (!f.domain().isEmpty()) {
            b.setDomain(f.domain());
        }
        if (f.overload() != null) {
            b.setOverload(f.overload());
        }
        for (Value v : f.body().inputs()) {
            b.addInput(v.name());
        }
        for (Value v : f.body().outputs()) {
            b.addOutput(v.name());
        }
        b.addAllAttribute(f.attributeNames());
        for (Attribute a : f.attributeDefaults()) {
            b.addAttributeProto(attribute(a));
        }
        for (Node n : f.body()) {
            b.addNode(node(n));
            for (Value v : n.outputs()) {
                if (v != null && v.type() != null) {
                    b.addValueInfo(valueInfo(v));
                }
            }
        }
        for (Map.Entry<String, Long> e : f.opsetImports().asMap().entrySet()) {
            b.addOpsetImport(opset(e.getKey(), e.getValue()));
        }
        if (f.docString() != null) {
            b.setDocString(f.docString());
        }
        b.addAllMetadataProps(MetadataCodec.toProto(f.metadata()));
        UnknownFields.restore(f.preservedFields(), b);
        return b.build();
    }
}
