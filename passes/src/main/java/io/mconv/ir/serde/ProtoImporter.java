package io.mconv.ir.serde;

import com.google.protobuf.ByteString;
import io.mconv.ir.Attribute;
import io.mconv.ir.AttributeKind;
import io.mconv.ir.Function;
import io.mconv.ir.Graph;
import io.mconv.ir.InvalidGraphException;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.QuantizationAnnotation;
import io.mconv.ir.SparseTensor;
import io.mconv.ir.Tensor;
import io.mconv.ir.TrainingInfo;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.limits.Limit;
import io.mconv.limits.Limits;
import io.mconv.onnx.proto.Onnx;
import java.util.ArrayList;

import java.util.List;


/**
 * Builds the IR from a parsed ModelProto. Names are resolved to values (outer scopes included, for subgraphs), so
 * structural errors surface here with the offending name: two producers of a value, a use of a value nothing
 * defines, duplicate initializers, unknown data types, negative dimensions, data lengths that do not match dims,
 * cycles, subgraphs nested deeper than {@link Limit#GRAPH_DEPTH}, and local functions that call themselves.
 * Nodes out of topological order are re-sorted deterministically.
 */
public final class ProtoImporter {

    /** Deepest subgraph nesting accepted by default; real models use a handful of levels. */
    public static final int MAX_GRAPH_DEPTH = (int) Limit.GRAPH_DEPTH.defaultValue();

    private final ExternalTensorResolver external;
    private final int maxGraphDepth;

    private ProtoImporter(ExternalTensorResolver external, int maxGraphDepth) {
        this.external = external;
        this.maxGraphDepth = maxGraphDepth;
    }

    /**
     * @param external resolves tensors whose data is in external files; {@link ExternalTensorResolver#NONE} for
     *                 models read from bytes
     * @throws InvalidGraphException when the model is structurally invalid
     */
    public static Model importModel(Onnx.ModelProto proto, ExternalTensorResolver external) {
        return importModel(proto, external, Limits.defaults());
    }

    /** As {@link #importModel(Onnx.ModelProto, ExternalTensorResolver)}, nesting bounded by {@code limits}. */
    public static Model importModel(Onnx.ModelProto proto, ExternalTensorResolver external, Limits limits) {
        return new ProtoImporter(external, limits.getInt(Limit.GRAPH_DEPTH)).model(proto);
    }

    private Model model(Onnx.ModelProto mp) {
        if (!mp.hasGraph()) {
            throw new InvalidGraphException("the model has no graph");
        }
        Scope mainScope = new Scope(null);
        Model m = new Model(graph(mp.getGraph(), mainScope, null, 0));
        if (mp.hasIrVersion()) {
            m.setIrVersion(mp.getIrVersion());
        }
        for (Onnx.OperatorSetIdProto op : mp.getOpsetImportList()) {
            m.opsetImports().put(op.getDomain(), op.getVersion());
        }
        if (mp.hasProducerName()) {
            m.setProducerName(mp.getProducerName());
        }
        if (mp.hasProducerVersion()) {
            m.setProducerVersion(mp.getProducerVersion());
        }
        if (mp.hasDomain()) {
            m.setDomain(mp.getDomain());
        }
        if (mp.hasModelVersion()) {
            m.setModelVersion(mp.getModelVersion());
        }
        if (mp.hasDocString()) {
            m.setDocString(mp.getDocString());
        }
        m.metadata().putAll(MetadataCodec.fromProto(mp.getMetadataPropsList()));
        UnknownFields.keep(mp, m.preservedFields());
        for (Onnx.FunctionProto fp : mp.getFunctionsList()) {
            m.functions().add(function(fp));
        }
        FunctionCallGraph.rejectRecursion(m.functions());
        for (Onnx.TrainingInfoProto ti : mp.getTrainingInfoList()) {
            Graph init = ti.hasInitialization() ? subgraphOf(ti.getInitialization(), mainScope, m.graph(), 1) : null;
            Graph algo = ti.hasAlgorithm() ? subgraphOf(ti.getAlgorithm(), mainScope, m.graph(), 1) : null;
            m.trainingInfo().add(new TrainingInfo(init, algo,
                    MetadataCodec.fromProto(ti.getInitializationBindingList()),
                    MetadataCodec.fromProto(ti.getUpdateBindingList())));
        }
        return m;
    }

    private Graph subgraphOf(Onnx.GraphProto gp, Scope outerScope, Graph outer, int depth) {
        Graph g = graph(gp, new Scope(outerScope), outer, depth);
        g.attachAsSubgraph(outer, null);
        return g;
    }

