package io.mconv.agent.inspect;

import io.mconv.analysis.MacCounter;
import io.mconv.analysis.MacReport;
import io.mconv.ir.Model;
import io.mconv.ir.Shape;
import io.mconv.shape.ShapeInference;
import java.util.Map;

/**
 * MACs of a model: infers shapes (with the user's fixed input shapes) and counts multiply-accumulates of the
 * compute-heavy ops. Shape inference types values of the in-memory IR only; nothing is written.
 */
public final class MacEstimator {

    /** @throws IllegalArgumentException when an override names no input or has the wrong rank */
    public InspectReport.Macs estimate(Model model, Map<String, Shape> inputShapes) {
        ShapeInference.infer(model, inputShapes);
        MacReport r = MacCounter.count(model);
        return new InspectReport.Macs(r.macs(), r.computeMacsByOp(), r.poolingMacs(), r.uncountedNodes(),
                r.assumedBatchOne());
    }
}
