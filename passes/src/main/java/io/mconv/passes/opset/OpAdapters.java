package io.mconv.passes.opset;

import io.mconv.passes.Target;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Which adapter handles each operator whose definition changed in meaning or form between opsets 7 and 21. */
final class OpAdapters {

    private final Map<String, OpAdapter> byOp = new HashMap<>();

    /** @param target the runtime the converted model is for (LayerNormalization is kept below 17 for ORT) */
    OpAdapters(Target target) {
        OpAdapter axesAt13 = new AxesInputAdapter(13);
        OpAdapter axesAt18 = new AxesInputAdapter(18);
        byOp.put("Squeeze", axesAt13);
        byOp.put("Unsqueeze", axesAt13);
        byOp.put("ReduceSum", axesAt13);
        for (String op : new String[] {"ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
                "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"}) {
            byOp.put(op, axesAt18);
        }
        OpAdapter softmax = new SoftmaxAdapter();
        byOp.put("Softmax", softmax);
        byOp.put("LogSoftmax", softmax);
        byOp.put("Hardmax", softmax);
        OpAdapter resize = new ResizeAdapter();
        byOp.put("Resize", resize);
        byOp.put("Upsample", resize);
        OpAdapter scatter = new ScatterAdapter();
        byOp.put("Scatter", scatter);
        byOp.put("ScatterElements", scatter);
        byOp.put("Split", new SplitAdapter());
        byOp.put("Slice", new SliceAdapter());
        byOp.put("Pad", new PadAdapter());
        byOp.put("Clip", new ClipAdapter());
        byOp.put("TopK", new TopKAdapter());
        byOp.put("Dropout", new DropoutAdapter());
        byOp.put("BatchNormalization", new BatchNormalizationAdapter());
        byOp.put("Constant", new ConstantAdapter());
        byOp.put("Reshape", new ReshapeAdapter());
        byOp.put("GridSample", new GridSampleAdapter());
        byOp.put("RoiAlign", new RoiAlignAdapter());
        byOp.put("LayerNormalization", new LayerNormalizationAdapter(target));
        byOp.put("GroupNormalization", new GroupNormalizationAdapter());
        byOp.put("Scan", new ScanAdapter());
        byOp.put("Loop", new LoopAdapter());
        byOp.put("Gemm", new GemmBroadcastAdapter());
        OpAdapter broadcast = new LegacyBroadcastAdapter();
        for (String op : new String[] {"Add", "Sub", "Mul", "Div", "Pow", "And", "Or", "Xor", "Equal", "Greater",
                "Less"}) {
            byOp.put(op, broadcast);
        }
    }

    Optional<OpAdapter> forOp(String opType) {
        return Optional.ofNullable(byOp.get(opType));
    }
}