    private Graph graph(Onnx.GraphProto gp, Scope scope, Graph outer, int depth) {
        if (depth > maxGraphDepth) {
            throw new InvalidGraphException("subgraphs are nested deeper than " + maxGraphDepth + " levels: "
                    + Limit.GRAPH_DEPTH.exceeded(maxGraphDepth));
        }
        String graphName = gp.getName();
        Graph g = new Graph(graphName);
        if (outer != null) {
            g.attachAsSubgraph(outer, null);
        }
        for (Onnx.ValueInfoProto vi : gp.getInputList()) {
            String name = requireName(vi.getName(), "graph '" + graphName + "' has an input without a name");
            if (scope.definesLocally(name)) {
                throw new InvalidGraphException("graph input '" + name + "' is declared twice");
            }
            Value v = valueFromInfo(vi);
            g.addInput(v);
            scope.define(name, v);
        }
        for (Onnx.TensorProto tp : gp.getInitializerList()) {
            String name = requireName(tp.getName(), "graph '" + graphName + "' has an initializer without a name");
            Tensor t = TensorCodec.fromProto(tp, external);
            Value existing = scope.local(name);
            if (existing != null && existing.isGraphInput() && existing.constValue() == null) {
                existing.setConstValue(t);
                g.registerInitializer(existing);
            } else if (existing != null) {
                throw new InvalidGraphException("duplicate initializer '" + name + "'");
            } else {
                scope.define(name, g.addInitializer(t));
            }
        }
        for (Onnx.SparseTensorProto sp : gp.getSparseInitializerList()) {
            SparseTensor s = TensorCodec.sparseFromProto(sp, external);
            String name = requireName(s.name(), "graph '" + graphName + "' has a sparse initializer without a name");
            if (scope.definesLocally(name)) {
                throw new InvalidGraphException("duplicate initializer '" + name + "'");
            }
            Value v = new Value(name, new ValueType.SparseTensorType(s.values().dataType(),
                    io.mconv.ir.Shape.of(s.dims()), null));
            v.setSparseConstValue(s);
            g.registerSparseInitializer(v);
            scope.define(name, v);
        }
        body(g, gp.getNodeList(), gp.getValueInfoList(), scope, depth);
        for (Onnx.ValueInfoProto vi : gp.getOutputList()) {
            String name = requireName(vi.getName(), "graph '" + graphName + "' has an output without a name");
            Value v = scope.lookup(name);
            if (v == null) {
                throw new InvalidGraphException("graph output '" + name + "' is not produced by any node, input "
                        + "or initializer");
            }
            if (scope.local(name) == v && vi.hasType() && !v.isGraphInput()) {
                v.setType(TypeCodec.fromProto(vi.getType(), "graph output '" + name + "'"));
            }
            g.addOutput(v);
        }
        for (Onnx.TensorAnnotation ta : gp.getQuantizationAnnotationList()) {
            g.quantizationAnnotations().add(new QuantizationAnnotation(ta.getTensorName(),
                    MetadataCodec.fromProto(ta.getQuantParameterTensorNamesList())));
        }
        if (gp.hasDocString()) {
            g.setDocString(gp.getDocString());
        }
        if (gp.getMetadataPropsCount() > 0) {
            g.setMetadata(MetadataCodec.fromProto(gp.getMetadataPropsList()));
        }
        UnknownFields.keep(gp, g.preservedFields());
        return g;
    }

