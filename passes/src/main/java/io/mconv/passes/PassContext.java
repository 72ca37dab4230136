package io.mconv.passes;

import io.mconv.ir.Shape;
import io.mconv.schema.OpSchemaRegistry;
import java.util.Map;

/**
 * Everything a pass may consult. Passes are stateless; what varies per run comes in here.
 *
 * @param level       the optimization level asked for
 * @param target      the runtimes the result must run on
 * @param schemas     the operator schemas (which op exists at which opset, attribute defaults)
 * @param inputShapes the user's fixed input shapes ({@code --input-shape}), for shape-dependent rewrites
 * @param verifyEach  run the IR verifier after every pass ({@code --verify-each})
 */
public record PassContext(OptimizationLevel level, Target target, OpSchemaRegistry schemas,
                          Map<String, Shape> inputShapes, boolean verifyEach) {

    public PassContext {
        inputShapes = Map.copyOf(inputShapes);
    }

    public static PassContext of(OptimizationLevel level, Target target) {
        return new PassContext(level, target, OpSchemaRegistry.standard(), Map.of(), false);
    }

    public PassContext withVerifyEach(boolean verify) {
        return new PassContext(level, target, schemas, inputShapes, verify);
    }

    public PassContext withInputShapes(Map<String, Shape> shapes) {
        return new PassContext(level, target, schemas, shapes, verifyEach);
    }
}
