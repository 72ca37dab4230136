package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.onnx.proto.Onnx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --limit}: a limit that is hit is exit 3 naming file, limit, value and flag; raised, the file is read. */
class LimitsCliTest {

    @TempDir
    Path dir;

    /** Subgraphs nested {@code levels} deep (If inside If); each level costs three protobuf message levels. */
    private Path nestedIfs(int levels) throws IOException {
        Onnx.GraphProto leaf = Onnx.GraphProto.newBuilder().setName("leaf")
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Constant").addOutput("v").addAttribute(
                        Onnx.AttributeProto.newBuilder().setName("value_float")
                                .setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(1)))
                .addOutput(Onnx.ValueInfoProto.newBuilder().setName("v")).build();
        Onnx.GraphProto inner = leaf;
        for (int i = 0; i < levels; i++) {
            inner = Onnx.GraphProto.newBuilder().setName("level" + i).addNode(Onnx.NodeProto.newBuilder()
                            .setOpType("If").addInput("c").addOutput("o" + i)
                            .addAttribute(Onnx.AttributeProto.newBuilder().setName("then_branch")
                                    .setType(Onnx.AttributeProto.AttributeType.GRAPH).setG(inner))
                            .addAttribute(Onnx.AttributeProto.newBuilder().setName("else_branch")
                                    .setType(Onnx.AttributeProto.AttributeType.GRAPH).setG(leaf)))
                    .addOutput(Onnx.ValueInfoProto.newBuilder().setName("o" + i)).build();
        }
        Onnx.GraphProto top = inner.toBuilder().addInput(Onnx.ValueInfoProto.newBuilder().setName("c")
                .setType(Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                        .setElemType(9)))).build();
        Onnx.ModelProto model = Onnx.ModelProto.newBuilder().setIrVersion(8).setGraph(top)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).build();
        Path file = dir.resolve("nested" + levels + ".onnx");
        Files.write(file, model.toByteArray());
        return file;
    }

    private static void refusedNaming(CliRun r, Path file, String limitAndValue, String name) {
        assertEquals(3, r.exitCode(), r.err());
        assertEquals(1, r.errLines(), r.err());
        assertTrue(r.err().contains(file.toString()), "names the file: " + r.err());
        assertTrue(r.err().contains("exceeds limit " + limitAndValue + "; raise it with --limit " + name + "=N"),
                r.err());
    }

    @Test
    void protobufDepthIsHitThenRaised() throws IOException {
        Path file = nestedIfs(40);
        refusedNaming(CliRun.of("inspect", file.toString()), file, "protobuf-depth=64", "protobuf-depth");
        // Raised past the protobuf nesting, the next limit in line is the importer's graph depth.
        CliRun r = CliRun.of("inspect", file.toString(), "--limit", "protobuf-depth=1000");
        refusedNaming(r, file, "graph-depth=32", "graph-depth");
        assertTrue(r.err().contains("nested deeper than 32 levels"), r.err());
    }

    @Test
    void graphDepthRaisedReadsTheModel() throws IOException {
        Path file = nestedIfs(40);
        CliRun r = CliRun.of("inspect", file.toString(), "--json", "--limit", "protobuf-depth=1000",
                "--limit", "graph-depth=41");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"schema\" : \"mconv.inspect/1\"") || r.out().contains("\"mconv.inspect/1\""),
                r.out());
        // One level short is still refused, with the value the user gave.
        refusedNaming(CliRun.of("inspect", file.toString(), "--limit", "protobuf-depth=1000",
                "--limit", "graph-depth=39"), file, "graph-depth=39", "graph-depth");
    }

    @Test
    void checkAndOptimizeTakeTheFlagToo() throws IOException {
        Path file = nestedIfs(40);
        refusedNaming(CliRun.of("check", file.toString(), "--limit", "protobuf-depth=1000"), file,
                "graph-depth=32", "graph-depth");
        refusedNaming(CliRun.of("optimize", file.toString(), "-o", dir.resolve("o.onnx").toString(),
                "--limit", "protobuf-depth=100"), file, "protobuf-depth=100", "protobuf-depth");
        assertTrue(Files.notExists(dir.resolve("o.onnx")));
    }

    @Test
    void unknownNamesAndBadValuesAreUsageErrorsListingTheNames() throws IOException {
        Path file = nestedIfs(1);
        CliRun unknown = CliRun.of("inspect", file.toString(), "--limit", "stack-depth=5");
        assertEquals(2, unknown.exitCode(), unknown.err());
        assertTrue(unknown.err().contains("unknown limit 'stack-depth'"), unknown.err());
        assertTrue(unknown.err().contains("protobuf-depth, graph-depth, zip-directory-size"), unknown.err());
        CliRun noEquals = CliRun.of("inspect", file.toString(), "--limit", "graph-depth");
        assertEquals(2, noEquals.exitCode(), noEquals.err());
        assertTrue(noEquals.err().contains("NAME=VALUE"), noEquals.err());
        CliRun notNumber = CliRun.of("inspect", file.toString(), "--limit", "graph-depth=deep");
        assertEquals(2, notNumber.exitCode(), notNumber.err());
        assertTrue(notNumber.err().contains("is not a whole number"), notNumber.err());
        CliRun badSize = CliRun.of("inspect", file.toString(), "--limit", "pickle-size=64 parsecs");
        assertEquals(2, badSize.exitCode(), badSize.err());
        assertTrue(badSize.err().contains("is not a size"), badSize.err());
        CliRun zero = CliRun.of("inspect", file.toString(), "--limit", "graph-depth=0");
        assertEquals(2, zero.exitCode(), zero.err());
        assertTrue(zero.err().contains("must be 1 or more"), zero.err());
        CliRun sizeOk = CliRun.of("inspect", file.toString(), "--limit", "pickle-size=256MiB");
        assertEquals(0, sizeOk.exitCode(), sizeOk.err());
    }
}
