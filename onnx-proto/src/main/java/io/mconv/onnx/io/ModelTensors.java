package io.mconv.onnx.io;

import io.mconv.onnx.proto.Onnx.AttributeProto;
import io.mconv.onnx.proto.Onnx.FunctionProto;
import io.mconv.onnx.proto.Onnx.GraphProto;
import io.mconv.onnx.proto.Onnx.ModelProto;
import io.mconv.onnx.proto.Onnx.NodeProto;
import io.mconv.onnx.proto.Onnx.SparseTensorProto;
import io.mconv.onnx.proto.Onnx.TensorProto;
import io.mconv.onnx.proto.Onnx.TrainingInfoProto;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Visits every {@link TensorProto} of a model, wherever it sits: graph initializers, sparse initializers (values
 * and indices), tensor attributes ({@code t}, {@code tensors}, {@code sparse_tensor}, {@code sparse_tensors}) of
 * nodes in graphs and functions, subgraphs ({@code g}, {@code graphs}, recursively) and training info.
 *
 * <p>Forgetting one of these places is how a writer silently leaves a tensor pointing at the old data file, so the
 * walk lives in one class that both the writer and the size estimate use. The order of visits is the order of the
 * fields in the file, which makes data-file layouts deterministic.
 */
public final class ModelTensors {
    private ModelTensors() {}

    /** Returns all tensors of the model, in visiting order. */
    public static List<TensorProto> list(ModelProto model) {
        List<TensorProto> out = new ArrayList<>();
        map(model, t -> {
            out.add(t);
            return t;
        });
        return out;
    }

    /** Returns the model with every tensor replaced by {@code f(tensor)}; the input is not modified. */
    public static ModelProto map(ModelProto model, UnaryOperator<TensorProto> f) {
        ModelProto.Builder b = model.toBuilder();
        if (model.hasGraph()) {
            b.setGraph(graph(model.getGraph(), f));
        }
        for (int i = 0; i < model.getTrainingInfoCount(); i++) {
            TrainingInfoProto ti = model.getTrainingInfo(i);
            TrainingInfoProto.Builder tb = ti.toBuilder();
            if (ti.hasInitialization()) {
                tb.setInitialization(graph(ti.getInitialization(), f));
            }
            if (ti.hasAlgorithm()) {
                tb.setAlgorithm(graph(ti.getAlgorithm(), f));
            }
            b.setTrainingInfo(i, tb);
        }
        for (int i = 0; i < model.getFunctionsCount(); i++) {
            FunctionProto fn = model.getFunctions(i);
            FunctionProto.Builder fb = fn.toBuilder();
            for (int j = 0; j < fn.getNodeCount(); j++) {
                fb.setNode(j, node(fn.getNode(j), f));
            }
            // Default values of function attributes may be tensors too.
            for (int j = 0; j < fn.getAttributeProtoCount(); j++) {
                fb.setAttributeProto(j, attribute(fn.getAttributeProto(j), f));
            }
            b.setFunctions(i, fb);
        }
        return b.build();
    }

    private static GraphProto graph(GraphProto g, UnaryOperator<TensorProto> f) {
        GraphProto.Builder b = g.toBuilder();
        for (int i = 0; i < g.getNodeCount(); i++) {
            b.setNode(i, node(g.getNode(i), f));
        }
        for (int i = 0; i < g.getInitializerCount(); i++) {
            b.setInitializer(i, f.apply(g.getInitializer(i)));
        }
        for (int i = 0; i < g.getSparseInitializerCount(); i++) {
            b.setSparseInitializer(i, sparse(g.getSparseInitializer(i), f));
        }
        return b.build();
    }

    private static NodeProto node(NodeProto n, UnaryOperator<TensorProto> f) {
        if (n.getAttributeCount() == 0) {
            return n;
        }
        NodeProto.Builder b = n.toBuilder();
        for (int i = 0; i < n.getAttributeCount(); i++) {
            b.setAttribute(i, attribute(n.getAttribute(i), f));
        }
        return b.build();
    }

    private static AttributeProto attribute(AttributeProto a, UnaryOperator<TensorProto> f) {
        if (!a.hasT() && a.getTensorsCount() == 0 && !a.hasG() && a.getGraphsCount() == 0
                && !a.hasSparseTensor() && a.getSparseTensorsCount() == 0) {
            return a;
        }
        AttributeProto.Builder b = a.toBuilder();
        if (a.hasT()) {
            b.setT(f.apply(a.getT()));
        }
        for (int i = 0; i < a.getTensorsCount(); i++) {
            b.setTensors(i, f.apply(a.getTensors(i)));
        }
        if (a.hasSparseTensor()) {
            b.setSparseTensor(sparse(a.getSparseTensor(), f));
        }
        for (int i = 0; i < a.getSparseTensorsCount(); i++) {
            b.setSparseTensors(i, sparse(a.getSparseTensors(i), f));
        }
        if (a.hasG()) {
            b.setG(graph(a.getG(), f));
        }
        for (int i = 0; i < a.getGraphsCount(); i++) {
            b.setGraphs(i, graph(a.getGraphs(i), f));
        }
        return b.build();
    }

    private static SparseTensorProto sparse(SparseTensorProto s, UnaryOperator<TensorProto> f) {
        SparseTensorProto.Builder b = s.toBuilder();
        if (s.hasValues()) {
            b.setValues(f.apply(s.getValues()));
        }
        if (s.hasIndices()) {
            b.setIndices(f.apply(s.getIndices()));
        }
        return b.build();
    }
}
