package io.mconv.agent.quantize.advisor;

import io.mconv.analysis.MacCounter;
import io.mconv.analysis.MacReport;
import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.shape.ShapeInference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Builds a {@link ModelProfile} from a loaded model, without running it. */
public final class ModelAnalyzer {

    /**
     * @param inputShapes sizes for symbolic input dimensions (MACs of nodes with unknown shapes count as 0)
     */
    public ModelProfile profile(Model model, Map<String, Shape> inputShapes) {
        ShapeInference.infer(model, inputShapes);
        MacReport macs = MacCounter.count(model);
        Map<String, Integer> histogram = new TreeMap<>();
        List<QuantizableLayer> layers = new ArrayList<>();
        Set<String> countedWeights = new HashSet<>();
        long quantizableMacs = 0;
        long quantizableBytes = 0;
        for (Node n : model.graph()) {
            histogram.merge(n.isDefaultDomain() ? n.opType() : n.domain() + "::" + n.opType(), 1, Integer::sum);
            Value weight = quantizableWeight(n);
            if (weight == null) {
                continue;
            }
            long bytes = weight.constValue().byteSize();
            Long m = MacCounter.macsOf(n);
            long layerMacs = m == null ? 0 : m;
            layers.add(new QuantizableLayer(n.name(), n.opType(), bytes, layerMacs, !n.opType().equals("Conv")));
            quantizableMacs += layerMacs;
            if (countedWeights.add(weight.name())) {
                quantizableBytes += bytes;
            }
        }
        long weightBytes = 0;
        for (Value v : model.graph().initializers().values()) {
            weightBytes += v.constValue().byteSize();
        }
        Map<String, Integer> mix = new LinkedHashMap<>();
        histogram.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> mix.put(e.getKey(), e.getValue()));
        return new ModelProfile(mix, macs.macs(), quantizableMacs, weightBytes, quantizableBytes, layers);
    }

    /** The constant float weight that makes a node quantizable, or null. */
    static Value quantizableWeight(Node n) {
        if (!n.isDefaultDomain()) {
            return null;
        }
        int index = switch (n.opType()) {
            case "MatMul", "Gemm", "Conv" -> 1;
            case "Gather" -> 0;
            default -> -1;
        };
        if (index < 0 || n.inputCount() <= index) {
            return null;
        }
        Value w = n.input(index);
        Tensor t = w == null ? null : w.constValue();
        if (t == null || !w.isInitializer() || w.isGraphInput() || t.dataType() != DataType.FLOAT) {
            return null;
        }
        boolean shapeFits = n.opType().equals("Conv") ? t.rank() >= 3
                : n.opType().equals("Gather") ? t.rank() >= 1 : t.rank() == 2;
        return shapeFits && t.elementCount() > 0 ? w : null;
    }
}