    /** Creates the nodes of a graph or function body, links their inputs, types values, and appends in order. */
    private void body(Graph g, List<Onnx.NodeProto> nodeProtos, List<Onnx.ValueInfoProto> valueInfo, Scope scope,
                      int depth) {
        List<Node> nodes = new ArrayList<>(nodeProtos.size());
        for (Onnx.NodeProto np : nodeProtos) {
            if (np.getOpType().isEmpty()) {
                throw new InvalidGraphException("a node in graph '" + g.name() + "' has no op_type"
                        + (np.getName().isEmpty() ? "" : " (node '" + np.getName() + "')"));
            }
            Node n = new Node(np.getDomain(), np.getOpType(), np.getName());
            for (String out : np.getOutputList()) {
                if (out.isEmpty()) {
                    n.addOutput(null);
                    continue;
                }
                Value clash = scope.local(out);
                if (clash != null) {
                    String first = clash.producer() != null ? "node " + clash.producer()
                            : clash.isGraphInput() ? "a graph input" : "an initializer";
                    throw new InvalidGraphException("value '" + out + "' has two producers: " + first + " and node "
                            + n);
                }
                Value v = new Value(out, null);
                n.addOutput(v);
                scope.define(out, v);
            }
            nodes.add(n);
        }
        for (Onnx.ValueInfoProto vi : valueInfo) {
            Value v = scope.local(vi.getName());
            if (v != null && v.producer() != null) {
                if (vi.hasType()) {
                    v.setType(TypeCodec.fromProto(vi.getType(), "value '" + vi.getName() + "'"));
                }
                if (vi.hasDocString()) {
                    v.setDocString(vi.getDocString());
                }
                if (vi.getMetadataPropsCount() > 0) {
                    v.setMetadata(MetadataCodec.fromProto(vi.getMetadataPropsList()));
                }
                UnknownFields.keep(vi, v.preservedFields());
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            Onnx.NodeProto np = nodeProtos.get(i);
            Node n = nodes.get(i);
            for (String in : np.getInputList()) {
                if (in.isEmpty()) {
                    n.addInput(null);
                    continue;
                }
                Value v = scope.lookup(in);
                if (v == null) {
                    throw new InvalidGraphException("node " + n + " reads '" + in + "', which no node, graph input "
                            + "or initializer produces");
                }
                n.addInput(v);
            }
            for (Onnx.AttributeProto ap : np.getAttributeList()) {
                n.setAttribute(attribute(ap, g, n, scope, depth));
            }
            if (np.hasOverload()) {
                n.setOverload(np.getOverload());
            }
            if (np.hasDocString()) {
                n.setDocString(np.getDocString());
            }
            if (np.getMetadataPropsCount() > 0) {
                n.setMetadata(MetadataCodec.fromProto(np.getMetadataPropsList()));
            }
            UnknownFields.keep(np, n.preservedFields());
        }
        for (Node n : TopologicalOrder.sort(nodes, g.name())) {
            g.append(n);
        }
    }

    private Attribute attribute(Onnx.AttributeProto ap, Graph g, Node owner, Scope scope, int depth) {
        String name = ap.getName();
        if (name.isEmpty()) {
            throw new InvalidGraphException("node " + owner + " has an attribute without a name");
        }
        AttributeKind kind = kindOf(ap, owner);
        Attribute a;
        if (ap.hasRefAttrName()) {
            a = Attribute.reference(name, kind, ap.getRefAttrName());
        } else {
            a = switch (kind) {
                case FLOAT -> Attribute.ofFloat(name, ap.getF());
                case INT -> Attribute.ofInt(name, ap.getI());
                case STRING -> Attribute.ofBytes(name, ap.getS().toByteArray());
                case TENSOR -> Attribute.ofTensor(name, TensorCodec.fromProto(ap.getT(), external));
                case GRAPH -> Attribute.ofGraph(name, subgraph(ap.getG(), g, owner, scope, depth));
                case SPARSE_TENSOR -> Attribute.ofSparseTensor(name,
                        TensorCodec.sparseFromProto(ap.getSparseTensor(), external));
                case TYPE_PROTO -> Attribute.ofType(name, TypeCodec.fromProto(ap.getTp(), "attribute '" + name + "'"));
                case FLOATS -> {
                    float[] f = new float[ap.getFloatsCount()];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = ap.getFloats(i);
                    }
                    yield Attribute.ofFloats(name, f);
                }
                case INTS -> {
                    long[] v = new long[ap.getIntsCount()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = ap.getInts(i);
                    }
                    yield Attribute.ofInts(name, v);
                }
                case STRINGS -> {
                    List<byte[]> s = new ArrayList<>();
                    for (ByteString b : ap.getStringsList()) {
                        s.add(b.toByteArray());
                    }
                    yield Attribute.ofByteStrings(name, s);
                }
                case TENSORS -> {
                    List<Tensor> ts = new ArrayList<>();
                    for (Onnx.TensorProto tp : ap.getTensorsList()) {
                        ts.add(TensorCodec.fromProto(tp, external));
                    }
                    yield Attribute.ofTensors(name, ts);
                }
                case GRAPHS -> {
                    List<Graph> gs = new ArrayList<>();
                    for (Onnx.GraphProto sub : ap.getGraphsList()) {
                        gs.add(subgraph(sub, g, owner, scope, depth));
                    }
                    yield Attribute.ofGraphs(name, gs);
                }
                case SPARSE_TENSORS -> {
                    List<SparseTensor> ss = new ArrayList<>();
                    for (Onnx.SparseTensorProto sp : ap.getSparseTensorsList()) {
                        ss.add(TensorCodec.sparseFromProto(sp, external));
                    }
                    yield Attribute.ofSparseTensors(name, ss);
                }
                case TYPE_PROTOS -> {
                    List<ValueType> ts = new ArrayList<>();
                    for (Onnx.TypeProto tp : ap.getTypeProtosList()) {
                        ts.add(TypeCodec.fromProto(tp, "attribute '" + name + "'"));
                    }
                    yield Attribute.ofTypes(name, ts);
                }
            };
        }
        return ap.hasDocString() ? a.withDocString(ap.getDocString()) : a;
    }

