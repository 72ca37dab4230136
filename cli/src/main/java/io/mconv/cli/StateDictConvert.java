package io.mconv.cli;

import io.mconv.limits.Limits;

import io.mconv.agent.InvalidOptionException;
import io.mconv.agent.export.ArchSpec;
import io.mconv.agent.export.StateDictConverter;
import io.mconv.agent.export.StateDictExportOptions;
import io.mconv.agent.export.TorchExportResult;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.options.InputShapeSpec;
import io.mconv.ir.DataType;
import io.mconv.ir.Shape;
import io.mconv.onnx.io.ExternalDataPolicy;
import io.mconv.torch.archive.StateDictArchive;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The state_dict side of {@code mconv convert}: {@code --arch} says which layers the weights fill. */
final class StateDictConvert {

    /** The one input an {@code --arch} model has. */
    private static final String INPUT = "input";

    private StateDictConvert() {
    }

    /**
     * @throws InvalidOptionException for a bad {@code --arch}, a TorchScript source, or an {@code --input-shape}
     *                                that names another input or a non-float type
     */
    static TorchExportResult convert(Path source, Path target, Limits limits, String arch, int opset, List<InputShapeSpec> shapes,
                                     boolean validate, Tolerance tolerance, ExternalDataPolicy policy, long threshold)
            throws IOException {
        ArchSpec spec = ArchSpec.parse(arch);
        if (StateDictArchive.isTorchScript(source)) {
            throw new InvalidOptionException(source + " is a TorchScript archive, which carries its own graph; "
                    + "--arch is for a plain state_dict: convert it without --arch");
        }
        StateDictExportOptions options = new StateDictExportOptions(spec, opset, inputShape(shapes), validate,
                tolerance == null ? TorchConvert.EXPORT_FP32 : tolerance, 0, policy, threshold);
        return new StateDictConverter(limits).convert(source, target, options);
    }

    private static Shape inputShape(List<InputShapeSpec> shapes) {
        Shape shape = null;
        for (InputShapeSpec s : shapes) {
            if (!s.name().equals(INPUT)) {
                throw new InvalidOptionException("--input-shape names '" + s.name() + "', but a model built with "
                        + "--arch has one input, '" + INPUT + "' (e.g. --input-shape " + INPUT + ":1x768)");
            }
            if (s.dataType() != null && s.dataType() != DataType.FLOAT) {
                throw new InvalidOptionException("--input-shape " + INPUT + " gives type " + s.dataType()
                        + "; a model built with --arch takes float32");
            }
            shape = s.shape();
        }
        return shape;
    }
}
