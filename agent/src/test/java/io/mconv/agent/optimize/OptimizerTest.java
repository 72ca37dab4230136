package io.mconv.agent.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.InvalidOptionException;
import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.validation.ValidationFailedException;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Value;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.ir.testing.Fixtures;
import io.mconv.passes.Graphs;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassRegistry;
import io.mconv.passes.PassResult;
import io.mconv.passes.cleanup.EliminateDeadCode;
import io.mconv.schema.OpSchemaRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizerTest {

    @TempDir
    Path dir;

    private static Path tinyCnn() {
        return Fixtures.testdata().resolve("examples/tiny_cnn.onnx");
    }

    /** A wrong pass: turns every Relu into Abs (same shapes, different numbers). */
    private static final class ReluToAbs implements Pass {
        public String name() {
            return "relu-to-abs";
        }

        public String description() {
            return "wrong on purpose";
        }

        public OptimizationLevel level() {
            return OptimizationLevel.BASIC;
        }

        public PassResult run(Model model, PassContext context) {
            int n = 0;
            for (Graph g : Graphs.all(model)) {
                for (Node relu : g) {
                    if (relu.opType().equals("Relu")) {
                        Node abs = new Node("", "Abs", relu.name() + "_abs");
                        abs.addInput(relu.input(0));
                        Value out = abs.addOutput(new Value(g.uniqueName("abs"), null));
                        g.insertBefore(relu, abs);
                        relu.output(0).replaceAllUsesWith(out, true);
                        g.remove(relu);
                        n++;
                    }
                }
            }
            return PassResult.of(n);
        }
    }

    @Test
    void aPassThatChangesOutputsIsNamedAndNothingIsWritten() throws Exception {
        Pass harmless = new Pass() {
            public String name() {
                return "harmless";
            }

            public String description() {
                return "changes nothing";
            }

            public OptimizationLevel level() {
                return OptimizationLevel.BASIC;
            }

            public PassResult run(Model model, PassContext context) {
                return PassResult.unchanged();
            }
        };
        Optimizer optimizer = new Optimizer(PassRegistry.of(List.of(new EliminateDeadCode(), harmless, new ReluToAbs(),
                harmless)), OpSchemaRegistry.standard());
        Path out = dir.resolve("out.onnx");
        ValidationFailedException e = assertThrows(ValidationFailedException.class,
                () -> optimizer.optimize(tinyCnn(), out, OptimizeOptions.defaults()));
        assertTrue(e.getMessage().contains("introduced by pass relu-to-abs"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was written"), e.getMessage());
        assertFalse(e.report().passed());
        assertFalse(Files.exists(out));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "the staged output, checked before the commit, is gone");
        }
    }

    @Test
    void optimizingTwiceChangesNothingTheSecondTime() throws Exception {
        Path once = dir.resolve("once.onnx");
        OptimizeOptions aggressive = OptimizeOptions.defaults().withLevel(OptimizationLevel.AGGRESSIVE);
        OptimizationResult first = new Optimizer().optimize(tinyCnn(), once, aggressive);
        assertTrue(first.validation().passed());
        OptimizationResult second = new Optimizer().optimize(once, dir.resolve("twice.onnx"), aggressive);
        assertEquals(0, second.passes().totalRewrites(), second.passes().passes().toString());
        assertEquals(first.passes().nodesAfter(), second.passes().nodesAfter());
    }

    @Test
    void opsetIsRaisedOnlyWhenNoOperatorChangedMeaning() throws Exception {
        OpsetRaise raise = new OpsetRaise(OpSchemaRegistry.standard());
        try (IrModelFile tiny = new ModelLoader().load(tinyCnn())) {
            raise.raise(tiny.model(), 20);
            assertEquals(20, tiny.model().opsetVersion(""));
            assertEquals(9L, tiny.model().irVersion());
        }
        try (IrModelFile bert = new ModelLoader().load(Fixtures.generated("bert_like.onnx"))) {
            // Cast, Constant, Reshape and Shape got new versions at 19 that only admit new types: still safe.
            raise.raise(bert.model(), 20);
            assertEquals(20, bert.model().opsetVersion(""));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> raise.raise(bert.model(), 13)).getMessage()
                    .contains("below the model's opset 20"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> raise.raise(bert.model(), 99)).getMessage()
                    .contains("beyond the newest opset"));
        }
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 4);
        b.output(b.nodeWith("ReduceMean", new Attribute[] {Attribute.ofInts("axes", -1)}, x));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> raise.raise(b.model(), 18));
        assertTrue(e.getMessage().contains("changed definition in between: ReduceMean-18"), e.getMessage());
        assertEquals(17, b.model().opsetVersion(""), "unchanged after a refusal");
        InvalidOptionException cli = assertThrows(InvalidOptionException.class, () -> new Optimizer().optimize(
                tinyCnn(), dir.resolve("x.onnx"), OptimizeOptions.defaults().withOpset(12)));
        assertTrue(cli.getMessage().contains("lowering the opset is not supported"));
    }

    @Test
    void anOperatorThatBlocksTheRaiseIsConvertedAndTheResultValidatedInOrt() throws Exception {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 4);
        b.output(b.nodeWith("ReduceMean", new Attribute[] {Attribute.ofInts("axes", -1)}, x), DataType.FLOAT, 2, 1);
        Path source = dir.resolve("reduce17.onnx");
        Files.write(source, io.mconv.ir.serde.ProtoExporter.exportModel(b.model()).toByteArray());
        Path out = dir.resolve("reduce18.onnx");
        OptimizationResult r = new Optimizer().optimize(source, out, OptimizeOptions.defaults().withOpset(18));
        assertTrue(r.validation().passed(), r.validation().toString());
        try (IrModelFile converted = new ModelLoader().load(out)) {
            assertEquals(18, converted.model().opsetVersion(""));
            Node reduce = converted.model().graph().nodes().stream().filter(n -> n.opType().equals("ReduceMean"))
                    .findFirst().orElseThrow();
            assertEquals(2, reduce.inputCount(), "axes became an input at 18");
            assertTrue(reduce.attribute("axes").isEmpty());
        }
    }
}
