package io.mconv.cli.options;

import io.mconv.onnx.io.ExternalDataPolicy;
import picocli.CommandLine.Option;

/** Options of commands that write a model: where its weights go. */
public final class ExternalDataOptions {

    @Option(names = "--external-data", description = "Write weights to a data file <OUT>.data beside the model "
            + "(without it: only when the model would pass 2 GiB).")
    boolean externalData;

    @Option(names = "--external-data-threshold", paramLabel = "SIZE", converter = ByteSize.Converter.class,
            defaultValue = "1KB", description = "With --external-data, tensors smaller than this stay inline "
            + "(default: ${DEFAULT-VALUE}).")
    long threshold;

    public ExternalDataPolicy policy() {
        return externalData ? ExternalDataPolicy.ALWAYS : ExternalDataPolicy.AUTO;
    }

    public long thresholdBytes() {
        return threshold;
    }
}
