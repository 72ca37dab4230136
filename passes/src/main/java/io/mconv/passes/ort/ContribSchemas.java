package io.mconv.passes.ort;

import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.passes.rewrite.RuleContext;
import io.mconv.schema.OpSchemaRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The schemas of the ONNX Runtime contrib operators ({@code com.microsoft}, opset 1) that the ORT fusions emit, read
 * from {@code io/mconv/schema/com-microsoft-operators.txt} (ONNX Runtime 1.29), and the opset bookkeeping the
 * fusions share: whether a graph may use such an operator, and adding the {@code com.microsoft} import.
 */
public final class ContribSchemas {

    /** The contrib operator domain. */
    public static final String DOMAIN = "com.microsoft";
    /** The only opset version of {@link #DOMAIN}. */
    public static final int OPSET = 1;
    static final String RESOURCE = "/io/mconv/schema/com-microsoft-operators.txt";

    private ContribSchemas() {
    }

    private static final class Holder {
        static final OpSchemaRegistry CONTRIB = load(OpSchemaRegistry.builder());
        static final OpSchemaRegistry ALL = OpSchemaRegistry.standard().withAdditional(CONTRIB.all());

        private static OpSchemaRegistry load(OpSchemaRegistry.Builder b) {
            try (InputStream in = ContribSchemas.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + RESOURCE);
                }
                return b.load(in, RESOURCE).build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
        }
    }

    /** Only the contrib operators of the resource. */
    public static OpSchemaRegistry contrib() {
        return Holder.CONTRIB;
    }

    /** The standard ONNX operators plus the contrib operators (the registry for models fused for ORT). */
    public static OpSchemaRegistry registry() {
        return Holder.ALL;
    }

    /**
     * Why {@code graph} cannot hold a {@code com.microsoft::opType} node, or null when it can: the graph imports
     * {@code com.microsoft} at a version that has the operator, or imports no {@code com.microsoft} and belongs to a
     * model (the rewrite then adds the import, version 1). A function body must import the domain itself.
     */
    public static String unavailable(RuleContext ctx, String opType) {
        Graph g = ctx.graph();
        int version = g.opsetVersion(DOMAIN);
        if (version < 0) {
            if (g.model() == null) {
                return "inside a function body that does not import " + DOMAIN + " (mconv adds imports to models only)";
            }
            version = OPSET;
        }
        if (contrib().get(DOMAIN, opType, version).isEmpty()) {
            return DOMAIN + "::" + opType + " does not exist at " + DOMAIN + " opset " + version;
        }
        return null;
    }

    /** Adds the {@code com.microsoft} opset import (version 1) to the model owning {@code g} if it lacks one. */
    public static void ensureImport(Graph g) {
        if (g.opsetVersion(DOMAIN) < 0) {
            Model m = g.model();
            if (m == null) {
                throw new IllegalStateException("no model to add the " + DOMAIN + " import to");
            }
            m.opsetImports().put(DOMAIN, OPSET);
        }
    }
}