    private Graph subgraph(Onnx.GraphProto gp, Graph outer, Node owner, Scope scope, int depth) {
        Graph sub = graph(gp, new Scope(scope), outer, depth + 1);
        sub.attachAsSubgraph(outer, owner);
        return sub;
    }

    /** The attribute's kind: its type field, or (in files that omit it) the one value field that is set. */
    private static AttributeKind kindOf(Onnx.AttributeProto ap, Node owner) {
        if (ap.hasType() && ap.getType() != Onnx.AttributeProto.AttributeType.UNDEFINED) {
            return AttributeKind.fromCode(ap.getType().getNumber()).orElseThrow();
        }
        if (ap.hasF()) {
            return AttributeKind.FLOAT;
        } else if (ap.hasI()) {
            return AttributeKind.INT;
        } else if (ap.hasS()) {
            return AttributeKind.STRING;
        } else if (ap.hasT()) {
            return AttributeKind.TENSOR;
        } else if (ap.hasG()) {
            return AttributeKind.GRAPH;
        } else if (ap.hasSparseTensor()) {
            return AttributeKind.SPARSE_TENSOR;
        } else if (ap.hasTp()) {
            return AttributeKind.TYPE_PROTO;
        } else if (ap.getFloatsCount() > 0) {
            return AttributeKind.FLOATS;
        } else if (ap.getIntsCount() > 0) {
            return AttributeKind.INTS;
        } else if (ap.getStringsCount() > 0) {
            return AttributeKind.STRINGS;
        } else if (ap.getTensorsCount() > 0) {
            return AttributeKind.TENSORS;
        } else if (ap.getGraphsCount() > 0) {
            return AttributeKind.GRAPHS;
        } else if (ap.getSparseTensorsCount() > 0) {
            return AttributeKind.SPARSE_TENSORS;
        } else if (ap.getTypeProtosCount() > 0) {
            return AttributeKind.TYPE_PROTOS;
        }
        throw new InvalidGraphException("attribute '" + ap.getName() + "' of node " + owner
                + " has neither a type nor a value");
    }

    private Function function(Onnx.FunctionProto fp) {
        String fname = requireName(fp.getName(), "a local function has no name");
        Graph body = new Graph(fname);
        Scope scope = new Scope(null);
        for (String in : fp.getInputList()) {
            if (scope.definesLocally(in)) {
                throw new InvalidGraphException("function '" + fname + "' declares input '" + in + "' twice");
            }
            Value v = new Value(in, null);
            body.addInput(v);
            scope.define(in, v);
        }
        body(body, fp.getNodeList(), fp.getValueInfoList(), scope, 1);
        for (String out : fp.getOutputList()) {
            Value v = scope.lookup(out);
            if (v == null) {
                throw new InvalidGraphException("function '" + fname + "' output '" + out + "' is not produced");
            }
            body.addOutput(v);
        }
        Function f = new Function(fp.getDomain(), fname, body);
        if (fp.hasOverload()) {
            f.setOverload(fp.getOverload());
        }
        for (Onnx.OperatorSetIdProto op : fp.getOpsetImportList()) {
            f.opsetImports().put(op.getDomain(), op.getVersion());
        }
        f.attributeNames().addAll(fp.getAttributeList());
        Node placeholder = new Node(fp.getDomain(), fname, null);
        for (Onnx.AttributeProto ap : fp.getAttributeProtoList()) {
            f.attributeDefaults().add(attribute(ap, body, placeholder, scope, 1));
        }
        if (fp.hasDocString()) {
            f.setDocString(fp.getDocString());
        }
        if (fp.getMetadataPropsCount() > 0) {
            f.setMetadata(MetadataCodec.fromProto(fp.getMetadataPropsList()));
        }
        UnknownFields.keep(fp, f.preservedFields());
        return f;
    }

    private static Value valueFromInfo(Onnx.ValueInfoProto vi) {
        Value v = new Value(vi.getName(), vi.hasType() ? TypeCodec.fromProto(vi.getType(),
                "value '" + vi.getName() + "'") : null);
        if (vi.hasDocString()) {
            v.setDocString(vi.getDocString());
        }
        if (vi.getMetadataPropsCount() > 0) {
            v.setMetadata(MetadataCodec.fromProto(vi.getMetadataPropsList()));
        }
        UnknownFields.keep(vi, v.preservedFields());
        return v;
    }

    private static String requireName(String name, String message) {
        if (name == null || name.isEmpty()) {
            throw new InvalidGraphException(message);
        }
        return name;
    }

}
