package io.mconv.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mconv.onnx.proto.Onnx.AttributeProto;
import io.mconv.onnx.proto.Onnx.GraphProto;
import io.mconv.onnx.proto.Onnx.ModelProto;
import io.mconv.onnx.proto.Onnx.NodeProto;
import io.mconv.onnx.proto.Onnx.OperatorSetIdProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks the registry against ONNX's own backend node tests (Debian package libonnx-testdata, ONNX 1.12,
 * opsets up to 17): every standard-domain node there must have a schema at its model's imported opset, declare
 * every attribute it sets, and respect the schema's input/output counts.
 */
class OnnxNodeTestConformanceTest {
    private static final Path DEFAULT_DIR = Path.of("/usr/share/libonnx-testdata/data/node");

    /**
     * Node tests whose failure here is expected, with the reason. Empty: every node in the installed suite
     * (ONNX 1.12, opsets 1 to 17) checks out. Keys are test directory names.
     */
    private static final Map<String, String> KNOWN_EXCEPTIONS = Map.of();

    private static Path nodeTestDir() {
        // The parent POM passes onnx.testdata.dir; use it when it holds the node tests, else the Debian location.
        String configured = System.getProperty("onnx.testdata.dir");
        if (configured != null && !configured.isBlank()) {
            for (Path p : List.of(Path.of(configured, "node"), Path.of(configured, "data", "node"))) {
                if (Files.isDirectory(p)) {
                    return p;
                }
            }
        }
        if (!Files.isDirectory(DEFAULT_DIR)) {
            fail("ONNX node tests not found at " + DEFAULT_DIR + (configured == null ? "" : " nor under " + configured)
                    + ": run `apt-get install libonnx-testdata`");
        }
        return DEFAULT_DIR;
    }

    @Test
    void everyNodeOfTheBackendTestsMatchesItsSchema() throws IOException {
        Path dir = nodeTestDir();
        OpSchemaRegistry reg = OpSchemaRegistry.standard();
        List<Path> models;
        try (Stream<Path> s = Files.list(dir)) {
            models = s.map(d -> d.resolve("model.onnx")).filter(Files::isRegularFile).sorted().toList();
        }
        assertTrue(models.size() > 500, "expected the full node test suite under " + dir + ", found " + models.size());

        Counts counts = new Counts();
        List<String> problems = new ArrayList<>();
        for (Path model : models) {
            String test = model.getParent().getFileName().toString();
            ModelProto m = ModelProto.parseFrom(Files.readAllBytes(model));
            Map<String, Integer> opsets = new HashMap<>();
            for (OperatorSetIdProto o : m.getOpsetImportList()) {
                opsets.put(OpSchemaRegistry.canonicalDomain(o.getDomain()), (int) o.getVersion());
            }
            List<String> found = new ArrayList<>();
            checkGraph(reg, m.getGraph(), opsets, test, found, counts);
            counts.models++;
            if (KNOWN_EXCEPTIONS.containsKey(test)) {
                if (found.isEmpty()) {
                    problems.add(test + ": listed as an exception but checks out; remove it from KNOWN_EXCEPTIONS");
                }
                continue;
            }
            problems.addAll(found);
        }
        System.out.printf("conformance: %d models, %d nodes checked (%d attributes), %d nodes of other domains"
                + " skipped, %d operator types seen%n", counts.models, counts.nodes, counts.attributes,
                counts.otherDomain, counts.opTypes.size());
        assertTrue(problems.isEmpty(), problems.size() + " problems:\n" + String.join("\n", problems));
        assertTrue(counts.nodes > 1000, "too few nodes checked: " + counts.nodes);
        assertEquals(0, problems.size());
    }

    private static final class Counts {
        int models;
        int nodes;
        int attributes;
        int otherDomain;
        final TreeSet<String> opTypes = new TreeSet<>();
    }

    private static void checkGraph(OpSchemaRegistry reg, GraphProto g, Map<String, Integer> opsets, String test,
            List<String> problems, Counts counts) {
        for (NodeProto n : g.getNodeList()) {
            String domain = OpSchemaRegistry.canonicalDomain(n.getDomain());
            if (domain.equals(OpSchemaRegistry.ONNX_DOMAIN) || domain.equals(OpSchemaRegistry.ML_DOMAIN)) {
                checkNode(reg, n, domain, opsets, test, problems, counts);
            } else {
                counts.otherDomain++;
            }
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) {
                    checkGraph(reg, a.getG(), opsets, test, problems, counts);
                }
                for (GraphProto sub : a.getGraphsList()) {
                    checkGraph(reg, sub, opsets, test, problems, counts);
                }
            }
        }
    }

    private static void checkNode(OpSchemaRegistry reg, NodeProto n, String domain, Map<String, Integer> opsets,
            String test, List<String> problems, Counts counts) {
        String where = test + ": " + n.getOpType() + (n.getName().isEmpty() ? "" : " '" + n.getName() + "'");
        Integer opset = opsets.get(domain);
        if (opset == null) {
            problems.add(where + ": the model imports no opset for " + domain);
            return;
        }
        counts.nodes++;
        counts.opTypes.add(domain + "::" + n.getOpType());
        Optional<OpSchema> found = reg.get(domain, n.getOpType(), opset);
        if (found.isEmpty()) {
            problems.add(where + ": no schema at " + domain + " opset " + opset);
            return;
        }
        OpSchema s = found.get();
        if (s.deprecated()) {
            problems.add(where + ": " + s + " is deprecated at opset " + opset);
        }
        for (AttributeProto a : n.getAttributeList()) {
            counts.attributes++;
            Optional<AttributeSchema> declared = s.attribute(a.getName());
            if (declared.isEmpty()) {
                problems.add(where + ": attribute " + a.getName() + " not declared by " + s);
            } else if (a.hasType() && a.getType().getNumber() != declared.get().kind().code()) {
                problems.add(where + ": attribute " + a.getName() + " has type " + a.getType() + ", " + s
                        + " declares " + declared.get().kind().specName());
            }
        }
        for (AttributeSchema att : s.attributes().values()) {
            if (att.required() && n.getAttributeList().stream().noneMatch(a -> a.getName().equals(att.name()))) {
                problems.add(where + ": required attribute " + att.name() + " of " + s + " missing");
            }
        }
        if (n.getInputCount() < s.minInputs() || n.getInputCount() > s.maxInputs()) {
            problems.add(where + ": " + n.getInputCount() + " inputs, " + s + " takes " + s.minInputs() + ".."
                    + s.maxInputs());
        }
        if (n.getOutputCount() < s.minOutputs() || n.getOutputCount() > s.maxOutputs()) {
            problems.add(where + ": " + n.getOutputCount() + " outputs, " + s + " gives " + s.minOutputs() + ".."
                    + s.maxOutputs());
        }
    }
}
