package io.mconv.agent.quantize.calibration;

import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Value;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.shape.ShapeInference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A copy of a model whose float intermediate tensors are also graph outputs, so that one ORT run shows every
 * activation calibration needs. The original is untouched. Tensors inside subgraphs are not exposed (a subgraph's
 * values cannot be graph outputs of the main graph), so calibration covers the main graph only.
 *
 * @param model   the augmented copy
 * @param exposed names of the float tensors nodes produce (now all graph outputs), in graph order
 */
public record AugmentedModel(Model model, List<String> exposed) {

    public static AugmentedModel of(Model original) {
        Model copy = ModelCopier.copy(original);
        ShapeInference.infer(copy, Map.of()); // element types of intermediates, so they can be declared as outputs
        List<String> exposed = new ArrayList<>();
        for (Node n : copy.graph()) {
            for (Value v : n.outputs()) {
                if (v != null && v.elemType() == DataType.FLOAT) {
                    if (!v.isGraphOutput()) {
                        copy.graph().addOutput(v);
                    }
                    exposed.add(v.name()); // graph outputs too: a Gemm producing one needs its range
                }
            }
        }
        return new AugmentedModel(copy, List.copyOf(exposed));
    }
}
