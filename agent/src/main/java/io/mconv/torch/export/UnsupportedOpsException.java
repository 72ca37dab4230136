package io.mconv.torch.export;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The model uses operators the exporter cannot lower at the target opset. All of them are listed, each with where
 * it is used and the opset that would support it, so one run tells the user everything that is missing.
 */
public final class UnsupportedOpsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** One unsupported operator, its first use, how many uses, and the opset that would have it (0: none). */
    public record Unsupported(String op, OpUse firstUse, int uses, int supportedFromOpset) {
        public String describe() {
            return op + " (" + uses + (uses == 1 ? " use" : " uses") + ", first at " + firstUse.pos() + ": "
                    + firstUse.sourceLine().strip() + ")" + (supportedFromOpset > 0
                    ? " — supported from opset " + supportedFromOpset : " — no symbolic");
        }
    }

    private final transient List<Unsupported> ops;
    private final int opset;

    public UnsupportedOpsException(int opset, List<Unsupported> ops) {
        this(null, opset, ops);
    }

    private UnsupportedOpsException(java.nio.file.Path file, int opset, List<Unsupported> ops) {
        super((file == null ? "" : file + ": ") + ops.size() + " unsupported operator" + (ops.size() == 1 ? "" : "s")
                + " at opset " + opset + ": " + ops.stream().map(Unsupported::op).collect(Collectors.joining(", ")));
        this.ops = List.copyOf(ops);
        this.opset = opset;
    }

    /** The same finding, its message naming the file. */
    public UnsupportedOpsException inFile(java.nio.file.Path file) {
        return new UnsupportedOpsException(file, opset, ops);
    }

    public List<Unsupported> ops() {
        return ops;
    }
}
